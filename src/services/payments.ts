// Taking money for orders (SPEC §7): starting a hosted payment, settling it when the outcome comes
// back (webhook or test page), an operator marking a transfer paid, and cancelling unpaid orders.
// Each outcome is one batch: the provider's event id is stored under a unique key with the effect,
// so a repeated or concurrent delivery finds it taken and changes nothing.
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { orders, orgs, payments, providerEvents, savedMethods } from '../db/schema'
import { operatorActor, recordHistory, recordHistoryIfChanged, systemActor, type Actor } from '../db/history'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { enqueueMailIfChanged } from '../mail/outbox'
import { orderCancelledMail } from '../mail/templates/orders'
import type { Language } from '../i18n'
import type { SavedMethodInfo } from '../payments/provider'
import { planFulfilment } from './fulfilment'
import { renewalDeclinedMails } from './renewal-mail'
import { guard, writePlanned } from '../db/guard'
import { orderUrl, type Order } from './orders'

export type StartResult = { ok: true; url: string } | { ok: false; error: 'not_payable' | 'unavailable' }

/**
 * Writes a payment attempt, then asks the provider for its hosted page (never inside a
 * transaction). The attempt's id goes to the provider as the reference that comes back. A renewal
 * order placed for a bank transfer may be paid by card or PayPal instead (its reminders say so).
 */
export async function startHostedPayment(deps: Deps, order: Order, slug: string, email: string, now: Date, method = order.paymentMethod): Promise<StartResult> {
  const online = method !== 'transfer' && (method === order.paymentMethod || order.kind === 'renewal')
  if (order.status !== 'pending_payment' || !online) return { ok: false, error: 'not_payable' }
  const { db, payments: provider } = deps
  // Transfer-only (PAYMENTS=transfer-only): nobody takes card or PayPal money.
  if (!provider) return { ok: false, error: 'unavailable' }
  // The org's customer at the provider, if it has paid before: its saved methods stay together.
  const known = await db
    .select({ customerRef: savedMethods.customerRef })
    .from(savedMethods)
    .where(and(eq(savedMethods.orgId, order.orgId), eq(savedMethods.provider, provider.name)))
    .orderBy(desc(savedMethods.createdAt))
    .get()
  const paymentId = generateId()
  await db.insert(payments).values({
    id: paymentId,
    orderId: order.id,
    orgId: order.orgId,
    provider: provider.name,
    kind: 'hosted',
    status: 'pending',
    method,
    amountMinor: order.grossMinor,
    currency: order.currency,
    createdAt: now,
  })
  const back = orderUrl(deps, slug, order.id)
  const started = await provider.startHostedCheckout({
    paymentId,
    orderNumber: order.number,
    amountMinor: order.grossMinor,
    currency: order.currency,
    method,
    customerEmail: email,
    language: order.language,
    saveMethod: true,
    customerRef: known?.customerRef ?? null,
    successUrl: `${back}?payment=${paymentId}`,
    cancelUrl: `${back}?payment=${paymentId}`,
  })
  if (!started.ok) {
    await db.update(payments).set({ status: 'failed', error: 'provider_unavailable', completedAt: now }).where(eq(payments.id, paymentId))
    return { ok: false, error: 'unavailable' }
  }
  await db.update(payments).set({ providerRef: started.providerRef }).where(eq(payments.id, paymentId))
  return { ok: true, url: started.url }
}

export type Outcome = {
  provider: 'test' | 'stripe'
  /** The provider's event id; the same id is handled once. */
  eventId: string
  eventType: string
  paymentId: string
  providerRef?: string | null
  outcome: 'succeeded' | 'failed'
  reason?: string
  savedMethod?: SavedMethodInfo | null
}

export type SettleResult =
  | { ok: true; effect: 'paid' | 'failed' | 'duplicate' | 'already_settled' | 'order_not_pending' }
  | { ok: false; error: 'unknown_payment' }

/** Payment attempts that an outcome may still settle. */
const OPEN = ['pending', 'unknown', 'cancelled'] as const

/**
 * Applies a provider's verdict on a payment attempt, exactly once per event and per attempt. Read
 * first, then one batch: the event's id under its unique key (a second delivery fails there and
 * writes nothing), a guard that the attempt is still open, and the effect (src/db/guard.ts).
 */
export async function settlePayment(deps: Deps, o: Outcome, now: Date): Promise<SettleResult> {
  const { db } = deps
  const event = () => db.insert(providerEvents).values({ provider: o.provider, eventId: o.eventId, type: o.eventType, receivedAt: now })
  try {
    return await writePlanned<SettleResult>(db, async () => {
      const payment = await db.select().from(payments).where(and(eq(payments.id, o.paymentId), eq(payments.provider, o.provider))).get()
      // Nothing is written for an attempt we never made.
      if (!payment) return { done: { ok: false, error: 'unknown_payment' } }
      // Settled before: the event is recorded (a redelivery is then a duplicate), nothing else changes.
      if (!(OPEN as readonly string[]).includes(payment.status)) return { batch: [event()], after: () => ({ ok: true, effect: 'already_settled' }) }
      const stillOpen = guard(db, sql`exists (select 1 from ${payments} where ${payments.id} = ${payment.id} and ${inArray(payments.status, [...OPEN])})`)
      const settle = db
        .update(payments)
        .set({ status: o.outcome, completedAt: now, error: o.outcome === 'failed' ? (o.reason ?? 'declined') : null, providerRef: o.providerRef ?? payment.providerRef })
        .where(eq(payments.id, payment.id))
      const actor = systemActor(o.provider === 'test' ? 'test payments' : 'Stripe')
      if (o.outcome === 'failed') {
        // A declined renewal charge: the administrators get the pay-now link with this change.
        const mails = payment.kind === 'off_session' && payment.renewalKey ? await renewalDeclinedMails(deps, payment, now) : []
        const history = recordHistory(db, { orgId: payment.orgId, actor, kind: 'payment.failed', subject: { type: 'order', id: payment.orderId }, details: { reason: o.reason ?? 'declined' }, at: now })
        return { batch: [event(), stillOpen, settle, history, ...mails], after: () => ({ ok: true, effect: 'failed' }) }
      }
      const savedMethod = o.savedMethod ? { ...o.savedMethod, provider: o.provider } : null
      const plan = await planFulfilment(deps, payment.orderId, { via: 'provider', actor, savedMethod }, now)
      if (plan.ok) return { batch: [event(), stillOpen, settle, ...plan.statements], after: () => ({ ok: true, effect: 'paid' }) }
      // Paid twice (e.g. a transfer marked paid while the card payment went through): the money is
      // recorded on the attempt for a refund; nothing is activated or invoiced a second time.
      return {
        batch: [
          event(),
          stillOpen,
          guard(db, sql`not exists (select 1 from ${orders} where ${orders.id} = ${payment.orderId} and ${orders.status} = 'pending_payment')`),
          settle,
          db.update(payments).set({ error: 'order_not_pending' }).where(eq(payments.id, payment.id)),
          recordHistory(db, { orgId: payment.orgId, actor, kind: 'payment.unmatched', subject: { type: 'order', id: payment.orderId }, at: now }),
        ],
        after: () => ({ ok: true, effect: 'order_not_pending' }),
      }
    })
  } catch (e) {
    if (uniqueViolation(e)?.startsWith('provider_events.')) return { ok: true, effect: 'duplicate' }
    throw e
  }
}

/** An operator saw the transfer arrive: records a manual payment and fulfils the order, if still pending. */
export async function markOrderPaid(deps: Deps, orderId: string, operator: User, now: Date): Promise<{ ok: true } | { ok: false; error: 'not_pending' }> {
  const { db } = deps
  return writePlanned<{ ok: true } | { ok: false; error: 'not_pending' }>(db, async () => {
    const plan = await planFulfilment(deps, orderId, { via: 'operator', actor: operatorActor(operator) }, now)
    if (!plan.ok) return { done: { ok: false, error: 'not_pending' } }
    const { order } = plan
    const manual = db.insert(payments).values({
      id: generateId(),
      orderId,
      orgId: order.orgId,
      provider: 'manual',
      kind: 'manual',
      status: 'succeeded',
      method: 'transfer',
      amountMinor: order.grossMinor,
      currency: order.currency,
      createdAt: now,
      completedAt: now,
    })
    return { batch: [...plan.statements, manual], after: () => ({ ok: true }) }
  })
}

/** Cancels an unpaid order (an operator, or the renewals job 14 days after a transfer order); the buyer is told why. */
export async function cancelOrder(deps: Deps, order: Order, actor: Actor, now: Date, reason: 'unpaid' | 'operator'): Promise<{ ok: boolean }> {
  const { db, config } = deps
  const org = (await db.select({ slug: orgs.slug }).from(orgs).where(eq(orgs.id, order.orgId)).get())!
  const lang = order.language as Language
  const [changed] = await db.batch([
    db
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment'))),
    recordHistoryIfChanged(db, { orgId: order.orgId, actor, kind: 'order.cancelled', subject: { type: 'order', id: order.id }, details: { number: order.number, reason }, at: now }),
    // The history insert above wrote a row exactly when the update changed the order, so changes()
    // carries the condition on to the mail.
    enqueueMailIfChanged(db, {
      to: order.billing.billingEmail,
      language: lang,
      template: 'order.cancelled',
      mail: orderCancelledMail({ lang, vendor: config.vendorName }, { order, url: orderUrl(deps, org.slug, order.id), reason }),
      now,
    }),
    // Attempts still open on the provider's page can no longer pay a cancelled order.
    db
      .update(payments)
      .set({ status: 'cancelled', completedAt: now })
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'pending'), sql`exists (select 1 from ${orders} where ${orders.id} = ${order.id} and ${orders.status} = 'cancelled')`)),
  ])
  return { ok: changed.rowsAffected === 1 }
}
