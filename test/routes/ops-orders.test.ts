// The back office's orders: finding a bank transfer's order by number or amount, marking it paid,
// cancelling it, and an operator racing a provider's webhook for the same order (SPEC §7, §15).
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, invoices, orders, outbox, payments, subscriptions } from '../../src/db/schema'
import { settlePayment } from '../../src/services/payments'
import { hostedPayment as hostedPaymentOf, orderFor } from '../helpers/orders'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { operatorWithAuthenticator } from '../helpers/operators'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const { b: ops } = await operatorWithAuthenticator(t, 'operator@example.com')

type Buyer = Awaited<ReturnType<typeof adminWithOrg>>

/** Sekretariat Silver for a year: 290.00 net + 66.70 VAT = 356.70 zł. */
const silverOrder = (buyer: Buyer, method: 'card' | 'transfer' = 'transfer') => orderFor(t, buyer, method)

/** Four one-year signatures: 1196.00 net + 275.08 VAT = 1471.08 zł. */
const signaturesOrder = (buyer: Buyer) => orderFor(t, buyer, 'transfer', { product: 'simplysign', variant: 'signature-1y', quantity: 4 })

const hostedPayment = (orderId: string, orgId: string) => hostedPaymentOf(t, orderId, orgId)

const providerSuccess = (paymentId: string) =>
  settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approved', paymentId, outcome: 'succeeded' }, t.clock.now())
const orderRow = async (id: string) => (await t.db.select().from(orders).where(eq(orders.id, id)).get())!
const invoicesOf = (id: string) => t.db.select().from(invoices).where(eq(invoices.orderId, id))
const mailsTo = (to: string, template: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, template)))
const search = async (q: string, status?: string) => {
  const res = await ops.get(`/ops/orders?${new URLSearchParams(status ? { q, status } : { q })}`)
  expect(res.status).toBe(200)
  return res.text()
}

describe('finding an order', () => {
  it('by its full number in any case, or by the number without KON/ and with spaces around it', async () => {
    const buyer = await adminWithOrg(t, 'find1@example.com')
    const { id, number } = await silverOrder(buyer)
    const other = await silverOrder(await adminWithOrg(t, 'find2@example.com'))
    const byNumber = await search(number.toLowerCase())
    expect(textOf(byNumber)).toContain(`${number} Org of find1@example.com 20 Nov 2026, 11:00 bank transfer PLN 356.70 waiting for payment`)
    expect(byNumber).toContain(`href="/ops/orders/${id}"`)
    expect(byNumber).toContain(`href="/ops/orgs/${buyer.org.id}"`)
    expect(byNumber).not.toContain(other.number)
    const withoutPrefix = textOf(await search(`  ${number.replace('KON/', '')}  `))
    expect(withoutPrefix).toContain(number)
    expect(withoutPrefix).not.toContain(other.number)
  })

  it('by its amount typed the Polish way, with or without the currency', async () => {
    const { number } = await signaturesOrder(await adminWithOrg(t, 'amount@example.com'))
    const silverNumber = (await silverOrder(await adminWithOrg(t, 'amount2@example.com'))).number
    for (const q of ['1 471,08 zł', '1471,08', '1471.08 PLN']) {
      const page = textOf(await search(q))
      expect(page, q).toContain(`${number} Org of amount@example.com 20 Nov 2026, 11:00 bank transfer PLN 1,471.08 waiting for payment`)
      expect(page, q).not.toContain(silverNumber)
    }
    expect(textOf(await search('356,70 zł'))).toContain(silverNumber)
    expect(textOf(await search('1 471,08 €'))).toContain('No order matches.')
  })

  it('lists the latest pending orders, newest first, when nothing is typed, and paid ones only when asked', async () => {
    const buyer = await adminWithOrg(t, 'latest@example.com')
    const older = await silverOrder(buyer)
    t.clock.set('2026-11-20T10:05:00Z')
    const newer = await silverOrder(buyer)
    t.clock.set('2026-11-20T10:00:00Z')
    await ops.follow(await ops.post(`/ops/orders/${older.id}/payment`, { received: 'on' }))
    const pending = textOf(await search(''))
    expect(pending).toContain('The latest orders with this status, newest first.')
    expect(pending).toContain(newer.number)
    expect(pending).not.toContain(older.number)
    const paid = textOf(await search('', 'paid'))
    expect(paid).toContain(`${older.number} Org of latest@example.com 20 Nov 2026, 11:00 bank transfer PLN 356.70 paid`)
    expect(paid).not.toContain(newer.number)
    const all = textOf(await search('', 'all'))
    expect(all.indexOf(newer.number)).toBeGreaterThan(-1)
    expect(all.indexOf(newer.number)).toBeLessThan(all.indexOf(older.number))
  })

  it('finds nothing for an unknown number, an amount no order has, or text that is neither, and offers every status', async () => {
    for (const q of ['KON/2031/01/000001', '9 999,99 zł', 'hello %']) {
      const page = await search(q)
      expect(textOf(page), q).toContain('No order matches. Search orders of every status')
      expect(page).toContain(`href="/ops/orders?${new URLSearchParams({ q, status: 'all' }).toString().replace(/&/g, '&amp;')}"`)
    }
  })
})

describe('who may see orders', () => {
  it('operators only: customers get the same 404 as a missing page, visitors are sent to sign in, and nothing changes', async () => {
    const buyer = await adminWithOrg(t, 'nosy@example.com')
    const { id } = await silverOrder(buyer)
    expect((await buyer.b.get('/ops/orders')).status).toBe(404)
    expect((await buyer.b.get(`/ops/orders/${id}`)).status).toBe(404)
    expect((await buyer.b.post(`/ops/orders/${id}/payment`, { received: 'on' })).status).toBe(404)
    expect((await buyer.b.post(`/ops/orders/${id}/cancellation`, { cancel: 'on' })).status).toBe(404)
    const visitor = await t.browser().get('/ops/orders')
    expect([visitor.status, visitor.headers.get('Location')]).toEqual([303, '/login'])
    const crossSite = await ops.post(`/ops/orders/${id}/payment`, { received: 'on' }, { Origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    expect((await orderRow(id)).status).toBe('pending_payment')
    expect(await invoicesOf(id)).toEqual([])
  })
})

describe('an order’s page', () => {
  it('shows the buyer, the billing details, the lines and totals, and the two forms; an unknown id is a 404', async () => {
    const buyer = await adminWithOrg(t, 'detail@example.com')
    const { id, number } = await silverOrder(buyer)
    const html = await (await ops.get(`/ops/orders/${id}`)).text()
    const page = textOf(html)
    expect(page).toContain(`Order ${number}`)
    expect(page).toContain(`Transfer title ${number}`)
    expect(page).toContain('Invoice not issued')
    expect(page).toContain('Org of detail@example.com')
    expect(page).toContain('ul. Polna 3, 00-003 Warszawa, PL Billing e-mail detail@example.com')
    expect(page).toContain('Sekretariat Silver, 1 year 1 PLN 290.00 23 % PLN 66.70 Total PLN 290.00 PLN 66.70 Total PLN 356.70')
    expect(page).toContain('No payment attempts yet.')
    expect(page).toContain(`I have checked that PLN 356.70 arrived with the title ${number}.`)
    expect(html).toContain(`action="/ops/orders/${id}/payment"`)
    expect(html).toContain(`action="/ops/orders/${id}/cancellation"`)
    expect((await ops.get('/ops/orders/nope')).status).toBe(404)
    expect((await ops.post('/ops/orders/nope/payment', { received: 'on' })).status).toBe(404)
    expect((await ops.post('/ops/orders/nope/cancellation', { cancel: 'on' })).status).toBe(404)
  })
})

describe('marking an order paid', () => {
  it('needs the box ticked, then pays and fulfils it: invoice, active subscription, payment e-mail and history', async () => {
    const buyer = await adminWithOrg(t, 'pay1@example.com')
    const { id, number } = await silverOrder(buyer)
    const unticked = await ops.post(`/ops/orders/${id}/payment`, {})
    expect(unticked.status).toBe(422)
    expect(textOf(await unticked.text())).toContain('Tick the box to confirm that the money has arrived.')
    expect((await orderRow(id)).status).toBe('pending_payment')

    const res = await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })
    expect([res.status, res.headers.get('Location')]).toEqual([303, `/ops/orders/${id}`])
    const [invoice] = await invoicesOf(id)
    const html = await (await ops.follow(res)).text()
    expect(textOf(html)).toContain(`Order ${number} is paid: what it bought is active and invoice ${invoice!.number} is issued.`)
    expect(textOf(html)).toContain(`Invoice ${invoice!.number}`)
    expect(html).not.toContain(`action="/ops/orders/${id}/payment"`)
    expect(await orderRow(id)).toMatchObject({ status: 'paid', paidVia: 'operator', paidAt: t.clock.now() })
    const subs = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))
    expect(subs.map((s) => [s.snapshot.planName, s.status, s.source])).toEqual([['Silver', 'active', 'order']])
    expect(await mailsTo('pay1@example.com', 'order.paid')).toHaveLength(1)
    const entries = await t.db.select().from(history).where(and(eq(history.orgId, buyer.org.id), eq(history.kind, 'order.paid')))
    expect(entries).toEqual([expect.objectContaining({ actorType: 'operator', actorLabel: expect.stringContaining('operator@example.com') })])
    const recorded = await t.db.select().from(payments).where(eq(payments.orderId, id))
    expect(recorded.map((p) => [p.provider, p.kind, p.status, p.amountMinor])).toEqual([['manual', 'manual', 'succeeded', 35670]])
  })

  it('a second time is a 409 saying it is already paid, with no second invoice, e-mail or payment', async () => {
    const buyer = await adminWithOrg(t, 'pay2@example.com')
    const { id } = await silverOrder(buyer)
    expect((await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })).status).toBe(303)
    const again = await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('This order is already paid. Nothing was changed.')
    expect(await invoicesOf(id)).toHaveLength(1)
    expect(await mailsTo('pay2@example.com', 'order.paid')).toHaveLength(1)
    expect(await t.db.select().from(payments).where(eq(payments.orderId, id))).toHaveLength(1)
  })

  it('shows a provider payment that arrived after an operator marked it paid as paid twice, refund due', async () => {
    const buyer = await adminWithOrg(t, 'twice@example.com')
    const { id } = await silverOrder(buyer, 'card')
    const paymentId = await hostedPayment(id, buyer.org.id)
    expect((await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })).status).toBe(303)
    expect(await providerSuccess(paymentId)).toEqual({ ok: true, effect: 'order_not_pending' })
    const page = textOf(await (await ops.get(`/ops/orders/${id}`)).text())
    expect(page).toContain('This order was paid twice: money arrived after it was already paid. Refund the payment marked below.')
    expect(page).toContain('test PLN 356.70 succeeded paid twice — refund due')
    expect(await invoicesOf(id)).toHaveLength(1)
  })
})

describe('cancelling an order', () => {
  it('needs the box ticked, then cancels it and tells the buyer; it can no longer be marked paid', async () => {
    const buyer = await adminWithOrg(t, 'cancel1@example.com')
    const { id, number } = await silverOrder(buyer)
    const unticked = await ops.post(`/ops/orders/${id}/cancellation`, {})
    expect(unticked.status).toBe(422)
    expect(textOf(await unticked.text())).toContain('Tick the box to confirm the cancellation.')
    expect((await orderRow(id)).status).toBe('pending_payment')

    const res = await ops.post(`/ops/orders/${id}/cancellation`, { cancel: 'on' })
    expect([res.status, res.headers.get('Location')]).toEqual([303, `/ops/orders/${id}`])
    expect(textOf(await (await ops.follow(res)).text())).toContain(`Order ${number} has been cancelled and the buyer told.`)
    expect(await orderRow(id)).toMatchObject({ status: 'cancelled', cancelledAt: t.clock.now(), paidAt: null })
    expect(await mailsTo('cancel1@example.com', 'order.cancelled')).toHaveLength(1)
    const entries = await t.db.select().from(history).where(and(eq(history.orgId, buyer.org.id), eq(history.kind, 'order.cancelled')))
    expect(entries).toEqual([expect.objectContaining({ actorType: 'operator' })])

    const pay = await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })
    expect(pay.status).toBe(409)
    expect(textOf(await pay.text())).toContain('This order is already cancelled. Nothing was changed.')
    expect(await invoicesOf(id)).toEqual([])
    expect((await orderRow(id)).status).toBe('cancelled')
  })

  it('refuses a paid order: 409, it stays paid and the buyer gets no cancellation', async () => {
    const buyer = await adminWithOrg(t, 'cancel2@example.com')
    const { id } = await silverOrder(buyer)
    expect((await ops.post(`/ops/orders/${id}/payment`, { received: 'on' })).status).toBe(303)
    const res = await ops.post(`/ops/orders/${id}/cancellation`, { cancel: 'on' })
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('This order is already paid. Nothing was changed.')
    expect(await orderRow(id)).toMatchObject({ status: 'paid', cancelledAt: null })
    expect(await mailsTo('cancel2@example.com', 'order.cancelled')).toEqual([])
    const subs = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))
    expect(subs.map((s) => s.status)).toEqual(['active'])
  })
})

describe('an operator and the provider racing to settle the same order', () => {
  it('has exactly one effect each of ten rounds: one invoice, one subscription, the other payment kept for a refund', async () => {
    for (let round = 0; round < 10; round++) {
      const buyer = await adminWithOrg(t, `race${round}@example.com`)
      const { id } = await silverOrder(buyer, 'card')
      const paymentId = await hostedPayment(id, buyer.org.id)
      // The webhook starts a few more microtasks later each round, so the two meet at different points
      // of the operator's request (a timer would let the whole request finish first).
      const webhook = (async () => {
        for (let tick = 0; tick < round * 20; tick++) await Promise.resolve()
        return providerSuccess(paymentId)
      })()
      const [marked, settled] = await Promise.all([ops.post(`/ops/orders/${id}/payment`, { received: 'on' }), webhook])
      const operatorWon = marked.status === 303
      expect(marked.status, `round ${round}`).toBe(operatorWon ? 303 : 409)
      expect(settled, `round ${round}`).toEqual({ ok: true, effect: operatorWon ? 'order_not_pending' : 'paid' })
      expect(await invoicesOf(id)).toHaveLength(1)
      expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))).toHaveLength(1)
      expect(await t.db.select().from(history).where(and(eq(history.orgId, buyer.org.id), eq(history.kind, 'order.paid')))).toHaveLength(1)
      expect(await mailsTo(`race${round}@example.com`, 'order.paid')).toHaveLength(1)
      expect((await orderRow(id)).paidVia).toBe(operatorWon ? 'operator' : 'provider')
    }
  })
})
