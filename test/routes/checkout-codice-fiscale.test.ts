// The codice fiscale of an Italian seller's Italian private person (docs/rules.md, "Codice fiscale"):
// asked in step 3 of the checkout, refused with a message in the buyer's language and nothing written
// when missing or wrong; kept on the org, editable on the company data page, copied into every
// order's billing snapshot and shown to operators; nobody else is asked.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { loadConfig } from '../../src/config'
import { history, orders, orgs } from '../../src/db/schema'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { billingSnapshot } from '../../src/services/orders'
import { operatorWithAuthenticator } from '../helpers/operators'

const vendor = loadConfig({ KONTOR_ENV: 'test', VENDOR_COUNTRY: 'IT', VENDOR_TIME_ZONE: 'Europe/Rome' }).vendor
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { vendor } })
await t.seedCatalog()

const SILVER_YEAR = { plan: 'silver', period: '12' }
const orgRow = async (id: string) => (await t.db.select().from(orgs).where(eq(orgs.id, id)).get())!
const orgUpdates = (orgId: string) => t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, 'org.updated')))

async function billingStep(b: Browser, slug: string) {
  expect((await b.post('/buy/sekretariat', SILVER_YEAR)).status).toBe(303)
  return b.get(`/checkout/billing?org=${slug}`)
}

describe('the codice fiscale of an Italian private person buying from an Italian seller', () => {
  it('is asked in step 3, refused when missing or wrong with nothing written, then stored on the org and in the order', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'privato@example.it', { country: 'IT', legalForm: 'person' })
    const page = textOf(await (await billingStep(b, slug)).text())
    expect(page).toContain('Codice fiscale')
    expect(page).toContain('16 letters and digits as on your health card')

    const missing = await b.post('/checkout/billing', { org: slug, billingEmail: 'privato@example.it', codiceFiscale: '' })
    expect(missing.status).toBe(422)
    expect(textOf(await missing.text())).toContain('Enter your codice fiscale: an Italian e-invoice to a private person must carry it.')

    // The check letter of RSSMRA85T10A562S is S: any other is a typo.
    for (const wrong of ['RSSMRA85T10A562T', 'RSSMRA85T10A562', '12345678903', 'RSSMRA85T10A562S<']) {
      const refused = await b.post('/checkout/billing', { org: slug, billingEmail: 'privato@example.it', codiceFiscale: wrong })
      expect(refused.status, wrong).toBe(422)
      const text = textOf(await refused.text())
      expect(text).toContain('This is not a valid codice fiscale.')
      // The form comes back with what was typed, to correct it.
      expect(await b.get('/checkout/summary').then((r) => r.headers.get('Location'))).toBe('/checkout/billing')
    }
    expect((await orgRow(org.id)).codiceFiscale).toBeNull()
    expect(await orgUpdates(org.id)).toEqual([])
    // Ordering without it is refused too (a stale summary form): back to step 3, no order.
    expect((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')).toBe('/checkout/billing')
    expect(await t.db.select().from(orders).where(eq(orders.orgId, org.id))).toEqual([])

    const ok = await b.post('/checkout/billing', { org: slug, billingEmail: 'privato@example.it', codiceFiscale: ' rssmra85t10a562s ' })
    expect(ok.headers.get('Location')).toBe('/checkout/summary')
    expect((await orgRow(org.id)).codiceFiscale).toBe('RSSMRA85T10A562S')
    expect((await orgUpdates(org.id)).map((h) => h.details)).toEqual([{ codiceFiscale: { from: null, to: 'RSSMRA85T10A562S' } }])

    expect((await b.get('/checkout/summary')).status).toBe(200)
    expect((await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })).status).toBe(303)
    const [order] = await t.db.select().from(orders).where(eq(orders.orgId, org.id))
    expect(order!.billing.codiceFiscale).toBe('RSSMRA85T10A562S')
    // Operators see it with the order's billing data.
    const { b: ops } = await operatorWithAuthenticator(t, 'cf-orders-ops@example.com')
    expect(textOf(await (await ops.get(`/ops/orders/${order!.id}`)).text())).toContain('Codice fiscale (Italian tax code) RSSMRA85T10A562S')

    // The next purchase shows it filled in.
    const again = await (await billingStep(b, slug)).text()
    expect(again).toContain('value="RSSMRA85T10A562S"')
  })

  it('tells an Italian-speaking buyer in Italian, with the field kept as typed', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'privata@example.it', { country: 'IT', legalForm: 'person', language: 'it' })
    await billingStep(b, slug)
    const refused = await b.post('/checkout/billing', { org: slug, billingEmail: 'privata@example.it', codiceFiscale: 'MRTMTT25D09F205A' })
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(textOf(html)).toContain('Questo codice fiscale non è valido.')
    expect(html).toContain('value="MRTMTT25D09F205A"')
    expect((await orgRow(org.id)).codiceFiscale).toBeNull()
  })

  it('is not asked of an Italian company, nor of a private person outside Italy', async () => {
    for (const [email, opts] of [
      ['azienda@example.it', { country: 'IT', einvoiceId: 'M5UXCR1' }],
      ['person@example.de', { country: 'DE', legalForm: 'person' }],
    ] as const) {
      const { b, slug, org } = await adminWithOrg(t, email, opts)
      const page = textOf(await (await billingStep(b, slug)).text())
      expect(page).not.toContain('Codice fiscale')
      // A value sent anyway is ignored, not stored.
      const ok = await b.post('/checkout/billing', { org: slug, billingEmail: email, einvoiceId: org.einvoiceId ?? '', codiceFiscale: 'RSSMRA85T10A562S' })
      expect(ok.headers.get('Location'), email).toBe('/checkout/summary')
      expect((await orgRow(org.id)).codiceFiscale).toBeNull()
      expect((await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })).status).toBe(303)
      const [order] = await t.db.select().from(orders).where(eq(orders.orgId, org.id))
      expect(order!.billing.codiceFiscale).toBeNull()
    }
  })
})

describe('the company data page of an Italian private person (an Italian seller)', () => {
  const companyForm = (org: typeof orgs.$inferSelect, codiceFiscale: string) => ({
    name: org.name, country: org.country, legalForm: org.legalForm, taxId: '', addressLine: org.addressLine,
    postalCode: org.postalCode, city: org.city, billingEmail: org.billingEmail, einvoiceId: '', codiceFiscale,
  })

  it('shows the codice fiscale to correct or give it (for renewals of orders placed before checkout asked), validated the same way', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'rinnovo@example.it', { country: 'IT', legalForm: 'person' })
    const page = textOf(await (await b.get(`/o/${slug}/settings/company`)).text())
    expect(page).toContain('Codice fiscale')
    const refused = await b.post(`/o/${slug}/settings/company`, companyForm(org, 'RSSMRA85T10A562X'))
    expect(refused.status).toBe(422)
    expect(textOf(await refused.text())).toContain('This is not a valid codice fiscale.')
    expect((await orgRow(org.id)).codiceFiscale).toBeNull()
    const saved = await b.post(`/o/${slug}/settings/company`, companyForm(org, 'mrtmtt25d09f205z'))
    expect(saved.status).toBe(303)
    expect((await orgRow(org.id)).codiceFiscale).toBe('MRTMTT25D09F205Z')
    expect(textOf(await (await b.get(`/o/${slug}`)).text())).toContain('Codice fiscale (Italian tax code) MRTMTT25D09F205Z')
  })

  it('is not shown to an Italian company, and a value sent anyway is not kept', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'societa@example.it', { country: 'IT', einvoiceId: 'M5UXCR1', taxId: '00905811006' })
    expect(textOf(await (await b.get(`/o/${slug}/settings/company`)).text())).not.toContain('Codice fiscale')
    const saved = await b.post(`/o/${slug}/settings/company`, { ...companyForm(org, 'RSSMRA85T10A562S'), taxId: org.taxId!, einvoiceId: 'M5UXCR1' })
    expect(saved.status).toBe(303)
    expect((await orgRow(org.id)).codiceFiscale).toBeNull()
  })
})

describe('the billing snapshot of every order (renewals, plan changes and add-on packs included)', () => {
  it('takes the org’s codice fiscale for an Italian private person only', async () => {
    const { org } = await adminWithOrg(t, 'snapshot@example.it', { country: 'IT', legalForm: 'person', codiceFiscale: 'RSSMRA85T10A562S' })
    expect(billingSnapshot(org).codiceFiscale).toBe('RSSMRA85T10A562S')
    // An org that became a company since, or moved abroad, is not named by it any more.
    expect(billingSnapshot({ ...org, legalForm: 'sole_trader' }).codiceFiscale).toBeNull()
    expect(billingSnapshot({ ...org, country: 'DE' }).codiceFiscale).toBeNull()
  })
})

describe('a Polish seller', () => {
  it('does not ask an Italian private person for a codice fiscale (its FA(3) has no use for it)', async () => {
    const pl = await testApp({ now: '2026-11-20T10:00:00Z' })
    await pl.seedCatalog()
    const { b, slug } = await adminWithOrg(pl, 'privato-pl@example.it', { country: 'IT', legalForm: 'person' })
    expect((await b.post('/buy/sekretariat', SILVER_YEAR)).status).toBe(303)
    const page = textOf(await (await b.get(`/checkout/billing?org=${slug}`)).text())
    expect(page).not.toContain('Codice fiscale')
    expect((await b.post('/checkout/billing', { org: slug, billingEmail: 'privato-pl@example.it' })).headers.get('Location')).toBe('/checkout/summary')
  })
})
