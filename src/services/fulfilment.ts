// A paid order activates what it bought exactly once (SPEC §7): inside the caller's write
// transaction the order moves from pending_payment to paid by a conditional update — whoever makes
// that change (a webhook, the test provider, an operator) does the rest, everyone else does nothing.
// Then the purchase is applied, the invoice numbered, the payment e-mail queued and history written.
import { and, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Executor } from '../db/client'
import { invoices, orders, orgs, savedMethods, subscriptions, type Purchase } from '../db/schema'
import { recordHistory, type Actor } from '../db/history'
import { addStock } from '../db/warehouse'
import { generateId } from '../auth/tokens'
import { addLocalMonths } from '../domain/time'
import { enqueueMail } from '../mail/outbox'
import { paymentReceivedMail } from '../mail/templates/orders'
import type { Language } from '../i18n'
import type { SavedMethodInfo } from '../payments/provider'
import { invoiceSeries, takeNumber, type Order } from './orders'
import { newSubscription } from './subscriptions'

export type Settlement = {
  via: 'provider' | 'operator'
  actor: Actor
  /** The card or PayPal account the provider saved while taking this payment. */
  savedMethod?: (SavedMethodInfo & { provider: 'test' | 'stripe' }) | null
}

export type FulfilResult = { ok: true; order: Order; invoiceNumber: string } | { ok: false; error: 'not_pending' }

/** Run inside a write transaction: pays, fulfils and invoices the order, or does nothing if it is no longer pending. */
export async function fulfilOrder(tx: Executor, deps: Deps, orderId: string, s: Settlement, now: Date): Promise<FulfilResult> {
  const [order] = await tx
    .update(orders)
    .set({ status: 'paid', paidAt: now, paidVia: s.via })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending_payment')))
    .returning()
  if (!order) return { ok: false, error: 'not_pending' }
  const org = (await tx.select().from(orgs).where(eq(orgs.id, order.orgId)).get())!

  let savedMethodId: string | null = null
  if (s.savedMethod) {
    savedMethodId = generateId()
    const { provider, customerRef, methodRef, label } = s.savedMethod
    const [saved] = await tx
      .insert(savedMethods)
      .values({ id: savedMethodId, orgId: org.id, provider, customerRef, methodRef, label, createdAt: now })
      .onConflictDoUpdate({ target: [savedMethods.provider, savedMethods.methodRef], set: { removedAt: null, detachedAt: null } })
      .returning({ id: savedMethods.id })
    savedMethodId = saved!.id
  }

  const problem = await applyPurchase(tx, org, order.purchase, { autoRenew: savedMethodId !== null, now })
  if (problem) await tx.update(orders).set({ fulfilmentProblem: problem }).where(eq(orders.id, order.id))

  const { series, prefix } = invoiceSeries(now, deps.config.vendor.timeZone)
  const invoiceNumber = await takeNumber(tx, series, prefix)
  const invoiceId = generateId()
  const { vendor } = deps.config
  await tx.insert(invoices).values({
    id: invoiceId,
    number: invoiceNumber,
    orderId: order.id,
    orgId: org.id,
    issuedAt: now,
    seller: { name: vendor.legalName, addressLines: vendor.addressLines, taxId: vendor.taxId, bankAccount: vendor.bankAccount },
  })
  await recordHistory(tx, {
    orgId: org.id,
    actor: s.actor,
    kind: 'order.paid',
    subject: { type: 'order', id: order.id },
    details: { number: order.number, invoice: invoiceNumber, via: s.via, ...(problem ? { problem } : {}) },
    at: now,
  })
  const lang = order.language as Language
  const invoiceUrl = `${deps.config.baseUrl}/o/${org.slug}/invoices/${invoiceId}`
  await enqueueMail(tx, {
    to: order.billing.billingEmail,
    language: lang,
    template: 'order.paid',
    mail: paymentReceivedMail({ lang, vendor: deps.config.vendorName }, { order, invoiceNumber, invoiceUrl }),
    now,
  })
  return { ok: true, order, invoiceNumber }
}

type Org = typeof orgs.$inferSelect

/**
 * Applies what was bought. Returns a problem (kept on the order for an operator) when the
 * subscription changed between ordering and paying so that the purchase no longer fits it.
 */
async function applyPurchase(tx: Executor, org: Org, p: Purchase, o: { autoRenew: boolean; now: Date }): Promise<string | null> {
  const { now } = o
  switch (p.kind) {
    case 'units':
      await addStock(tx, org.id, p.variantId, p.quantity)
      return null
    case 'subscription': {
      const periodEnd = addLocalMonths(now, p.periodMonths, org.timeZone)
      const terms = {
        planId: p.planId,
        snapshot: p.snapshot,
        status: 'active' as const,
        periodMonths: p.periodMonths,
        periodStart: now,
        periodEnd,
        source: 'order' as const,
        addonPacks: p.addonPacks,
        autoRenew: o.autoRenew,
        scheduledPlanId: null,
        scheduledPeriodMonths: null,
      }
      const live = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, p.productId), ne(subscriptions.status, 'ended')))
        .get()
      if (!live) {
        const { statements } = newSubscription(tx, org.id, p.productId, terms, now)
        for (const statement of statements) await statement
        return null
      }
      // A free plan, a read-only org or a lapsed period is replaced, keeping the licence number
      // (SPEC §6); a paid period still running is not overwritten by a second purchase.
      const running = !live.snapshot.isFree && live.status === 'active' && live.periodEnd !== null && live.periodEnd > now
      if (running) return 'subscription_already_paid'
      await tx.update(subscriptions).set(terms).where(eq(subscriptions.id, live.id))
      return null
    }
    case 'plan_change': {
      const [changed] = await tx
        .update(subscriptions)
        .set({ planId: p.planId, snapshot: p.snapshot, scheduledPlanId: null, ...(o.autoRenew ? { autoRenew: true } : {}) })
        .where(
          and(
            eq(subscriptions.id, p.subscriptionId),
            eq(subscriptions.orgId, org.id),
            eq(subscriptions.planId, p.fromPlanId),
            eq(subscriptions.periodEnd, new Date(p.periodEnd)),
            eq(subscriptions.status, 'active'),
          ),
        )
        .returning({ id: subscriptions.id })
      return changed ? null : 'subscription_changed'
    }
    case 'addons': {
      const sub = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.id, p.subscriptionId), eq(subscriptions.orgId, org.id), eq(subscriptions.status, 'active')))
        .get()
      if (!sub || sub.periodEnd?.getTime() !== p.periodEnd) return 'subscription_changed'
      const packs = { ...sub.addonPacks }
      for (const [key, n] of Object.entries(p.addonPacks)) packs[key] = (packs[key] ?? 0) + n
      await tx.update(subscriptions).set({ addonPacks: packs }).where(eq(subscriptions.id, sub.id))
      return null
    }
    case 'renewal': {
      const sub = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.id, p.subscriptionId), eq(subscriptions.orgId, org.id), ne(subscriptions.status, 'ended')))
        .get()
      if (!sub || sub.periodEnd?.getTime() !== p.periodStart) return 'subscription_changed'
      const start = new Date(p.periodStart)
      // The order carries the next period's plan and frequency: a scheduled downgrade or frequency
      // change it applied is done; one scheduled after the order was placed waits for the next renewal.
      const plan = p.snapshot ? { planId: p.planId, snapshot: p.snapshot } : {}
      await tx
        .update(subscriptions)
        .set({
          status: 'active',
          periodStart: start,
          periodEnd: addLocalMonths(start, p.periodMonths, org.timeZone),
          periodMonths: p.periodMonths,
          ...plan,
          ...(p.snapshot && sub.scheduledPlanId === p.planId ? { scheduledPlanId: null } : {}),
          ...(sub.scheduledPeriodMonths === p.periodMonths ? { scheduledPeriodMonths: null } : {}),
        })
        .where(eq(subscriptions.id, sub.id))
      return null
    }
  }
}
