// Issue 16, rule 1: seats are enforced on every way in — adding by e-mail, an invitation accepted
// at sign-in, a claim by licence number — each by the statement that inserts the membership, and
// every refusal names the plan (administrators get its plan page). Approving a request for
// administrator rights promotes a member and never adds one.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, invitations, licences, memberships, orgRequests, outbox, subscriptions, users } from '../../src/db/schema'
import type { Db } from '../../src/db/client'
import { userActor } from '../../src/db/history'
import { removeMember } from '../../src/services/members'
import { decideAdminRights } from '../../src/services/requests'
import { testApp, textOf } from '../helpers/app'
import { opened } from '../helpers/mail'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, linkIn, PASSWORD, signedIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

/** The seats every org here has: its free Green subscription's limit is set to this, so the catalog's numbers don't matter. */
const SEATS = 2

const members = async (orgId: string) => (await t.db.select().from(memberships).where(eq(memberships.orgId, orgId))).length
const kinds = async (orgId: string) => (await t.db.select().from(history).where(eq(history.orgId, orgId)).orderBy(history.id)).map((h) => h.kind)
const addMembers = async (orgId: string, emails: string[]) => {
  const added = []
  for (const email of emails) {
    const u = await createUser(t.deps, { email })
    await t.db.insert(memberships).values({ orgId, userId: u.id, role: 'member', createdAt: t.clock.now() })
    added.push(u)
  }
  return added
}

/** An org on the free Green plan allowing SEATS users, with its administrator and licence number. */
async function greenOrg(tag: string) {
  const admin = await adminWithOrg(t, `${tag}-admin@example.com`)
  expect((await admin.b.post(`/o/${admin.slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, admin.org.id)).get())!
  await t.db.update(subscriptions).set({ snapshot: { ...sub.snapshot, limits: { ...sub.snapshot.limits, users: SEATS } } }).where(eq(subscriptions.id, sub.id))
  const licence = (await t.db.select().from(licences).where(eq(licences.orgId, admin.org.id)).get())!.number
  return { ...admin, licence }
}

/** The same, with every seat taken: the administrator and one member. */
async function fullOrg(tag: string) {
  const org = await greenOrg(tag)
  const [member] = await addMembers(org.org.id, [`${tag}-member@example.com`])
  expect(await members(org.org.id)).toBe(SEATS)
  return { ...org, member: member! }
}

const refusal = `The Green plan of Sekretariat allows ${SEATS} users (administrators included) and you have ${SEATS}.`

describe('Seats are enforced on every way in', () => {
  it('adding a user and inviting one are refused at the limit, naming the plan and linking to its plan page', async () => {
    const { b, slug, org } = await fullOrg('add')
    await createUser(t.deps, { email: 'add-extra@example.com' })
    for (const path of ['members', 'invitations']) {
      const res = await b.post(`/o/${slug}/${path}`, { email: path === 'members' ? 'add-extra@example.com' : 'add-invitee@example.com' })
      expect(res.status).toBe(409)
      const html = await res.text()
      expect(textOf(html)).toContain(refusal)
      // The refusal links to the product's plan comparison (issue 16 rule 1).
      expect(html).toContain(`<a href="/buy/sekretariat/plans">See the plans</a>`)
    }
    expect(await members(org.id)).toBe(SEATS)
    expect(await t.db.select().from(invitations).where(eq(invitations.orgId, org.id))).toHaveLength(0)
    expect(await kinds(org.id)).toEqual(['org.created', 'plan.activated'])
  })

  it('an invited address that registers waits while every seat is taken, is told why, and joins once one is free', async () => {
    const admin = await greenOrg('inv')
    // Invited while there was room; the last seat was taken before the invitee registered.
    expect((await admin.b.post(`/o/${admin.slug}/invitations`, { email: 'inv-invitee@example.com' })).status).toBe(303)
    const [taken] = await addMembers(admin.org.id, ['inv-member@example.com'])
    const b = t.browser()
    await b.post('/register', { name: 'Invitee', email: 'inv-invitee@example.com', password: PASSWORD, language: 'en', terms: 'on', privacy: 'on' })
    const activation = await opened(t, await t.db.select().from(outbox).where(and(eq(outbox.to, 'inv-invitee@example.com'), eq(outbox.template, 'account.activation'))).get())
    expect((await b.post(linkIn(activation!.text, '/activate/'))).status).toBe(303)
    const invitee = (await t.db.select().from(users).where(eq(users.email, 'inv-invitee@example.com')).get())!
    const res = await b.post('/login', { email: invitee.email, password: PASSWORD })
    expect(res.status).toBe(303)
    const landed = textOf(await (await b.follow(res)).text())
    expect(landed).toContain(`You are invited to ${admin.org.name}, but its Green plan of Sekretariat allows ${SEATS} users (administrators included) and all are taken.`)
    expect(landed).toContain('(the invitation is valid until 4 December 2026)')
    expect(await members(admin.org.id)).toBe(SEATS)
    expect((await t.db.select().from(invitations).where(eq(invitations.orgId, admin.org.id)).get())!.acceptedAt).toBeNull()
    expect(await kinds(admin.org.id)).not.toContain('member.joined')

    // A seat is freed: the next sign-in joins, and the invitation is used up.
    expect((await admin.b.post(`/o/${admin.slug}/members/${taken!.id}/removal`)).status).toBe(303)
    expect((await t.browser().post('/login', { email: invitee.email, password: PASSWORD })).status).toBe(303)
    expect((await t.db.select().from(memberships).where(and(eq(memberships.orgId, admin.org.id), eq(memberships.userId, invitee.id))).get())?.role).toBe('member')
    expect(await members(admin.org.id)).toBe(SEATS)
    expect((await t.db.select().from(invitations).where(eq(invitations.orgId, admin.org.id)).get())!.acceptedAt).not.toBeNull()
    expect((await kinds(admin.org.id)).filter((k) => k === 'member.joined')).toHaveLength(1)
  })

  it('a claim by licence number at the limit joins no one, tells the claimant why and mails the administrators; freed, the same claim works', async () => {
    const { org, slug, licence, member, b: adminBrowser } = await fullOrg('claim')
    const claimer = await signedIn(t, 'claim-claimer@example.com')
    const form = { country: 'PL', taxId: org.taxId!, licence, statement: 'on' }
    const res = await claimer.b.post('/orgs/claims', form)
    expect(res.status).toBe(409)
    const html = await res.text()
    // The claimant is no administrator: the link is to the product's public plan comparison.
    expect(html).toContain('href="/buy/sekretariat"')
    const text = textOf(html)
    expect(text).toContain(`No seat left in ${org.name}`)
    expect(text).toContain(`The licence number is right, but ${org.name} uses the Green plan of Sekretariat, which allows ${SEATS} users (administrators included), and all are taken, so you have not joined.`)
    expect(text).toContain('Its administrators have been told by e-mail.')
    expect(await members(org.id)).toBe(SEATS)
    expect(await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, org.id))).toHaveLength(0)
    expect(await kinds(org.id)).toEqual(['org.created', 'plan.activated'])
    const mail = await t.db.select().from(outbox).where(and(eq(outbox.to, 'claim-admin@example.com'), eq(outbox.template, 'member.claim_no_seat'))).get()
    expect(mail!.subject).toBe(`Someone could not join ${org.name}: no seat left`)
    expect(mail!.text).toContain(`${t.config.baseUrl}/o/${slug}/products/sekretariat/plan`)

    // An administrator frees a seat: the same claim now joins.
    expect((await adminBrowser.post(`/o/${slug}/members/${member.id}/removal`)).status).toBe(303)
    const joined = await claimer.b.post('/orgs/claims', form)
    expect(joined.status).toBe(303)
    expect(await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, org.id))).toHaveLength(1)
  })

  it('with one seat left, adding, an invitation and a claim at once let exactly one person in', async () => {
    const admin = await greenOrg('race')
    expect(await members(admin.org.id)).toBe(SEATS - 1)
    expect((await admin.b.post(`/o/${admin.slug}/invitations`, { email: 'race-invitee@example.com' })).status).toBe(303)
    await createUser(t.deps, { email: 'race-invitee@example.com' })
    await createUser(t.deps, { email: 'race-added@example.com' })
    const claimer = await signedIn(t, 'race-claimer@example.com')
    await Promise.all([
      admin.b.post(`/o/${admin.slug}/members`, { email: 'race-added@example.com' }),
      t.browser().post('/login', { email: 'race-invitee@example.com', password: PASSWORD }),
      claimer.b.post('/orgs/claims', { country: 'PL', taxId: admin.org.taxId!, licence: admin.licence, statement: 'on' }),
    ])
    expect(await members(admin.org.id)).toBe(SEATS)
  })

  it('approving a request for administrator rights adds no one, so a full org can still approve it', async () => {
    const { org, slug, b, member } = await fullOrg('rights')
    const mb = t.browser()
    await mb.post('/login', { email: member.email, password: PASSWORD })
    expect((await mb.post(`/o/${slug}/admin-rights-requests`)).status).toBe(303)
    const request = (await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, org.id)).get())!
    expect((await b.post(`/o/${slug}/requests/${request.id}/approval`)).status).toBe(303)
    expect((await t.db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, member.id))).get())!.role).toBe('admin')
    expect(await members(org.id)).toBe(SEATS)
  })

  it('approving a request for administrator rights of someone removed meanwhile adds no one back, approves nothing and closes the request', async () => {
    const { org, slug, member } = await fullOrg('gone')
    const admin = (await t.db.select().from(users).where(eq(users.email, 'gone-admin@example.com')).get())!
    const mb = t.browser()
    await mb.post('/login', { email: member.email, password: PASSWORD })
    expect((await mb.post(`/o/${slug}/admin-rights-requests`)).status).toBe(303)
    const request = (await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, org.id)).get())!
    // The member is removed and the seat taken by someone else after the approval read the
    // request, just before it writes: the database this approval uses removes them first.
    const removedFirst = new Proxy(t.db, {
      get(target, prop) {
        if (prop !== 'batch') return Reflect.get(target, prop)
        return async (items: Parameters<Db['batch']>[0]) => {
          expect(await removeMember(t.deps, org, userActor(admin), member.id, t.clock.now())).toEqual({ ok: true })
          await addMembers(org.id, ['gone-newcomer@example.com'])
          return target.batch(items)
        }
      },
    })
    const r = await decideAdminRights({ ...t.deps, db: removedFirst }, org, admin, request.id, 'approved', null, t.clock.now())
    expect(r).toEqual({ ok: false, error: 'not_member' })
    expect(await t.db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, member.id)))).toHaveLength(0)
    expect(await members(org.id)).toBe(SEATS)
    expect((await t.db.select().from(orgRequests).where(eq(orgRequests.id, request.id)).get())!.status).toBe('dismissed')
    expect(await kinds(org.id)).not.toContain('admin_rights.approved')
    expect(await t.db.select().from(outbox).where(and(eq(outbox.to, member.email), eq(outbox.template, 'admin_rights.approved')))).toHaveLength(0)
  })
})
