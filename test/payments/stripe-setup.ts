// The app configured for Stripe, pointed at the fake Stripe server, with helpers to place a card or
// PayPal order, start its hosted payment and deliver webhook events the way Stripe does.
import { afterAll } from 'vitest'
import { desc, eq } from 'drizzle-orm'
import { payments } from '../../src/db/schema'
import { getOrder } from '../../src/services/orders'
import { startHostedPayment } from '../../src/services/payments'
import { testApp } from '../helpers/app'
import { startFakeStripe, type SignedEvent } from '../helpers/fake-stripe'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'

export const SECRET_KEY = 'sk_test_51KontorFakeSecretKey'
export const WEBHOOK_SECRET = 'whsec_kontorFakeWebhookSecret'

export async function stripeTestApp() {
  const fake = await startFakeStripe({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, now: () => t.clock.now() })
  afterAll(() => fake.close())
  const stripe = { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, apiBase: fake.url }
  const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { paymentProvider: 'stripe', stripe } })
  await t.seedCatalog()

  /** A 12-month Silver subscription ordered by a new org's admin: PLN 356.70 gross. */
  async function placeSilverOrder(email: string, method: 'card' | 'paypal' = 'card') {
    const buyer = await adminWithOrg(t, email)
    const placed = await orderFor(t, buyer, method)
    const order = (await getOrder(t.db, buyer.org.id, placed.id))!
    return { buyer, order }
  }

  /** Places an order and sends the buyer to Checkout; returns the attempt and its session at the fake. */
  async function orderAtCheckout(email: string, method: 'card' | 'paypal' = 'card') {
    const { buyer, order } = await placeSilverOrder(email, method)
    const started = await startHostedPayment(t.deps, order, buyer.slug, email, t.clock.now())
    if (!started.ok) throw new Error(`checkout did not start: ${started.error}`)
    const payment = (await t.db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(desc(payments.createdAt)).get())!
    const session = fake.sessions.get(payment.providerRef!)!
    return { buyer, order, payment, session, url: started.url }
  }

  /** POST /webhooks/stripe as Stripe sends it: the JSON body as signed, and the signature header. */
  function deliver(signed: Pick<SignedEvent, 'payload' | 'header'>) {
    return t.app.request('/webhooks/stripe', {
      method: 'POST',
      body: signed.payload,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signed.header, 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
    })
  }

  return { t, fake, stripe, placeSilverOrder, orderAtCheckout, deliver }
}
