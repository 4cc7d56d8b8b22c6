// Stripe's webhook (SPEC §7): POST /webhooks/stripe, outside any session or org. The signature is
// checked on the raw body before anything else; then the event becomes an outcome for settlePayment,
// which stores the event id under a unique key in the same transaction as the effect, so repeated
// and concurrent deliveries change nothing a second time.
//
// Events for a payment this panel doesn't know (another integration on the same Stripe account,
// a session without our metadata) get 200 and no write: the payment row is always written before
// Stripe is called, so a retry would never find it either, and a 4xx would only make Stripe retry
// for three days and then disable the endpoint.
import { Hono } from 'hono'
import type Stripe from 'stripe'
import { and, eq } from 'drizzle-orm'
import type { Deps } from '../deps'
import { payments } from '../db/schema'
import { settlePayment, type Outcome } from '../services/payments'
import { isStripeError, StripePaymentProvider } from '../payments/stripe'
import type { AppEnv } from './env'

export const webhookRoutes = new Hono<AppEnv>()

webhookRoutes.post('/stripe', async (c) => {
  const { deps, now } = c.var
  const config = deps.config.stripe
  if (!config) return c.json({ error: 'not_found' }, 404)
  const stripe = deps.payments instanceof StripePaymentProvider ? deps.payments : new StripePaymentProvider(config)
  // The exact bytes Stripe signed: parsing and re-serialising the JSON would break the signature.
  const event = await stripe.verifyWebhook(await c.req.text(), c.req.header('Stripe-Signature'), now)
  if (!event) return c.json({ error: 'invalid_signature' }, 400)

  let found: Found
  try {
    found = await outcomeOf(deps, stripe, event)
  } catch (e) {
    // Stripe didn't answer about the saved method: nothing is written yet, and Stripe retries a 5xx.
    if (!isStripeError(e)) throw e
    console.error(`Stripe webhook ${event.id}: could not read the payment method (${e.type}: ${e.message})`)
    return c.json({ error: 'stripe_unavailable' }, 503)
  }
  if (!found.ok) return c.json({ received: true, ignored: found.reason })
  const r = await settlePayment(deps, { provider: 'stripe', eventId: event.id, eventType: event.type, ...found.outcome }, now)
  if (!r.ok) return c.json({ received: true, ignored: r.error })
  return c.json({ received: true })
})

type Verdict = Pick<Outcome, 'paymentId' | 'providerRef' | 'outcome' | 'reason' | 'savedMethod'>
type Found = { ok: true; outcome: Verdict } | { ok: false; reason: 'event_type' | 'not_ours' | 'unknown_payment' | 'other_kind' | 'not_paid' }

async function outcomeOf(deps: Deps, stripe: StripePaymentProvider, event: Stripe.Event): Promise<Found> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object
      const payment = await paymentFor(deps, session.metadata?.payment_id ?? session.client_reference_id, 'hosted')
      if (!payment.ok) return payment
      // A delayed method completes the session unpaid; async_payment_succeeded follows.
      if (session.payment_status !== 'paid') return { ok: false, reason: 'not_paid' }
      const intentId = idOf(session.payment_intent)
      // Only a payment still waiting needs the saved method, which costs a call to Stripe.
      const savedMethod = intentId && payment.status !== 'succeeded' ? await stripe.savedMethodOf(intentId) : null
      return { ok: true, outcome: { paymentId: payment.id, providerRef: session.id, outcome: 'succeeded', savedMethod } }
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object
      const payment = await paymentFor(deps, session.metadata?.payment_id ?? session.client_reference_id, 'hosted')
      if (!payment.ok) return payment
      const reason = event.type === 'checkout.session.expired' ? 'expired' : 'async_payment_failed'
      return { ok: true, outcome: { paymentId: payment.id, providerRef: session.id, outcome: 'failed', reason } }
    }
    // Renewals' charges. A hosted payment's PaymentIntent carries the same metadata, but those
    // are settled by the session events above.
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object
      const payment = await paymentFor(deps, intent.metadata?.payment_id, 'off_session')
      if (!payment.ok) return payment
      if (event.type === 'payment_intent.succeeded') return { ok: true, outcome: { paymentId: payment.id, providerRef: intent.id, outcome: 'succeeded' } }
      const reason = intent.last_payment_error?.code ?? 'declined'
      return { ok: true, outcome: { paymentId: payment.id, providerRef: intent.id, outcome: 'failed', reason } }
    }
    default:
      return { ok: false, reason: 'event_type' }
  }
}

async function paymentFor(deps: Deps, paymentId: string | null | undefined, kind: 'hosted' | 'off_session') {
  if (!paymentId) return { ok: false as const, reason: 'not_ours' as const }
  const row = await deps.db
    .select({ id: payments.id, kind: payments.kind, status: payments.status })
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.provider, 'stripe')))
    .get()
  if (!row) return { ok: false as const, reason: 'unknown_payment' as const }
  if (row.kind !== kind) return { ok: false as const, reason: 'other_kind' as const }
  return { ok: true as const, ...row }
}

function idOf(ref: string | { id: string } | null): string | null {
  return typeof ref === 'string' ? ref : (ref?.id ?? null)
}
