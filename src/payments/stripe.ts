// The Stripe adapter (SPEC §7): Checkout Sessions for card and PayPal that keep the method for
// renewals, off-session PaymentIntents keyed by the payment-attempt row, detaching a removed method,
// and webhook verification on the raw body. Talks to Stripe through fetch and SubtleCrypto, so the
// same code runs on Node and on Workers; the stripe package is imported on first use, so a panel
// without Stripe never loads it.
import type Stripe from 'stripe'
import type { Config } from '../config'
import type { ChargeResult, HostedCheckout, OffSessionCharge, PaymentProvider, SavedMethodInfo } from './provider'

type StripeConfig = NonNullable<Config['stripe']>
type StripeClass = typeof Stripe

/** Stripe's own default; a delivery signed longer ago than this is refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300
const LOCALES = new Set(['en', 'pl', 'it'])
const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
}

let stripeModule: Promise<StripeClass> | undefined
function loadStripe(): Promise<StripeClass> {
  return (stripeModule ??= import('stripe').then((m) => m.default))
}

export type StripeOptions = {
  /** Per request; Stripe's default of 80 s would hold a buyer's request or a cron run too long. */
  timeoutMs?: number
  /** Retries of connection errors and 5xx; they reuse the request's idempotency key. */
  maxNetworkRetries?: number
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const
  #client: Promise<Stripe> | undefined

  constructor(
    private config: StripeConfig,
    private options: StripeOptions = {},
  ) {}

  private client(): Promise<Stripe> {
    return (this.#client ??= loadStripe().then(
      (S) =>
        new S(this.config.secretKey, {
          httpClient: S.createFetchHttpClient(),
          timeout: this.options.timeoutMs ?? 20_000,
          maxNetworkRetries: this.options.maxNetworkRetries ?? 2,
          ...apiAddress(this.config.apiBase),
        }),
    ))
  }

  async startHostedCheckout(input: HostedCheckout) {
    const stripe = await this.client()
    const pays = { metadata: { payment_id: input.paymentId }, description: `Order ${input.orderNumber}` }
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      // Since API version 2026-09-30 this replaces payment_method_types: a filter on the methods
      // Stripe finds eligible, so the buyer sees only the one chosen at checkout.
      allowed_payment_method_types: [input.method],
      line_items: [
        {
          quantity: 1,
          price_data: { currency: input.currency.toLowerCase(), unit_amount: input.amountMinor, product_data: { name: `Order ${input.orderNumber}` } },
        },
      ],
      // One customer per org gathers its saved methods; a first payment creates it.
      ...(input.customerRef ? { customer: input.customerRef } : { customer_creation: 'always' as const, customer_email: input.customerEmail }),
      payment_intent_data: input.saveMethod ? { ...pays, setup_future_usage: 'off_session' } : pays,
      client_reference_id: input.paymentId,
      metadata: { payment_id: input.paymentId },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      locale: LOCALES.has(input.language) ? (input.language as Stripe.Checkout.SessionCreateParams.Locale) : 'auto',
    }
    try {
      const session = await stripe.checkout.sessions.create(params, { idempotencyKey: `checkout-${input.paymentId}` })
      if (!session.url) return { ok: false as const, error: 'unavailable' as const }
      return { ok: true as const, url: session.url, providerRef: session.id }
    } catch (e) {
      if (!isStripeError(e)) throw e
      // A refusal (PayPal not enabled, currency not supported) is a setup problem worth a log line;
      // either way the buyer lands on the order page, where a transfer still works.
      if (e.type !== 'StripeConnectionError' && e.type !== 'StripeAPIError') console.error('Stripe refused a Checkout Session:', e.type, e.code, e.message)
      return { ok: false as const, error: 'unavailable' as const }
    }
  }

  async chargeOffSession(input: OffSessionCharge): Promise<ChargeResult> {
    const stripe = await this.client()
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          customer: input.customerRef,
          payment_method: input.methodRef,
          confirm: true,
          off_session: true,
          description: input.description,
          // findCharge looks the charge up by this after an answer that never came.
          metadata: { payment_id: input.paymentId, idempotency_key: input.idempotencyKey },
        },
        { idempotencyKey: input.idempotencyKey },
      )
      return chargeResultOf(intent)
    } catch (e) {
      if (!isStripeError(e)) throw e
      switch (e.type) {
        case 'StripeCardError':
          return { status: 'declined', providerRef: e.payment_intent?.id ?? null, reason: e.code ?? 'card_declined' }
        case 'StripeInvalidRequestError':
          // The saved method is gone or unusable (detached, expired): as good as a decline, ask the buyer.
          console.error('Stripe refused an off-session charge:', e.code, e.message)
          return { status: 'declined', providerRef: e.payment_intent?.id ?? null, reason: e.code ?? 'invalid_request' }
        case 'StripeAuthenticationError':
        case 'StripePermissionError':
          throw e
        default:
          // Timeouts, lost connections, 5xx, rate limits: the charge may or may not exist.
          return { status: 'unknown' }
      }
    }
  }

  /**
   * Stripe's search is eventually consistent (a new PaymentIntent can take up to a minute to show):
   * `not_found` right after an `unknown` means "not yet known", so retry the same attempt with the
   * same idempotency key (Stripe keeps keys for 24 h) rather than starting a new one.
   */
  async findCharge(idempotencyKey: string): Promise<ChargeResult | { status: 'not_found' }> {
    const stripe = await this.client()
    try {
      const found = await stripe.paymentIntents.search({ query: `metadata['idempotency_key']:'${quote(idempotencyKey)}'`, limit: 10 })
      const intent = found.data.find((i) => i.status === 'succeeded') ?? found.data[0]
      return intent ? chargeResultOf(intent) : { status: 'not_found' }
    } catch (e) {
      if (!isStripeError(e) || e.type === 'StripeAuthenticationError' || e.type === 'StripePermissionError') throw e
      return { status: 'unknown' }
    }
  }

  /** Detaches the PaymentMethod from its Customer; one that is missing or not attached is as good as detached. */
  async detachMethod(methodRef: string): Promise<'detached' | 'unavailable'> {
    const stripe = await this.client()
    try {
      await stripe.paymentMethods.detach(methodRef)
      return 'detached'
    } catch (e) {
      if (!isStripeError(e) || e.type === 'StripeAuthenticationError' || e.type === 'StripePermissionError') throw e
      return e.type === 'StripeInvalidRequestError' ? 'detached' : 'unavailable'
    }
  }

  /** The event if the delivery carries Stripe's signature over exactly this body, signed within the tolerance; else null. */
  async verifyWebhook(body: string, signature: string | undefined, receivedAt: Date): Promise<Stripe.Event | null> {
    if (!signature) return null
    const S = await loadStripe()
    try {
      return await S.webhooks.constructEventAsync(body, signature, this.config.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, S.createSubtleCryptoProvider(), receivedAt.getTime())
    } catch (e) {
      if (isStripeError(e) && e.type === 'StripeSignatureVerificationError') return null
      throw e
    }
  }

  /** The method a hosted payment saved for off-session use (null if it was not kept). Throws if Stripe can't be asked. */
  async savedMethodOf(paymentIntentId: string): Promise<SavedMethodInfo | null> {
    const stripe = await this.client()
    const intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['payment_method'] })
    const method = intent.payment_method
    if (intent.setup_future_usage !== 'off_session' || !intent.customer || !method || typeof method === 'string') return null
    return { customerRef: typeof intent.customer === 'string' ? intent.customer : intent.customer.id, methodRef: method.id, label: labelOf(method), method: method.type === 'paypal' ? 'paypal' : 'card' }
  }
}

function chargeResultOf(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', providerRef: intent.id }
    case 'requires_action':
      // Off-session there is no one to pass 3-D Secure; the buyer has to pay on the panel.
      return { status: 'declined', providerRef: intent.id, reason: 'authentication_required' }
    case 'requires_payment_method':
    case 'canceled':
      return { status: 'declined', providerRef: intent.id, reason: intent.last_payment_error?.code ?? 'declined' }
    default:
      // processing (some PayPal payments) and the like: the webhook or findCharge tells later.
      return { status: 'unknown' }
  }
}

/** What the buyer recognises on the panel: "Visa •••• 4242", "PayPal". */
export function labelOf(method: Stripe.PaymentMethod): string {
  if (method.type === 'card' && method.card) {
    const brand = BRANDS[method.card.brand] ?? method.card.brand.charAt(0).toUpperCase() + method.card.brand.slice(1)
    return `${brand} •••• ${method.card.last4}`
  }
  if (method.type === 'paypal') return 'PayPal'
  return method.type
}

type StripeErrorLike = Error & { type: string; code?: string; payment_intent?: Stripe.PaymentIntent }
export function isStripeError(e: unknown): e is StripeErrorLike {
  const type: unknown = e instanceof Error ? (e as Partial<StripeErrorLike>).type : undefined
  return typeof type === 'string' && type.startsWith('Stripe')
}

/** Single-quoted string in Stripe's search query language. */
function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
}

/** STRIPE_API_BASE (a local fake, stripe-mock) as the client's host, port and protocol. */
function apiAddress(apiBase: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiBase) return {}
  const url = new URL(apiBase)
  const protocol = url.protocol === 'http:' ? 'http' : 'https'
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol }
}
