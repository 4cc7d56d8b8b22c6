// The cron table: which job each Cron Trigger expression of wrangler.toml runs. The Worker's
// `scheduled` handler and the Node scheduler both dispatch through it.
import type { Deps } from '../deps'
import { runMail } from './mail'
import { runPurges } from './purges'
import { runDigests } from './digests'
import { runRenewals } from './renewals'
import { runJob, type Job, type JobRunResult } from './runner'

export const JOBS = {
  mail: runMail,
  purges: runPurges,
  digests: runDigests,
  renewals: (deps, now) => runRenewals(deps, now),
} satisfies Record<string, Job>

export type JobName = keyof typeof JOBS

/** Must list exactly the expressions in wrangler.toml's [triggers] crons (a test checks it). */
export const CRON_TABLE: Record<string, JobName> = {
  '*/2 * * * *': 'mail',
  '30 2 * * *': 'purges',
  '*/15 * * * *': 'digests',
  '15 3 * * *': 'renewals',
}

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
