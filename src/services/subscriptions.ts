// Subscriptions and licences (SPEC §6, §8): activating a product's free plan in one click, and an
// org's products with every quota as a meter (SPEC §5).
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type Db, type Executor } from '../db/client'
import { uniqueViolation } from '../db/errors'
import { licences, memberships, quotaDefs, subscriptions, usageEvents, usageTotals, type PlanSnapshot } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { cachedCatalog } from '../db/catalog-cache'
import { bindPrepared } from '../db/prepared'
import { type CatalogProduct, type Plan } from '../db/catalog'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { generateLicenceNumber } from '../domain/licence-number'
import { effectiveLimit, isOver, type QuotaKind } from '../domain/quotas'
import { localMonth } from '../domain/time'
import type { Localized } from '../db/schema'
import type { Org } from './orgs'
import { orgSeatLimit } from './seats'

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

type SubscriptionTerms = Pick<Subscription, 'planId' | 'snapshot' | 'status' | 'periodMonths' | 'periodStart' | 'periodEnd' | 'source'> &
  Partial<Pick<Subscription, 'addonPacks' | 'autoRenew' | 'scheduledPlanId' | 'scheduledPeriodMonths'>>

/**
 * The statements that start an org's subscription to a product together with its licence (one per
 * subscription, SPEC §6), for the caller's batch with its history row. The one-live-subscription
 * index refuses a second; `uniqueViolation(e)` then names `subscriptions.org_id, subscriptions.product_id`.
 */
export function newSubscription(db: Executor, orgId: string, productId: string, terms: SubscriptionTerms, now: Date) {
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
  const product = (await cachedCatalog(db)).find((p) => p.key === productKey && p.active && p.kind === 'subscription')
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

/**
 * A quota as the org stands against it. A seats meter counts the org's members against the org's
 * seat limit — the biggest of its subscriptions', the one adding people is held to — and names
 * the plan that sets it when that is another product's (`from`).
 */
export type Meter = {
  key: string
  label: Localized
  kind: QuotaKind
  limit: number | null
  used: number
  resetsAt: Date | null
  over: boolean
  from?: { plan: string; product: string }
}
export type ProductState = {
  product: CatalogProduct
  subscription: Subscription | null
  licenceNumber: string | null
  meters: Meter[]
}

/** Every product of the catalog as this org sees it: its subscription, licence and quota meters. */
export async function orgProducts(deps: Deps, org: Org, now: Date): Promise<ProductState[]> {
  const month = localMonth(now, org.timeZone)
  const [catalog, read] = await Promise.all([cachedCatalog(deps.db), readTogether(deps.db, orgProductReads(deps.db, org.id, month))])
  return productStates(catalog, read, month)
}

/**
 * The reads behind the org's products, for the caller's batch (one round trip with what else the
 * page needs): its live subscriptions with their licence numbers and the org's seat count, and
 * every monthly and total quota's use.
 */
export function orgProductReads(db: Db, orgId: string, month: { start: Date; end: Date }) {
  return { subs: bindPrepared(db, liveSubscriptions, { orgId }), usage: quotaUse(db, orgId, month) }
}

/** The org's live subscriptions with their licence numbers and its seat count; prepared once (src/db/prepared.ts), every dashboard reads it. */
const liveSubscriptions = (db: Db) => {
  const orgId = sql.placeholder('orgId')
  return db
    .select({ subscription: subscriptions, licence: licences.number, seats: sql<number>`(select count(*) from ${memberships} where ${memberships.orgId} = ${orgId})` })
    .from(subscriptions)
    .leftJoin(licences, eq(licences.subscriptionId, subscriptions.id))
    .where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended')))
}

type ProductReads = { subs: { subscription: Subscription; licence: string | null; seats: number }[]; usage: { productId: string; quotaKey: string; used: number }[] }

export function productStates(catalog: CatalogProduct[], { subs, usage }: ProductReads, month: { start: Date; end: Date }): ProductState[] {
  const usedOf = (productId: string, key: string) => usage.find((r) => r.productId === productId && r.quotaKey === key)?.used ?? 0
  const seats = orgSeatLimit(catalog, subs.map((s) => s.subscription))
  const members = Number(subs[0]?.seats ?? 0)
  return catalog
    .filter((p) => p.active && p.kind === 'subscription')
    .map((product) => {
      const row = subs.find((s) => s.subscription.productId === product.id)
      const subscription = row?.subscription ?? null
      const meters: Meter[] = subscription
        ? product.quotas.map((q) => {
            if (q.kind === 'seats') {
              const limit = seats?.limit ?? null
              const from = seats && seats.productId !== product.id ? { plan: seats.plan, product: seats.product } : undefined
              return { key: q.key, label: q.label, kind: q.kind, limit, used: members, resetsAt: null, over: isOver(limit, members), ...(from ? { from } : {}) }
            }
            const limit = effectiveLimit(subscription.snapshot.limits[q.key], subscription.addonPacks[q.key] ?? 0, subscription.snapshot.addonPackSizes[q.key] ?? 0)
            const used = usedOf(product.id, q.key)
            return { key: q.key, label: q.label, kind: q.kind, limit, used, resetsAt: q.kind === 'monthly' ? month.end : null, over: isOver(limit, used) }
          })
        : []
      return { product, subscription, licenceNumber: row?.licence ?? null, meters }
    })
}

/** Later than any stored time (the largest Date); a total quota's period ends there (src/db/usage-report.ts). */
const FOREVER = 8.64e15

/**
 * The use of every monthly and total quota of the org's live subscriptions: the period's row of
 * usage_totals (this month in the org's zone, or all time for totals), which the first usage report of
 * the period creates and migration 0026's triggers keep equal to the sum of its events — one primary
 * key read. A period no report opened yet (events written otherwise, or none) is summed instead, from
 * a range of the covering (org, product, quota, at, quantity) index, so an org's older usage costs a
 * monthly meter nothing either way.
 */
function quotaUse(db: Db, orgId: string, month: { start: Date; end: Date }) {
  return db.all<{ productId: string; quotaKey: string; used: number }>(quotaUseSql(orgId, month))
}

export function quotaUseSql(orgId: string, month: { start: Date; end: Date }) {
  const start = sql`(case q.kind when 'monthly' then ${month.start.getTime()} else 0 end)`
  const end = sql`(case q.kind when 'monthly' then ${month.end.getTime()} else ${FOREVER} end)`
  return sql`
    select q.product_id as productId, q.key as quotaKey, coalesce(
      (select x.used from ${usageTotals} x
        where x.org_id = ${orgId} and x.product_id = q.product_id and x.quota_key = q.key and x.period_start = ${start} and x.period_end = ${end}),
      (select coalesce(sum(u.quantity), 0) from ${usageEvents} u
        where u.org_id = ${orgId} and u.product_id = q.product_id and u.quota_key = q.key and u.at >= ${start} and u.at < ${end})
    ) as used
    from ${quotaDefs} q
    where q.kind <> 'seats' and q.product_id in (select product_id from ${subscriptions} where org_id = ${orgId} and status <> 'ended')`
}

/** The products a person sees in the org: all for administrators, the permitted ones for members. */
export function visibleProducts(all: ProductState[], role: 'admin' | 'member', permitted: { productId: string }[]): ProductState[] {
  if (role === 'admin') return all
  const ids = new Set(permitted.map((a) => a.productId))
  return all.filter((p) => ids.has(p.product.id))
}
