// The cron table: which job each Cron Trigger expression of wrangler.toml runs. The Worker's
// `scheduled` handler and the Node scheduler both dispatch through it (runTick).
import { and, desc, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { jobLeases, jobRuns } from '../db/schema'
import { runMail } from './mail'
import { runPurges } from './purges'
import { runDigests } from './digests'
import { runRenewals } from './renewals'
import { runEInvoices } from './einvoices'
import { runJob, type Job, type JobRunResult } from './runner'

export const JOBS = {
  mail: runMail,
  purges: (deps, now, run) => runPurges(deps, now, undefined, undefined, run),
  digests: (deps, now, run) => runDigests(deps, now, undefined, undefined, run),
  renewals: (deps, now, run) => runRenewals(deps, now, undefined, undefined, run),
  einvoices: (deps, now, run) => runEInvoices(deps, now, run),
} satisfies Record<string, Job>

export type JobName = keyof typeof JOBS

/** Must list exactly the expressions in wrangler.toml's [triggers] crons (a test checks it). */
export const CRON_TABLE: Record<string, JobName> = {
  '*/2 * * * *': 'mail',
  '30 2 * * *': 'purges',
  '*/15 * * * *': 'digests',
  '15 3 * * *': 'renewals',
  '*/5 * * * *': 'einvoices',
}

/** The frequent tick that also retries daily jobs whose last run failed (see runTick). */
export const RETRY_TICK: JobName = 'mail'

/** The UTC time of day a daily expression ("M H * * *") fires at; null for any other expression. */
export function dailyTime(expression: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(expression.trim())
  return m ? { hour: Number(m[2]), minute: Number(m[1]) } : null
}

/** The jobs that run once a day, with their time of day, in the order of the cron table. */
export const DAILY_JOBS = Object.entries(CRON_TABLE).flatMap(([expression, job]) => {
  const at = dailyTime(expression)
  return at ? [{ job, ...at }] : []
})

/** The jobs that run many times a day (mail, digests, einvoices). */
export const FREQUENT_JOBS: JobName[] = Object.entries(CRON_TABLE)
  .filter(([expression]) => !dailyTime(expression))
  .map(([, job]) => job)

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name)
}

export function runNamedJob(deps: Deps, name: JobName, now: Date): Promise<JobRunResult> {
  return runJob(deps, name, JOBS[name], now)
}

export async function runCron(deps: Deps, cron: string, now: Date): Promise<JobRunResult> {
  const name = CRON_TABLE[cron]
  if (!name) throw new Error(`No job is mapped to the cron expression "${cron}"`)
  return runNamedJob(deps, name, now)
}

export type TickRun = { job: JobName; result: JobRunResult }

/**
 * What one Cron Trigger does: its job, and on the frequent tick (RETRY_TICK) a second try of each
 * daily job whose latest run that did any work ended in 'error'. A daily job that failed as a
 * whole (the database was away, a bug threw) would otherwise wait a day, and a day late means
 * renewals charged late and lapses missed; a retry runs as of the tick's time, is recorded like
 * any run, and stops as soon as a run succeeds.
 */
export async function runTick(deps: Deps, cron: string, now: Date): Promise<TickRun[]> {
  const job = CRON_TABLE[cron]
  const runs: TickRun[] = [{ job: job!, result: await runCron(deps, cron, now) }]
  if (job === RETRY_TICK) runs.push(...(await retryFailedDailyJobs(deps, now)))
  return runs
}

/**
 * A Cron Trigger as both runtimes fire it: runTick, awaited to the end (each run recorded and logged
 * by the runner), then a throw naming the jobs that failed, so that the invocation itself fails —
 * on Workers it shows as a failed Cron event, with the error in Workers Logs.
 */
export async function runScheduledTick(deps: Deps, cron: string, now: Date): Promise<TickRun[]> {
  const runs = await runTick(deps, cron, now)
  const failed = runs.filter((r) => r.result.status === 'error').map((r) => r.job)
  if (failed.length > 0) throw new Error(`Cron "${cron}": ${failed.join(', ')} failed (the error is on the run's record in job_runs)`)
  return runs
}

/**
 * Re-runs, once each, the daily jobs whose latest non-skipped run ended in 'error', stopped at its
 * budget (`unfinished`), or is still 'running' without a live lease (its process died mid-run: it
 * stopped renewing the lease, which expired within a minute, so nothing else is at it).
 */
export async function retryFailedDailyJobs(deps: Deps, now: Date): Promise<TickRun[]> {
  const runs: TickRun[] = []
  for (const { job } of DAILY_JOBS) {
    // Skipped runs did nothing (another run held the lease), so they say nothing about failure.
    const latest = await deps.db
      .select({ status: jobRuns.status, counts: jobRuns.counts, leaseUntil: jobLeases.expiresAt })
      .from(jobRuns)
      .leftJoin(jobLeases, eq(jobLeases.job, jobRuns.job))
      .where(and(eq(jobRuns.job, job), ne(jobRuns.status, 'skipped')))
      .orderBy(desc(jobRuns.id))
      .limit(1)
      .get()
    const leaseLive = latest?.leaseUntil != null && latest.leaseUntil > deps.clock.now()
    const died = latest?.status === 'running' && !leaseLive
    // A run that stopped at its budget (counts.unfinished) is continued the same way.
    const unfinished = latest?.status === 'ok' && (latest.counts?.unfinished ?? 0) > 0
    if (latest?.status === 'error' || died || unfinished) runs.push({ job, result: await runNamedJob(deps, job, now) })
  }
  return runs
}
