// Adding a company by its tax id, and getting a company back with a licence number (SPEC §3).
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, licences, memberPermissions, memberships, orgRequests, orgs, outbox } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { nextNip, signedIn as signIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const signedIn = (email: string, language: 'en' | 'pl' | 'it' = 'en') => signIn(t, email, { language })

/** An org with an active free Sekretariat (so it has a licence number), and its administrator. */
async function companyWithLicence(adminEmail: string, language: 'en' | 'pl' = 'en') {
  const admin = await signedIn(adminEmail, language)
  const taxId = nextNip()
  const res = await admin.b.post('/orgs', { name: `Company of ${adminEmail}`, country: 'PL', legalForm: 'company', taxId, addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: adminEmail })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  await admin.b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
  const licence = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!
  return { admin, org, slug, taxId, licence: licence.number }
}

const writes = async (orgId: string) => [
  (await t.db.select().from(memberships).where(eq(memberships.orgId, orgId))).length,
  (await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, orgId))).length,
  (await t.db.select().from(history).where(eq(history.orgId, orgId))).length,
]

describe('adding a company starts from the tax id', () => {
  it('a tax id no live org has leads to the company form, prefilled', async () => {
    const { b } = await signedIn('new1@example.com')
    expect(textOf(await (await b.get('/orgs/new')).text())).toContain('Start with the tax id.')
    const res = await b.post('/orgs/new', { country: 'PL', taxId: '526 025 09 95' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('action="/orgs"')
    expect(html).toContain('name="taxId" type="text" value="526-025-09-95"')
    expect(html).toContain('value="new1@example.com"')
  })

  it('a malformed tax id is refused with 422 next to the field; a private person skips the step', async () => {
    const { b } = await signedIn('new2@example.com')
    const res = await b.post('/orgs/new', { country: 'PL', taxId: '526-025-09-96' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('id="f-taxId-error"')
    const person = await (await b.get('/orgs/new/details?legalForm=person')).text()
    expect(person).toMatch(/<option value="person" selected="">/)
  })

  it('a tax id a live org has leads to the claim form, naming the company', async () => {
    const { org, taxId } = await companyWithLicence('owner1@example.com')
    const { b } = await signedIn('claimer1@example.com')
    const res = await b.post('/orgs/new', { country: 'PL', taxId })
    expect(res.status).toBe(200)
    const page = textOf(await res.text())
    expect(page).toContain(`${org.name} already uses this panel.`)
    expect(page).toContain(`I declare that I am authorised to act on behalf of ${org.name}.`)
  })
})

describe('claiming a company with a licence number', () => {
  it('joins as a member without product rights; the admins get an inbox item and an e-mail in their language; the history records it', async () => {
    const { org, slug, taxId, licence } = await companyWithLicence('owner2@example.com', 'pl')
    const { user, b } = await signedIn('claimer2@example.com')
    // Typed loosely: lower case, spaces, O for 0 — the licence number is read forgivingly.
    const typed = licence.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o')
    const res = await b.post('/orgs/claims', { country: 'PL', taxId, licence: typed, statement: 'on' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/o/${slug}`)
    expect(textOf(await (await b.follow(res)).text())).toContain(`You have joined ${org.name} as a member.`)

    const membership = await t.db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id))).get()
    expect(membership!.role).toBe('member')
    expect(await t.db.select().from(memberPermissions).where(eq(memberPermissions.userId, user.id))).toEqual([])
    const [item] = await t.db.select().from(orgRequests).where(eq(orgRequests.orgId, org.id))
    expect(item).toMatchObject({ kind: 'member_claimed', userId: user.id, status: 'pending' })
    expect(item!.details).toMatchObject({ email: 'claimer2@example.com', licence, statementVersion: '2026-11', statementAcceptedAt: '2026-11-20T10:00:00.000Z' })
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'member.claimed')))
    expect(entry!.actorId).toBe(user.id)
    const [mail] = await t.db.select().from(outbox).where(and(eq(outbox.to, 'owner2@example.com'), eq(outbox.template, 'member.claimed')))
    expect(mail).toMatchObject({ language: 'pl', subject: `Ktoś dołączył do ${org.name} z numerem licencji` })
    expect(mail!.text).toContain(`${t.config.baseUrl}/o/${slug}/settings/users`)
  })

  it('a wrong licence number, or another company’s, gets the same answer and writes nothing', async () => {
    const { org, taxId } = await companyWithLicence('owner3@example.com')
    const other = await companyWithLicence('owner3b@example.com')
    const { b } = await signedIn('claimer3@example.com')
    const before = await writes(org.id)
    const answers: string[] = []
    for (const licence of ['KT-0000-0000-0000', other.licence]) {
      const res = await b.post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' })
      expect(res.status).toBe(422)
      const text = textOf(await res.text())
      expect(text).toContain('The tax id and licence number do not match.')
      answers.push(text.replace(licence, '…'))
    }
    expect(answers[0]).toBe(answers[1])
    expect(await writes(org.id)).toEqual(before)
  })

  it('needs the statement and a well-formed licence number (422, nothing written)', async () => {
    const { org, taxId, licence } = await companyWithLicence('owner4@example.com')
    const { b } = await signedIn('claimer4@example.com')
    const before = await writes(org.id)
    const noStatement = await b.post('/orgs/claims', { country: 'PL', taxId, licence })
    expect(noStatement.status).toBe(422)
    expect(textOf(await noStatement.text())).toContain('Confirm the statement to continue.')
    const bad = await b.post('/orgs/claims', { country: 'PL', taxId, licence: 'KT-12', statement: 'on' })
    expect(bad.status).toBe(422)
    expect(textOf(await bad.text())).toContain('Enter a licence number such as KT-7QF3-9XMA-2B4K.')
    expect(await writes(org.id)).toEqual(before)
  })

  it('allows 5 attempts an hour per user, then answers 429 with the wait', async () => {
    const { taxId } = await companyWithLicence('owner5@example.com')
    const { b } = await signedIn('guesser5@example.com')
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await b.post('/orgs/claims', { country: 'PL', taxId, licence: `KT-0000-0000-000${i}`, statement: 'on' })).status)
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429])
    // Another tax id does not help within the hour: the limit is per user too.
    const other = await companyWithLicence('owner5b@example.com')
    const res = await b.post('/orgs/claims', { country: 'PL', taxId: other.taxId, licence: other.licence, statement: 'on' })
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBeTruthy()
  })

  it('allows 5 attempts an hour per tax id, from whoever tries', async () => {
    const { taxId, licence } = await companyWithLicence('owner6@example.com')
    for (let i = 0; i < 5; i++) {
      const { b } = await signedIn(`spread6-${i}@example.com`)
      expect((await b.post('/orgs/claims', { country: 'PL', taxId, licence: 'KT-0000-0000-0000', statement: 'on' })).status).toBe(422)
    }
    const { b } = await signedIn('spread6-last@example.com')
    expect((await b.post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' })).status).toBe(429)
    t.clock.advance(60 * 60_000)
    expect((await b.post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' })).status).toBe(303)
  })

  it('a member claiming again is told so, and nothing is added', async () => {
    const { org, taxId, licence, admin } = await companyWithLicence('owner7@example.com')
    const before = await writes(org.id)
    const res = await admin.b.post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' })
    expect(res.status).toBe(303)
    expect(textOf(await (await admin.b.follow(res)).text())).toContain(`You are already a member of ${org.name}.`)
    expect(await writes(org.id)).toEqual(before)
  })

  it('is refused to a signed-out visitor and to a cross-site form', async () => {
    const { org, taxId, licence } = await companyWithLicence('owner8@example.com')
    expect((await t.browser().post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' })).headers.get('Location')).toBe('/login')
    const { b } = await signedIn('claimer8@example.com')
    const before = await writes(org.id)
    const res = await b.post('/orgs/claims', { country: 'PL', taxId, licence, statement: 'on' }, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(await writes(org.id)).toEqual(before)
  })
})
