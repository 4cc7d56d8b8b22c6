// The test clock (issue 7), like Stripe's test clocks: outside production an operator moves the
// app's time forward to watch a subscription renew, lapse, turn read-only and get deleted from the
// browser. It is kept in `meta` as an offset from the real clock, so time keeps flowing from the
// moment it was set; the app, the scheduler and `npm run job` all read the time through appNow.
import { eq, inArray, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { BatchItem, Db } from '../db/client'
import { guard, guardAborted, writePlanned } from '../db/guard'
import type { Config } from '../config'
import { meta, outbox, sessions } from '../db/schema'
import { DAY } from '../clock'
import { DAILY_JOBS, FREQUENT_JOBS, runNamedJob, type JobName } from '../jobs'

export const TEST_CLOCK_KEY = 'test_clock_offset_ms'
/** One advance runs two jobs per simulated day in a single request: a bound keeps it to minutes. */
export const MAX_ADVANCE_DAYS = 400

export type TestClockError = 'production' | 'backwards' | 'too_far' | 'moved'
export type AppTime = { now: Date; testClock: boolean }
export type AdvanceReport = { from: Date; to: Date; runs: number; failed: number; skipped: number }
type Result<T> = { ok: true; value: T } | { ok: false; error: TestClockError }

export function testClockAllowed(config: Config): boolean {
  return config.environment !== 'production'
}

/** The stored offset's row: a read a page's first batch carries outside production. */
export function testClockQuery(db: Db) {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, TEST_CLOCK_KEY))
}

/** The app's time from the stored offset's row (none: no test clock). */
export function timeFromOffset(row: { value: string } | undefined, real: Date): AppTime {
  const offset = row ? Number(row.value) : NaN
  return Number.isFinite(offset) ? { now: new Date(real.getTime() + offset), testClock: true } : { now: real, testClock: false }
}

/** The stored offset in ms, or null when no test clock is set. */
async function readOffset(deps: Deps): Promise<number | null> {
  const row = await testClockQuery(deps.db).get()
  const offset = row ? Number(row.value) : NaN
  return Number.isFinite(offset) ? offset : null
}

/**
 * The app's time: the real clock plus the test clock's offset. Production never reads the stored
 * offset (no query per request, and a row left in a copied database changes nothing).
 */
export async function appTime(deps: Deps, real: Date = deps.clock.now()): Promise<AppTime> {
  if (!testClockAllowed(deps.config)) return { now: real, testClock: false }
  return timeFromOffset(await testClockQuery(deps.db).get(), real)
}

export async function appNow(deps: Deps, real?: Date): Promise<Date> {
  return (await appTime(deps, real)).now
}

/**
 * Replaces the offset only if it is still the one read (a conditional write, CONVENTIONS §5): two
 * operators moving the clock at once can't interleave their simulated days. Sessions move with the
 * clock in the same batch, guarded on the offset read: their lifetime guards against real time
 * passing, which the test clock doesn't do, so moving it signs nobody out (the operator moving it
 * included).
 */
async function swapOffset(deps: Deps, expected: number | null, next: number): Promise<boolean> {
  const { db } = deps
  const updatedAt = deps.clock.now()
  const current = sql`(select ${meta.value} from ${meta} where ${meta.key} = ${TEST_CLOCK_KEY})`
  try {
    await db.batch([
      guard(db, expected === null ? sql`${current} is null` : sql`${current} = ${String(expected)}`),
      db
        .insert(meta)
        .values({ key: TEST_CLOCK_KEY, value: String(next), updatedAt })
        .onConflictDoUpdate({ target: meta.key, set: { value: String(next), updatedAt } }),
      shiftSessions(db, next - (expected ?? 0)),
    ])
  } catch (e) {
    if (guardAborted(e)) return false
    throw e
  }
  return true
}

// Every time a session's end is counted from moves, so it ends as if the moved time never passed.
const shiftSessions = (db: Db, ms: number) =>
  db.update(sessions).set({
    createdAt: sql`${sessions.createdAt} + ${ms}`,
    lastSeenAt: sql`${sessions.lastSeenAt} + ${ms}`,
    expiresAt: sql`${sessions.expiresAt} + ${ms}`,
  })

/** Each daily job's firing in (from, to], in time order, as the Cron Triggers would have fired them. */
export function dailyFirings(from: Date, to: Date): { job: JobName; at: Date }[] {
  const firings: { job: JobName; at: Date }[] = []
  const firstDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())
  for (let day = firstDay; day <= to.getTime(); day += DAY) {
    for (const { job, hour, minute } of DAILY_JOBS) {
      const at = day + (hour * 60 + minute) * 60_000
      if (at > from.getTime() && at <= to.getTime()) firings.push({ job, at: new Date(at) })
    }
  }
  return firings.sort((a, b) => a.at.getTime() - b.at.getTime())
}

/**
 * Moves the app's time forward to `to`, running each daily job at every cron time it passes, then
 * the frequent jobs (mail, digests) once as of `to`. Rules:
 * - forward only: jobs have already worked as of the later time (renewals charged, mails queued,
 *   history written), so an earlier time would show a world that contradicts its own records;
 *   reset is the one way back, to real time;
 * - at most MAX_ADVANCE_DAYS per move;
 * - the clock moves day by day with the jobs, so a failure half-way leaves the app at the last
 *   simulated day rather than ahead of work that never ran; a failed job does not stop the rest;
 * - sessions move along with it, so nobody is signed out by time that didn't really pass.
 */
export async function moveTestClockTo(deps: Deps, to: Date): Promise<Result<AdvanceReport>> {
  if (!testClockAllowed(deps.config)) return { ok: false, error: 'production' }
  let offset = await readOffset(deps)
  const from = new Date(deps.clock.now().getTime() + (offset ?? 0))
  if (to.getTime() <= from.getTime()) return { ok: false, error: 'backwards' }
  if (to.getTime() - from.getTime() > MAX_ADVANCE_DAYS * DAY) return { ok: false, error: 'too_far' }
  const report: AdvanceReport = { from, to, runs: 0, failed: 0, skipped: 0 }
  const moveTo = async (at: Date) => {
    const next = at.getTime() - deps.clock.now().getTime()
    if (!(await swapOffset(deps, offset, next))) return false
    offset = next
    return true
  }
  const run = async (job: JobName, at: Date) => {
    const r = await runNamedJob(deps, job, at)
    report.runs++
    if (r.status === 'error') report.failed++
    if (r.status === 'skipped') report.skipped++
  }
  for (const firing of dailyFirings(from, to)) {
    if (!(await moveTo(firing.at))) return { ok: false, error: 'moved' }
    await run(firing.job, firing.at)
  }
  if (!(await moveTo(to))) return { ok: false, error: 'moved' }
  for (const job of FREQUENT_JOBS) await run(job, to)
  return { ok: true, value: report }
}

/** Advances by a span (days and hours from the form): moveTestClockTo from the app's time now. */
export async function advanceTestClock(deps: Deps, byMs: number): Promise<Result<AdvanceReport>> {
  return moveTestClockTo(deps, new Date((await appNow(deps)).getTime() + byMs))
}

/**
 * Back to real time. What was done under the test clock stays as it was (periods renewed ahead,
 * records dated in the future): resetting is for ending a demonstration, not for undoing it. Sessions
 * and undelivered mail move back with the clock.
 */
export async function resetTestClock(deps: Deps): Promise<Result<{ wasSet: boolean }>> {
  if (!testClockAllowed(deps.config)) return { ok: false, error: 'production' }
  const { db } = deps
  // Read, then one batch guarded on the offset still being the one read (a move meanwhile reads again).
  const wasSet = await writePlanned<boolean>(db, async () => {
    const offset = await readOffset(deps)
    if (offset === null) return { done: false }
    const back = -offset
    const batch: BatchItem[] = [
      guard(db, sql`(select ${meta.value} from ${meta} where ${meta.key} = ${TEST_CLOCK_KEY}) = ${String(offset)}`),
      db.delete(meta).where(eq(meta.key, TEST_CLOCK_KEY)),
      // Sessions come back with the clock, keeping the time they had left (see swapOffset).
      shiftSessions(db, back),
      // So does undelivered mail: queued at the app's time, it would otherwise wait for real time to catch up.
      db
        .update(outbox)
        .set({ nextAttemptAt: sql`${outbox.nextAttemptAt} + ${back}`, lockedUntil: sql`${outbox.lockedUntil} + ${back}` })
        .where(inArray(outbox.status, ['pending', 'sending'])),
    ]
    return { batch, after: () => true }
  })
  return { ok: true, value: { wasSet } }
}
