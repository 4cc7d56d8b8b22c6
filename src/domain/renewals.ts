// The automatic renewal rules (SPEC §8, §13): when a subscription is charged, how often a declined
// charge is tried again, and the key that makes each attempt unique in the database.

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The saved method is charged this long before the period ends (seed 004). */
export const RENEW_BEFORE_MS = 7 * DAY_MS
/**
 * A run that comes late (the cron was down) still charges, retries and reconciles up to this long
 * after the period end; after that the subscription is the lapse step's business.
 */
export const RENEW_LATE_MS = 7 * DAY_MS
/** Attempts per period: the first, then after 1 and 3 days (counted from the first). */
export const MAX_ATTEMPTS = 3
const RETRY_AFTER_MS = [1 * DAY_MS, 3 * DAY_MS]
/** A daily run a little earlier than exactly n days later still counts as "after n days". */
export const RETRY_SLACK_MS = HOUR_MS
/** A pending attempt younger than this may still be waiting for the provider's answer in another run. */
export const PENDING_SETTLES_MS = 10 * 60_000

/** The period ends the job looks at as of `now`: from RENEW_LATE_MS ago to RENEW_BEFORE_MS ahead. */
export function renewalWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - RENEW_LATE_MS), to: new Date(now.getTime() + RENEW_BEFORE_MS) }
}

/** `${subscriptionId}:${periodStart ms}:${attemptNo}` — under a unique index on payments. */
export function renewalKey(subscriptionId: string, periodStart: number, attemptNo: number): string {
  return `${subscriptionId}:${periodStart}:${attemptNo}`
}

export function parseRenewalKey(key: string): { subscriptionId: string; periodStart: number; attemptNo: number } | null {
  const m = /^(.+):(\d+):([1-9])$/.exec(key)
  return m ? { subscriptionId: m[1]!, periodStart: Number(m[2]), attemptNo: Number(m[3]) } : null
}

/** When attempt `attemptsMade + 1` is due, given the first attempt's time; null when none is left. */
export function nextAttemptAt(firstAttemptAt: Date, attemptsMade: number): Date | null {
  const after = RETRY_AFTER_MS[attemptsMade - 1]
  return attemptsMade >= MAX_ATTEMPTS || after === undefined ? null : new Date(firstAttemptAt.getTime() + after)
}

/** Whether a run at `now` may make attempt `attemptsMade + 1` after a decline. */
export function retryDue(firstAttemptAt: Date, attemptsMade: number, now: Date): boolean {
  const at = nextAttemptAt(firstAttemptAt, attemptsMade)
  return at !== null && now.getTime() >= at.getTime() - RETRY_SLACK_MS
}
