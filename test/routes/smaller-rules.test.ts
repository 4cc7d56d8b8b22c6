// Issue 16, rule 11, the smaller ones: the account page's times in the user's zone like the org pages;
// the sole administrator is not offered "Leave this organization"; members an administrator added
// are not told their rights are limited; the e-code list tells about open mistake reports (seed 000);
// a bare /r/ is the styled "enter a code" page.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { licences, plans } from '../../src/db/schema'
import { grantPlan } from '../../src/services/grants'
import type { User } from '../../src/auth/session'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg, IT_VAT } from '../helpers/orgs'
import { issueCodes } from '../helpers/ecodes'
import { createUser, PASSWORD, signedIn } from '../helpers/users'

const IP = 'x-test-ip'
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { clientIpHeader: IP } })
await t.seedCatalog()
const operator = (await createUser(t.deps, { email: 'grants@example.com', operator: true })) as unknown as User

const LIMITED = 'Your rights in'

describe('Smaller rules (issue 16, rule 11)', () => {
  it('shows the account page’s times in the zone of the user’s organizations, as their pages do, and says which', async () => {
    // Signed in at 10:00 UTC: 11:00 in Warsaw, 11:00 in Rome too — so an Italian org in summer time tells them apart.
    t.clock.set('2026-07-01T10:00:00Z')
    try {
      const rome = await adminWithOrg(t, 'zone-rome@example.com', { country: 'IT', taxId: IT_VAT, einvoiceId: 'M5UXCR1' })
      const account = textOf(await (await rome.b.get('/account')).text())
      expect(account).toContain('Signed in 1 Jul 2026, 12:00')
      expect(account).toContain('Times are in Europe/Rome')
      // Without any organization: the zone of the language's country (Polish → Warsaw).
      const { b } = await signedIn(t, 'zone-none@example.com', { language: 'pl' })
      expect(textOf(await (await b.get('/account')).text())).toContain('Europe/Warsaw')
    } finally {
      t.clock.set('2026-11-20T10:00:00Z')
    }
  })

  it('does not offer the sole administrator "Leave this organization", and says why; with a second administrator it does', async () => {
    const admin = await adminWithOrg(t, 'sole-admin@example.com')
    const users = await (await admin.b.get(`/o/${admin.slug}/settings/users`)).text()
    expect(users).not.toContain(`action="/o/${admin.slug}/membership/removal"`)
    expect(textOf(users)).toContain('You are the only administrator: make someone else an administrator before you can leave.')
    const second = await createUser(t.deps, { email: 'second-admin@example.com' })
    await admin.b.post(`/o/${admin.slug}/members`, { email: second.email })
    await admin.b.post(`/o/${admin.slug}/members/${second.id}/role`, { role: 'admin' })
    const now = await (await admin.b.get(`/o/${admin.slug}/settings/users`)).text()
    expect(now).toContain(`action="/o/${admin.slug}/membership/removal"`)
    expect(textOf(now)).not.toContain('You are the only administrator')
  })

  it('does not tell a member an administrator added that their rights are limited; one who joined by a licence number is told', async () => {
    const admin = await adminWithOrg(t, 'adds-members@example.com')
    // A paid plan with room for the three of them, and a licence number to claim the company with.
    const gold = (await t.db.select().from(plans).where(eq(plans.key, 'gold')).get())!
    expect(await grantPlan(t.deps, admin.org, operator, { planId: gold.id, months: 12 }, t.clock.now())).toMatchObject({ ok: true })
    const added = await createUser(t.deps, { email: 'added-member@example.com' })
    expect((await admin.b.post(`/o/${admin.slug}/members`, { email: added.email })).status).toBe(303)
    const addedBrowser = t.browser()
    await addedBrowser.post('/login', { email: added.email, password: PASSWORD })
    const home = textOf(await (await addedBrowser.get(`/o/${admin.slug}`)).text())
    expect(home).toContain('Your role: member')
    expect(home).not.toContain(LIMITED)
    expect(home).not.toContain('Send a signed statement')

    // Someone who claims the company by its licence number joins as a member and is told.
    const licence = (await t.db.select().from(licences).where(eq(licences.orgId, admin.org.id)).get())!
    const claimer = await signedIn(t, 'claims-company@example.com')
    const claimed = await claimer.b.post('/orgs/claims', { country: 'PL', taxId: admin.org.taxId!.replace(/^PL/, ''), licence: licence.number, statement: 'on' })
    expect(claimed.headers.get('Location')).toBe(`/o/${admin.slug}`)
    const claimerHome = textOf(await (await claimer.b.get(`/o/${admin.slug}`)).text())
    expect(claimerHome).toContain(LIMITED)
    expect(claimerHome).toContain('Send a signed statement')
  })

  it('shows a notice on the e-code list while mistake reports wait, linking to the requests (seed 000)', async () => {
    const admin = await adminWithOrg(t, 'reports-notice@example.com')
    const [code] = await issueCodes(t, admin.org, 'signature-1y', 1, { recipientName: 'Lucja' })
    expect(textOf(await (await admin.b.get(`/o/${admin.slug}/ecodes`)).text())).not.toContain('mistake report')
    const sent = await t.browser().post(`/r/${code}/reports`, { what: 'The name should be Łucja.', contactEmail: 'lucja@example.com' }, { [IP]: '192.0.2.77' })
    expect(sent.status).toBe(303)
    const html = await (await admin.b.get(`/o/${admin.slug}/ecodes`)).text()
    expect(textOf(html)).toContain('1 mistake report on a voucher is waiting. See the requests')
    expect(html).toContain(`href="/o/${admin.slug}/requests"`)
  })

  it('answers a bare /r/ with the styled "enter a code" page, as /r', async () => {
    for (const path of ['/r', '/r/']) {
      const res = await t.browser().get(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(html, path).toContain('<form method="get" action="/r"')
      expect(html, path).toContain('name="code"')
      expect(html, path).toContain('rel="stylesheet"')
    }
  })
})
