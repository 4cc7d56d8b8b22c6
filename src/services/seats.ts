// Seats (SPEC §2, §5): how many members an org may have — its biggest seat limit among its live
// subscriptions (plan limit plus add-on packs). Every way in (adding by e-mail, an accepted
// invitation, a claim by licence number) inserts the membership with `hasSeatFor` in the insert's
// own WHERE, so the count it compares with is the one the insert sees: two people joining at once
// can't overfill the plan, and a plan changed since anything was read is the plan that counts.
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { memberships, products, quotaDefs, subscriptions } from '../db/schema'
import { effectiveLimit } from '../domain/quotas'

export type SeatLimit = { limit: number; used: number; product: string; plan: string; productKey: string }

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
 * The org's seat limit as people read it — the plan that gives the biggest one, and the members
 * counted against it — to explain a refusal; null when there is no limit.
 */
export async function seatLimit(deps: Deps, orgId: string): Promise<SeatLimit | null> {
  const { db } = deps
  const rows = await db
    .select({ sub: subscriptions, quotaKey: quotaDefs.key, product: products.name, productKey: products.key, used: sql<number>`(select count(*) from ${memberships} where ${memberships.orgId} = ${orgId})` })
    .from(subscriptions)
    .innerJoin(quotaDefs, and(eq(quotaDefs.productId, subscriptions.productId), eq(quotaDefs.kind, 'seats')))
    .innerJoin(products, eq(products.id, subscriptions.productId))
    .where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended')))
  return biggestSeatLimit(rows)
}

type SeatRow = { sub: { snapshot: { planName: string; limits: Record<string, number | null>; addonPackSizes: Record<string, number> }; addonPacks: Record<string, number> }; quotaKey: string; product: string; productKey: string; used: number }

/** The biggest of the subscriptions' seat limits; null if one is unlimited or none has seats. */
export function biggestSeatLimit(rows: SeatRow[]): SeatLimit | null {
  let best: SeatLimit | null = null
  for (const r of rows) {
    const limit = effectiveLimit(r.sub.snapshot.limits[r.quotaKey], r.sub.addonPacks[r.quotaKey] ?? 0, r.sub.snapshot.addonPackSizes[r.quotaKey] ?? 0)
    if (limit === null) return null
    if (!best || limit > best.limit) best = { limit, used: Number(r.used), product: r.product, plan: r.sub.snapshot.planName, productKey: r.productKey }
  }
  return best
}

/** A refusal for a full org: the limit as read now (a seat freed meanwhile leaves nothing to explain). */
export async function fullSeats(deps: Deps, orgId: string): Promise<SeatLimit | null> {
  const seats = await seatLimit(deps, orgId)
  return seats && seats.used >= seats.limit ? seats : null
}

/** The plan page of an org's product, where administrators change the plan or add users. */
export const planPagePath = (slug: string, productKey: string) => `/o/${slug}/products/${productKey}/plan`
