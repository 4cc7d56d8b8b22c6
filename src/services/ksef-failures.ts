// KSeF failures the Ministry declared (emergency mode, "tryb awaryjny": NOTES-ksef.md §8), as
// operators record them on /ops/einvoices. Nothing detects one: the Ministry announces it, with its
// start and, later, its end. Invoices issued during one are offline invoices (KOD II, `offlineMode`)
// with 7 working days after its end to reach KSeF (src/einvoice/ksef/offline.ts). Kept as one JSON
// list in `meta` — a handful of rows a year — written with a guard on the list read, so two
// operators can't overwrite each other's declaration.
import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Db } from '../db/client'
import { meta } from '../db/schema'
import { guard, guardAborted } from '../db/guard'
import { recordHistory, type Actor } from '../db/history'
import type { DeclaredFailure } from '../einvoice/ksef/offline'

export const KSEF_FAILURES_KEY = 'ksef_failures'

/** A declared failure with who recorded it; stored with instants as milliseconds. */
export type KsefFailure = DeclaredFailure & { declaredAt: Date; declaredBy: string; endedBy: string | null }
type Stored = { from: number; until: number | null; declaredAt: number; declaredBy: string; endedBy?: string | null }

export type FailureError = 'future' | 'order' | 'overlap' | 'not_ongoing' | 'changed'

/** The stored list's row: read with the page's other reads. */
export function ksefFailuresQuery(db: Db) {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, KSEF_FAILURES_KEY))
}

/** The failures, newest first, from the stored row (none when there is no row). */
export function ksefFailuresOf(rows: { value: string }[]): KsefFailure[] {
  const stored = rows[0] ? (JSON.parse(rows[0].value) as Stored[]) : []
  return stored
    .map((f) => ({ from: new Date(f.from), until: f.until === null ? null : new Date(f.until), declaredAt: new Date(f.declaredAt), declaredBy: f.declaredBy, endedBy: f.endedBy ?? null }))
    .sort((a, b) => b.from.getTime() - a.from.getTime())
}

/**
 * Whether an invoice issued at `issuedAt` (a column) falls in a declared failure, from inclusive,
 * until exclusive — the SQL twin of offline.ts's failureAt, for reads and the job's update.
 */
export function issuedDuringDeclaredFailure(issuedAt: SQLWrapper): SQL<number> {
  return sql<number>`exists (select 1 from ${meta}, json_each(${meta.value}) as f where ${meta.key} = ${KSEF_FAILURES_KEY}
    and json_extract(f.value, '$.from') <= ${issuedAt} and (json_extract(f.value, '$.until') is null or ${issuedAt} < json_extract(f.value, '$.until')))`
}

const toStored = (f: KsefFailure): Stored => ({ from: f.from.getTime(), until: f.until?.getTime() ?? null, declaredAt: f.declaredAt.getTime(), declaredBy: f.declaredBy, endedBy: f.endedBy })

/** Writes the list if it is still the one read, with the history row of the change. */
async function swap(db: Db, read: { value: string }[], next: KsefFailure[], history: { kind: 'einvoice.ksef_failure_declared' | 'einvoice.ksef_failure_ended'; actor: Actor; failure: KsefFailure }, now: Date): Promise<boolean> {
  const value = JSON.stringify(next.map(toStored))
  const current = sql`(select ${meta.value} from ${meta} where ${meta.key} = ${KSEF_FAILURES_KEY})`
  const { failure } = history
  try {
    await db.batch([
      guard(db, read[0] ? sql`${current} = ${read[0].value}` : sql`${current} is null`),
      db.insert(meta).values({ key: KSEF_FAILURES_KEY, value, updatedAt: now }).onConflictDoUpdate({ target: meta.key, set: { value, updatedAt: now } }),
      recordHistory(db, {
        orgId: null,
        actor: history.actor,
        kind: history.kind,
        subject: { type: 'ksef_failure', id: String(failure.from.getTime()) },
        details: { from: failure.from.toISOString(), until: failure.until?.toISOString() ?? null },
        at: now,
      }),
    ])
  } catch (e) {
    if (guardAborted(e)) return false
    throw e
  }
  return true
}

type Result = { ok: true; failure: KsefFailure } | { ok: false; error: FailureError }

/**
 * Records a failure the Ministry declared: it has begun (`from` not after now), an end given is
 * after its start and not after now either, and it overlaps no failure already recorded (so only
 * one lasts at a time).
 */
export async function declareKsefFailure(db: Db, actor: Actor, input: { from: Date; until: Date | null }, now: Date): Promise<Result> {
  if (input.from > now || (input.until && input.until > now)) return { ok: false, error: 'future' }
  if (input.until && input.until <= input.from) return { ok: false, error: 'order' }
  const read = await ksefFailuresQuery(db)
  const failures = ksefFailuresOf(read)
  const end = (f: { until: Date | null }) => f.until?.getTime() ?? Infinity
  if (failures.some((f) => f.from.getTime() < end(input) && input.from.getTime() < end(f))) return { ok: false, error: 'overlap' }
  const failure: KsefFailure = { ...input, declaredAt: now, declaredBy: actor.label, endedBy: null }
  if (!(await swap(db, read, [failure, ...failures], { kind: 'einvoice.ksef_failure_declared', actor, failure }, now))) return { ok: false, error: 'changed' }
  return { ok: true, failure }
}

/** Records the end of the failure that lasts (the Ministry announced it): after its start, not after now. */
export async function endKsefFailure(db: Db, actor: Actor, until: Date, now: Date): Promise<Result> {
  if (until > now) return { ok: false, error: 'future' }
  const read = await ksefFailuresQuery(db)
  const failures = ksefFailuresOf(read)
  const ongoing = failures.find((f) => f.until === null)
  if (!ongoing) return { ok: false, error: 'not_ongoing' }
  if (until <= ongoing.from) return { ok: false, error: 'order' }
  const ended: KsefFailure = { ...ongoing, until, endedBy: actor.label }
  const next = failures.map((f) => (f === ongoing ? ended : f))
  if (!(await swap(db, read, next, { kind: 'einvoice.ksef_failure_ended', actor, failure: ended }, now))) return { ok: false, error: 'changed' }
  return { ok: true, failure: ended }
}
