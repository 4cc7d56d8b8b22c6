// The edge to whoever takes card and PayPal money (SPEC §7): the built-in test provider for local
// use, or Stripe. The app never calls a provider inside a database transaction (CONVENTIONS §6):
// a payment row is written first, its id is the idempotency key, and the outcome comes back later
// (a webhook, the test provider's page, or the charge's answer) to settlePayment.

export type HostedCheckout = {
  /** The payment row's id: the idempotency key and the reference that comes back with the outcome. */
  paymentId: string
  orderNumber: string
  amountMinor: number
  currency: string
  method: 'card' | 'paypal'
  customerEmail: string
  language: string
  /** Keep the method for renewals (card and PayPal always do, SPEC §8). */
  saveMethod: boolean
  /** A customer the provider already knows for this org, so saved methods gather in one place. */
  customerRef: string | null
  successUrl: string
  cancelUrl: string
}

export type OffSessionCharge = {
  paymentId: string
  /** Derived from the payment-attempt row: the same attempt is never charged twice. */
  idempotencyKey: string
  amountMinor: number
  currency: string
  customerRef: string
  methodRef: string
  description: string
}

export type ChargeResult =
  | { status: 'succeeded'; providerRef: string }
  | { status: 'declined'; providerRef: string | null; reason: string }
  /** No answer (timeout, network): the charge may or may not have happened; reconcile later. */
  | { status: 'unknown' }

export interface PaymentProvider {
  readonly name: 'test' | 'stripe'
  /** Starts the provider's hosted page; the buyer's browser is sent to `url`. */
  startHostedCheckout(input: HostedCheckout): Promise<{ ok: true; url: string; providerRef: string } | { ok: false; error: 'unavailable' }>
  /** Charges a saved method without the buyer present (renewals). */
  chargeOffSession(input: OffSessionCharge): Promise<ChargeResult>
  /** What became of an earlier charge with this idempotency key (after an `unknown`). */
  findCharge(idempotencyKey: string): Promise<ChargeResult | { status: 'not_found' }>
  /**
   * Takes a saved method off the customer at the provider, so nothing can charge it any more.
   * `detached` also when it was already gone; `unavailable` when the provider could not be asked.
   */
  detachMethod(methodRef: string): Promise<'detached' | 'unavailable'>
}

/** A saved method as the provider reports it after a hosted payment. */
export type SavedMethodInfo = { customerRef: string; methodRef: string; label: string; method: 'card' | 'paypal' }
