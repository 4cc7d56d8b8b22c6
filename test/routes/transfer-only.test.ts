// PAYMENTS=transfer-only (issue 14): a panel that takes bank transfers and nothing else — production
// without Stripe. Every place that offers a payment method offers the transfer alone, a card or
// PayPal posted anyway is refused with a message, and nothing mentions card payments.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orders, orgs } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { newSubscription, snapshotOf } from '../../src/services/subscriptions'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { manualRenewalMail } from '../../src/mail/templates/lifecycle'

const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { paymentProvider: 'none', paymentMethods: ['transfer'] } })
await t.seedCatalog()

const radios = (html: string, name: string) => [...html.matchAll(new RegExp(`name="${name}" value="(\\w+)"`, 'g'))].map((m) => m[1])

async function toSummary(b: Browser, slug: string) {
  await b.post('/buy/sekretariat', { plan: 'silver', period: '12' })
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  await b.post('/checkout/billing', { org: slug, billingEmail: org.billingEmail, einvoiceId: org.einvoiceId ?? '' })
  return b.get('/checkout/summary')
}

describe('a panel that takes bank transfers only', () => {
  it('has no payment provider at all', () => {
    expect(t.deps.payments).toBeNull()
  })

  it('offers only the transfer at checkout, refuses a card posted anyway, and places the order for a transfer', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'transfer-only@example.com')
    const summary = await (await toSummary(b, slug)).text()
    expect(radios(summary, 'paymentMethod')).toEqual(['transfer'])
    expect(summary).toMatch(/name="paymentMethod" value="transfer" checked/)

    for (const method of ['card', 'paypal']) {
      const refused = await b.post('/checkout/orders', { paymentMethod: method, terms: 'on' })
      expect(refused.status).toBe(422)
      expect(textOf(await refused.text())).toContain('Choose how to pay.')
    }
    expect(await t.db.select().from(orders).where(eq(orders.orgId, org.id))).toEqual([])

    const placed = await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })
    expect(placed.status).toBe(303)
    const page = textOf(await (await b.follow(placed)).text())
    expect(page).toContain('PL61 1090 1014 0000 0712 1981 2874')
  })

  it('offers only the transfer for an upgrade on the plan page, and refuses a card there', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'transfer-only-upgrade@example.com')
    const product = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!
    const silver = product.plans.find((p) => p.key === 'silver')!
    const periodEnd = new Date('2027-01-31T23:00:00Z')
    const sub = { planId: silver.id, snapshot: snapshotOf(product, silver), status: 'active', periodMonths: 12, periodStart: new Date('2026-01-31T23:00:00Z'), periodEnd, source: 'order' } as const
    await t.db.batch([...newSubscription(t.db, org.id, product.id, sub, t.clock.now()).statements])
    const plan = await (await b.get(`/o/${slug}/products/sekretariat/plan`)).text()
    expect(new Set(radios(plan, 'method'))).toEqual(new Set(['transfer']))
    const refused = await b.post(`/o/${slug}/products/sekretariat/plan/upgrade-orders`, { plan: 'gold', method: 'card', terms: 'on', from: 'silver' })
    expect(refused.status).toBe(422)
    expect(await t.db.select().from(orders).where(eq(orders.orgId, org.id))).toEqual([])
  })

  it('shows a transfer order without any card or PayPal button', async () => {
    const buyer = await adminWithOrg(t, 'transfer-only-order@example.com')
    const placed = await orderFor(t, buyer, 'transfer')
    const html = await (await buyer.b.get(`/o/${buyer.slug}/orders/${placed.id}`)).text()
    expect(html).not.toContain('value="card"')
    expect(html).not.toContain('value="paypal"')
    // A card order left from before the panel turned transfer-only: its page shows the transfer
    // details instead of "Pay now", and a payment posted anyway starts nothing.
    const old = await orderFor(t, buyer, 'card')
    const page = await (await buyer.b.get(`/o/${buyer.slug}/orders/${old.id}`)).text()
    expect(textOf(page)).toContain('PL61 1090 1014 0000 0712 1981 2874')
    expect(textOf(page)).not.toContain('Pay PLN 356.70 now')
    const pay = await buyer.b.post(`/o/${buyer.slug}/orders/${old.id}/payments`)
    expect(pay.status).toBe(303)
  })

  it('asks for the renewal by transfer without offering card or PayPal, in every language', () => {
    for (const lang of ['en', 'pl', 'it'] as const) {
      const facts = { first: true, item: 'Sekretariat Silver', number: 'KON/2026/12/000001', amount: '356.70', end: '1 Feb 2027', lapse: { policy: 'downgrade_to_free' as const }, url: 'https://panel.example.test/o/x/orders/y' }
      const online = manualRenewalMail({ lang, vendor: 'Kontor' }, { ...facts, transfer: { seller: 'Vendor', account: 'PL61 1090', online: true } }).text
      const transferOnly = manualRenewalMail({ lang, vendor: 'Kontor' }, { ...facts, transfer: { seller: 'Vendor', account: 'PL61 1090', online: false } }).text
      expect(online).toContain('PayPal')
      expect(transferOnly).toContain('PL61 1090')
      expect(transferOnly).not.toContain('PayPal')
    }
  })
})
