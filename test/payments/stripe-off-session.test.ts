import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { invoices, orders, payments } from '../../src/db/schema'
import { generateId } from '../../src/auth/tokens'
import { StripePaymentProvider } from '../../src/payments/stripe'
import type { OffSessionCharge } from '../../src/payments/provider'
import { startHostedPayment } from '../../src/services/payments'
import { stripeTestApp } from './stripe-setup'

const { t, fake, stripe, placeSilverOrder, deliver } = await stripeTestApp()

/** An order with an off-session attempt written first (as renewals do), and a card saved at Stripe. */
async function offSessionAttempt(email: string) {
  const { buyer, order } = await placeSilverOrder(email)
  const paymentId = generateId()
  await t.db.insert(payments).values({ id: paymentId, orderId: order.id, orgId: buyer.org.id, provider: 'stripe', kind: 'off_session', status: 'pending', amountMinor: order.grossMinor, currency: order.currency, createdAt: t.clock.now() })
  const card = fake.savedCard()
  const charge: OffSessionCharge = {
    paymentId,
    idempotencyKey: `renewal-${paymentId}`,
    amountMinor: order.grossMinor,
    currency: order.currency,
    customerRef: card.customer,
    methodRef: card.paymentMethod,
    description: `Order ${order.number}`,
  }
  return { order, paymentId, card, charge }
}

const intentRequests = (key: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.params.metadata?.idempotency_key === key)
const intentsFor = (key: string) => [...fake.intents.values()].filter((i) => i.metadata.idempotency_key === key)
const attempt = async (id: string) => (await t.db.select().from(payments).where(eq(payments.id, id)).get())!

describe('charging a saved method off-session', () => {
  it('confirms a PaymentIntent under the attempt’s idempotency key; payment_intent.succeeded then settles the attempt once', async () => {
    const { order, paymentId, card, charge } = await offSessionAttempt('renews@example.com')
    const result = await t.deps.payments!.chargeOffSession(charge)
    const [intent] = intentsFor(charge.idempotencyKey)
    expect(result).toEqual({ status: 'succeeded', providerRef: intent!.id })
    const [sent] = intentRequests(charge.idempotencyKey)
    expect(sent!.idempotencyKey).toBe(charge.idempotencyKey)
    expect(sent!.params).toEqual({
      amount: '35670',
      currency: 'pln',
      customer: card.customer,
      payment_method: card.paymentMethod,
      confirm: 'true',
      off_session: 'true',
      description: `Order ${order.number}`,
      metadata: { payment_id: paymentId, idempotency_key: charge.idempotencyKey },
    })
    const signed = fake.event('payment_intent.succeeded', intent!)
    for (let i = 0; i < 3; i++) expect((await deliver(signed)).status).toBe(200)
    expect([(await attempt(paymentId)).status, (await attempt(paymentId)).providerRef]).toEqual(['succeeded', intent!.id])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('paid')
    expect(await t.db.select().from(invoices).where(eq(invoices.orderId, order.id))).toHaveLength(1)
  })

  it('reports a declined card with its PaymentIntent and reason; payment_intent.payment_failed fails the attempt', async () => {
    const { order, paymentId, card, charge } = await offSessionAttempt('declines@example.com')
    fake.decline(card.paymentMethod)
    const result = await t.deps.payments!.chargeOffSession(charge)
    const [intent] = intentsFor(charge.idempotencyKey)
    expect(result).toEqual({ status: 'declined', providerRef: intent!.id, reason: 'card_declined' })
    expect((await deliver(fake.event('payment_intent.payment_failed', intent!))).status).toBe(200)
    expect([(await attempt(paymentId)).status, (await attempt(paymentId)).error]).toEqual(['failed', 'card_declined'])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('pending_payment')
  })

  it('declines a method Stripe no longer has, without a PaymentIntent', async () => {
    const { charge } = await offSessionAttempt('detached@example.com')
    const result = await t.deps.payments!.chargeOffSession({ ...charge, methodRef: 'pm_gone' })
    expect(result).toEqual({ status: 'declined', providerRef: null, reason: 'resource_missing' })
  })

  it('calls a charge whose answer never came unknown; findCharge finds it by the key, and charging again does not charge twice', async () => {
    const { charge } = await offSessionAttempt('timeout@example.com')
    const impatient = new StripePaymentProvider(stripe, { timeoutMs: 300, maxNetworkRetries: 0 })
    fake.hang('POST', '/v1/payment_intents')
    expect(await impatient.chargeOffSession(charge)).toEqual({ status: 'unknown' })
    const [intent] = intentsFor(charge.idempotencyKey)
    expect(await t.deps.payments!.findCharge(charge.idempotencyKey)).toEqual({ status: 'succeeded', providerRef: intent!.id })
    const search = fake.requests.filter((r) => r.path === '/v1/payment_intents/search').at(-1)!
    expect(search.params.query).toBe(`metadata['idempotency_key']:'${charge.idempotencyKey}'`)
    expect(await t.deps.payments!.chargeOffSession(charge)).toEqual({ status: 'succeeded', providerRef: intent!.id })
    expect(intentRequests(charge.idempotencyKey).map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      [charge.idempotencyKey, false],
      [charge.idempotencyKey, true],
    ])
    expect(intentsFor(charge.idempotencyKey)).toHaveLength(1)
  })

  it('retries a lost answer under the same Idempotency-Key and gets the one PaymentIntent', async () => {
    const { charge } = await offSessionAttempt('retried@example.com')
    const retrying = new StripePaymentProvider(stripe, { timeoutMs: 300, maxNetworkRetries: 1 })
    fake.hang('POST', '/v1/payment_intents')
    const result = await retrying.chargeOffSession(charge)
    const [intent] = intentsFor(charge.idempotencyKey)
    expect(result).toEqual({ status: 'succeeded', providerRef: intent!.id })
    expect(intentRequests(charge.idempotencyKey).map((r) => r.idempotencyKey)).toEqual([charge.idempotencyKey, charge.idempotencyKey])
    expect(intentsFor(charge.idempotencyKey)).toHaveLength(1)
  })

  it('finds nothing for a key Stripe never saw', async () => {
    expect(await t.deps.payments!.findCharge('renewal-never-sent')).toEqual({ status: 'not_found' })
  })
})

describe('when Stripe cannot be reached', () => {
  const unreachable = new StripePaymentProvider({ ...stripe, apiBase: 'http://127.0.0.1:9' }, { timeoutMs: 500, maxNetworkRetries: 0 })

  it('fails the hosted attempt as provider_unavailable and leaves the order payable', async () => {
    const { buyer, order } = await placeSilverOrder('down@example.com')
    const started = await startHostedPayment({ ...t.deps, payments: unreachable }, order, buyer.slug, 'down@example.com', t.clock.now())
    expect(started).toEqual({ ok: false, error: 'unavailable' })
    const [row] = await t.db.select().from(payments).where(eq(payments.orderId, order.id))
    expect([row!.status, row!.error]).toEqual(['failed', 'provider_unavailable'])
  })

  it('calls an off-session charge unknown, and so its look-up', async () => {
    const { charge } = await offSessionAttempt('down-renewal@example.com')
    expect(await unreachable.chargeOffSession(charge)).toEqual({ status: 'unknown' })
    expect(await unreachable.findCharge(charge.idempotencyKey)).toEqual({ status: 'unknown' })
  })
})
