// A paid order activates what it bought exactly once (SPEC §7). Planned on a read of the order, its
// org, the org's live subscriptions and the invoice counter, then written as statements for ONE batch
// that the caller completes (a webhook's payment row, an operator's manual payment): guards first —
// the order still awaiting payment, the counter and the subscriptions as read — so of any number of
// concurrent settlements one batch pays the order and the others abort and find it paid. The batch
// moves the order to paid, applies the purchase, numbers the invoice, queues the payment e-mail and
// writes history; no transaction is held across round trips (src/db/guard.ts).
import { and, eq, isNull, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type BatchItem, type Db } from '../db/client'
import { invoices, numberCounters, orders, orgs, savedMethods, subscriptions, type Purchase } from '../db/schema'
import { recordHistory, type Actor } from '../db/history'
import { addStock } from '../db/warehouse'
import { guard } from '../db/guard'
import { generateId } from '../auth/tokens'
import { addLocalMonths } from '../domain/time'
import { enqueueMail } from '../mail/outbox'
import { paymentReceivedMail } from '../mail/templates/orders'
import { INVOICE_MAIL_HOLD, invoiceMailId } from './einvoices'
import type { Language } from '../i18n'
import type { SavedMethodInfo } from '../payments/provider'
import { bumpCounter, invoiceSeries, type Order } from './orders'
import { newSubscription, type Subscription } from './subscriptions'

export type Settlement = {
  via: 'provider' | 'operator'
  actor: Actor
  /** The card or PayPal account the provider saved while taking this payment. */
  savedMethod?: (SavedMethodInfo & { provider: 'test' | 'stripe' }) | null
}

export type FulfilPlan = { ok: true; order: Order; invoiceNumber: string; statements: BatchItem[] } | { ok: false; error: 'not_pending'; order: Order | undefined }

type Org = typeof orgs.$inferSelect

/** The reads a fulfilment is planned on, in one batch. */
function fulfilmentReads(db: Db, orderId: string, series: string) {
  return {
    order: db.select({ order: orders, org: orgs }).from(orders).innerJoin(orgs, eq(orgs.id, orders.orgId)).where(eq(orders.id, orderId)),
    subs: db
      .select()
      .from(subscriptions)
      .where(and(sql`${subscriptions.orgId} = (select o.org_id from ${orders} o where o.id = ${orderId})`, ne(subscriptions.status, 'ended'))),
    counter: db.select({ last: numberCounters.last }).from(numberCounters).where(eq(numberCounters.series, series)),
  }
}

/**
 * Plans paying, fulfilling and invoicing the order as of `now`: the statements (guards first) for
 * the caller's batch, or `not_pending` when the order no longer awaits payment.
 */
export async function planFulfilment(deps: Deps, orderId: string, s: Settlement, now: Date): Promise<FulfilPlan> {
  const { db, config } = deps
  const { series, prefix } = invoiceSeries(now, config.vendor.timeZone)
  const read = await readTogether(db, fulfilmentReads(db, orderId, series))
  const found = read.order[0]
  if (!found || found.order.status !== 'pending_payment') return { ok: false, error: 'not_pending', order: found?.order }
  const { org } = found
  const order = { ...found.order, status: 'paid' as const, paidAt: now, paidVia: s.via }
  const last = read.counter[0]?.last ?? 0
  const invoiceNumber = `${prefix}${String(last + 1).padStart(6, '0')}`

  const purchase = applyPurchase(db, org, order.purchase, read.subs, { autoRenew: Boolean(s.savedMethod), now })
  const invoiceId = generateId()
  const { vendor } = config
  const lang = order.language as Language
  const statements: BatchItem[] = [
    guard(db, sql`exists (select 1 from ${orders} where ${orders.id} = ${order.id} and ${orders.status} = 'pending_payment')`),
    // The invoice number is the counter's next, as read: another invoice numbered meanwhile aborts the batch.
    guard(db, sql`coalesce((select ${numberCounters.last} from ${numberCounters} where ${numberCounters.series} = ${series}), 0) = ${last}`),
    ...purchase.guards,
    db
      .update(orders)
      .set({ status: 'paid', paidAt: now, paidVia: s.via, fulfilmentProblem: purchase.problem })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment'))),
    ...(s.savedMethod ? [saveMethod(db, org.id, s.savedMethod, now)] : []),
    ...purchase.statements,
    bumpCounter(db, series),
    db.insert(invoices).values({
      id: invoiceId,
      number: invoiceNumber,
      orderId: order.id,
      orgId: org.id,
      issuedAt: now,
      seller: { name: vendor.legalName, addressLines: vendor.addressLines, taxId: vendor.taxId, bankAccount: vendor.bankAccount, country: vendor.country, regimeFiscale: vendor.regimeFiscale },
    }),
    recordHistory(db, {
      orgId: org.id,
      actor: s.actor,
      kind: 'order.paid',
      subject: { type: 'order', id: order.id },
      details: { number: order.number, invoice: invoiceNumber, via: s.via, ...(purchase.problem ? { problem: purchase.problem } : {}) },
      at: now,
    }),
    enqueueMail(db, {
      to: order.billing.billingEmail,
      language: lang,
      template: 'order.paid',
      mail: paymentReceivedMail({ lang, vendor: config.vendorName }, { order, invoiceNumber, invoiceUrl: `${config.baseUrl}/o/${org.slug}/invoices/${invoiceId}` }),
      now,
      // Sent to KSeF, the invoice's PDF carries its KSeF number once KSeF gives it: the mail waits
      // for it (the einvoices job releases it), an hour at most.
      ...(deps.einvoicing?.channel.name === 'ksef' ? { hold: { id: invoiceMailId(invoiceId), until: new Date(now.getTime() + INVOICE_MAIL_HOLD) } } : {}),
    }),
  ]
  return { ok: true, order: { ...order, fulfilmentProblem: purchase.problem }, invoiceNumber, statements }
}

function saveMethod(db: Db, orgId: string, m: NonNullable<Settlement['savedMethod']>, now: Date) {
  const { provider, customerRef, methodRef, label, method } = m
  return db
    .insert(savedMethods)
    .values({ id: generateId(), orgId, provider, customerRef, methodRef, label, method, createdAt: now })
    .onConflictDoUpdate({ target: [savedMethods.provider, savedMethods.methodRef], set: { removedAt: null, detachedAt: null, method } })
}

/** A guard: the subscription is still as it was read (what a purchase decided on). */
function unchanged(db: Db, sub: Subscription): BatchItem {
  const s = subscriptions
  const same = and(
    eq(s.id, sub.id),
    eq(s.status, sub.status),
    eq(s.planId, sub.planId),
    eq(s.periodStart, sub.periodStart),
    sub.periodEnd ? eq(s.periodEnd, sub.periodEnd) : isNull(s.periodEnd),
    eq(s.addonPacks, sub.addonPacks),
    sub.scheduledPlanId ? eq(s.scheduledPlanId, sub.scheduledPlanId) : isNull(s.scheduledPlanId),
    sub.scheduledPeriodMonths === null ? isNull(s.scheduledPeriodMonths) : eq(s.scheduledPeriodMonths, sub.scheduledPeriodMonths),
  )
  return guard(db, sql`exists (select 1 from ${s} where ${same})`)
}

/** A guard: the org has no live subscription of the product (none was read). */
function noneLive(db: Db, orgId: string, productId: string): BatchItem {
  return guard(db, sql`not exists (select 1 from ${subscriptions} where ${subscriptions.orgId} = ${orgId} and ${subscriptions.productId} = ${productId} and ${subscriptions.status} <> 'ended')`)
}

type Applied = { guards: BatchItem[]; statements: BatchItem[]; problem: string | null }

/**
 * What was bought, applied to the subscriptions as read: its statements and guards, and a problem
 * (kept on the order for an operator) when the subscription changed between ordering and paying so
 * that the purchase no longer fits it.
 */
function applyPurchase(db: Db, org: Org, p: Purchase, live: Subscription[], o: { autoRenew: boolean; now: Date }): Applied {
  const { now } = o
  const refused = (sub: Subscription | undefined, problem: string): Applied => ({ guards: sub ? [unchanged(db, sub)] : [], statements: [], problem })
  switch (p.kind) {
    case 'units':
      return { guards: [], statements: [addStock(db, org.id, p.variantId, p.quantity)], problem: null }
    case 'subscription': {
      const terms = {
        planId: p.planId,
        snapshot: p.snapshot,
        status: 'active' as const,
        periodMonths: p.periodMonths,
        periodStart: now,
        periodEnd: addLocalMonths(now, p.periodMonths, org.timeZone),
        source: 'order' as const,
        addonPacks: p.addonPacks,
        autoRenew: o.autoRenew,
        scheduledPlanId: null,
        scheduledPeriodMonths: null,
      }
      const sub = live.find((x) => x.productId === p.productId)
      if (!sub) return { guards: [noneLive(db, org.id, p.productId)], statements: [...newSubscription(db, org.id, p.productId, terms, now).statements], problem: null }
      // A free plan, a read-only org or a lapsed period is replaced, keeping the licence number
      // (SPEC §6); a paid period still running is not overwritten by a second purchase.
      const running = !sub.snapshot.isFree && sub.status === 'active' && sub.periodEnd !== null && sub.periodEnd > now
      if (running) return refused(sub, 'subscription_already_paid')
      return { guards: [unchanged(db, sub)], statements: [db.update(subscriptions).set(terms).where(eq(subscriptions.id, sub.id))], problem: null }
    }
    case 'plan_change': {
      const sub = live.find((x) => x.id === p.subscriptionId)
      const fits = sub && sub.planId === p.fromPlanId && sub.periodEnd?.getTime() === p.periodEnd && sub.status === 'active'
      if (!fits) return refused(sub, 'subscription_changed')
      const set = { planId: p.planId, snapshot: p.snapshot, scheduledPlanId: null, ...(o.autoRenew ? { autoRenew: true } : {}) }
      return { guards: [unchanged(db, sub)], statements: [db.update(subscriptions).set(set).where(eq(subscriptions.id, sub.id))], problem: null }
    }
    case 'addons': {
      const sub = live.find((x) => x.id === p.subscriptionId && x.status === 'active')
      if (!sub || sub.periodEnd?.getTime() !== p.periodEnd) return refused(sub ?? live.find((x) => x.id === p.subscriptionId), 'subscription_changed')
      const packs = { ...sub.addonPacks }
      for (const [key, n] of Object.entries(p.addonPacks)) packs[key] = (packs[key] ?? 0) + n
      return { guards: [unchanged(db, sub)], statements: [db.update(subscriptions).set({ addonPacks: packs }).where(eq(subscriptions.id, sub.id))], problem: null }
    }
    case 'renewal': {
      const sub = live.find((x) => x.id === p.subscriptionId)
      if (!sub || sub.periodEnd?.getTime() !== p.periodStart) return refused(sub, 'subscription_changed')
      const start = new Date(p.periodStart)
      // The order carries the next period's plan and frequency: a scheduled downgrade or frequency
      // change it applied is done; one scheduled after the order was placed waits for the next renewal.
      const plan = p.snapshot ? { planId: p.planId, snapshot: p.snapshot } : {}
      const set = {
        status: 'active' as const,
        periodStart: start,
        periodEnd: addLocalMonths(start, p.periodMonths, org.timeZone),
        periodMonths: p.periodMonths,
        ...plan,
        ...(p.snapshot && sub.scheduledPlanId === p.planId ? { scheduledPlanId: null } : {}),
        ...(sub.scheduledPeriodMonths === p.periodMonths ? { scheduledPeriodMonths: null } : {}),
      }
      return { guards: [unchanged(db, sub)], statements: [db.update(subscriptions).set(set).where(eq(subscriptions.id, sub.id))], problem: null }
    }
  }
}
