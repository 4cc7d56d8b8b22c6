// Runs one job as of a given time: takes a lease so overlapping runs of the same job don't both
// work, and records the run (start, end, counts, error) in job_runs (SPEC §13).
import { and, eq, lte } from 'drizzle-orm'
import type { Deps } from '../deps'
import { jobLeases, jobRuns } from '../db/schema'
import { generateId } from '../auth/tokens'
import { MINUTE } from '../clock'

export type JobCounts = Record<string, number>
/** Counts plus the errors of items that failed without stopping the rest (kept on the run's record). */
export type JobReport = { counts: JobCounts; errors: string[] }
export type Job = (deps: Deps, now: Date) => Promise<JobCounts | JobReport>
export type JobRunResult =
  | { status: 'ok'; counts: JobCounts; errors?: string[] }
  | { status: 'skipped' }
  | { status: 'error'; error: string }

/** A lease left behind by a crashed run expires after this long (measured on the deps clock, not `now`). */
export const LEASE_FOR = 15 * MINUTE

export async function runJob(deps: Deps, name: string, job: Job, now: Date): Promise<JobRunResult> {
  const { db, clock } = deps
  const holder = generateId()
  const startedAt = clock.now()
  const lease = await db
    .insert(jobLeases)
    .values({ job: name, holder, expiresAt: new Date(startedAt.getTime() + LEASE_FOR) })
    .onConflictDoUpdate({
      target: jobLeases.job,
      set: { holder, expiresAt: new Date(startedAt.getTime() + LEASE_FOR) },
      setWhere: lte(jobLeases.expiresAt, startedAt),
    })
    .returning({ holder: jobLeases.holder })
  if (lease[0]?.holder !== holder) {
    await db.insert(jobRuns).values({ job: name, asOf: now, startedAt, finishedAt: startedAt, status: 'skipped' })
    return { status: 'skipped' }
  }
  const [run] = await db
    .insert(jobRuns)
    .values({ job: name, asOf: now, startedAt, status: 'running' })
    .returning({ id: jobRuns.id })
  try {
    const out = await job(deps, now)
    const { counts, errors } = isReport(out) ? out : { counts: out, errors: [] }
    const error = errors.length > 0 ? errors.join('\n') : null
    await db.update(jobRuns).set({ status: 'ok', counts, error, finishedAt: clock.now() }).where(eq(jobRuns.id, run!.id))
    return errors.length > 0 ? { status: 'ok', counts, errors } : { status: 'ok', counts }
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e)
    await db.update(jobRuns).set({ status: 'error', error, finishedAt: clock.now() }).where(eq(jobRuns.id, run!.id))
    return { status: 'error', error }
  } finally {
    await db.delete(jobLeases).where(and(eq(jobLeases.job, name), eq(jobLeases.holder, holder)))
  }
}

function isReport(out: JobCounts | JobReport): out is JobReport {
  return typeof out.counts === 'object' && Array.isArray((out as JobReport).errors)
}
