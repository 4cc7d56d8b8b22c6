// Read-only orgs (SPEC §8, lapse policy `read_only_then_delete`): whether an org is read-only and
// until when, and the free-plan way out of it. Enforcement is one guard (src/routes/read-only.tsx).
import { and, eq, sql, type SQLWrapper } from 'drizzle-orm'
import type { Deps } from '../deps'
import { subscriptions } from '../db/schema'
import { cachedCatalog } from '../db/catalog-cache'
import { recordHistoryIfChanged, userActor } from '../db/history'
import type { CatalogProduct } from '../db/catalog'
import type { User } from '../auth/session'
import { deletionDate } from '../domain/lapse'
import type { LapsedProducts } from '../domain/read-only'
import { snapshotOf, type Subscription } from './subscriptions'
import type { Org } from './orgs'

/** One read-only subscription: its product, when it lapsed and when the org's data is deleted. */
export type Lapse = { product: { id: string; key: string; name: string }; subscriptionId: string; lapsedAt: Date; deletesAt: Date }

/**
 * The condition on `subscriptions` for the org's read-only ones (`orgId` a value or a column of an
 * outer query). The literal `<> 'ended'` lets SQLite use the partial index of live subscriptions by org.
 */
export function readOnlySubscriptionsOf(orgId: string | SQLWrapper) {
  return and(eq(subscriptions.orgId, orgId), sql`${subscriptions.status} <> 'ended'`, eq(subscriptions.status, 'read_only'))
}

/** A read-only org: the lapse whose deletion comes first (what the banner names), and all of them. */
export type ReadOnly = Lapse & { lapses: Lapse[] }

/**
 * Null unless some subscription of the org is `read_only`. The lapse date is the end of the unpaid
 * period; a read-only subscription without one (a free plan lapsed for inactivity) counts from its start.
 */
export async function readOnlyState(deps: Deps, org: Pick<Org, 'id' | 'timeZone'>): Promise<ReadOnly | null> {
  const [rows, catalog] = await Promise.all([
    deps.db
      .select({ subscriptionId: subscriptions.id, productId: subscriptions.productId, periodStart: subscriptions.periodStart, periodEnd: subscriptions.periodEnd })
      .from(subscriptions)
      .where(readOnlySubscriptionsOf(org.id)),
    cachedCatalog(deps.db),
  ])
  return readOnlyFrom(rows, catalog, org.timeZone)
}

/** A read-only subscription as read (a page's first batch reads them with the membership, src/services/request-context.ts). */
export type ReadOnlyRow = { subscriptionId: string; productId: string; periodStart: Date; periodEnd: Date | null }

/**
 * The org's read-only subscriptions as a JSON array (each [id, product id, start ms, end ms | null]),
 * a scalar subquery to ride in another statement: the membership read, the API key's.
 */
export function readOnlyRowsJson(orgId: SQLWrapper) {
  // The literal `<> 'ended'` lets SQLite use the partial index of live subscriptions by org.
  return sql<string>`(select json_group_array(json_array(s.id, s.product_id, s.period_start, s.period_end)) from ${subscriptions} s where s.org_id = ${orgId} and s.status <> 'ended' and s.status = 'read_only')`
}

export function parseReadOnlyRows(json: string | null): ReadOnlyRow[] | null {
  if (json === null) return null
  return (JSON.parse(json) as [string, string, number, number | null][]).map(([subscriptionId, productId, start, end]) => ({
    subscriptionId,
    productId,
    periodStart: new Date(start),
    periodEnd: end === null ? null : new Date(end),
  }))
}

/** The read-only state from the org's read-only subscriptions, the products' names and grace days from the catalog. */
export function readOnlyFrom(rows: ReadOnlyRow[], catalog: CatalogProduct[], timeZone: string): ReadOnly | null {
  if (rows.length === 0) return null
  const lapses = rows
    .map((r) => {
      const product = catalog.find((p) => p.id === r.productId)
      const lapsedAt = r.periodEnd ?? r.periodStart
      const graceDays = product?.graceDays ?? 0
      const named = { id: r.productId, key: product?.key ?? r.productId, name: product?.name ?? r.productId }
      return { product: named, subscriptionId: r.subscriptionId, lapsedAt, deletesAt: deletionDate(lapsedAt, graceDays, timeZone) }
    })
    .sort((a, b) => a.deletesAt.getTime() - b.deletesAt.getTime())
  return { ...lapses[0]!, lapses }
}

/** The lapsed products, for the rules of what a read-only org may still change (src/domain/read-only.ts). */
export function lapsedProducts(r: ReadOnly): LapsedProducts {
  return { lapsedKeys: r.lapses.map((l) => l.product.key) }
}

export type UnlockResult = { ok: true } | { ok: false; error: 'no_free_plan' | 'changed' }

/**
 * The free plan now for a read-only subscription: it becomes active again on the free plan's limits
 * (add-on packs ended with the paid period; the licence stays). A conditional update on the
 * subscription still being read-only on the plan the page showed, with its history row in the batch.
 */
export async function unlockWithFreePlan(deps: Deps, org: Org, user: User, product: CatalogProduct, sub: Subscription, now: Date): Promise<UnlockResult> {
  const free = product.plans.find((p) => p.isFree && p.active)
  if (!free) return { ok: false, error: 'no_free_plan' }
  const { db } = deps
  const s = subscriptions
  const from = product.plans.find((p) => p.id === sub.planId)?.name ?? sub.snapshot.planName
  const [changed] = await db.batch([
    db
      .update(s)
      .set({
        planId: free.id,
        snapshot: snapshotOf(product, free),
        status: 'active',
        periodMonths: null,
        periodStart: now,
        periodEnd: null,
        source: 'free',
        addonPacks: {},
        autoRenew: false,
        scheduledPlanId: null,
        scheduledPeriodMonths: null,
      })
      .where(and(eq(s.id, sub.id), eq(s.orgId, org.id), eq(s.planId, sub.planId), eq(s.status, 'read_only'))),
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor: userActor(user),
      kind: 'plan.switched_to_free',
      subject: { type: 'subscription', id: sub.id },
      details: { product: product.name, plan: { from, to: free.name }, refund: 'none', unlocked: 'read_only' },
      at: now,
    }),
  ])
  return changed.rowsAffected === 1 ? { ok: true } : { ok: false, error: 'changed' }
}
