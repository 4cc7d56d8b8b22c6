// Seats (SPEC §2, §5): how many members an org may have — its biggest seat limit among its live
// subscriptions (plan limit plus add-on packs). Every way in (adding by e-mail, an accepted
// invitation, a claim by licence number) inserts the membership with `hasSeatFor` in the insert's
// own WHERE, so the count it compares with is the one the insert sees: two people joining at once
// can't overfill the plan, and a plan changed since anything was read is the plan that counts.
import { and, count, eq, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { cachedCatalog } from '../db/catalog-cache'
import type { CatalogProduct } from '../db/catalog'
import { memberships, quotaDefs, subscriptions } from '../db/schema'
import { effectiveLimit } from '../domain/quotas'
import type { Subscription } from './subscriptions'

export type SeatLimit = { limit: number; used: number; product: string; plan: string; productKey: string }
/** The limit and the plan that sets it. */
export type SeatSource = { limit: number; productId: string; productKey: string; product: string; plan: string }

/**
 * SQL: the org has room for one more member. No live subscription with a seats quota means no
 * limit yet; otherwise one subscription whose limit (the snapshot's, plus packs × pack size) is
 * unlimited or above today's member count is enough. The snapshot's limit missing or JSON null is
 * unlimited, as `effectiveLimit` reads it.
 */
export function hasSeatFor(orgId: string) {
  const live = sql`from ${subscriptions} s join ${quotaDefs} q on q.product_id = s.product_id and q.kind = 'seats'
    where s.org_id = ${orgId} and s.status <> 'ended'`
  const planLimit = sql`json_extract(s.snapshot, '$.limits."' || q.key || '"')`
  const packs = sql`max(0, coalesce(json_extract(s.addon_packs, '$."' || q.key || '"'), 0)) * coalesce(json_extract(s.snapshot, '$.addonPackSizes."' || q.key || '"'), 0)`
  const members = sql`(select count(*) from ${memberships} m where m.org_id = ${orgId})`
  return sql`(not exists (select 1 ${live}) or exists (select 1 ${live} and (${planLimit} is null or ${planLimit} + ${packs} > ${members})))`
}

/**
 * The org's seat limit from its live subscriptions, as `hasSeatFor` decides it: the biggest, with
 * the plan that sets it; null (no limit) if one is unlimited or none has a seats quota.
 */
export function orgSeatLimit(catalog: CatalogProduct[], subs: Pick<Subscription, 'productId' | 'snapshot' | 'addonPacks'>[]): SeatSource | null {
  let best: SeatSource | null = null
  for (const sub of subs) {
    const product = catalog.find((p) => p.id === sub.productId)
    const quota = product?.quotas.find((q) => q.kind === 'seats')
    if (!product || !quota) continue
    const limit = effectiveLimit(sub.snapshot.limits[quota.key], sub.addonPacks[quota.key] ?? 0, sub.snapshot.addonPackSizes[quota.key] ?? 0)
    if (limit === null) return null
    if (!best || limit > best.limit) best = { limit, productId: product.id, productKey: product.key, product: product.name, plan: sub.snapshot.planName }
  }
  return best
}

/** The org's seat limit and the members counted against it, read now, to explain a refusal; null when there is no limit. */
export async function seatLimit(deps: Deps, orgId: string): Promise<SeatLimit | null> {
  const { db } = deps
  const [catalog, read] = await Promise.all([
    cachedCatalog(db),
    readTogether(db, {
      subs: db.select().from(subscriptions).where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended'))),
      members: db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId)),
    }),
  ])
  const best = orgSeatLimit(catalog, read.subs)
  return best && { limit: best.limit, used: read.members[0]?.n ?? 0, product: best.product, plan: best.plan, productKey: best.productKey }
}

/** A refusal for a full org: the limit as read now (a seat freed meanwhile leaves nothing to explain). */
export async function fullSeats(deps: Deps, orgId: string): Promise<SeatLimit | null> {
  const seats = await seatLimit(deps, orgId)
  return seats && seats.used >= seats.limit ? seats : null
}

/** The plan page of an org's product, where administrators change the plan or add users. */
export const planPagePath = (slug: string, productKey: string) => `/o/${slug}/products/${productKey}/plan`
