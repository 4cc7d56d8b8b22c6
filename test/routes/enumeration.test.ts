// What the panel tells about other people's accounts and companies, and how often (issue 15):
// "add member" answers known and unknown addresses differently and mails whoever it adds, and the
// first step of adding a company names the company that has a tax id. Both are throttled, and the
// names an attacker types reach other people's mailboxes as plain text only.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { memberships, outbox } from '../../src/db/schema'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, nextNip, PASSWORD, signedIn } from '../helpers/users'
import { openedAll } from '../helpers/mail'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
const HOUR = 60 * 60_000

const isMember = async (orgId: string, userId: string) => !!(await t.db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).get())
const mailsTo = async (email: string) => await t.db.select().from(outbox).where(eq(outbox.to, email))
const addMember = (b: Browser, slug: string, email: string) => b.post(`/o/${slug}/members`, { email })

describe('adding people to an org is throttled per administrator and per org', () => {
  it('20 attempts an hour, known addresses or not; the 21st is refused with 429 before anything is read — nobody is added or mailed — until the hour is over', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'adder@example.com')
    const known = await Promise.all([1, 2, 3, 4, 5].map((i) => createUser(t.deps, { email: `known${i}@example.com` })))
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) statuses.push((await addMember(b, slug, i < 5 ? known[i]!.email : `unknown${i}@example.com`)).status)
    expect(statuses).toEqual([...Array(5).fill(303), ...Array(15).fill(404)])

    const late = await createUser(t.deps, { email: 'late@example.com' })
    const refused = await addMember(b, slug, late.email)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(textOf(await refused.text())).not.toContain('late@example.com')
    expect(await isMember(org.id, late.id)).toBe(false)
    expect(await mailsTo(late.email)).toEqual([])
    // An unknown address gets the same refusal: the answer no longer tells them apart.
    expect((await addMember(b, slug, 'still-unknown@example.com')).status).toBe(429)

    t.clock.advance(HOUR)
    expect((await addMember(b, slug, late.email)).status).toBe(303)
    expect(await isMember(org.id, late.id)).toBe(true)
  })

  it('the limit is per administrator across orgs, and per org across administrators', async () => {
    const a = await adminWithOrg(t, 'admin-a@example.com')
    const bUser = await signedIn(t, 'admin-b@example.com')
    expect((await addMember(a.b, a.slug, bUser.user.email)).status).toBe(303)
    expect((await a.b.post(`/o/${a.slug}/members/${bUser.user.id}/role`, { role: 'admin' })).status).toBe(303)
    for (let i = 0; i < 19; i++) expect((await addMember(a.b, a.slug, `nobody-a${i}@example.com`)).status).toBe(404)

    // A's own other org: A has used 20.
    const other = await a.b.post('/orgs', { name: 'A Two', country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: 'admin-a@example.com' })
    const otherSlug = other.headers.get('Location')!.replace('/o/', '')
    expect((await addMember(a.b, otherSlug, 'nobody-a-two@example.com')).status).toBe(429)
    // B in A's first org: the org has used 20.
    expect((await addMember(bUser.b, a.slug, 'nobody-b@example.com')).status).toBe(429)
    // B in an org of B's own: neither limit is reached.
    const bOrg = await bUser.b.post('/orgs', { name: 'B Org', country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: 'admin-b@example.com' })
    expect((await addMember(bUser.b, bOrg.headers.get('Location')!.replace('/o/', ''), 'nobody-b2@example.com')).status).toBe(404)
  })

  it('invitations count against the same limits (each one mails an address nobody proved)', async () => {
    const { b, slug } = await adminWithOrg(t, 'inviter@example.com')
    for (let i = 0; i < 20; i++) expect((await b.post(`/o/${slug}/invitations`, { email: `invitee${i}@example.com` })).status).toBe(303)
    expect((await b.post(`/o/${slug}/invitations`, { email: 'invitee-late@example.com' })).status).toBe(429)
    expect(await mailsTo('invitee-late@example.com')).toEqual([])
    expect((await addMember(b, slug, 'someone@example.com')).status).toBe(429)
  })
})

describe('names in membership mail are plain text only', () => {
  it('an org named like a formula with a link, added by someone named like a web address: the mail shows both, and links only to the panel', async () => {
    const orgName = '=HYPERLINK("http://evil.example/x","Click")'
    const adminName = 'Support www.evil.example'
    const admin = await createUser(t.deps, { email: 'formula-admin@example.com', name: adminName })
    const b = t.browser()
    await b.post('/login', { email: admin.email, password: PASSWORD })
    const created = await b.post('/orgs', { name: orgName, country: 'PL', legalForm: 'person', taxId: '', addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: admin.email })
    expect(created.status).toBe(303)
    const slug = created.headers.get('Location')!.replace('/o/', '')
    const victim = await createUser(t.deps, { email: 'victim@example.com' })
    expect((await addMember(b, slug, victim.email)).status).toBe(303)
    expect((await b.post(`/o/${slug}/invitations`, { email: 'stranger@example.com' })).status).toBe(303)

    // The invitation carries a secret, so it is stored sealed (src/mail/sealed.ts): opened as the mail job opens it.
    for (const mail of await openedAll(t, [...(await mailsTo(victim.email)), ...(await mailsTo('stranger@example.com'))])) {
      // What a reader sees: the names as typed.
      const seen = textOf(mail.html).replace(/\u200B/g, '')
      expect(seen).toContain(`${adminName} `)
      expect(seen).toContain(orgName)
      // What a link detector sees in the body: no host, no scheme, nothing to turn into a link.
      // (The subject stays as typed — mail clients show subject lines as plain text — and so does
      // the HTML part's <title>, which repeats it and is not displayed.)
      expect(mail.subject).toContain(orgName)
      const body = mail.html.replace(/<title>[^<]*<\/title>/, '')
      for (const part of [body, mail.text]) {
        expect(part).not.toContain('evil.example')
        expect(part).not.toContain('http://evil')
        expect(part).not.toContain('{org}')
      }
      // Links, and link labels, are the panel's own.
      const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!)
      expect(hrefs.length).toBeGreaterThan(0)
      for (const href of hrefs) expect(href.startsWith(`${t.config.baseUrl}/`)).toBe(true)
      for (const label of [...mail.html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]!)) expect(label).not.toContain('HYPERLINK')
    }
  })
})

describe('the first step of adding a company names one only within the claim throttle', () => {
  const companies = async (n: number) => Promise.all(Array.from({ length: n }, (_, i) => adminWithOrg(t, `company-${generated++}-${i}@example.com`)))
  let generated = 0

  it('5 companies named an hour per user; then 429 for any tax id, a customer’s or not, until the hour is over; tax ids nobody has count nothing', async () => {
    const known = await companies(6)
    const { b } = await signedIn(t, 'prober@example.com')
    for (let i = 0; i < 10; i++) {
      const res = await b.post('/orgs/new', { country: 'PL', taxId: nextNip() })
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('action="/orgs"')
    }
    for (const c of known.slice(0, 5)) {
      const res = await b.post('/orgs/new', { country: 'PL', taxId: c.org.taxId! })
      expect(res.status).toBe(200)
      expect(textOf(await res.text())).toContain(`${c.org.name} already uses this panel.`)
    }
    const refused = await b.post('/orgs/new', { country: 'PL', taxId: known[5]!.org.taxId! })
    expect(refused.status).toBe(429)
    expect(textOf(await refused.text())).not.toContain(known[5]!.org.name)
    expect((await b.post('/orgs/new', { country: 'PL', taxId: nextNip() })).status).toBe(429)

    t.clock.advance(HOUR)
    expect(textOf(await (await b.post('/orgs/new', { country: 'PL', taxId: known[5]!.org.taxId! })).text())).toContain(`${known[5]!.org.name} already uses this panel.`)
  })

  it('5 an hour per tax id, whoever asks', async () => {
    const [target] = await companies(1)
    for (let i = 0; i < 5; i++) {
      const { b } = await signedIn(t, `asker-${i}@example.com`)
      expect((await b.post('/orgs/new', { country: 'PL', taxId: target!.org.taxId! })).status).toBe(200)
    }
    const { b } = await signedIn(t, 'asker-last@example.com')
    expect((await b.post('/orgs/new', { country: 'PL', taxId: target!.org.taxId! })).status).toBe(429)
  })

  it('the claim form shown again with its errors, the full company form and editing an org’s tax id name a company within the same limit', async () => {
    const known = await companies(4)
    const { b } = await signedIn(t, 'sideways@example.com')
    // The claim form without the statement: shown again, naming the company (1).
    const claim = await b.post('/orgs/claims', { country: 'PL', taxId: known[0]!.org.taxId!, licence: 'KT-0000-0000-0000' })
    expect(claim.status).toBe(422)
    expect(textOf(await claim.text())).toContain(known[0]!.org.name)
    // The full company form with a customer's tax id: the claim is offered (2).
    const company = { name: 'Copycat', country: 'PL', legalForm: 'company', addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: 'sideways@example.com' }
    const full = await b.post('/orgs', { ...company, taxId: known[1]!.org.taxId! })
    expect(full.status).toBe(409)
    expect(textOf(await full.text())).toContain(known[1]!.org.name)
    // An org of one's own given another's tax id: "taken" (3).
    const own = await b.post('/orgs', { ...company, name: 'Sideways Own', taxId: nextNip() })
    const slug = own.headers.get('Location')!.replace('/o/', '')
    const taken = await b.post(`/o/${slug}/settings/company`, { ...company, taxId: known[2]!.org.taxId! })
    expect(taken.status).toBe(409)
    // A claim with a wrong licence number (4) and the first step (5).
    expect((await b.post('/orgs/claims', { country: 'PL', taxId: known[3]!.org.taxId!, licence: 'KT-0000-0000-0000', statement: 'on' })).status).toBe(422)
    expect((await b.post('/orgs/new', { country: 'PL', taxId: known[3]!.org.taxId! })).status).toBe(200)
    // The limit is reached: each way in is refused without naming anything.
    for (const res of [
      await b.post('/orgs/claims', { country: 'PL', taxId: known[0]!.org.taxId!, licence: 'KT-0000-0000-0000' }),
      await b.post('/orgs', { ...company, taxId: known[1]!.org.taxId! }),
      await b.post(`/o/${slug}/settings/company`, { ...company, taxId: known[2]!.org.taxId! }),
      await b.post('/orgs', { ...company, name: 'Brand New', taxId: nextNip() }),
    ]) {
      expect(res.status).toBe(429)
      const text = textOf(await res.text())
      for (const c of known) expect(text).not.toContain(c.org.name)
    }
  })
})
