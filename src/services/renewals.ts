// Automatic renewal of one subscription by its saved card or PayPal account (SPEC §8), as of `now`.
// Every step is safe to repeat: the renewal order is found again inside the transaction that would
// place it; each payment attempt is a row under a unique renewal key (subscription, period start,
// attempt number) written before the provider is called, and its id is the idempotency key; an
// attempt that got no answer is looked up at the provider and, if not found, charged again under
// the same key — never under a new one. The outcome goes through settlePayment, which fulfils the
// order (next period from the old end, invoice, payment e-mail) or, for a decline, mails the
// administrators the pay-now link, exactly once.
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Executor } from '../db/client'
import { orders, payments, savedMethods, type PaymentMethod, type Purchase } from '../db/schema'
import { systemActor } from '../db/history'
import type { CatalogProduct } from '../db/catalog'
import { generateId } from '../auth/tokens'
import { MAX_ATTEMPTS, PENDING_SETTLES_MS, parseRenewalKey, renewalKey, retryDue } from '../domain/renewals'
import { isLanguage, type Language } from '../i18n'
import type { ChargeResult } from '../payments/provider'
import { getOrder, placeOrder, type Order } from './orders'
import { settlePayment } from './payments'
import { draftLines } from './pricing'
import { snapshotOf, type Subscription } from './subscriptions'
import type { Org } from './orgs'

export type RenewalStep =
  /** Charged: the next period has started. */
  | 'renewed'
  /** The charge was declined; the administrators have the pay-now link. */
  | 'declined'
  /** No answer from the provider: the next run asks it what happened. */
  | 'unknown'
  /** Declined before; the next attempt is not due yet. */
  | 'waiting'
  /** Three attempts declined: only the pay-now link (or a lapse) is left. */
  | 'exhausted'
  /** An attempt another run has just made is still waiting for its answer. */
  | 'in_progress'
  /** Nothing to do: the renewal order is paid (here or from its page) or no longer payable. */
  | 'settled'
  /** No live saved method at this provider (manual renewal is another step). */
  | 'no_method'

type Payment = typeof payments.$inferSelect
type SavedMethod = typeof savedMethods.$inferSelect
/** A paid subscription due for its next period, with what renewing it needs. */
export type Renewal = { deps: Deps; sub: Subscription & { periodEnd: Date; periodMonths: number }; org: Org; product: CatalogProduct; now: Date }

export async function renewByCard(deps: Deps, sub: Renewal['sub'], org: Org, product: CatalogProduct, now: Date): Promise<RenewalStep> {
  const x: Renewal = { deps, sub, org, product, now }
  const periodStart = sub.periodEnd.getTime()
  const keys = Array.from({ length: MAX_ATTEMPTS }, (_, i) => renewalKey(sub.id, periodStart, i + 1))
  const attempts = (await deps.db.select().from(payments).where(inArray(payments.renewalKey, keys)))
    .map((p) => ({ p, no: parseRenewalKey(p.renewalKey!)!.attemptNo }))
    .sort((a, b) => a.no - b.no)
  if (attempts.some((a) => a.p.status === 'succeeded')) return 'settled'
  const last = attempts.at(-1)
  if (last && (last.p.status === 'pending' || last.p.status === 'unknown')) return reconcile(x, last.p)

  if (last && last.no >= MAX_ATTEMPTS) return 'exhausted'
  if (last && !retryDue(attempts[0]!.p.createdAt, last.no, now)) return 'waiting'
  const method = await liveMethod(deps, org.id)
  if (!method) return 'no_method'
  const order = last ? await getOrder(deps.db, org.id, last.p.orderId) : (await renewalOrder(x, 'card')).order
  // Switched to a bank transfer from its page: the customer pays it that way, no card is charged.
  if (!order || order.status !== 'pending_payment' || order.paymentMethod === 'transfer') return 'settled'
  const attempt = await newAttempt(deps, order, method, renewalKey(sub.id, periodStart, (last?.no ?? 0) + 1), now)
  // The key was taken by a run at the same moment: that run charges it, or the next one reconciles it.
  if (!attempt) return 'in_progress'
  return charge(x, attempt, order, method)
}

/** An attempt that got no answer (or whose run died before it came): the provider says what happened. */
async function reconcile(x: Renewal, attempt: Payment): Promise<RenewalStep> {
  const { deps, now } = x
  if (attempt.status === 'pending' && now.getTime() - attempt.createdAt.getTime() < PENDING_SETTLES_MS) return 'in_progress'
  const provider = deps.payments
  // Without a provider (transfer-only) no attempt can be answered: it waits until one is configured.
  if (!provider) return 'in_progress'
  const found = await ask(deps, attempt, () => provider.findCharge(attempt.id))
  if (found.status !== 'not_found') return apply(deps, attempt, found, now)
  const order = await getOrder(deps.db, attempt.orgId, attempt.orderId)
  if (!order || order.status !== 'pending_payment') {
    // Paid from the order page meanwhile (or cancelled): this attempt must not charge any more.
    await deps.db
      .update(payments)
      .set({ status: 'cancelled', completedAt: now, error: 'order_not_pending' })
      .where(and(eq(payments.id, attempt.id), inArray(payments.status, ['pending', 'unknown'])))
    return 'settled'
  }
  const method = await liveMethod(deps, attempt.orgId)
  if (!method) return 'no_method'
  // Never charged as far as the provider knows: the same attempt again, under the same key.
  return charge(x, attempt, order, method)
}

async function charge(x: Renewal, attempt: Payment, order: Order, method: SavedMethod): Promise<RenewalStep> {
  const { deps, now } = x
  const provider = deps.payments
  if (!provider) return 'no_method'
  const result = await ask(deps, attempt, () =>
    provider.chargeOffSession({
      paymentId: attempt.id,
      idempotencyKey: attempt.id,
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      customerRef: method.customerRef,
      methodRef: method.methodRef,
      description: `Renewal ${order.number}`,
    }),
  )
  return apply(deps, attempt, result, now)
}

/**
 * Asks the provider. A throw counts as no answer: the attempt is marked `unknown` first (so the next
 * run reconciles it under the same key), then the error goes on to the job, which records it.
 */
async function ask<T>(deps: Deps, attempt: Payment, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    await markUnknown(deps, attempt)
    throw e
  }
}

function markUnknown(deps: Deps, attempt: Payment) {
  return deps.db
    .update(payments)
    .set({ status: 'unknown' })
    .where(and(eq(payments.id, attempt.id), eq(payments.status, 'pending')))
}

async function apply(deps: Deps, attempt: Payment, result: ChargeResult, now: Date): Promise<RenewalStep> {
  if (result.status === 'unknown') {
    await markUnknown(deps, attempt)
    return 'unknown'
  }
  const succeeded = result.status === 'succeeded'
  const r = await settlePayment(
    deps,
    {
      provider: attempt.provider === 'stripe' ? 'stripe' : 'test',
      eventId: `renewal:${attempt.id}`,
      eventType: succeeded ? 'renewal.charged' : 'renewal.declined',
      paymentId: attempt.id,
      providerRef: result.providerRef,
      outcome: succeeded ? 'succeeded' : 'failed',
      ...(result.status === 'declined' ? { reason: result.reason } : {}),
    },
    now,
  )
  if (!r.ok) throw new Error(`renewal attempt ${attempt.id}: ${r.error}`)
  if (r.effect === 'paid') return 'renewed'
  if (r.effect === 'failed') return 'declined'
  return 'settled'
}

/** The org's newest live saved method at the provider in use (none, or no provider: the renewal is manual, SPEC §8). */
export async function liveMethod(deps: Deps, orgId: string): Promise<SavedMethod | undefined> {
  if (!deps.payments) return undefined
  return deps.db
    .select()
    .from(savedMethods)
    .where(and(eq(savedMethods.orgId, orgId), eq(savedMethods.provider, deps.payments.name), isNull(savedMethods.removedAt)))
    .orderBy(desc(savedMethods.createdAt))
    .get()
}

/** Writes the attempt before the provider is called; null if its key is already taken. */
async function newAttempt(deps: Deps, order: Order, method: SavedMethod, key: string, now: Date): Promise<Payment | null> {
  if (!deps.payments) return null
  const [row] = await deps.db
    .insert(payments)
    .values({
      id: generateId(),
      orderId: order.id,
      orgId: order.orgId,
      provider: deps.payments.name,
      kind: 'off_session',
      status: 'pending',
      // The saved card or PayPal account charged: the invoice names it, whatever the order was placed for.
      method: method.method ?? (method.label.startsWith('PayPal') ? 'paypal' : 'card'),
      amountMinor: order.grossMinor,
      currency: order.currency,
      renewalKey: key,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning()
  return row ?? null
}

/**
 * The order for the next period, placed once: the plan and frequency of the next period (a
 * scheduled downgrade or frequency change) and the add-on packs held, at today's catalog prices.
 * Card renewals charge it by the saved method; manual renewals (src/services/manual-renewals.ts)
 * place it for a bank transfer. `placed` is false when an order for that period was there already.
 */
export async function renewalOrder({ deps, sub, org, product, now }: Renewal, paymentMethod: PaymentMethod): Promise<{ order: Order; placed: boolean }> {
  const plan = product.plans.find((p) => p.id === (sub.scheduledPlanId ?? sub.planId))
  const months = sub.scheduledPeriodMonths ?? sub.periodMonths
  if (!plan || plan.isFree) throw new Error(`subscription ${sub.id}: no paid plan to renew to`)
  const lines = draftLines(product, { product: product.key, plan: plan.key, period: months, addons: sub.addonPacks })
  if (!lines.ok) throw new Error(`subscription ${sub.id}: the renewal cannot be priced (${lines.error})`)
  const periodStart = sub.periodEnd.getTime()
  const purchase: Purchase = { kind: 'renewal', productId: product.id, subscriptionId: sub.id, planId: plan.id, periodMonths: months, periodStart, snapshot: snapshotOf(product, plan) }
  const placed = await placeOrder(deps, {
    org,
    user: null,
    actor: systemActor('renewals'),
    purchase,
    currency: product.currency,
    lines: lines.lines,
    paymentMethod,
    language: await orderLanguage(deps, org.id),
    now,
    confirmation: false,
    existing: (db) => periodRenewalOrderQuery(db, org.id, sub.id, periodStart),
  })
  const order = await getOrder(deps.db, org.id, placed.id)
  if (!order) throw new Error(`subscription ${sub.id}: renewal order ${placed.id} not found`)
  return { order, placed: placed.placed }
}

/**
 * The period's renewal order, newest first: one still payable or paid (as placing another must find,
 * and its batch is guarded on), or with `withCancelled` also one an operator has cancelled.
 */
export function periodRenewalOrder(db: Executor, orgId: string, subscriptionId: string, periodStart: number, withCancelled = false) {
  return periodRenewalOrderQuery(db, orgId, subscriptionId, periodStart, withCancelled).get()
}

export function periodRenewalOrderQuery(db: Executor, orgId: string, subscriptionId: string, periodStart: number, withCancelled = false) {
  return db
    .select({ id: orders.id, number: orders.number, status: orders.status })
    .from(orders)
    .where(
      and(
        eq(orders.orgId, orgId),
        eq(orders.kind, 'renewal'),
        withCancelled ? undefined : ne(orders.status, 'cancelled'),
        sql`json_extract(${orders.purchase}, '$.subscriptionId') = ${subscriptionId}`,
        sql`json_extract(${orders.purchase}, '$.periodStart') = ${periodStart}`,
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(1)
}

/** A system order speaks the language the org last ordered in. */
async function orderLanguage(deps: Deps, orgId: string): Promise<Language> {
  const last = await deps.db.select({ language: orders.language }).from(orders).where(eq(orders.orgId, orgId)).orderBy(desc(orders.createdAt)).get()
  return last && isLanguage(last.language) ? last.language : 'en'
}
