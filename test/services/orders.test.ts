import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { invoices, licences, orders, outbox, providerEvents, subscriptions } from '../../src/db/schema'
import { markOrderPaid, settlePayment } from '../../src/services/payments'
import { testApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment as hostedPaymentOf, orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const silverOrder = (buyer: Awaited<ReturnType<typeof adminWithOrg>>, method: 'card' | 'transfer' = 'card') => orderFor(t, buyer, method)
const hostedPayment = (orderId: string, orgId: string) => hostedPaymentOf(t, orderId, orgId)

describe('order numbers', () => {
  it('run KON/YYYY/MM/NNNNNN per month with no gaps and no repeats when 20 orders are placed at once', async () => {
    const buyer = await adminWithOrg(t, 'numbers@example.com')
    const placed = await Promise.all(Array.from({ length: 20 }, () => silverOrder(buyer)))
    const numbers = placed.map((p) => p.number).sort()
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `KON/2026/11/${String(i + 1).padStart(6, '0')}`))
    t.clock.set('2026-12-01T09:00:00Z')
    expect((await silverOrder(buyer)).number).toBe('KON/2026/12/000001')
    t.clock.set('2026-11-20T10:00:00Z')
  })

  it('prices a Polish company’s order at 23 %: 290.00 net, 66.70 VAT, 356.70 gross, and queues the confirmation', async () => {
    const buyer = await adminWithOrg(t, 'priced@example.com')
    const { id, number } = await silverOrder(buyer, 'transfer')
    const order = (await t.db.select().from(orders).where(eq(orders.id, id)).get())!
    expect([order.netMinor, order.vatMinor, order.grossMinor, order.status, order.termsVersion]).toEqual([29000, 6670, 35670, 'pending_payment', '2026-11'])
    const mail = (await t.db.select().from(outbox).where(and(eq(outbox.to, 'priced@example.com'), eq(outbox.template, 'order.confirmation'))).get())!
    expect(mail.subject).toBe(`Order ${number} received`)
    expect(mail.text).toContain('Please transfer PLN\u00a0356.70')
    expect(mail.text).toContain(`with the title ${number}`)
  })
})

describe('invoice numbers', () => {
  it('run FV/YYYY/NNNNNN per year of the vendor’s zone, consecutive when orders are paid at once, from 000001 in a new year', async () => {
    const operator = await createUser(t.deps, { email: 'invoices-op@example.com', operator: true })
    const buyer = await adminWithOrg(t, 'invoices@example.com')
    const units = { product: 'simplysign', variant: 'signature-1y', quantity: 1 }
    const placed = await Promise.all(Array.from({ length: 5 }, () => orderFor(t, buyer, 'transfer', units)))
    await Promise.all(placed.map((p) => markOrderPaid(t.deps, p.id, operator as never, t.clock.now())))
    const numbers = (await t.db.select().from(invoices).where(eq(invoices.orgId, buyer.org.id))).map((i) => i.number).sort()
    const sequence = numbers.map((n) => Number(/^FV\/2026\/(\d{6})$/.exec(n)![1]))
    expect(sequence).toEqual(Array.from({ length: 5 }, (_, i) => sequence[0]! + i))
    // 23:30 UTC on 31 December is already 1 January in Warsaw.
    t.clock.set('2026-12-31T23:30:00Z')
    const next = await orderFor(t, buyer, 'transfer', units)
    expect(next.number).toBe('KON/2027/01/000001')
    await markOrderPaid(t.deps, next.id, operator as never, t.clock.now())
    expect((await t.db.select().from(invoices).where(eq(invoices.orderId, next.id)).get())!.number).toBe('FV/2027/000001')
    t.clock.set('2026-11-20T10:00:00Z')
  })
})

describe('settling a payment', () => {
  it('activates the subscription, saves the card and issues one invoice however often the same event arrives', async () => {
    const buyer = await adminWithOrg(t, 'repeat@example.com')
    const { id } = await silverOrder(buyer)
    const paymentId = await hostedPayment(id, buyer.org.id)
    const outcome = { provider: 'test' as const, eventId: `evt_${paymentId}`, eventType: 'test.approved', paymentId, outcome: 'succeeded' as const, savedMethod: { customerRef: 'c1', methodRef: `m_${paymentId}`, label: 'Test card', method: 'card' as const } }
    const effects = []
    for (let i = 0; i < 10; i++) effects.push((await settlePayment(t.deps, outcome, t.clock.now())) as { effect: string })
    expect(effects.map((e) => e.effect)).toEqual(['paid', ...Array(9).fill('duplicate')])
    const subs = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))
    expect(subs.map((s) => [s.snapshot.planName, s.status, s.autoRenew, s.periodEnd?.toISOString()])).toEqual([['Silver', 'active', true, '2027-11-20T10:00:00.000Z']])
    expect(await t.db.select().from(licences).where(eq(licences.orgId, buyer.org.id))).toHaveLength(1)
    expect(await t.db.select().from(invoices).where(eq(invoices.orderId, id))).toHaveLength(1)
    expect(await t.db.select().from(outbox).where(and(eq(outbox.to, 'repeat@example.com'), eq(outbox.template, 'order.paid')))).toHaveLength(1)
  })

  it('has one effect when 20 different events for the same payment arrive concurrently', async () => {
    const buyer = await adminWithOrg(t, 'concurrent@example.com')
    const { id } = await silverOrder(buyer)
    const paymentId = await hostedPayment(id, buyer.org.id)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}_${i}`, eventType: 'test.approved', paymentId, outcome: 'succeeded' }, t.clock.now())),
    )
    expect(results.filter((r) => r.ok && r.effect === 'paid')).toHaveLength(1)
    expect(results.filter((r) => r.ok && r.effect === 'already_settled')).toHaveLength(19)
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))).toHaveLength(1)
    expect(await t.db.select().from(invoices).where(eq(invoices.orderId, id))).toHaveLength(1)
    expect(await t.db.select().from(providerEvents)).not.toHaveLength(0)
  })

  it('lets exactly one of an operator marking it paid and a provider’s success win; the other payment is kept for a refund', async () => {
    const operator = await createUser(t.deps, { email: 'race-op@example.com', operator: true })
    for (let round = 0; round < 5; round++) {
      const buyer = await adminWithOrg(t, `race${round}@example.com`)
      const { id } = await silverOrder(buyer)
      const paymentId = await hostedPayment(id, buyer.org.id)
      const [marked, settled] = await Promise.all([
        markOrderPaid(t.deps, id, { ...operator, totpKey: null } as never, t.clock.now()),
        settlePayment(t.deps, { provider: 'test', eventId: `evt_race_${paymentId}`, eventType: 'test.approved', paymentId, outcome: 'succeeded' }, t.clock.now()),
      ])
      const operatorWon = marked.ok
      expect(settled).toEqual({ ok: true, effect: operatorWon ? 'order_not_pending' : 'paid' })
      expect(await t.db.select().from(invoices).where(eq(invoices.orderId, id))).toHaveLength(1)
      expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))).toHaveLength(1)
      const order = (await t.db.select().from(orders).where(eq(orders.id, id)).get())!
      expect(order.paidVia).toBe(operatorWon ? 'operator' : 'provider')
    }
  })
})
