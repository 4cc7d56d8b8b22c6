// Usage reported by vendor apps (SPEC §5, §12). The check against the limit and the insert are one
// SQL statement, so concurrent calls can never together exceed a limit; the idempotency key is a
// unique index, so a retried call never counts twice. A report that counts costs two statements in
// two round trips: the API key's, which also finds the subscriptions offering the quota
// (usageCandidates, src/services/api-keys.ts), and the insert, which returns the new use. A refusal
// or a replay reads once more to say why.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Deps } from '../deps'
import { products, quotaDefs, subscriptions, usageEvents, type PlanSnapshot } from '../db/schema'
import { effectiveLimit, type QuotaKind } from '../domain/quotas'
import { localMonth } from '../domain/time'
import type { Org } from './orgs'

export type UsageInput = { product?: string; quota: string; quantity: number; idempotencyKey: string }
/** What a report is about: the quota, and the product when named. */
export type UsageTarget = { quota: string; product?: string }

export type UsageState = { product: string; quota: string; used: number; limit: number | null; resetsAt: Date | null }

export type UsageResult =
  | { ok: true; replayed: boolean; state: UsageState }
  | { ok: false; error: 'unknown_quota' | 'product_required' | 'seats_not_reported' | 'negative_monthly' | 'below_zero' }
  | { ok: false; error: 'read_only' }
  | { ok: false; error: 'quota_exceeded'; state: UsageState }

/** A live subscription of the org whose product has the quota. */
export type UsageCandidate = {
  productId: string
  productKey: string
  status: 'active' | 'read_only'
  snapshot: PlanSnapshot
  addonPacks: Record<string, number>
  kind: QuotaKind
}

/** The org's live subscriptions offering the quota (of the product, if named), as a JSON array subquery. */
export function usageCandidates(orgId: SQLWrapper, target: UsageTarget): SQL<string> {
  const product = target.product ? sql` and p.key = ${target.product}` : sql``
  return sql<string>`(select json_group_array(json_array(s.product_id, p.key, s.status, json(s.snapshot), json(s.addon_packs), q.kind))
    from ${subscriptions} s join ${products} p on p.id = s.product_id join ${quotaDefs} q on q.product_id = s.product_id and q.key = ${target.quota}
    where s.org_id = ${orgId} and s.status <> 'ended'${product})`
}

export function parseUsageCandidates(json: string): UsageCandidate[] {
  return (JSON.parse(json) as [string, string, UsageCandidate['status'], PlanSnapshot, Record<string, number>, QuotaKind][]).map(([productId, productKey, status, snapshot, addonPacks, kind]) => ({
    productId,
    productKey,
    status,
    snapshot,
    addonPacks,
    kind,
  }))
}

async function readCandidates(deps: Deps, orgId: string, target: UsageTarget): Promise<UsageCandidate[]> {
  const [row] = await deps.db.all<{ candidates: string }>(sql`select ${usageCandidates(sql`${orgId}`, target)} as candidates`)
  return parseUsageCandidates(row!.candidates)
}

/** Records the report; `candidates` as the API key's statement found them (else they are read here). */
export async function recordUsage(deps: Deps, org: Org, input: UsageInput, now: Date, found?: UsageCandidate[] | null): Promise<UsageResult> {
  const { db } = deps
  const candidates = found ?? (await readCandidates(deps, org.id, input))
  if (candidates.length === 0) return { ok: false, error: 'unknown_quota' }
  if (candidates.length > 1) return { ok: false, error: 'product_required' }
  const { productId, productKey, kind, status, snapshot, addonPacks } = candidates[0]!
  if (kind === 'seats') return { ok: false, error: 'seats_not_reported' }
  if (kind === 'monthly' && input.quantity < 0) return { ok: false, error: 'negative_monthly' }
  if (status === 'read_only') return { ok: false, error: 'read_only' }

  const limit = effectiveLimit(snapshot.limits[input.quota], addonPacks[input.quota] ?? 0, snapshot.addonPackSizes[input.quota] ?? 0)
  const window = kind === 'monthly' ? localMonth(now, org.timeZone) : { start: new Date(0), end: new Date(8.64e15) }
  const usedSql = sql`(select coalesce(sum(${usageEvents.quantity}), 0) from ${usageEvents}
    where ${usageEvents.orgId} = ${org.id} and ${usageEvents.productId} = ${productId} and ${usageEvents.quotaKey} = ${input.quota}
      and ${usageEvents.at} >= ${window.start.getTime()} and ${usageEvents.at} < ${window.end.getTime()})`
  const state = (used: number): UsageState => ({ product: productKey, quota: input.quota, used, limit, resetsAt: kind === 'monthly' ? window.end : null })

  // The use returned is read by the statement itself, after its own row: exact under concurrency.
  const inserted = await db.all<{ id: number; used: number }>(sql`insert into ${usageEvents} (org_id, product_id, quota_key, quantity, at, idempotency_key)
    select ${org.id}, ${productId}, ${input.quota}, ${input.quantity}, ${now.getTime()}, ${input.idempotencyKey}
    where ${usedSql} + ${input.quantity} >= 0
      and (${limit} is null or ${input.quantity} <= 0 or ${usedSql} + ${input.quantity} <= ${limit})
    on conflict (org_id, idempotency_key) do nothing
    returning id, ${usedSql} as used`)
  if (inserted.length === 1) return { ok: true, replayed: false, state: state(Number(inserted[0]!.used)) }

  // Not counted: an earlier report under this key, or the limit (or zero) in the way.
  const [why] = await db.all<{ earlier: number; used: number }>(sql`select
    exists (select 1 from ${usageEvents} where ${usageEvents.orgId} = ${org.id} and ${usageEvents.idempotencyKey} = ${input.idempotencyKey}) as earlier,
    ${usedSql} as used`)
  const used = Number(why?.used ?? 0)
  if (why?.earlier) return { ok: true, replayed: true, state: state(used) }
  if (input.quantity < 0) return { ok: false, error: 'below_zero' }
  return { ok: false, error: 'quota_exceeded', state: state(used) }
}
