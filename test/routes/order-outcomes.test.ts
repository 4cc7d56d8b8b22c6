// Issue 16, rule 9: orders and invoices say what happened — a paid or cancelled order no longer says
// "To pay", a cancelled one says when and why, a declined card order can switch to a bank transfer,
// an invoice names the method the money came by, its countries are in its language, and the PEC
// warning looks like a warning.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, invoices, orders, outbox, payments, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { DAY } from '../../src/clock'
import { markOrderPaid } from '../../src/services/payments'
import type { User } from '../../src/auth/session'
import { testApp, textOf, type Browser, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'
import { operatorWithAuthenticator } from '../helpers/operators'
import { pdfText } from '../helpers/pdf'

const START = '2026-11-20T10:00:00Z'
const t = await testApp({ now: START })
await t.seedCatalog()
const operator = (await createUser(t.deps, { email: 'marks-paid@example.com', operator: true })) as unknown as User

const orderOf = (id: string) => t.db.select().from(orders).where(eq(orders.id, id)).get().then((o) => o!)
const pageText = async (b: Browser, path: string) => textOf(await (await b.get(path)).text())

/** Pays the order on the test provider's page (the way the buyer does), approving or declining. */
async function payOnTestPage(b: Browser, slug: string, orderId: string, verdict: 'approval' | 'decline', method?: 'card' | 'paypal') {
  const started = await b.post(`/o/${slug}/orders/${orderId}/payments`, method ? { method } : {})
  const payPage = new URL(started.headers.get('Location')!).pathname
  expect(payPage).toMatch(/^\/pay\/test\//)
  return b.post(`${payPage}/${verdict}`)
}

async function invoiceText(b: Browser, slug: string, orderId: string) {
  const invoice = (await t.db.select().from(invoices).where(eq(invoices.orderId, orderId)).get())!
  const pdf = await b.get(`/o/${slug}/invoices/${invoice.id}`)
  expect(pdf.status).toBe(200)
  return pdfText(new Uint8Array(await pdf.arrayBuffer()))
}

describe('Orders and invoices say what happened (issue 16, rule 9)', () => {
  it('a paid order no longer says "To pay": it says when it was paid and how, and shows its total', async () => {
    const buyer = await adminWithOrg(t, 'paid@example.com')
    const { id } = await orderFor(t, buyer, 'transfer')
    expect(await pageText(buyer.b, `/o/${buyer.slug}/orders/${id}`)).toContain('To pay: PLN 356.70 (net PLN 290.00 + VAT PLN 66.70)')
    expect(await markOrderPaid(t.deps, id, operator, t.clock.now())).toEqual({ ok: true })
    const page = await pageText(buyer.b, `/o/${buyer.slug}/orders/${id}`)
    expect(page).not.toContain('To pay')
    expect(page).not.toContain('Pay by bank transfer')
    expect(page).toContain('Paid: what you bought is active. Paid on 20 Nov 2026, 11:00 by bank transfer.')
    expect(page).toContain('Total: PLN 356.70 (net PLN 290.00 + VAT PLN 66.70)')
  })

  it('a transfer nobody paid is cancelled after 14 days: the order says when and why, asks for nothing, and the mail says why', async () => {
    const buyer = await adminWithOrg(t, 'unpaid@example.com')
    const { id } = await orderFor(t, buyer, 'transfer')
    const run = await runNamedJob(t.deps, 'renewals', new Date(Date.parse(START) + 14 * DAY))
    expect(run.status).toBe('ok')
    expect((await orderOf(id)).cancelReason).toBe('unpaid')
    const page = await pageText(buyer.b, `/o/${buyer.slug}/orders/${id}`)
    expect(page).toContain('Cancelled on 4 Dec 2026, 11:00. The bank transfer had not arrived 14 days after the order was placed. Nothing is due for it.')
    expect(page).not.toContain('To pay')
    expect(page).not.toContain('Account number')
    expect(page).toContain('Total: PLN 356.70')
    const mail = (await t.db.select().from(outbox).where(and(eq(outbox.to, 'unpaid@example.com'), eq(outbox.template, 'order.cancelled'))).get())!
    expect(mail.text).toContain('The bank transfer had not arrived 14 days after the order was placed.')
  })

  it('an order an operator cancels says the vendor cancelled it, on its page and in the back office', async () => {
    const buyer = await adminWithOrg(t, 'by-operator@example.com')
    const { id } = await orderFor(t, buyer, 'transfer')
    const ops = await operatorWithAuthenticator(t, 'cancels@example.com')
    expect((await ops.b.post(`/ops/orders/${id}/cancellation`, { cancel: 'on' })).status).toBe(303)
    expect(await pageText(buyer.b, `/o/${buyer.slug}/orders/${id}`)).toContain('Cancelled on 20 Nov 2026, 11:00. The vendor cancelled it. Nothing is due for it.')
    expect(await pageText(ops.b, `/ops/orders/${id}`)).toContain('The vendor cancelled it.')
  })

  it('after a declined card the customer switches the order to a bank transfer: the page and the billing address get the account and the title, once', async () => {
    const buyer = await adminWithOrg(t, 'declined@example.com')
    const { id, number } = await orderFor(t, buyer, 'card')
    const declined = await payOnTestPage(buyer.b, buyer.slug, id, 'decline')
    const afterDecline = textOf(await (await buyer.b.follow(declined)).text())
    expect(afterDecline).toContain('The payment was declined.')
    expect(afterDecline).toContain('Pay by bank transfer instead')

    const switched = await buyer.b.post(`/o/${buyer.slug}/orders/${id}/payment-method`, { method: 'transfer' })
    expect(switched.headers.get('Location')).toBe(`/o/${buyer.slug}/orders/${id}`)
    const page = textOf(await (await buyer.b.follow(switched)).text())
    expect(page).toContain(`Order ${number} is now paid by bank transfer: the account and the title are below.`)
    expect(page).toContain(`Amount PLN 356.70 Recipient Kontor sp. z o.o. Account number PL61 1090 1014 0000 0712 1981 2874 Transfer title ${number}`)
    expect(page).not.toContain('Pay PLN 356.70 now')
    expect(await buyer.b.post(`/o/${buyer.slug}/orders/${id}/payment-method`, { method: 'transfer' })).toHaveProperty('status', 303)

    expect((await orderOf(id)).paymentMethod).toBe('transfer')
    const rows = await t.db.select().from(history).where(and(eq(history.orgId, buyer.org.id), eq(history.kind, 'order.method_changed')))
    expect(rows.map((r) => r.details)).toEqual([{ number, from: 'card', to: 'transfer' }])
    const mails = await t.db.select().from(outbox).where(and(eq(outbox.to, 'declined@example.com'), eq(outbox.template, 'order.transfer_details')))
    expect(mails).toHaveLength(1)
    expect(mails[0]!.text).toContain(`with the title ${number}`)

    // Paid by transfer, the invoice says so, not "card".
    await markOrderPaid(t.deps, id, operator, t.clock.now())
    const invoice = await invoiceText(buyer.b, buyer.slug, id)
    expect(invoice).toContain('Paid (bank transfer)')
    expect(invoice).not.toContain('Paid (card)')
  })

  it('a paid order, another org’s order and anything but a transfer cannot be switched', async () => {
    const buyer = await adminWithOrg(t, 'no-switch@example.com')
    const { id } = await orderFor(t, buyer, 'card')
    expect((await buyer.b.post(`/o/${buyer.slug}/orders/${id}/payment-method`, { method: 'paypal' })).status).toBe(422)
    const stranger = await adminWithOrg(t, 'no-switch-stranger@example.com')
    expect((await stranger.b.post(`/o/${stranger.slug}/orders/${id}/payment-method`, { method: 'transfer' })).status).toBe(404)
    await payOnTestPage(buyer.b, buyer.slug, id, 'approval')
    const late = await buyer.b.post(`/o/${buyer.slug}/orders/${id}/payment-method`, { method: 'transfer' })
    expect(textOf(await (await buyer.b.follow(late)).text())).toContain('This order is no longer waiting for payment.')
    expect((await orderOf(id)).paymentMethod).toBe('card')
  })

  it('a renewal charged to a saved PayPal account is invoiced as PayPal, not card', async () => {
    const buyer = await adminWithOrg(t, 'paypal@example.com')
    const { id } = await orderFor(t, buyer, 'paypal', { product: 'sekretariat', plan: 'silver', period: 1, addons: {} })
    await payOnTestPage(buyer.b, buyer.slug, id, 'approval')
    expect(await invoiceText(buyer.b, buyer.slug, id)).toContain('Paid (PayPal)')
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
    // The automatic renewal 7 days before the period end charges the saved PayPal account.
    const run = await runNamedJob(t.deps, 'renewals', new Date(sub.periodEnd!.getTime() - 7 * DAY))
    expect(run.status).toBe('ok')
    const renewal = (await t.db.select().from(payments).where(and(eq(payments.orgId, buyer.org.id), eq(payments.kind, 'off_session'))).get())!
    expect([renewal.status, renewal.method]).toEqual(['succeeded', 'paypal'])
    const text = await invoiceText(buyer.b, buyer.slug, renewal.orderId)
    expect(text).toContain('Paid (PayPal)')
    expect(text).not.toContain('Paid (card)')
  })

  it('names both countries of an English invoice in English ("Poland"), not the seller’s in Polish', async () => {
    const buyer = await adminWithOrg(t, 'english-invoice@example.com', { language: 'en' })
    const { id } = await orderFor(t, buyer, 'transfer')
    await markOrderPaid(t.deps, id, operator, t.clock.now())
    const text = await invoiceText(buyer.b, buyer.slug, id)
    expect(text).toContain('ul. Przykładowa 1 00-001 Warszawa Poland')
    expect(text).not.toContain('Polska')
    expect(text.match(/Poland/g)).toHaveLength(2)
  })

  it('shows the PEC warning as a warning at both checkout steps, not as a success', async () => {
    const buyer = await adminWithOrg(t, 'pec-buyer@example.com', { country: 'IT', billingEmail: 'fatture@pec.example.it', einvoiceId: 'M5UXCR1' })
    await buyer.b.post('/buy/sekretariat', { plan: 'silver', period: '12' })
    const billing = await (await buyer.b.get(`/checkout/billing?org=${buyer.slug}`)).text()
    await buyer.b.post('/checkout/billing', { org: buyer.slug, billingEmail: 'fatture@pec.example.it', einvoiceId: 'M5UXCR1' })
    const summary = await (await buyer.b.get('/checkout/summary')).text()
    for (const html of [billing, summary]) {
      expect(html).toMatch(/<p class="warning" role="note">This looks like a certified mailbox \(PEC\)/)
      expect(html).not.toMatch(/class="(notice|flash)"[^>]*>This looks like a certified mailbox/)
    }
  })
})

describe('Orders and invoices say what happened, in a panel that takes transfers only (PAYMENTS=transfer-only)', () => {
  it('a card order from before shows the transfer details and offers no switch: it already is paid by transfer', async () => {
    const only: TestApp = await testApp({ now: START, config: { paymentProvider: 'none', paymentMethods: ['transfer'] } })
    await only.seedCatalog()
    const buyer = await adminWithOrg(only, 'only@example.com')
    const { id, number } = await orderFor(only, buyer, 'card')
    const page = textOf(await (await buyer.b.get(`/o/${buyer.slug}/orders/${id}`)).text())
    expect(page).toContain(`Transfer title ${number}`)
    expect(page).not.toContain('Pay by bank transfer instead')
    const op = (await createUser(only.deps, { email: 'only-ops@example.com', operator: true })) as unknown as User
    await markOrderPaid(only.deps, id, op, only.clock.now())
    const invoice = (await only.db.select().from(invoices).where(eq(invoices.orderId, id)).get())!
    const text = pdfText(new Uint8Array(await (await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}`)).arrayBuffer()))
    expect(text).toContain('Paid (bank transfer)')
  })
})
