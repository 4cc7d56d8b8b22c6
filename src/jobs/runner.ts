// Runs one job as of a given time: takes a lease so overlapping runs of the same job don't both
// work, keeps the lease while the job makes progress (its heartbeat), records the run (start, end,
// counts, error) in job_runs (SPEC §13) and logs one line about it (src/log.ts).
import { and, eq, lte } from 'drizzle-orm'
import type { Deps } from '../deps'
import { jobLeases, jobRuns } from '../db/schema'
import { generateId } from '../auth/tokens'
import { MINUTE } from '../clock'
import { errorText, loggerOf } from '../log'

export type JobCounts = Record<string, number>
/** Counts plus the errors of items that failed without stopping the rest (kept on the run's record). */
export type JobReport = { counts: JobCounts; errors: string[] }
/** What a running job gets from the runner. */
export type RunContext = {
  /**
   * Keeps the run's lease: call it between items or batches. It renews the lease at most every
   * HEARTBEAT_EVERY (on the deps clock), so calling it often costs nothing.
   */
  heartbeat: () => Promise<void>
}
export type Job = (deps: Deps, now: Date, run: RunContext) => Promise<JobCounts | JobReport>
export type JobRunResult =
  | { status: 'ok'; counts: JobCounts; errors?: string[] }
  | { status: 'skipped' }
  | { status: 'error'; error: string }

/**
 * A lease lasts this long unless its run renews it (measured on the deps clock, not `now`): a run
 * killed mid-way frees its job within a minute, and the next tick takes over.
 */
export const LEASE_FOR = MINUTE
/** How often a working run renews its lease: a third of LEASE_FOR, so one slow renewal does not lose it. */
export const HEARTBEAT_EVERY = LEASE_FOR / 3

/** A run that never heartbeats: for calling a job's function directly (tests, benchmarks). */
export const NO_LEASE: RunContext = { heartbeat: async () => {} }

export async function runJob(deps: Deps, name: string, job: Job, now: Date): Promise<JobRunResult> {
  const { db, clock } = deps
  const log = loggerOf(deps)
  const started = performance.now()
  const holder = generateId()
  const startedAt = clock.now()
  const leaseUntil = new Date(startedAt.getTime() + LEASE_FOR)
  const lease = await db
    .insert(jobLeases)
    .values({ job: name, holder, expiresAt: leaseUntil })
    .onConflictDoUpdate({ target: jobLeases.job, set: { holder, expiresAt: leaseUntil }, setWhere: lte(jobLeases.expiresAt, startedAt) })
    .returning({ holder: jobLeases.holder })
  if (lease[0]?.holder !== holder) {
    await db.insert(jobRuns).values({ job: name, asOf: now, startedAt, finishedAt: startedAt, status: 'skipped' })
    log({ type: 'job', job: name, status: 'skipped', ms: Math.round(performance.now() - started), asOf: now.toISOString() })
    return { status: 'skipped' }
  }

  let renewedAt = startedAt.getTime()
  let leaseLost = false
  const heartbeat = async () => {
    const at = clock.now().getTime()
    if (at - renewedAt < HEARTBEAT_EVERY) return
    renewedAt = at
    const renewed = await db
      .update(jobLeases)
      .set({ expiresAt: new Date(at + LEASE_FOR) })
      .where(and(eq(jobLeases.job, name), eq(jobLeases.holder, holder)))
    // Another run took the lease over while this one stalled past it. This one goes on (every job
    // is safe to run twice at once: conditional updates, idempotency keys) and says so on its record.
    if (renewed.rowsAffected === 0) leaseLost = true
  }

  let result: JobRunResult = { status: 'error', error: 'the run could not be recorded' }
  try {
    const [run] = await db.insert(jobRuns).values({ job: name, asOf: now, startedAt, status: 'running' }).returning({ id: jobRuns.id })
    try {
      const out = await job(deps, now, { heartbeat })
      const { counts, errors } = isReport(out) ? out : { counts: out, errors: [] }
      if (leaseLost) counts.lease_lost = 1
      const error = errors.length > 0 ? errors.join('\n') : null
      await db.update(jobRuns).set({ status: 'ok', counts, error, finishedAt: clock.now() }).where(eq(jobRuns.id, run!.id))
      result = errors.length > 0 ? { status: 'ok', counts, errors } : { status: 'ok', counts }
    } catch (e) {
      const error = errorText(e)
      result = { status: 'error', error }
      await db.update(jobRuns).set({ status: 'error', error, finishedAt: clock.now() }).where(eq(jobRuns.id, run!.id))
    }
  } catch (e) {
    // The database refused the run's own record: nothing more can be written; the caller fails.
    result = { status: 'error', error: errorText(e) }
    throw e
  } finally {
    // Freed last, after the record says how the run ended (a 'running' record without a live lease is a dead run).
    await db
      .delete(jobLeases)
      .where(and(eq(jobLeases.job, name), eq(jobLeases.holder, holder)))
      .catch(() => {})
    const ms = Math.round(performance.now() - started)
    const base = { type: 'job' as const, job: name, status: result.status, ms, asOf: now.toISOString() }
    if (result.status === 'ok') log({ ...base, counts: result.counts, ...(result.errors ? { failedItems: result.errors.length } : {}) })
    else if (result.status === 'error') log({ ...base, level: 'error', error: result.error })
  }
  return result
}

function isReport(out: JobCounts | JobReport): out is JobReport {
  return typeof out.counts === 'object' && Array.isArray((out as JobReport).errors)
}
