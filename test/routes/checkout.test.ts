import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { invoices, memberships, orders, orgs, outbox, payments, savedMethods, subscriptions, warehouseStock } from '../../src/db/schema'
import { pdfText } from '../helpers/pdf'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const SILVER_YEAR = { plan: 'silver', period: '12' }

/** Steps 1, 3 and 4 for a signed-in admin of one org: returns the summary page's response. */
async function toSummary(b: Browser, product: string, choice: Record<string, string>, slug: string) {
  expect((await b.post(`/buy/${product}`, choice)).status).toBe(303)
  const billing = await b.get(`/checkout/billing?org=${slug}`)
  expect(billing.status).toBe(200)
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  const confirmed = await b.post('/checkout/billing', { org: slug, billingEmail: org.billingEmail, einvoiceId: org.einvoiceId ?? '' })
  expect(confirmed.headers.get('Location')).toBe('/checkout/summary')
  return b.get('/checkout/summary')
}

const orderOf = (orgId: string) => t.db.select().from(orders).where(eq(orders.orgId, orgId))

describe('step 1 and 2: choosing and signing in', () => {
  it('keeps the cart while a visitor signs in, then continues to the billing data', async () => {
    await createUser(t.deps, { email: 'visitor@example.com' })
    const b = t.browser()
    expect((await b.get('/buy')).status).toBe(200)
    const chose = await b.post('/buy/sekretariat', SILVER_YEAR)
    expect(chose.headers.get('Location')).toBe('/checkout')
    const step2 = textOf(await (await b.get('/checkout')).text())
    expect(step2).toContain('Sign in or create an account')
    const login = await b.post('/login', { email: 'visitor@example.com', password: PASSWORD })
    expect(login.headers.get('Location')).toBe('/checkout')
    const next = await b.get('/checkout')
    expect(next.headers.get('Location')).toBe('/checkout/billing')
    // No org yet: the buyer is asked to add one, and comes back here after adding it.
    expect(textOf(await (await b.get('/checkout/billing')).text())).toContain('You do not administer any organization yet')
  })

  it('refuses bad choices with a message and no cart: unknown or free plans, periods not offered, bad quantities', async () => {
    const b = t.browser()
    const refusals: [string, Record<string, string>, string][] = [
      ['sekretariat', { plan: 'diamond', period: '12' }, 'Choose one of the plans offered.'],
      ['sekretariat', { plan: 'green', period: '12' }, 'Choose one of the plans offered.'],
      ['sekretariat', { plan: 'silver', period: '6' }, 'Choose one of the billing periods offered.'],
      ['sekretariat', { plan: 'silver', period: '-1' }, 'Enter a whole number in the allowed range.'],
      ['certified-platform', { plan: 'base', period: '12', 'addon.users': '15' }, 'That is more add-on packs than the product allows.'],
      ['certified-platform', { plan: 'base', period: '12', 'addon.nonsense': '1' }, 'That add-on is not offered'],
      ['simplysign', { variant: 'signature-1y', quantity: '0' }, 'Enter a whole number in the allowed range.'],
      ['simplysign', { variant: 'signature-1y', quantity: '1001' }, 'Enter a whole number in the allowed range.'],
      ['simplysign', { variant: 'signature-1y', quantity: 'abc' }, 'Enter a whole number in the allowed range.'],
      ['simplysign', { variant: 'signature-9y', quantity: '1' }, 'Choose one of the variants offered.'],
      // A form missing its fields altogether (not sent by the page, but by anyone): 422, not 500.
      ['sekretariat', {}, 'Choose one of the plans offered.'],
      ['simplysign', { quantity: '1' }, 'Choose one of the variants offered.'],
    ]
    for (const [product, form, message] of refusals) {
      const res = await b.post(`/buy/${product}`, form)
      expect(res.status, JSON.stringify(form)).toBe(422)
      expect(textOf(await res.text())).toContain(message)
    }
    expect(b.cookies.has('cart')).toBe(false)
    expect((await b.post('/buy/no-such-product', SILVER_YEAR)).status).toBe(404)
  })
})

describe('steps 3 and 4: billing data and summary', () => {
  it('shows a Polish company 290.00 net, 66.70 VAT at 23 % and 356.70 gross, and ignores prices sent in the form', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'summary@example.com')
    const summary = textOf(await (await toSummary(b, 'sekretariat', { ...SILVER_YEAR, price: '1', netMinor: '1' }, slug)).text())
    expect(summary).toContain('Sekretariat Silver, 1 year 1 PLN 290.00 PLN 66.70 PLN 356.70')
    expect(summary).toContain('VAT (23 %)')
    const res = await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on', grossMinor: '100' })
    expect(res.status).toBe(303)
    const [order] = await orderOf(org.id)
    expect([order!.netMinor, order!.vatMinor, order!.grossMinor, order!.termsVersion, order!.paymentMethod]).toEqual([29000, 6670, 35670, '2026-11', 'transfer'])
  })

  it('refuses an order without the terms of sale or a payment method, and places nothing', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'terms@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const noTerms = await b.post('/checkout/orders', { paymentMethod: 'card' })
    expect(noTerms.status).toBe(422)
    expect(textOf(await noTerms.text())).toContain('Accept the terms of sale to order.')
    const noMethod = await b.post('/checkout/orders', { paymentMethod: 'cash', terms: 'on' })
    expect(noMethod.status).toBe(422)
    expect(textOf(await noMethod.text())).toContain('Choose how to pay.')
    expect(await orderOf(org.id)).toEqual([])
  })

  it('refuses a businesses-only product to a private person, with the reason', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'person@example.com', { legalForm: 'person' })
    await b.post('/buy/certified-platform', { plan: 'base', period: '12' })
    const res = await b.get(`/checkout/billing?org=${slug}`)
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('Certified Platform is sold to businesses only, and this organization is a private person.')
    const post = await b.post('/checkout/billing', { org: slug, billingEmail: 'person@example.com' })
    expect(post.status).toBe(422)
    expect((await b.get('/checkout/summary')).headers.get('Location')).toBe('/checkout/billing')
    expect((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')).toBe('/checkout/billing')
    expect(await orderOf(org.id)).toEqual([])
  })

  it('asks an Italian company for its SDI code or PEC, warns about a PEC billing address, and reverse-charges it (the vendor is Polish)', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'roma@example.com', { country: 'IT', einvoiceId: 'ABC1234' })
    await t.db.update(orgs).set({ einvoiceId: null }).where(eq(orgs.id, org.id))
    await b.post('/buy/sekretariat', SILVER_YEAR)
    const missing = await b.post('/checkout/billing', { org: slug, billingEmail: 'fatture@pec.example.it', einvoiceId: '' })
    expect(missing.status).toBe(422)
    const page = textOf(await missing.text())
    expect(page).toContain('Italian companies need an SDI recipient code or a PEC address')
    expect(page).toContain('This looks like a certified mailbox (PEC).')
    const ok = await b.post('/checkout/billing', { org: slug, billingEmail: 'fatture@pec.example.it', einvoiceId: 'm5uxcr1' })
    expect(ok.headers.get('Location')).toBe('/checkout/summary')
    expect((await t.db.select().from(orgs).where(eq(orgs.id, org.id)).get())!.einvoiceId).toBe('M5UXCR1')
    const summary = textOf(await (await b.get('/checkout/summary')).text())
    expect(summary).toContain('VAT (reverse charge)')
    expect(summary).toContain('This looks like a certified mailbox (PEC).')
  })

  it('charges an Italian private person 22 % VAT', async () => {
    const { b, slug } = await adminWithOrg(t, 'milano@example.com', { country: 'IT', legalForm: 'person' })
    const summary = textOf(await (await toSummary(b, 'sekretariat', SILVER_YEAR, slug)).text())
    expect(summary).toContain('VAT (22 %)')
    expect(summary).toContain('Sekretariat Silver, 1 year 1 PLN 290.00 PLN 63.80 PLN 353.80')
  })

  it('applies the reverse charge to a German company buying from a Polish vendor: 0 VAT and the note', async () => {
    const { b, slug } = await adminWithOrg(t, 'berlin@example.com', { country: 'DE' })
    const summary = textOf(await (await toSummary(b, 'certified-platform', { plan: 'base', period: '24', 'addon.external_users': '1' }, slug)).text())
    expect(summary).toContain('VAT (reverse charge)')
    expect(summary).toContain('Certified Platform Base, 2 years 1 €540.00 €0.00 €540.00')
    expect(summary).toContain('+50 external users, 2 years 1 €90.00 €0.00 €90.00')
    expect(summary).toContain('Total €630.00 €0.00 €630.00')
    expect(summary).toContain('Reverse charge: the VAT is accounted for by the buyer.')
  })
})

describe('paying', () => {
  it('by card on the test provider: approve activates the plan with auto-renewal, saves the card and issues the invoice', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'card@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const placed = await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })
    const payPage = placed.headers.get('Location')!
    expect(payPage).toMatch(/^http:\/\/localhost\/pay\/test\/\w+$/)
    expect(b.cookies.has('cart')).toBe(false)
    expect(textOf(await (await b.get(payPage)).text())).toContain('Pay PLN 356.70')
    const approved = await b.post(`${new URL(payPage).pathname}/approval`)
    const [order] = await orderOf(org.id)
    expect(approved.headers.get('Location')).toMatch(new RegExp(`^/o/${slug}/orders/${order!.id}\\?payment=`))
    const orderPage = textOf(await (await b.follow(approved)).text())
    expect(orderPage).toContain('Paid: what you bought is active.')
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get())!
    expect([sub.snapshot.planName, sub.autoRenew, sub.source, sub.periodEnd?.toISOString()]).toEqual(['Silver', true, 'order', '2027-11-20T10:00:00.000Z'])
    expect((await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, org.id))).map((m) => m.label)).toEqual(['Test card •••• 4242'])
    const invoice = (await t.db.select().from(invoices).where(eq(invoices.orgId, org.id)).get())!
    expect(invoice.number).toMatch(/^FV\/2026\/\d{6}$/)
    const pdf = await b.get(`/o/${slug}/invoices/${invoice.id}`)
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()))
    expect(text).toContain(invoice.number)
    expect(text).toContain(order!.number)
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'card@example.com'))
    expect(mails.map((m) => m.template).sort()).toEqual(['order.confirmation', 'order.paid'])
    // A second click on the test page changes nothing.
    await b.post(`${new URL(payPage).pathname}/approval`)
    expect(await t.db.select().from(invoices).where(eq(invoices.orgId, org.id))).toHaveLength(1)
  })

  it('lets only a signed-in member of the paying org use the test page: anyone else is sent to sign in or finds nothing', async () => {
    const { b, slug } = await adminWithOrg(t, 'card-owner@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const payPage = new URL((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')!).pathname
    const anonymous = t.browser()
    expect((await anonymous.get(payPage)).headers.get('Location')).toBe('/login')
    expect((await anonymous.post(`${payPage}/approval`)).headers.get('Location')).toBe('/login')
    const stranger = (await adminWithOrg(t, 'card-stranger@example.com')).b
    expect((await stranger.get(payPage)).status).toBe(404)
    expect((await stranger.post(`${payPage}/approval`)).status).toBe(404)
    const id = payPage.split('/').pop()!
    expect((await t.db.select().from(payments).where(eq(payments.id, id)).get())!.status).toBe('pending')
  })

  it('declined on the test provider: the order waits, says so, and can be paid with a new attempt', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'decline@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const payPage = new URL((await b.post('/checkout/orders', { paymentMethod: 'paypal', terms: 'on' })).headers.get('Location')!).pathname
    const declined = await b.post(`${payPage}/decline`)
    expect(textOf(await (await b.follow(declined)).text())).toContain('The payment was declined.')
    const [order] = await orderOf(org.id)
    expect(order!.status).toBe('pending_payment')
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toEqual([])
    const retry = await b.post(`/o/${slug}/orders/${order!.id}/payments`)
    const second = new URL(retry.headers.get('Location')!).pathname
    expect(second).not.toBe(payPage)
    await b.post(`${second}/approval`)
    expect((await t.db.select().from(orders).where(eq(orders.id, order!.id)).get())!.status).toBe('paid')
    expect((await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, org.id))).map((m) => m.label)).toEqual(['PayPal (test)'])
  })

  it('by transfer: the order page and the e-mail give the amount, the account and the title', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'transfer@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const res = await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })
    const [order] = await orderOf(org.id)
    expect(res.headers.get('Location')).toBe(`/o/${slug}/orders/${order!.id}`)
    const page = textOf(await (await b.follow(res)).text())
    expect(page).toContain(`Amount PLN 356.70 Recipient Kontor sp. z o.o. Account number PL61 1090 1014 0000 0712 1981 2874 Transfer title ${order!.number}`)
    const mail = (await t.db.select().from(outbox).where(and(eq(outbox.to, 'transfer@example.com'), eq(outbox.template, 'order.confirmation'))).get())!
    expect(mail.text).toContain(`with the title ${order!.number}`)
  })

  it('units of a virtual product land in the warehouse once paid', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'units@example.com')
    const summary = textOf(await (await toSummary(b, 'simplysign', { variant: 'signature-1y', quantity: '3' }, slug)).text())
    expect(summary).toContain('SimplySign, signature, 1 year 3 PLN 897.00 PLN 206.31 PLN 1,103.31')
    const payPage = new URL((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')!).pathname
    await b.post(`${payPage}/approval`)
    expect((await t.db.select().from(warehouseStock).where(eq(warehouseStock.orgId, org.id))).map((s) => s.units)).toEqual([3])
  })

  it('refuses buying a second paid period of a product whose paid plan is still running', async () => {
    const { b, slug } = await adminWithOrg(t, 'twice@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const payPage = new URL((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')!).pathname
    await b.post(`${payPage}/approval`)
    await b.post('/buy/sekretariat', { plan: 'gold', period: '12' })
    const res = await b.get(`/checkout/billing?org=${slug}`)
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('This organization already has a paid plan of Sekretariat.')
  })
})

describe('saved payment methods', () => {
  it('can be told to decline charges (test provider) and removed; with none left, automatic renewal is off', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'methods@example.com')
    await toSummary(b, 'sekretariat', SILVER_YEAR, slug)
    const payPage = new URL((await b.post('/checkout/orders', { paymentMethod: 'card', terms: 'on' })).headers.get('Location')!).pathname
    await b.post(`${payPage}/approval`)
    const method = (await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, org.id)).get())!
    expect(textOf(await (await b.get(`/o/${slug}/orders`)).text())).toContain('Test card •••• 4242')
    expect((await b.post(`/o/${slug}/payment-methods/${method.id}/declines`, { declines: 'on' })).status).toBe(303)
    const charge = { paymentId: 'p1', idempotencyKey: 'p1', amountMinor: 35670, currency: 'PLN', customerRef: method.customerRef, methodRef: method.methodRef, description: 'renewal' }
    expect(await t.deps.payments!.chargeOffSession(charge)).toEqual({ status: 'declined', providerRef: 'tpi_p1', reason: 'card_declined' })
    expect(textOf(await (await b.get(`/o/${slug}/orders`)).text())).toContain('declines charges')
    await b.post(`/o/${slug}/payment-methods/${method.id}/declines`, { declines: 'off' })
    expect(await t.deps.payments!.chargeOffSession({ ...charge, idempotencyKey: 'p2' })).toEqual({ status: 'succeeded', providerRef: 'tpi_p2' })
    const other = await adminWithOrg(t, 'methods-other@example.com')
    expect((await other.b.post(`/o/${other.slug}/payment-methods/${method.id}/removal`)).status).toBe(404)
    expect((await b.post(`/o/${slug}/payment-methods/${method.id}/removal`)).headers.get('Location')).toBe(`/o/${slug}/orders`)
    expect((await t.db.select().from(savedMethods).where(eq(savedMethods.id, method.id)).get())!.removedAt).not.toBeNull()
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get())!.autoRenew).toBe(false)
    expect(textOf(await (await b.get(`/o/${slug}/orders`)).text())).toContain('No saved card or PayPal account')
  })
})

describe('orders belong to their org', () => {
  it('answers 404 for another org’s order and invoice, and 403 to a member who is not an administrator', async () => {
    const a = await adminWithOrg(t, 'owner-a@example.com')
    await toSummary(a.b, 'sekretariat', SILVER_YEAR, a.slug)
    await a.b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })
    const [order] = await orderOf(a.org.id)
    const other = await adminWithOrg(t, 'owner-b@example.com')
    expect((await other.b.get(`/o/${other.slug}/orders/${order!.id}`)).status).toBe(404)
    expect((await other.b.get(`/o/${a.slug}/orders/${order!.id}`)).status).toBe(404)
    expect((await other.b.post(`/o/${other.slug}/orders/${order!.id}/payments`)).status).toBe(404)
    expect((await other.b.get(`/o/${a.slug}/orders`)).status).toBe(404)
    const member = await createUser(t.deps, { email: 'member-a@example.com' })
    await t.db.insert(memberships).values({ orgId: a.org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const mb = t.browser()
    await mb.post('/login', { email: 'member-a@example.com', password: PASSWORD })
    expect((await mb.get(`/o/${a.slug}/orders/${order!.id}`)).status).toBe(403)
    expect((await mb.get(`/o/${a.slug}/orders`)).status).toBe(403)
  })
})
