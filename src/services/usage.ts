// Usage reported by vendor apps (SPEC §5, §12), in ONE round trip: the API key's check, the limit's
// and the insert are one batch of conditional statements (src/db/usage-report.ts), one write
// transaction, so concurrent reports can never together exceed a limit and nothing is read first.
// The limit is checked against the period's row of usage_totals, kept equal to the sum of the
// period's events by triggers, so a report costs the same at the first event of a month and at the
// millionth. The idempotency key is a unique index over the keys held (24 hours): the counted report
// stores the request's fingerprint and its answer in its own row, so a retry is answered byte for byte
// and never counts twice. A report that is not counted is explained by the same batch.
//
// The batch needs two things before it knows the org: the month of the org's time zone (every zone
// an org can have is sent, MonthWindows) and, outside production, the test clock's offset (expected
// to be the one seen last). Both are checked in SQL; when one was wrong nothing was written, and the
// report is sent again with what the batch read.
import type { Deps } from '../deps'
import type { PlanSnapshot } from '../db/schema'
import { REPORT_STATEMENTS, type ReportArgs } from '../db/usage-report'
import type { Db } from '../db/client'
import { effectiveLimit, type QuotaKind } from '../domain/quotas'
import { localMonth } from '../domain/time'
import { COUNTRY_TIME_ZONES } from '../domain/orgs'
import { hashToken } from '../auth/tokens'
import { DAY, MINUTE } from '../clock'
import { parseReadOnlyRows, type ReadOnlyRow } from './read-only'
import { testClockAllowed, timeFromOffset } from './test-clock'

export type UsageInput = { product?: string; quota: string; quantity: number; idempotencyKey: string }

export type UsageState = { product: string; quota: string; used: number; limit: number | null; resetsAt: Date | null }

/** How long a counted report holds its idempotency key: a retry within it is answered, not counted. */
export const IDEMPOTENCY_KEY_HELD_FOR = DAY

export type UsageResult =
  /** `answer`: the JSON body of the 201 that counted the report, stored with it; `replayed` when this is a retry. */
  | { ok: true; replayed: boolean; answer: string }
  | { ok: false; error: 'unauthorized' }
  | { ok: false; error: 'unknown_quota' | 'product_required' | 'seats_not_reported' | 'negative_monthly' | 'below_zero' | 'idempotency_key_reused' }
  /** The org is read-only (SPEC §8): its read-only subscriptions, for the 423's dates. */
  | { ok: false; error: 'read_only'; readOnlyRows: ReadOnlyRow[]; timeZone: string }
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

/**
 * The request a key was first used for: method, path and the validated fields, in a fixed order
 * (a product named or not is a different request, as is another quantity).
 */
export function usageFingerprint(input: UsageInput): string {
  return hashToken(JSON.stringify(['POST', '/api/v1/usage', input.product ?? null, input.quota, input.quantity]))
}

/**
 * This month's span in every time zone an org can have (the countries', and any other an org was
 * found with), as the batch's ?10: {zone: [start ms, end ms, end ISO]}. Built again only when a month
 * turns in one of them, or for a time outside the span it was built for (the test clock).
 */
class MonthWindows {
  #zones = new Set<string>(Object.values(COUNTRY_TIME_ZONES))
  #json = ''
  #from = Infinity
  #until = -Infinity

  at(now: number): string {
    if (now >= this.#from && now < this.#until) return this.#json
    const months: Record<string, [number, number, string]> = {}
    let from = -Infinity
    let until = Infinity
    for (const zone of this.#zones) {
      const { start, end } = localMonth(new Date(now), zone)
      months[zone] = [start.getTime(), end.getTime(), end.toISOString()]
      from = Math.max(from, start.getTime())
      until = Math.min(until, end.getTime())
    }
    this.#json = JSON.stringify(months)
    this.#from = from
    this.#until = until
    return this.#json
  }

  has(zone: string): boolean {
    return this.#zones.has(zone)
  }

  add(zone: string): void {
    localMonth(new Date(), zone) // a zone the runtime does not know fails here, not in every report
    this.#zones.add(zone)
    this.#until = -Infinity
  }
}

const months = new MonthWindows()

/** Outside production: the test clock's stored offset as last seen ('' none), per database. */
const expectedClock = new WeakMap<Db, string>()

/** Tries per report: an expectation found wrong is corrected from what the batch read, so one more suffices; a third covers a clock moved meanwhile. */
const ATTEMPTS = 3

type Explanation = { time_zone: string; clock: string | null; read_only: string; candidates: string; earlier: string | null; totals: string }

/** A total quota's period: all time (as migration 0026's rows and src/db/usage-report.ts have it). */
const ALL_TIME = { start: 0, end: 8_640_000_000_000_000 }

/** Records the report made with `apiKey` (the bearer key as sent), at `real` (the real clock; the test clock applies). */
export async function reportUsage(deps: Deps, apiKey: string, input: UsageInput, real: Date): Promise<UsageResult> {
  const production = !testClockAllowed(deps.config)
  const keyHash = hashToken(apiKey)
  const fingerprint = usageFingerprint(input)
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const clock = production ? null : (expectedClock.get(deps.db) ?? '')
    const now = production ? real.getTime() : timeFromOffset(clock ? { value: clock } : undefined, real).now.getTime()
    const args: ReportArgs = [
      keyHash,
      input.quota,
      input.product ?? null,
      input.quantity,
      input.idempotencyKey,
      fingerprint,
      now,
      now - IDEMPOTENCY_KEY_HELD_FOR,
      now - MINUTE,
      months.at(now),
      clock,
    ]
    const results = await deps.db.$client.batch(
      REPORT_STATEMENTS.map((sql) => ({ sql, args })),
      'write',
    )
    const counted = results[2]!.rows[0]
    if (counted) return { ok: true, replayed: false, answer: String(counted.response) }
    const why = results[3]!.rows[0] as unknown as Explanation | undefined
    if (!why) return { ok: false, error: 'unauthorized' }
    if (clock !== null && (why.clock ?? '') !== clock) {
      expectedClock.set(deps.db, why.clock ?? '')
      continue
    }
    if (!months.has(why.time_zone)) {
      months.add(why.time_zone)
      continue
    }
    return explain(input, fingerprint, why, now)
  }
  throw new Error(`usage report under key ${input.idempotencyKey}: the test clock or the org's time zone kept changing`)
}

/** Why a report with every expectation right was not counted, in the order the API answers. */
function explain(input: UsageInput, fingerprint: string, why: Explanation, now: number): UsageResult {
  const readOnlyRows = parseReadOnlyRows(why.read_only) ?? []
  if (readOnlyRows.length > 0) return { ok: false, error: 'read_only', readOnlyRows, timeZone: why.time_zone }
  const candidates = parseUsageCandidates(why.candidates)
  if (candidates.length === 0) return { ok: false, error: 'unknown_quota' }
  if (candidates.length > 1) return { ok: false, error: 'product_required' }
  const { productKey, kind, snapshot, addonPacks } = candidates[0]!
  if (kind === 'seats') return { ok: false, error: 'seats_not_reported' }
  if (kind === 'monthly' && input.quantity < 0) return { ok: false, error: 'negative_monthly' }

  // A holder past its 24 hours was released by the same batch: the one found holds the key now.
  const earlier = why.earlier ? (JSON.parse(why.earlier) as { fingerprint: string; response: string | null }) : null
  if (earlier) {
    if (earlier.fingerprint !== fingerprint || earlier.response === null) return { ok: false, error: 'idempotency_key_reused' }
    return { ok: true, replayed: true, answer: earlier.response }
  }
  if (input.quantity < 0) return { ok: false, error: 'below_zero' }
  const month = kind === 'monthly' ? localMonth(new Date(now), why.time_zone) : null
  const period = month ? { start: month.start.getTime(), end: month.end.getTime() } : ALL_TIME
  const totals = JSON.parse(why.totals) as [productId: string, start: number, end: number, used: number][]
  const used = totals.find(([productId, start, end]) => productId === candidates[0]!.productId && start === period.start && end === period.end)?.[3]
  if (used === undefined) throw new Error(`usage report under key ${input.idempotencyKey}: not counted, and no period's use to say why`)
  const limit = effectiveLimit(snapshot.limits[input.quota], addonPacks[input.quota] ?? 0, snapshot.addonPackSizes[input.quota] ?? 0)
  return { ok: false, error: 'quota_exceeded', state: { product: productKey, quota: input.quota, used, limit, resetsAt: month?.end ?? null } }
}
