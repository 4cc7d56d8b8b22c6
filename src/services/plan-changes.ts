// Changing a live paid subscription (SPEC §8): an upgrade or add-on packs for the rest of the period
// (prorated, bought through an order that fulfilment applies once paid), a downgrade or another
// renewal frequency from the next period, the free plan at the period end or now, automatic renewal.
// Prices come from the catalog and the subscription, never from a form.
import { and, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { licences, orders, savedMethods, subscriptions, type PaymentMethod } from '../db/schema'
import { cachedCatalog } from '../db/catalog-cache'
import { type Addon, type CatalogProduct, type Plan } from '../db/catalog'
import { recordHistoryIfChanged, userActor } from '../db/history'
import type { HistoryKind } from '../domain/history-kinds'
import type { User } from '../auth/session'
import { pricingMoment, prorate, prorateAddon, type Proration } from '../domain/proration'
import type { Language } from '../i18n'
import { placeOrder } from './orders'
import { addonLines, type DraftLine } from './pricing'
import { snapshotOf, type Subscription } from './subscriptions'
import type { Org } from './orgs'

export type PlanProblem =
  | 'no_paid_subscription'
  | 'not_active'
  | 'period_over'
  | 'plan_not_found'
  | 'not_an_upgrade'
  | 'not_a_downgrade'
  | 'period_not_offered'
  | 'addon_not_found'
  | 'too_many_packs'
  | 'no_packs'
  | 'bad_quantity'
  | 'nothing_to_charge'
  | 'no_free_plan'
  | 'no_saved_method'
  | 'changed'

type Result<T = object> = ({ ok: true } & T) | { ok: false; error: PlanProblem }

export type PlanState = {
  product: CatalogProduct
  subscription: Subscription | null
  licenceNumber: string | null
  hasSavedMethod: boolean
  /** Upgrade and add-on orders of this subscription still waiting for payment. */
  pending: { id: string; number: string }[]
}

/**
 * What the plan page of one of the org's subscription products starts from; null for no such
 * product. The product comes from the cached catalog; the subscription with its licence, whether a
 * saved method is there and the orders still waiting for payment are read in one batch.
 */
export async function loadPlanState(deps: Deps, orgId: string, productKey: string): Promise<PlanState | null> {
  const { db } = deps
  const product = (await cachedCatalog(db)).find((p) => p.key === productKey && p.active && p.kind === 'subscription')
  if (!product) return null
  const live = and(eq(subscriptions.orgId, orgId), eq(subscriptions.productId, product.id), ne(subscriptions.status, 'ended'))
  const read = await readTogether(db, {
    subscription: db.select({ subscription: subscriptions, licence: licences.number }).from(subscriptions).leftJoin(licences, eq(licences.subscriptionId, subscriptions.id)).where(live).limit(1),
    methods: db.select({ id: savedMethods.id }).from(savedMethods).where(and(eq(savedMethods.orgId, orgId), isNull(savedMethods.removedAt))).limit(1),
    waiting: db
      .select({ id: orders.id, number: orders.number, purchase: orders.purchase })
      .from(orders)
      .where(and(eq(orders.orgId, orgId), eq(orders.status, 'pending_payment'), inArray(orders.kind, ['plan_change', 'addons']))),
  })
  const found = read.subscription[0]
  const subscription = found?.subscription ?? null
  const pending = read.waiting.filter((o) => 'subscriptionId' in o.purchase && o.purchase.subscriptionId === subscription?.id).map(({ id, number }) => ({ id, number }))
  return { product, subscription, licenceNumber: found?.licence ?? null, hasSavedMethod: read.methods.length > 0, pending }
}

/** A paid period in progress, with the current plan's catalog price for its billing period. */
export type PaidTerm = { sub: Subscription; current: Plan; periodMonths: number; periodEnd: Date; oldNetMinor: number }

export function paidTerm(product: CatalogProduct, sub: Subscription | null, now: Date): Result<{ term: PaidTerm }> {
  if (!sub || sub.snapshot.isFree || sub.periodMonths === null || sub.periodEnd === null) return { ok: false, error: 'no_paid_subscription' }
  if (sub.status !== 'active') return { ok: false, error: 'not_active' }
  if (sub.periodEnd <= now) return { ok: false, error: 'period_over' }
  const current = product.plans.find((p) => p.id === sub.planId)
  const oldNetMinor = current?.prices[sub.periodMonths]
  if (!current || oldNetMinor === undefined) return { ok: false, error: 'plan_not_found' }
  return { ok: true, term: { sub, current, periodMonths: sub.periodMonths, periodEnd: sub.periodEnd, oldNetMinor } }
}

export type UpgradeQuote = { plan: Plan; oldNetMinor: number; newNetMinor: number; proration: Proration; line: DraftLine }

/** The prorated charge for moving to a dearer plan now, as the order's one line. */
export function upgradeQuote(product: CatalogProduct, term: PaidTerm, planKey: string, now: Date, timeZone: string): Result<{ quote: UpgradeQuote }> {
  const plan = product.plans.find((p) => p.key === planKey && p.active)
  if (!plan) return { ok: false, error: 'plan_not_found' }
  if (plan.isFree || plan.id === term.current.id) return { ok: false, error: 'not_an_upgrade' }
  const newNetMinor = plan.prices[term.periodMonths]
  if (newNetMinor === undefined) return { ok: false, error: 'period_not_offered' }
  const r = prorate({ now: pricingMoment(now, term.sub.periodStart), periodStart: term.sub.periodStart, periodEnd: term.periodEnd, timeZone, oldNetMinor: term.oldNetMinor, newNetMinor })
  if (!r.ok) return { ok: false, error: r.error === 'outside_period' ? 'period_over' : r.error }
  if (r.chargeMinor === 0) return { ok: false, error: 'nothing_to_charge' }
  const [old, days] = [term.current.name, { r: r.remainingDays, p: r.periodDays }]
  const name = `${product.name} ${plan.name}`
  const label = {
    en: `${name}: upgrade from ${old}, ${days.r} of ${days.p} days`,
    pl: `${name}: zmiana z planu ${old}, ${days.r} z ${days.p} dni`,
    it: `${name}: passaggio dal piano ${old}, ${days.r} di ${days.p} giorni`,
  }
  const line = { label, quantity: 1, unitNetMinor: r.chargeMinor, netMinor: r.chargeMinor }
  return { ok: true, quote: { plan, oldNetMinor: term.oldNetMinor, newNetMinor, proration: r, line } }
}

/** Every dearer paid plan with its charge for the rest of the period, cheapest first. */
export function upgradeQuotes(product: CatalogProduct, term: PaidTerm, now: Date, timeZone: string): UpgradeQuote[] {
  return product.plans
    .map((p) => upgradeQuote(product, term, p.key, now, timeZone))
    .flatMap((r) => (r.ok ? [r.quote] : []))
    .sort((a, b) => a.newNetMinor - b.newNetMinor)
}

/** The billing period from the next renewal on, and the plan it renews to (null: the free plan). */
export function nextTerm(product: CatalogProduct, term: PaidTerm): { months: number; plan: Plan | null } {
  const scheduled = term.sub.scheduledPlanId ? product.plans.find((p) => p.id === term.sub.scheduledPlanId) : undefined
  return { months: term.sub.scheduledPeriodMonths ?? term.periodMonths, plan: scheduled ? (scheduled.isFree ? null : scheduled) : term.current }
}

/** Cheaper paid plans (at the current billing period's prices) that are sold for the next period too. */
export function downgradePlans(product: CatalogProduct, term: PaidTerm): Plan[] {
  const { months } = nextTerm(product, term)
  return product.plans.filter((p) => {
    const price = p.prices[term.periodMonths]
    return p.active && !p.isFree && price !== undefined && price < term.oldNetMinor && p.prices[months] !== undefined
  })
}

/** The renewal frequencies the plan of the next period is sold for, with its price for each. */
export function periodOptions(product: CatalogProduct, term: PaidTerm): { months: number; netMinor: number }[] {
  const { plan } = nextTerm(product, term)
  if (!plan) return []
  return product.billingPeriods.flatMap((months) => (plan.prices[months] === undefined ? [] : [{ months, netMinor: plan.prices[months]! }]))
}

export type AddonOffer = { addon: Addon; held: number; packNetMinor: number; perPack: Proration | null }

/** Add-ons sold for the current billing period, with the packs held and one pack's prorated price. */
export function addonOffers(product: CatalogProduct, term: PaidTerm, now: Date, timeZone: string): AddonOffer[] {
  return product.addons.flatMap((addon) => {
    const packNetMinor = addon.prices[term.periodMonths]
    if (!addon.active || packNetMinor === undefined) return []
    const r = prorateAddon({ now: pricingMoment(now, term.sub.periodStart), periodStart: term.sub.periodStart, periodEnd: term.periodEnd, timeZone, packNetMinor, packs: 1 })
    return [{ addon, held: term.sub.addonPacks[addon.quotaKey] ?? 0, packNetMinor, perPack: r.ok ? r : null }]
  })
}

/** One prorated line per add-on with packs wanted (rounded once per add-on); held packs count towards the maximum. */
export function addonQuote(product: CatalogProduct, term: PaidTerm, wanted: Record<string, number>, now: Date, timeZone: string): Result<{ lines: DraftLine[]; packs: Record<string, number> }> {
  const checked = addonLines(product, wanted, term.periodMonths, term.sub.addonPacks)
  if (!checked.ok) return { ok: false, error: checked.error === 'too_many_packs' || checked.error === 'bad_quantity' ? checked.error : 'addon_not_found' }
  const packs = Object.fromEntries(Object.entries(wanted).filter(([, n]) => n > 0))
  if (Object.keys(packs).length === 0) return { ok: false, error: 'no_packs' }
  const lines: DraftLine[] = []
  for (const [quotaKey, n] of Object.entries(packs)) {
    const addon = product.addons.find((a) => a.quotaKey === quotaKey)!
    const r = prorateAddon({ now: pricingMoment(now, term.sub.periodStart), periodStart: term.sub.periodStart, periodEnd: term.periodEnd, timeZone, packNetMinor: addon.prices[term.periodMonths]!, packs: n })
    if (!r.ok) return { ok: false, error: r.error === 'outside_period' ? 'period_over' : 'no_packs' }
    if (r.chargeMinor === 0) return { ok: false, error: 'nothing_to_charge' }
    const label = {
      en: `${product.name}: ${n} × ${addon.name.en}, ${r.remainingDays} of ${r.periodDays} days`,
      pl: `${product.name}: ${n} × ${addon.name.pl}, ${r.remainingDays} z ${r.periodDays} dni`,
      it: `${product.name}: ${n} × ${addon.name.it}, ${r.remainingDays} di ${r.periodDays} giorni`,
    }
    lines.push({ label, quantity: 1, unitNetMinor: r.chargeMinor, netMinor: r.chargeMinor })
  }
  return { ok: true, lines, packs }
}

export type Change = { deps: Deps; org: Org; user: User; product: CatalogProduct; term: PaidTerm; now: Date }
type Ordering = { method: PaymentMethod; language: Language }

export async function orderUpgrade(x: Change, planKey: string, o: Ordering): Promise<Result<{ orderId: string }>> {
  const r = upgradeQuote(x.product, x.term, planKey, x.now, x.org.timeZone)
  if (!r.ok) return r
  const { sub, current, periodEnd } = x.term
  const purchase = { kind: 'plan_change' as const, productId: x.product.id, subscriptionId: sub.id, fromPlanId: current.id, planId: r.quote.plan.id, periodEnd: periodEnd.getTime(), snapshot: snapshotOf(x.product, r.quote.plan) }
  const placed = await placeOrder(x.deps, { org: x.org, user: x.user, purchase, currency: x.product.currency, lines: [r.quote.line], paymentMethod: o.method, language: o.language, now: x.now })
  return { ok: true, orderId: placed.id }
}

export async function orderAddons(x: Change, wanted: Record<string, number>, o: Ordering): Promise<Result<{ orderId: string }>> {
  // Packs in add-on orders still waiting for payment count towards the maximum as if held.
  const waiting = await x.deps.db
    .select({ purchase: orders.purchase })
    .from(orders)
    .where(and(eq(orders.orgId, x.org.id), eq(orders.status, 'pending_payment'), eq(orders.kind, 'addons')))
  const held = { ...x.term.sub.addonPacks }
  for (const { purchase } of waiting) {
    if (purchase.kind !== 'addons' || purchase.subscriptionId !== x.term.sub.id) continue
    for (const [key, n] of Object.entries(purchase.addonPacks)) held[key] = (held[key] ?? 0) + n
  }
  const r = addonQuote(x.product, { ...x.term, sub: { ...x.term.sub, addonPacks: held } }, wanted, x.now, x.org.timeZone)
  if (!r.ok) return r
  const purchase = { kind: 'addons' as const, productId: x.product.id, subscriptionId: x.term.sub.id, addonPacks: r.packs, periodEnd: x.term.periodEnd.getTime() }
  const placed = await placeOrder(x.deps, { org: x.org, user: x.user, purchase, currency: x.product.currency, lines: r.lines, paymentMethod: o.method, language: o.language, now: x.now })
  return { ok: true, orderId: placed.id }
}

/**
 * Changes the subscription only if it is still the paid period the page showed (same plan, same
 * end, still active), with its history row in the same batch: a stale form changes nothing.
 */
async function change(x: Change, set: Partial<Subscription>, kind: HistoryKind, details: Record<string, unknown>, extra?: SQL): Promise<Result> {
  const { db } = x.deps
  const s = subscriptions
  const where = and(eq(s.id, x.term.sub.id), eq(s.orgId, x.org.id), eq(s.planId, x.term.current.id), eq(s.status, 'active'), eq(s.periodEnd, x.term.periodEnd), extra)
  const [changed] = await db.batch([
    db.update(s).set(set).where(where),
    recordHistoryIfChanged(db, { orgId: x.org.id, actor: userActor(x.user), kind, subject: { type: 'subscription', id: x.term.sub.id }, details: { product: x.product.name, ...details }, at: x.now }),
  ])
  return changed.rowsAffected === 1 ? { ok: true } : { ok: false, error: 'changed' }
}

const freePlanOf = (product: CatalogProduct) => product.plans.find((p) => p.isFree && p.active)

export function scheduleDowngrade(x: Change, planKey: string): Promise<Result> {
  const plan = x.product.plans.find((p) => p.key === planKey && p.active)
  if (!plan) return Promise.resolve({ ok: false, error: 'plan_not_found' })
  if (!downgradePlans(x.product, x.term).includes(plan)) return Promise.resolve({ ok: false, error: 'not_a_downgrade' })
  return change(x, { scheduledPlanId: plan.id }, 'plan.downgrade_scheduled', { plan: { from: x.term.current.name, to: plan.name } })
}

export function schedulePeriod(x: Change, months: number): Promise<Result> {
  if (!periodOptions(x.product, x.term).some((o) => o.months === months)) return Promise.resolve({ ok: false, error: 'period_not_offered' })
  // The current frequency again is no change: nothing stays scheduled.
  const scheduled = months === x.term.periodMonths ? null : months
  return change(x, { scheduledPeriodMonths: scheduled }, 'plan.period_scheduled', { months: { from: x.term.periodMonths, to: months } })
}

export function cancelScheduled(x: Change, which: 'plan' | 'period'): Promise<Result> {
  const s = subscriptions
  if (which === 'period') return change(x, { scheduledPeriodMonths: null }, 'plan.period_unscheduled', { months: x.term.sub.scheduledPeriodMonths })
  const scheduled = x.product.plans.find((p) => p.id === x.term.sub.scheduledPlanId)
  if (!scheduled) return Promise.resolve({ ok: false, error: 'changed' })
  return change(x, { scheduledPlanId: null }, 'plan.change_unscheduled', { plan: scheduled.name }, eq(s.scheduledPlanId, scheduled.id))
}

/** At the period end: renewal off and the free plan next. Now: the free plan at once, nothing refunded. */
export function switchToFree(x: Change, mode: 'at_period_end' | 'now'): Promise<Result> {
  const free = freePlanOf(x.product)
  if (!free) return Promise.resolve({ ok: false, error: 'no_free_plan' })
  if (mode === 'at_period_end') return change(x, { scheduledPlanId: free.id, autoRenew: false }, 'plan.free_scheduled', { plan: free.name })
  // Add-on packs belong to the paid period they were bought for, so they end with it (the licence stays).
  const terms = { planId: free.id, snapshot: snapshotOf(x.product, free), periodMonths: null, periodStart: x.now, periodEnd: null, source: 'free' as const }
  return change(x, { ...terms, addonPacks: {}, autoRenew: false, scheduledPlanId: null, scheduledPeriodMonths: null }, 'plan.switched_to_free', {
    plan: { from: x.term.current.name, to: free.name },
    refund: 'none',
  })
}

/** Renewal on needs a live saved method (checked in the same statement); turning it on drops a scheduled move to the free plan. */
export function setAutoRenew(x: Change, on: boolean): Promise<Result> {
  const s = subscriptions
  if (!on) return change(x, { autoRenew: false }, 'plan.auto_renew_off', {}, eq(s.autoRenew, true))
  const method = sql`exists (select 1 from ${savedMethods} where ${savedMethods.orgId} = ${x.org.id} and ${savedMethods.removedAt} is null)`
  const free = freePlanOf(x.product)
  const dropFree = free !== undefined && x.term.sub.scheduledPlanId === free.id
  return change(x, { autoRenew: true, ...(dropFree ? { scheduledPlanId: null } : {}) }, 'plan.auto_renew_on', {}, and(eq(s.autoRenew, false), method, dropFree ? eq(s.scheduledPlanId, free.id) : undefined))
}
