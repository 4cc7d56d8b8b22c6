// Subscriptions and licences (SPEC §6, §8): activating a product's free plan in one click, and an
// org's products with every quota as a meter (SPEC §5).
import { and, eq, gte, lt, ne, sql, sum } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Db } from '../db/client'
import { uniqueViolation } from '../db/errors'
import { licences, memberPermissions, memberships, subscriptions, usageEvents, type PlanSnapshot } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { loadCatalog, type CatalogProduct, type Plan } from '../db/catalog'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { generateLicenceNumber } from '../domain/licence-number'
import { effectiveLimit, isOver, type QuotaKind } from '../domain/quotas'
import { localMonth } from '../domain/time'
import type { Localized } from '../db/schema'
import type { Org } from './orgs'

export type Subscription = typeof subscriptions.$inferSelect

export function snapshotOf(product: CatalogProduct, plan: Plan): PlanSnapshot {
  return {
    planKey: plan.key,
    planName: plan.name,
    isFree: plan.isFree,
    limits: plan.limits,
    addonPackSizes: Object.fromEntries(product.addons.map((a) => [a.quotaKey, a.packSize])),
  }
}

type SubscriptionTerms = Pick<Subscription, 'planId' | 'snapshot' | 'status' | 'periodMonths' | 'periodStart' | 'periodEnd' | 'source'>

/**
 * The statements that start an org's subscription to a product together with its licence (one per
 * subscription, SPEC §6), for the caller's batch with its history row. The one-live-subscription
 * index refuses a second; `uniqueViolation(e)` then names `subscriptions.org_id, subscriptions.product_id`.
 */
export function newSubscription(db: Db, orgId: string, productId: string, terms: SubscriptionTerms, now: Date) {
  const id = generateId()
  const number = generateLicenceNumber()
  const statements = [
    db.insert(subscriptions).values({ id, orgId, productId, addonPacks: {}, createdAt: now, ...terms }),
    db.insert(licences).values({ id: generateId(), number, orgId, productId, subscriptionId: id, validFrom: now, validUntil: null, createdAt: now }),
  ] as const
  return { id, number, statements }
}

export type ActivateResult = { ok: true; licenceNumber: string } | { ok: false; error: 'not_found' | 'no_free_plan' | 'business_only' | 'already_subscribed' }

export async function activateFreePlan(deps: Deps, org: Org, user: User, productKey: string, now: Date): Promise<ActivateResult> {
  const { db } = deps
  const product = (await loadCatalog(db)).find((p) => p.key === productKey && p.active && p.kind === 'subscription')
  if (!product) return { ok: false, error: 'not_found' }
  const plan = product.plans.find((p) => p.isFree && p.active)
  if (!plan) return { ok: false, error: 'no_free_plan' }
  if (product.businessOnly && org.legalForm === 'person') return { ok: false, error: 'business_only' }
  const terms = { planId: plan.id, snapshot: snapshotOf(product, plan), status: 'active', periodMonths: null, periodStart: now, periodEnd: null, source: 'free' } as const
  const { id: subscriptionId, number, statements } = newSubscription(db, org.id, product.id, terms, now)
  try {
    await db.batch([
      ...statements,
      recordHistory(db, {
        orgId: org.id,
        actor: userActor(user),
        kind: 'plan.activated',
        subject: { type: 'subscription', id: subscriptionId },
        details: { product: product.name, plan: plan.name, licence: number },
        at: now,
      }),
    ])
  } catch (e) {
    // The partial unique index allows one live subscription per product: a second click loses.
    if (uniqueViolation(e)?.startsWith('subscriptions.')) return { ok: false, error: 'already_subscribed' }
    throw e
  }
  return { ok: true, licenceNumber: number }
}

export type Meter = { key: string; label: Localized; kind: QuotaKind; limit: number | null; used: number; resetsAt: Date | null; over: boolean }
export type ProductState = {
  product: CatalogProduct
  subscription: Subscription | null
  licenceNumber: string | null
  meters: Meter[]
}

/** Every product of the catalog as this org sees it: its subscription, licence and quota meters. */
export async function orgProducts(deps: Deps, org: Org, now: Date): Promise<ProductState[]> {
  const { db } = deps
  const month = localMonth(now, org.timeZone)
  const [catalog, subs, lics, monthly, totals, seats] = await Promise.all([
    loadCatalog(db),
    db.select().from(subscriptions).where(and(eq(subscriptions.orgId, org.id), ne(subscriptions.status, 'ended'))),
    db.select({ subscriptionId: licences.subscriptionId, number: licences.number }).from(licences).where(eq(licences.orgId, org.id)),
    db
      .select({ productId: usageEvents.productId, quotaKey: usageEvents.quotaKey, used: sum(usageEvents.quantity) })
      .from(usageEvents)
      .where(and(eq(usageEvents.orgId, org.id), gte(usageEvents.at, month.start), lt(usageEvents.at, month.end)))
      .groupBy(usageEvents.productId, usageEvents.quotaKey),
    db
      .select({ productId: usageEvents.productId, quotaKey: usageEvents.quotaKey, used: sum(usageEvents.quantity) })
      .from(usageEvents)
      .where(eq(usageEvents.orgId, org.id))
      .groupBy(usageEvents.productId, usageEvents.quotaKey),
    db.select({ n: sql<number>`count(*)` }).from(memberships).where(eq(memberships.orgId, org.id)),
  ])
  const usedOf = (rows: { productId: string; quotaKey: string; used: string | null }[], productId: string, key: string) =>
    Number(rows.find((r) => r.productId === productId && r.quotaKey === key)?.used ?? 0)
  return catalog
    .filter((p) => p.active && p.kind === 'subscription')
    .map((product) => {
      const subscription = subs.find((s) => s.productId === product.id) ?? null
      const meters: Meter[] = subscription
        ? product.quotas.map((q) => {
            const limit = effectiveLimit(subscription.snapshot.limits[q.key], subscription.addonPacks[q.key] ?? 0, subscription.snapshot.addonPackSizes[q.key] ?? 0)
            const used = q.kind === 'seats' ? Number(seats[0]?.n ?? 0) : q.kind === 'monthly' ? usedOf(monthly, product.id, q.key) : usedOf(totals, product.id, q.key)
            return { key: q.key, label: q.label, kind: q.kind, limit, used, resetsAt: q.kind === 'monthly' ? month.end : null, over: isOver(limit, used) }
          })
        : []
      return { product, subscription, licenceNumber: lics.find((l) => l.subscriptionId === subscription?.id)?.number ?? null, meters }
    })
}

/** The products a person sees in the org: all for administrators, the permitted ones for members. */
export async function productsFor(deps: Deps, org: Org, userId: string, role: 'admin' | 'member', now: Date): Promise<ProductState[]> {
  const all = await orgProducts(deps, org, now)
  if (role === 'admin') return all
  const allowed = await deps.db
    .select({ productId: memberPermissions.productId })
    .from(memberPermissions)
    .where(and(eq(memberPermissions.orgId, org.id), eq(memberPermissions.userId, userId)))
  const ids = new Set(allowed.map((a) => a.productId))
  return all.filter((p) => ids.has(p.product.id))
}
