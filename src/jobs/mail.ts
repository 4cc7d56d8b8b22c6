// The mail job: sends due outbox rows in batches until none are left (or a run has done enough).
import type { Deps } from '../deps'
import { deliverDueMail } from '../mail/outbox'
import type { JobCounts } from './runner'

const BATCH = 50
const MAX_BATCHES = 20

export async function runMail(deps: Deps, now: Date): Promise<JobCounts> {
  const total = { sent: 0, failed: 0, retried: 0, kept: 0 }
  for (let i = 0; i < MAX_BATCHES; i++) {
    const c = await deliverDueMail(deps.db, deps.mailer, deps.config.mailFrom, now, BATCH)
    total.sent += c.sent
    total.failed += c.failed
    total.retried += c.retried
    total.kept += c.kept
    if (c.sent + c.failed + c.retried + c.kept < BATCH) break
  }
  return total
}
