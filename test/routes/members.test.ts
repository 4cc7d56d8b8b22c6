import { describe, expect, it } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import { history, invitations, memberships, orgs, outbox, users, variants } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { testApp, textOf } from '../helpers/app'
import { linkIn, nextNip, PASSWORD, signedIn as signIn } from '../helpers/users'
import { opened } from '../helpers/mail'

const t = await testApp()
await t.seedCatalog()
let n = 0

const signedIn = (email: string) => signIn(t, email)

async function orgOf(b: ReturnType<typeof t.browser>) {
  const res = await b.post('/orgs', {
    name: `Firma ${n++}`,
    country: 'PL',
    legalForm: 'company',
    taxId: nextNip(),
    addressLine: 'ul. Długa 1',
    postalCode: '00-001',
    city: 'Warszawa',
    billingEmail: 'billing@example.com',
  })
  expect(res.status).toBe(303)
  const slug = res.headers.get('Location')!.replace('/o/', '')
  return (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
}

const roleOf = async (orgId: string, userId: string) =>
  (await t.db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).get())?.role

describe('adding a member by e-mail', () => {
  it('gives an existing, activated account access at once, mails them, and records it', async () => {
    const admin = await signedIn('admin1@example.com')
    const org = await orgOf(admin.b)
    const colleague = await signedIn('colleague1@example.com')
    const res = await admin.b.post(`/o/${org.slug}/members`, { email: 'Colleague1@Example.com' })
    expect(res.status).toBe(303)
    expect(textOf(await (await admin.b.follow(res)).text())).toContain('colleague1 has been added.')
    expect(await roleOf(org.id, colleague.user.id)).toBe('member')
    expect((await colleague.b.get(`/o/${org.slug}`)).status).toBe(200)
    const mail = await t.db.select().from(outbox).where(eq(outbox.to, 'colleague1@example.com')).get()
    expect(mail).toMatchObject({ template: 'member.added' })
    expect(mail!.text).toContain(`/o/${org.slug}`)
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds).toEqual(['org.created', 'member.added'])
  })

  it('says when the person is already a member (409) and changes nothing', async () => {
    const admin = await signedIn('admin2@example.com')
    const org = await orgOf(admin.b)
    const res = await admin.b.post(`/o/${org.slug}/members`, { email: 'admin2@example.com' })
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('already a member')
    expect((await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)).toEqual(['org.created'])
  })

  it('without an account: says so, offers an invitation, and the invitee joins at the first sign-in after registering', async () => {
    const admin = await signedIn('admin3@example.com')
    const org = await orgOf(admin.b)
    const res = await admin.b.post(`/o/${org.slug}/members`, { email: 'newbie@example.com' })
    expect(res.status).toBe(404)
    const html = await res.text()
    expect(textOf(html)).toContain('There is no active Kontor account for newbie@example.com')
    expect(await t.db.select().from(invitations)).toHaveLength(0)

    const sent = await admin.b.post(`/o/${org.slug}/invitations`, { email: 'newbie@example.com' })
    expect(sent.status).toBe(303)
    const invite = await opened(t, await t.db.select().from(outbox).where(and(eq(outbox.to, 'newbie@example.com'), eq(outbox.template, 'member.invitation'))).get())
    const registerLink = linkIn(invite!.text, '/register')
    expect(registerLink).toBe('/register')
    expect(invite!.text).toContain('/register?email=newbie%40example.com')

    const newbie = t.browser()
    expect(await (await newbie.get('/register?email=newbie%40example.com')).text()).toContain('value="newbie@example.com"')
    await newbie.post('/register', { name: 'Newbie', email: 'newbie@example.com', password: 'pierogi z jagodami', language: 'pl', terms: 'on', privacy: 'on' })
    const activation = await opened(t, await t.db.select().from(outbox).where(and(eq(outbox.to, 'newbie@example.com'), eq(outbox.template, 'account.activation'))).get())
    await newbie.post(linkIn(activation!.text, '/activate/'))
    await newbie.post('/login', { email: 'newbie@example.com', password: 'pierogi z jagodami' })
    const user = await t.db.select().from(users).where(eq(users.email, 'newbie@example.com')).get()
    expect(await roleOf(org.id, user!.id)).toBe('member')
    expect((await newbie.get('/')).headers.get('Location')).toBe(`/o/${org.slug}`)
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds).toEqual(['org.created', 'member.invited', 'member.joined'])
  })

  it('refuses a malformed e-mail with 422', async () => {
    const admin = await signedIn('admin4@example.com')
    const org = await orgOf(admin.b)
    expect((await admin.b.post(`/o/${org.slug}/members`, { email: 'nope' })).status).toBe(422)
  })
})

describe('roles and the last administrator', () => {
  it('an admin can promote and demote; the last admin can’t be demoted, removed or leave', async () => {
    const admin = await signedIn('admin5@example.com')
    const org = await orgOf(admin.b)
    const other = await signedIn('other5@example.com')
    await admin.b.post(`/o/${org.slug}/members`, { email: 'other5@example.com' })

    for (const [path, form] of [
      [`/o/${org.slug}/members/${admin.user.id}/role`, { role: 'member' }],
      [`/o/${org.slug}/members/${admin.user.id}/removal`, {}],
      [`/o/${org.slug}/membership/removal`, {}],
    ] as const) {
      const res = await admin.b.post(path, form)
      expect(res.status).toBe(409)
      expect(textOf(await res.text())).toContain('The last administrator can’t leave')
      expect(await roleOf(org.id, admin.user.id)).toBe('admin')
    }

    expect((await admin.b.post(`/o/${org.slug}/members/${other.user.id}/role`, { role: 'admin' })).status).toBe(303)
    expect(await roleOf(org.id, other.user.id)).toBe('admin')
    // Now there are two admins: the first may step down.
    const down = await admin.b.post(`/o/${org.slug}/members/${admin.user.id}/role`, { role: 'member' })
    expect(down.headers.get('Location')).toBe(`/o/${org.slug}`)
    expect(await roleOf(org.id, admin.user.id)).toBe('member')
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds).toEqual(['org.created', 'member.added', 'member.role_changed', 'member.role_changed'])
  })

  it('two admins demoting each other at the same moment: exactly one succeeds', async () => {
    const a = await signedIn('race-a@example.com')
    const org = await orgOf(a.b)
    const b = await signedIn('race-b@example.com')
    await a.b.post(`/o/${org.slug}/members`, { email: 'race-b@example.com' })
    await a.b.post(`/o/${org.slug}/members/${b.user.id}/role`, { role: 'admin' })
    const results = await Promise.all([
      a.b.post(`/o/${org.slug}/members/${b.user.id}/role`, { role: 'member' }),
      b.b.post(`/o/${org.slug}/members/${a.user.id}/role`, { role: 'member' }),
    ])
    const admins = (await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).filter((m) => m.role === 'admin')
    expect(admins).toHaveLength(1)
    expect(results.map((r) => r.status).sort()).toEqual([303, expect.any(Number)])
  })

  it('a member can leave; removing a member takes their access away', async () => {
    const admin = await signedIn('admin6@example.com')
    const org = await orgOf(admin.b)
    const leaver = await signedIn('leaver6@example.com')
    const removed = await signedIn('removed6@example.com')
    await admin.b.post(`/o/${org.slug}/members`, { email: 'leaver6@example.com' })
    await admin.b.post(`/o/${org.slug}/members`, { email: 'removed6@example.com' })
    expect((await leaver.b.post(`/o/${org.slug}/membership/removal`)).headers.get('Location')).toBe('/orgs')
    expect(await roleOf(org.id, leaver.user.id)).toBeUndefined()
    expect((await admin.b.post(`/o/${org.slug}/members/${removed.user.id}/removal`)).status).toBe(303)
    expect((await removed.b.get(`/o/${org.slug}`)).status).toBe(404)
  })

  it('asks before removing a member: Remove opens a question naming them and the org, whose own button posts the removal (no script needed)', async () => {
    const admin = await signedIn('admin-confirm@example.com')
    const org = await orgOf(admin.b)
    const member = await signedIn('member-confirm@example.com')
    await admin.b.post(`/o/${org.slug}/members`, { email: 'member-confirm@example.com' })
    const html = await (await admin.b.get(`/o/${org.slug}/settings/users`)).text()
    const action = `/o/${org.slug}/members/${member.user.id}/removal`
    // The first "Remove" is a <details> summary, which submits nothing; the form sits inside it.
    const confirm = /<details class="confirm"><summary class="btn btn-danger btn-compact">Remove<\/summary><div>(.*?)<\/div><\/details>/s.exec(html)
    expect(confirm, 'a confirmation around the removal').not.toBeNull()
    expect(textOf(confirm![1]!)).toBe(`Remove member-confirm from ${org.name}? They lose access to its products at once. Remove member-confirm`)
    expect(confirm![1]).toContain(`<form method="post" action="${action}"><button type="submit" class="btn btn-danger btn-compact">Remove member-confirm</button></form>`)
    expect(html.split(`action="${action}"`)).toHaveLength(2)
    // The button inside is an ordinary same-origin POST: a cross-site one is refused and changes nothing.
    expect((await admin.b.post(action, {}, { Origin: 'https://evil.example' })).status).toBe(403)
    expect(await roleOf(org.id, member.user.id)).toBe('member')
    expect((await admin.b.post(action)).status).toBe(303)
    expect(await roleOf(org.id, member.user.id)).toBeUndefined()
  })

  it('every members action is refused to a plain member with 403, and nothing changes', async () => {
    const admin = await signedIn('admin7@example.com')
    const org = await orgOf(admin.b)
    const member = await signedIn('member7@example.com')
    await admin.b.post(`/o/${org.slug}/members`, { email: 'member7@example.com' })
    const before = JSON.stringify(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id)))
    const attempts: [string, Record<string, string>][] = [
      [`/o/${org.slug}/members`, { email: 'admin1@example.com' }],
      [`/o/${org.slug}/invitations`, { email: 'x@example.com' }],
      [`/o/${org.slug}/members/${member.user.id}/role`, { role: 'admin' }],
      [`/o/${org.slug}/members/${admin.user.id}/removal`, {}],
    ]
    for (const [path, form] of attempts) expect((await member.b.post(path, form)).status, path).toBe(403)
    expect((await member.b.get(`/o/${org.slug}/settings/users`)).status).toBe(403)
    expect(JSON.stringify(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id)))).toBe(before)
  })

  it('another org’s members pages answer 404 to an outsider, and a member id of another org is a 404 too', async () => {
    const admin = await signedIn('admin8@example.com')
    const org = await orgOf(admin.b)
    const outsider = await signedIn('outsider8@example.com')
    const otherOrg = await orgOf(outsider.b)
    expect((await outsider.b.get(`/o/${org.slug}/settings/users`)).status).toBe(404)
    expect((await outsider.b.post(`/o/${org.slug}/members`, { email: 'outsider8@example.com' })).status).toBe(404)
    // The outsider administers their own org, but the admin of the first org is not in it.
    expect((await outsider.b.post(`/o/${otherOrg.slug}/members/${admin.user.id}/removal`)).status).toBe(404)
    expect(await roleOf(org.id, admin.user.id)).toBe('admin')
  })
})

describe('closing an account', () => {
  it('is refused to the last administrator of an org with other members, and allowed once someone else is admin', async () => {
    const admin = await signedIn('closer@example.com')
    const org = await orgOf(admin.b)
    const other = await signedIn('stays@example.com')
    await admin.b.post(`/o/${org.slug}/members`, { email: 'stays@example.com' })
    const refused = await admin.b.post('/account/closure', { password: PASSWORD })
    expect(refused.status).toBe(409)
    expect(textOf(await refused.text())).toContain(`You are the last administrator of ${org.name}`)
    expect(await t.db.select().from(users).where(eq(users.id, admin.user.id)).get()).toBeTruthy()
    await admin.b.post(`/o/${org.slug}/members/${other.user.id}/role`, { role: 'admin' })
    expect((await admin.b.post('/account/closure', { password: PASSWORD })).status).toBe(303)
    expect(await roleOf(org.id, admin.user.id)).toBeUndefined()
  })
})

describe('seats', () => {
  it('adding a member beyond the plan’s seats is refused with the plan, the limit and a link to the plans', async () => {
    const admin = await signedIn('seats-admin@example.com')
    const org = await orgOf(admin.b)
    await signedIn('seats-extra@example.com')
    // Without a plan there is no seat limit yet; Sekretariat Green allows 3 users.
    expect((await admin.b.post(`/o/${org.slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
    for (const email of ['seats-second@example.com', 'seats-third@example.com']) {
      await signedIn(email)
      expect((await admin.b.post(`/o/${org.slug}/members`, { email })).status).toBe(303)
    }
    const res = await admin.b.post(`/o/${org.slug}/members`, { email: 'seats-extra@example.com' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(textOf(html)).toContain('The Green plan of Sekretariat allows 3 users (administrators included) and you have 3.')
    expect(html).toContain(`<a href="/buy/sekretariat/plans">See the plans</a>`)
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toHaveLength(3)
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'seats-extra@example.com'))).toHaveLength(0)
    // The biggest plan of the org counts: Certyfikaty's free plan allows 5.
    expect((await admin.b.post(`/o/${org.slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
    expect((await admin.b.post(`/o/${org.slug}/members`, { email: 'seats-extra@example.com' })).status).toBe(303)
  })
})

describe('product permissions', () => {
  it('a member sees only the products an admin shared; admins see all; changes are in the history', async () => {
    const admin = await signedIn('perm-admin@example.com')
    const org = await orgOf(admin.b)
    await admin.b.post(`/o/${org.slug}/subscriptions`, { product: 'sekretariat' })
    await admin.b.post(`/o/${org.slug}/subscriptions`, { product: 'certyfikaty' })
    const member = await signedIn('perm-member@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    const dashboard = async () => textOf(await (await member.b.get(`/o/${org.slug}`)).text())
    expect(await dashboard()).toContain('No product has been shared with you yet.')
    const res = await admin.b.send(`/o/${org.slug}/members/${member.user.id}/permissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body: 'product=certyfikaty',
    })
    expect(res.status).toBe(303)
    const text = await dashboard()
    expect(text).toContain('Certyfikaty')
    expect(text).not.toContain('Sekretariat')
    expect(textOf(await (await admin.b.get(`/o/${org.slug}`)).text())).toContain('Sekretariat')
    const [last] = await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(desc(history.id)).limit(1)
    expect(last).toMatchObject({ kind: 'member.permissions_changed', details: { products: ['certyfikaty'] } })
  })

  it('refuses a product the org does not have (422), and permissions for another org’s member (404)', async () => {
    const admin = await signedIn('perm-admin2@example.com')
    const org = await orgOf(admin.b)
    const member = await signedIn('perm-member2@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    expect((await admin.b.post(`/o/${org.slug}/members/${member.user.id}/permissions`, { product: 'simplysign' })).status).toBe(422)
    const stranger = await signedIn('perm-stranger@example.com')
    expect((await admin.b.post(`/o/${org.slug}/members/${stranger.user.id}/permissions`, { product: 'sekretariat' })).status).toBe(404)
    expect((await member.b.post(`/o/${org.slug}/members/${member.user.id}/permissions`, { product: 'sekretariat' })).status).toBe(403)
  })

  it('offers a virtual product once the org holds units of it in its warehouse', async () => {
    const admin = await signedIn('perm-admin3@example.com')
    const org = await orgOf(admin.b)
    const member = await signedIn('perm-member3@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    const signature = (await t.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
    await addStock(t.db, org.id, signature.id, 2)
    expect(textOf(await (await admin.b.get(`/o/${org.slug}/settings/users`)).text())).toContain('SimplySign')
    expect((await admin.b.post(`/o/${org.slug}/members/${member.user.id}/permissions`, { product: 'simplysign' })).status).toBe(303)
    const [last] = await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(desc(history.id)).limit(1)
    expect(last).toMatchObject({ kind: 'member.permissions_changed', details: { products: ['simplysign'] } })
  })
})
