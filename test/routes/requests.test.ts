// Administrator rights on request (SPEC §3.1) and the org's requests inbox with its yellow dot (SPEC §10).
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, licences, memberships, orgRequests, orgs, outbox } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { nextNip, signedIn as signIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const signedIn = (email: string, language: 'en' | 'pl' | 'it' = 'en') => signIn(t, email, { language })

/** An org with an administrator and a plain member (added directly; no subscription, so no seat limit). */
async function orgWithMember(prefix: string, memberLanguage: 'en' | 'pl' = 'en') {
  const admin = await signedIn(`${prefix}-admin@example.com`)
  const res = await admin.b.post('/orgs', { name: `Org ${prefix}`, country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: 'b@example.com' })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  const member = await signedIn(`${prefix}-member@example.com`, memberLanguage)
  await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
  return { admin, member, org, slug }
}

const requestsOf = (orgId: string) => t.db.select().from(orgRequests).where(eq(orgRequests.orgId, orgId))
const roleOf = async (orgId: string, userId: string) => (await t.db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).get())?.role
const hasDot = (html: string) => /href="\/o\/[^"]+\/requests"[^>]*>Requests<span class="dot" aria-hidden="true"><\/span><span class="visually-hidden"> \(items waiting\)<\/span>/.test(html)

describe('a member with limited rights', () => {
  it('sees at the top of the dashboard that their rights are limited and the two ways to full rights; an administrator does not', async () => {
    const { admin, member, org, slug } = await orgWithMember('limits')
    // A member who claimed the company by its licence number (the claim, already seen by the administrators).
    await t.db.insert(orgRequests).values({ id: `claim-${org.id}`, orgId: org.id, kind: 'member_claimed', userId: member.user.id, status: 'dismissed', createdAt: t.clock.now() })
    const page = await (await member.b.get(`/o/${slug}`)).text()
    expect(textOf(page)).toContain('Your rights in Org limits are limited')
    expect(page).toContain(`action="/o/${slug}/admin-rights-requests"`)
    expect(page).toContain(`href="/o/${slug}/statement"`)
    expect(textOf(await (await admin.b.get(`/o/${slug}`)).text())).not.toContain('are limited')
  })

  it('asks an administrator in one click; a second click finds the first request', async () => {
    const { member, org, slug } = await orgWithMember('ask')
    const res = await member.b.post(`/o/${slug}/admin-rights-requests`)
    expect(res.status).toBe(303)
    expect(textOf(await (await member.b.follow(res)).text())).toContain('Your request is in the administrators’ inbox.')
    const again = await member.b.post(`/o/${slug}/admin-rights-requests`)
    expect(textOf(await (await member.b.follow(again)).text())).toContain('You have already asked; the request is waiting.')
    const rows = await requestsOf(org.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ kind: 'admin_rights', userId: member.user.id, status: 'pending' })
    expect(textOf(await (await member.b.get(`/o/${slug}`)).text())).toContain('Your request for administrator rights is waiting for an administrator (sent 20 November 2026).')
    expect((await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'admin_rights.requested')))).length).toBe(1)
  })
})

describe('the requests inbox', () => {
  it('shows a yellow dot and a notice on Users while something waits; approving makes the member an administrator, e-mails them, and the dot goes', async () => {
    const { admin, member, org, slug } = await orgWithMember('approve', 'pl')
    expect(hasDot(await (await admin.b.get(`/o/${slug}`)).text())).toBe(false)
    await member.b.post(`/o/${slug}/admin-rights-requests`)
    expect(hasDot(await (await admin.b.get(`/o/${slug}`)).text())).toBe(true)
    expect(textOf(await (await admin.b.get(`/o/${slug}/settings/users`)).text())).toContain('1 request waits in Requests.')
    const inbox = textOf(await (await admin.b.get(`/o/${slug}/requests`)).text())
    expect(inbox).toContain('approve-member <approve-member@example.com> asks for administrator rights.')

    const [request] = await requestsOf(org.id)
    const res = await admin.b.post(`/o/${slug}/requests/${request!.id}/approval`)
    expect(res.status).toBe(303)
    const after = await (await admin.b.follow(res)).text()
    expect(textOf(after)).toContain('approve-member is now an administrator.')
    expect(textOf(after)).toContain('Nothing is waiting.')
    expect(hasDot(after)).toBe(false)
    expect(await roleOf(org.id, member.user.id)).toBe('admin')
    expect((await requestsOf(org.id))[0]).toMatchObject({ status: 'approved', resolvedBy: admin.user.id })
    const [mail] = await t.db.select().from(outbox).where(and(eq(outbox.to, 'approve-member@example.com'), eq(outbox.template, 'admin_rights.approved')))
    expect(mail!.subject).toBe('Masz teraz uprawnienia administratora w Org approve')
    expect((await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'admin_rights.approved'))))[0]!.actorId).toBe(admin.user.id)
    // Decided once: a second click is told so.
    const twice = await admin.b.post(`/o/${slug}/requests/${request!.id}/approval`)
    expect(twice.status).toBe(409)
    expect(textOf(await twice.text())).toContain('This request has already been decided.')
  })

  it('two administrators approving at once decide once: one role change, one e-mail', async () => {
    const { admin, member, org, slug } = await orgWithMember('race')
    const second = await signedIn('race-admin2@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: second.user.id, role: 'admin', createdAt: t.clock.now() })
    await member.b.post(`/o/${slug}/admin-rights-requests`)
    const [request] = await requestsOf(org.id)
    const statuses = await Promise.all([admin.b, second.b].map(async (b) => (await b.post(`/o/${slug}/requests/${request!.id}/approval`)).status))
    expect(statuses.sort()).toEqual([303, 409])
    expect(await t.db.select().from(outbox).where(and(eq(outbox.to, 'race-member@example.com'), eq(outbox.template, 'admin_rights.approved')))).toHaveLength(1)
    expect(await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'admin_rights.approved')))).toHaveLength(1)
  })

  it('declines with an optional reason, which the e-mail carries; an over-long reason is refused', async () => {
    const { admin, member, org, slug } = await orgWithMember('decline')
    await member.b.post(`/o/${slug}/admin-rights-requests`)
    const [request] = await requestsOf(org.id)
    expect((await admin.b.post(`/o/${slug}/requests/${request!.id}/decline`, { reason: 'x'.repeat(501) })).status).toBe(422)
    expect((await requestsOf(org.id))[0]!.status).toBe('pending')
    const res = await admin.b.post(`/o/${slug}/requests/${request!.id}/decline`, { reason: 'Ask Ola first' })
    expect(res.status).toBe(303)
    expect((await requestsOf(org.id))[0]).toMatchObject({ status: 'declined', reason: 'Ask Ola first' })
    expect(await roleOf(org.id, member.user.id)).toBe('member')
    const [mail] = await t.db.select().from(outbox).where(and(eq(outbox.to, 'decline-member@example.com'), eq(outbox.template, 'admin_rights.declined')))
    expect(mail!.text).toContain('Their reason: Ask Ola first')
    // The member may ask again after a decision.
    expect((await member.b.post(`/o/${slug}/admin-rights-requests`)).status).toBe(303)
    expect((await requestsOf(org.id)).map((r) => r.status)).toEqual(['declined', 'pending'])
  })

  it('is for administrators: a member gets 403 and cannot approve their own request; a stranger gets 404', async () => {
    const { member, org, slug } = await orgWithMember('guard')
    await member.b.post(`/o/${slug}/admin-rights-requests`)
    const [request] = await requestsOf(org.id)
    expect((await member.b.get(`/o/${slug}/requests`)).status).toBe(403)
    expect((await member.b.post(`/o/${slug}/requests/${request!.id}/approval`)).status).toBe(403)
    const stranger = await signedIn('guard-stranger@example.com')
    expect((await stranger.b.get(`/o/${slug}/requests`)).status).toBe(404)
    expect((await stranger.b.post(`/o/${slug}/requests/${request!.id}/approval`)).status).toBe(404)
    expect(await roleOf(org.id, member.user.id)).toBe('member')
    expect((await requestsOf(org.id))[0]!.status).toBe('pending')
  })

  it('answers another org’s request id with 404 and leaves it alone', async () => {
    const one = await orgWithMember('iso1')
    const two = await orgWithMember('iso2')
    await two.member.b.post(`/o/${two.slug}/admin-rights-requests`)
    const [theirs] = await requestsOf(two.org.id)
    expect((await one.admin.b.post(`/o/${one.slug}/requests/${theirs!.id}/approval`)).status).toBe(404)
    expect((await one.admin.b.post(`/o/${one.slug}/requests/${theirs!.id}/decline`, {})).status).toBe(404)
    expect((await requestsOf(two.org.id))[0]!.status).toBe('pending')
    expect(await roleOf(two.org.id, two.member.user.id)).toBe('member')
  })

  it('closes the request of someone who left before the decision, making no one administrator', async () => {
    const { admin, member, org, slug } = await orgWithMember('left')
    await member.b.post(`/o/${slug}/admin-rights-requests`)
    const [request] = await requestsOf(org.id)
    await member.b.post(`/o/${slug}/membership/removal`)
    const res = await admin.b.post(`/o/${slug}/requests/${request!.id}/approval`)
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('They are no longer a member; the request is closed.')
    expect((await requestsOf(org.id))[0]!.status).toBe('dismissed')
    expect(await roleOf(org.id, member.user.id)).toBeUndefined()
  })

  it('lists a claim by licence number, which an administrator marks as seen', async () => {
    const { admin, org, slug } = await orgWithMember('claimed')
    await admin.b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })
    const licence = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!.number
    const claimer = await signedIn('claimed-newcomer@example.com')
    expect((await claimer.b.post('/orgs/claims', { country: 'PL', taxId: org.taxId!, licence, statement: 'on' })).status).toBe(303)
    const inbox = textOf(await (await admin.b.get(`/o/${slug}/requests`)).text())
    expect(inbox).toContain(`claimed-newcomer <claimed-newcomer@example.com> joined as a member with licence number ${licence}`)
    const [item] = (await requestsOf(org.id)).filter((r) => r.kind === 'member_claimed')
    const res = await admin.b.post(`/o/${slug}/requests/${item!.id}/dismissal`)
    expect(res.status).toBe(303)
    expect(textOf(await (await admin.b.follow(res)).text())).toContain('Marked as seen.')
    expect((await requestsOf(org.id)).find((r) => r.id === item!.id)!.status).toBe('dismissed')
    expect(await roleOf(org.id, claimer.user.id)).toBe('member')
  })
})
