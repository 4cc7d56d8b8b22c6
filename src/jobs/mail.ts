// The mail job: sends due outbox rows, a batch of up to 100 per Resend call, until none are left or
// the run has made as many outside calls as one Worker invocation may.
import type { Deps } from '../deps'
import { CALLS_PER_CLAIM, deliverDueMail, type DeliveryCounts } from '../mail/outbox'
import { NO_LEASE, type JobCounts, type RunContext } from './runner'

/**
 * Outside calls (database round trips and Resend calls) one run's deliveries may make. Workers Free
 * allows 50 per invocation; the tick itself (the app's time, the run's lease and record, the check
 * of the daily jobs) takes about eight. Plain mail costs three calls per 100, so a run sends up to
 * 1,100; the next tick, two minutes on, sends the rest.
 */
export const MAIL_CALLS_PER_RUN = 40

export async function runMail(deps: Deps, now: Date, run: RunContext = NO_LEASE): Promise<JobCounts> {
  const total: DeliveryCounts = { sent: 0, failed: 0, retried: 0, kept: 0 }
  let calls = 0
  while (calls + CALLS_PER_CLAIM <= MAIL_CALLS_PER_RUN) {
    const d = await deliverDueMail(deps.db, deps.mailer, deps.config, now)
    total.sent += d.sent
    total.failed += d.failed
    total.retried += d.retried
    total.kept += d.kept
    calls += d.calls
    if (!d.more) break
    await run.heartbeat()
  }
  return total
}
