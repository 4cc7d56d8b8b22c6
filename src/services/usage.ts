// Usage reported by vendor apps (SPEC §5, §12). The check against the limit and the insert are one
// SQL statement, so concurrent calls can never together exceed a limit. The idempotency key is a
// unique index over the keys held (24 hours): the counted report stores the request's fingerprint and
// its answer in its own row, in that same statement, so a retry is answered byte for byte and never
// counts twice. A report that counts costs two statements in two round trips: the API key's, which
// also finds the subscriptions offering the quota (usageCandidates, src/services/api-keys.ts), and the
// insert, which returns the answer. A refusal or a replay reads once more to say why.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Deps } from '../deps'
import { products, quotaDefs, subscriptions, usageEvents, type PlanSnapshot } from '../db/schema'
import { effectiveLimit, type QuotaKind } from '../domain/quotas'
import { localMonth } from '../domain/time'
import { hashToken } from '../auth/tokens'
import { DAY } from '../clock'
import type { Org } from './orgs'

export type UsageInput = { product?: string; quota: string; quantity: number; idempotencyKey: string }
/** What a report is about: the quota, and the product when named. */
export type UsageTarget = { quota: string; product?: string }

export type UsageState = { product: string; quota: string; used: number; limit: number | null; resetsAt: Date | null }

/** How long a counted report holds its idempotency key: a retry within it is answered, not counted. */
export const IDEMPOTENCY_KEY_HELD_FOR = DAY

export type UsageResult =
  /** `answer`: the JSON body of the 201 that counted the report, stored with it; `replayed` when this is a retry. */
  | { ok: true; replayed: boolean; answer: string }
  | { ok: false; error: 'unknown_quota' | 'product_required' | 'seats_not_reported' | 'negative_monthly' | 'below_zero' | 'idempotency_key_reused' }
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

/**
 * The request a key was first used for: method, path and the validated fields, in a fixed order
 * (a product named or not is a different request, as is another quantity).
 */
export function usageFingerprint(input: UsageInput): string {
  return hashToken(JSON.stringify(['POST', '/api/v1/usage', input.product ?? null, input.quota, input.quantity]))
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
  const fingerprint = usageFingerprint(input)
  const quantity = sql`cast(${input.quantity} as integer)`
  // The answer, written by the statement that counts: the use it read before its own row, plus the
  // row. Its fields are the API's UsageResponse (src/routes/api.ts), in that order.
  const answer = sql`json_object('product', ${productKey}, 'quota', ${input.quota}, 'used', ${usedSql} + ${quantity},
    'limit', cast(${limit} as integer), 'resets_at', ${kind === 'monthly' ? window.end.toISOString() : null})`
  const insert = sql`insert into ${usageEvents} (org_id, product_id, quota_key, quantity, at, idempotency_key, fingerprint, response)
    select ${org.id}, ${productId}, ${input.quota}, ${quantity}, ${now.getTime()}, ${input.idempotencyKey}, ${fingerprint}, ${answer}
    where ${usedSql} + ${quantity} >= 0
      and (${limit} is null or ${quantity} <= 0 or ${usedSql} + ${quantity} <= ${limit})
    on conflict (org_id, idempotency_key) where fingerprint is not null do nothing
    returning response`
  const heldSince = now.getTime() - IDEMPOTENCY_KEY_HELD_FOR

  let inserted = await db.all<{ response: string }>(insert)
  // Twice at most: once more after releasing a key held past its 24 hours.
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (inserted.length === 1) return { ok: true, replayed: false, answer: inserted[0]!.response }

    // Not counted: the key held by an earlier report, or the limit (or zero) in the way.
    const [why] = await db.all<{ earlier: string | null; used: number }>(sql`select
      (select json_object('id', id, 'at', at, 'fingerprint', fingerprint, 'response', response) from ${usageEvents}
        where ${usageEvents.orgId} = ${org.id} and ${usageEvents.idempotencyKey} = ${input.idempotencyKey} and fingerprint is not null) as earlier,
      ${usedSql} as used`)
    const earlier = why?.earlier ? (JSON.parse(why.earlier) as { id: number; at: number; fingerprint: string; response: string | null }) : null
    if (earlier && earlier.at > heldSince) {
      if (earlier.fingerprint !== fingerprint || earlier.response === null) return { ok: false, error: 'idempotency_key_reused' }
      return { ok: true, replayed: true, answer: earlier.response }
    }
    if (earlier) {
      // Held past its time (the daily purge had not got to it yet): released, and this report tried
      // again, in one batch; a racing retry of the same key finds the new holder on the next turn.
      const [, again] = await db.batch([
        db.run(sql`update ${usageEvents} set fingerprint = null, response = null where id = ${earlier.id} and at <= ${heldSince}`),
        db.all<{ response: string }>(insert),
      ])
      inserted = again as { response: string }[]
      continue
    }
    if (input.quantity < 0) return { ok: false, error: 'below_zero' }
    return { ok: false, error: 'quota_exceeded', state: state(Number(why?.used ?? 0)) }
  }
  throw new Error(`usage report under key ${input.idempotencyKey} neither counted nor answered`)
}
