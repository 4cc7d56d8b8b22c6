import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { invoices, licences, orders, outbox, payments, providerEvents, savedMethods, subscriptions } from '../../src/db/schema'
import { StripePaymentProvider } from '../../src/payments/stripe'
import { testApp } from '../helpers/app'
import { stripeTestApp } from './stripe-setup'

const { t, fake, stripe, orderAtCheckout, deliver } = await stripeTestApp()

async function effectsFor(orgId: string, orderId: string, email: string) {
  return {
    order: (await t.db.select().from(orders).where(eq(orders.id, orderId)).get())!,
    subscriptions: await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, orgId)),
    licences: await t.db.select().from(licences).where(eq(licences.orgId, orgId)),
    invoices: await t.db.select().from(invoices).where(eq(invoices.orderId, orderId)),
    mails: await t.db.select().from(outbox).where(and(eq(outbox.to, email), eq(outbox.template, 'order.paid'))),
    methods: await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, orgId)),
  }
}

const eventRows = (eventId: string) => t.db.select().from(providerEvents).where(and(eq(providerEvents.provider, 'stripe'), eq(providerEvents.eventId, eventId)))

describe('starting a Stripe Checkout', () => {
  it('creates a Checkout Session for the order’s gross amount that keeps the card for renewals', async () => {
    const { buyer, order, payment, session, url } = await orderAtCheckout('start@example.com')
    const sent = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.params.client_reference_id === payment.id)!
    expect(sent.authorization).toBe(`Bearer ${stripe.secretKey}`)
    expect(sent.idempotencyKey).toBe(`checkout-${payment.id}`)
    expect(sent.params).toMatchObject({
      mode: 'payment',
      allowed_payment_method_types: ['card'],
      line_items: [{ quantity: '1', price_data: { currency: 'pln', unit_amount: '35670', product_data: { name: `Order ${order.number}` } } }],
      customer_creation: 'always',
      customer_email: 'start@example.com',
      payment_intent_data: { setup_future_usage: 'off_session', metadata: { payment_id: payment.id } },
      metadata: { payment_id: payment.id },
      locale: 'en',
    })
    expect(sent.params.success_url).toBe(`http://localhost/o/${buyer.slug}/orders/${order.id}?payment=${payment.id}`)
    expect(url).toBe(session.url)
    expect([payment.provider, payment.kind, payment.status, payment.amountMinor, payment.providerRef]).toEqual(['stripe', 'hosted', 'pending', 35670, session.id])
  })

  it('offers only PayPal to a buyer who chose PayPal', async () => {
    const { payment } = await orderAtCheckout('paypal-start@example.com', 'paypal')
    const sent = fake.requests.find((r) => r.path === '/v1/checkout/sessions' && r.params.client_reference_id === payment.id)!
    expect(sent.params.allowed_payment_method_types).toEqual(['paypal'])
  })
})

describe('POST /webhooks/stripe', () => {
  it('pays the order on checkout.session.completed: subscription with auto-renewal, one invoice, one e-mail, the card saved', async () => {
    const { buyer, order, payment, session } = await orderAtCheckout('paid@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    const res = await deliver(signed)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ received: true })
    const intentId = fake.sessions.get(session.id)!.payment_intent
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${intentId}` && r.params.expand?.[0] === 'payment_method')).toBe(true)
    const e = await effectsFor(buyer.org.id, order.id, 'paid@example.com')
    expect([e.order.status, e.order.paidVia]).toEqual(['paid', 'provider'])
    expect(e.subscriptions.map((s) => [s.status, s.autoRenew, s.periodEnd?.toISOString()])).toEqual([['active', true, '2027-11-20T10:00:00.000Z']])
    expect([e.licences.length, e.invoices.length, e.mails.length]).toEqual([1, 1, 1])
    const intent = fake.intents.get(intentId)!
    expect(e.methods.map((m) => [m.provider, m.customerRef, m.methodRef, m.label])).toEqual([['stripe', intent.customer, intent.payment_method, 'Visa •••• 4242']])
    const settled = (await t.db.select().from(payments).where(eq(payments.id, payment.id)).get())!
    expect([settled.status, settled.providerRef]).toEqual(['succeeded', session.id])
    expect((await eventRows(signed.event.id)).map((r) => r.type)).toEqual(['checkout.session.completed'])
  })

  it('saves a PayPal account as “PayPal”', async () => {
    const { buyer, order, session } = await orderAtCheckout('paypal@example.com', 'paypal')
    expect((await deliver(fake.completeSession(session.id, { method: 'paypal' }))).status).toBe(200)
    const e = await effectsFor(buyer.org.id, order.id, 'paypal@example.com')
    expect([e.order.status, e.methods.map((m) => m.label), e.subscriptions[0]?.autoRenew]).toEqual(['paid', ['PayPal'], true])
  })

  it('has one effect when the same event is delivered 10 times in a row', async () => {
    const { buyer, order, session } = await orderAtCheckout('tenfold@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    const bodies = []
    for (let i = 0; i < 10; i++) {
      const res = await deliver(signed)
      expect(res.status).toBe(200)
      bodies.push(await res.json())
    }
    expect(bodies).toEqual(Array(10).fill({ received: true }))
    const e = await effectsFor(buyer.org.id, order.id, 'tenfold@example.com')
    expect([e.order.status, e.subscriptions.length, e.licences.length, e.invoices.length, e.mails.length, e.methods.length]).toEqual(['paid', 1, 1, 1, 1, 1])
    expect(await eventRows(signed.event.id)).toHaveLength(1)
  })

  it('has one effect when the same event is delivered 20 times at once', async () => {
    const { buyer, order, session } = await orderAtCheckout('twentyfold@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(signed)))
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
    const e = await effectsFor(buyer.org.id, order.id, 'twentyfold@example.com')
    expect([e.order.status, e.subscriptions.length, e.licences.length, e.invoices.length, e.mails.length, e.methods.length]).toEqual(['paid', 1, 1, 1, 1, 1])
    expect(await eventRows(signed.event.id)).toHaveLength(1)
  })

  it('refuses a tampered body, a missing signature and another secret’s signature with 400, writing nothing', async () => {
    const { buyer, order, session } = await orderAtCheckout('tampered@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    const tampered = signed.payload.replace('"amount_total": 35670', '"amount_total": 100')
    expect(tampered).not.toBe(signed.payload)
    const attempts = [
      { payload: tampered, header: signed.header },
      { payload: signed.payload, header: '' },
      { payload: signed.payload, header: fake.sign(signed.payload, undefined, 'whsec_someone_else') },
    ]
    for (const attempt of attempts) {
      const res = await deliver(attempt)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: 'invalid_signature' })
    }
    const e = await effectsFor(buyer.org.id, order.id, 'tampered@example.com')
    expect([e.order.status, e.subscriptions.length, e.invoices.length]).toEqual(['pending_payment', 0, 0])
    expect(await eventRows(signed.event.id)).toHaveLength(0)
  })

  it('refuses a delivery signed 301 s ago and accepts one signed 299 s ago', async () => {
    const { order, session } = await orderAtCheckout('replayed@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    const at = (s: number) => new Date(t.clock.now().getTime() - s * 1000)
    const old = await deliver({ payload: signed.payload, header: fake.sign(signed.payload, at(301)) })
    expect(old.status).toBe(400)
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('pending_payment')
    expect(await eventRows(signed.event.id)).toHaveLength(0)
    const recent = await deliver({ payload: signed.payload, header: fake.sign(signed.payload, at(299)) })
    expect(recent.status).toBe(200)
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('paid')
  })

  it('answers 503 and writes nothing when Stripe can’t say which method was saved; the retried delivery pays', async () => {
    const { order, session } = await orderAtCheckout('stripe-down@example.com')
    const signed = fake.completeSession(session.id, { method: 'card' })
    // The first request and the client's two retries.
    fake.fail('GET', `/v1/payment_intents/${fake.sessions.get(session.id)!.payment_intent}`, 3)
    const first = await deliver(signed)
    expect([first.status, await first.json()]).toEqual([503, { error: 'stripe_unavailable' }])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('pending_payment')
    expect(await eventRows(signed.event.id)).toHaveLength(0)
    expect((await deliver(signed)).status).toBe(200)
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('paid')
  })

  it('answers 200 without any effect for a payment it doesn’t know, so Stripe stops retrying', async () => {
    const provider = new StripePaymentProvider(stripe)
    const foreign = await provider.startHostedCheckout({
      paymentId: 'not-a-kontor-payment',
      orderNumber: 'ELSEWHERE/1',
      amountMinor: 1000,
      currency: 'EUR',
      method: 'card',
      customerEmail: 'other@example.com',
      language: 'de',
      saveMethod: false,
      customerRef: null,
      successUrl: 'https://elsewhere.example/ok',
      cancelUrl: 'https://elsewhere.example/cancel',
    })
    if (!foreign.ok) throw new Error('the fake refused the session')
    const signed = fake.completeSession(foreign.providerRef, { method: 'card' })
    const before = fake.requests.length
    const res = await deliver(signed)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ received: true, ignored: 'unknown_payment' })
    expect(fake.requests.length).toBe(before)
    expect(await eventRows(signed.event.id)).toHaveLength(0)
    expect(await t.db.select().from(payments).where(eq(payments.id, 'not-a-kontor-payment'))).toHaveLength(0)
  })

  it('acknowledges event types it doesn’t handle and ignores them', async () => {
    const signed = fake.event('customer.created', { id: 'cus_X', object: 'customer' })
    const res = await deliver(signed)
    expect([res.status, await res.json()]).toEqual([200, { received: true, ignored: 'event_type' }])
    expect(await eventRows(signed.event.id)).toHaveLength(0)
  })

  it('fails the attempt when the session expires, leaving the order payable', async () => {
    const { order, payment, session } = await orderAtCheckout('expired@example.com')
    expect((await deliver(fake.expireSession(session.id))).status).toBe(200)
    const attempt = (await t.db.select().from(payments).where(eq(payments.id, payment.id)).get())!
    expect([attempt.status, attempt.error]).toEqual(['failed', 'expired'])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('pending_payment')
  })

  it('leaves a hosted payment to its session events when its PaymentIntent’s events arrive', async () => {
    const { order, session } = await orderAtCheckout('intent-first@example.com')
    fake.completeSession(session.id, { method: 'card' })
    const intent = fake.intents.get(fake.sessions.get(session.id)!.payment_intent)!
    const res = await deliver(fake.event('payment_intent.succeeded', intent))
    expect([res.status, await res.json()]).toEqual([200, { received: true, ignored: 'other_kind' }])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('pending_payment')
  })

  it('is 404 when Stripe is not configured', async () => {
    const plain = await testApp()
    const { payload, header } = fake.event('checkout.session.completed', { id: 'cs_test_x', object: 'checkout.session' })
    const res = await plain.app.request('/webhooks/stripe', { method: 'POST', body: payload, headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header } })
    expect(res.status).toBe(404)
  })
})

