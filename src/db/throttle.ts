// Throttling stored in the database (SPEC §16): fixed-window counters, one atomic upsert per hit,
// so every instance of the app (Node or Workers) sees the same counts.
import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { BatchItem, Db } from './client'
import { throttleHits } from './schema'
import { DAY, HOUR, MINUTE } from '../clock'

export type ThrottleRule = { bucket: string; limit: number; windowMs: number }

export const RULES = {
  /** Every sign-in attempt, per e-mail and IP address. */
  login: { bucket: 'login', limit: 5, windowMs: MINUTE },
  /** Failed sign-ins per account, from anywhere. */
  loginFailures: { bucket: 'login-fail', limit: 100, windowMs: HOUR },
  /** Activation and password-reset e-mails per address. */
  emailLink: { bucket: 'email-link', limit: 5, windowMs: HOUR },
  /** New registrations per IP address. */
  register: { bucket: 'register', limit: 20, windowMs: HOUR },
  /** Wrong second-factor codes per operator (the 5th locks the step, with a mail). */
  twoFactor: { bucket: 'totp-fail', limit: 5, windowMs: 15 * MINUTE },
  /** Password checks on the account page (change password, close account) per user. */
  passwordCheck: { bucket: 'password-check', limit: 10, windowMs: HOUR },
  /** Claims of a company by tax id and licence number (SPEC §3), per user and per tax id. */
  claimByUser: { bucket: 'claim-user', limit: 5, windowMs: HOUR },
  claimByTaxId: { bucket: 'claim-tax-id', limit: 5, windowMs: HOUR },
  /** Failed e-code look-ups on the public redemption page (SPEC §9, §16), per IP address. */
  ecodeLookupHour: { bucket: 'ecode-lookup-h', limit: 10, windowMs: HOUR },
  ecodeLookupDay: { bucket: 'ecode-lookup-d', limit: 100, windowMs: DAY },
  /** Mistake reports on vouchers, per IP address (no account needed to send one). */
  ecodeReport: { bucket: 'ecode-report', limit: 5, windowMs: HOUR },
  /**
   * Adding people to an org — by e-mail or by invitation, every attempt — per administrator and per
   * org: the answer says whether an address has an account, and each success or invitation sends a mail.
   */
  memberAddByUser: { bucket: 'member-add-user', limit: 20, windowMs: HOUR },
  memberAddByOrg: { bucket: 'member-add-org', limit: 20, windowMs: HOUR },
} satisfies Record<string, ThrottleRule>

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterSeconds: number }

function windowOf(rule: ThrottleRule, now: Date) {
  const start = Math.floor(now.getTime() / rule.windowMs) * rule.windowMs
  return { start, end: start + rule.windowMs }
}

function verdict(count: number, rule: ThrottleRule, now: Date): ThrottleResult {
  if (count <= rule.limit) return { allowed: true }
  const { end } = windowOf(rule, now)
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now.getTime()) / 1000)) }
}

/** The upsert counting one hit, returning the new count (a statement for a batch). */
function hitStatement(db: Db, rule: ThrottleRule, key: string, now: Date) {
  const { start, end } = windowOf(rule, now)
  return db
    .insert(throttleHits)
    .values({ bucket: rule.bucket, key, windowStart: start, count: 1, expiresAt: end + DAY })
    .onConflictDoUpdate({
      target: [throttleHits.bucket, throttleHits.key, throttleHits.windowStart],
      set: { count: sql`${throttleHits.count} + 1` },
    })
    .returning({ count: throttleHits.count })
}

/** Counts one hit and says whether it is within the limit. */
export async function hit(db: Db, rule: ThrottleRule, key: string, now: Date): Promise<ThrottleResult> {
  const [row] = await hitStatement(db, rule, key, now)
  return verdict(row!.count, rule, now)
}

/** Counts one hit under each rule, in one batch; refused when any is over its limit (the longest wait). */
export async function hitAll(db: Db, hits: [ThrottleRule, string][], now: Date): Promise<ThrottleResult> {
  const results = (await db.batch(hits.map(([rule, key]) => hitStatement(db, rule, key, now)) as unknown as [BatchItem, ...BatchItem[]])) as { count: number }[][]
  const wait = Math.max(0, ...results.map((rows, i) => verdict(rows[0]!.count, hits[i]![0], now)).map((r) => (r.allowed ? 0 : r.retryAfterSeconds)))
  return wait === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: wait }
}

/** A rule's counter row of `key` in the window holding `now` (none: 0), as a query for a batch. */
export function counterQuery(db: Db, rule: ThrottleRule, key: string, now: Date) {
  const { start } = windowOf(rule, now)
  return db
    .select({ count: throttleHits.count })
    .from(throttleHits)
    .where(and(eq(throttleHits.bucket, rule.bucket), eq(throttleHits.key, key), eq(throttleHits.windowStart, start)))
}

/** Says whether one more hit would still be allowed, without counting. */
export async function peek(db: Db, rule: ThrottleRule, key: string, now: Date): Promise<ThrottleResult> {
  const [row] = await counterQuery(db, rule, key, now)
  return verdict((row?.count ?? 0) + 1, rule, now)
}

/** A rule's counter of `key` in the window holding `now`, as a scalar subquery (0 when none). */
export function countOf(rule: ThrottleRule, key: string, now: Date): SQL<number> {
  return countIn(rule, key, windowStart(rule, now))
}

/** countOf with its key and window start given as values or placeholders (a prepared statement's, src/db/prepared.ts). */
export function countIn(rule: ThrottleRule, key: unknown, start: unknown): SQL<number> {
  return sql<number>`coalesce((select th.count from ${throttleHits} th where th.bucket = ${rule.bucket} and th.key = ${key} and th.window_start = ${start}), 0)`
}

/** When the rule's window holding `now` started. */
export function windowStart(rule: ThrottleRule, now: Date): number {
  return windowOf(rule, now).start
}

/**
 * One statement counting a failure under every rule — only when `failed` holds and `key` is still
 * within every limit — returning the counters it raised (none: nothing was counted). Put first in a
 * batch with the read it guards, it takes the write lock before that read, so parallel attempts
 * are counted one after the other and a burst can't pass the limit; an attempt that succeeds
 * writes nothing. (A fixed-window counter: the same rows `hit` counts in.)
 */
export function countFailure(db: Db, rules: ThrottleRule[], key: string, now: Date, failed: SQL) {
  const rows = rules.map((rule) => {
    const { start, end } = windowOf(rule, now)
    return sql`select ${rule.bucket} as bucket, ${key} as key, ${start} as window_start, 1 as count, ${end + DAY} as expires_at`
  })
  const within = sql.join(
    rules.map((rule) => sql`${countOf(rule, key, now)} < ${rule.limit}`),
    sql` and `,
  )
  return db.all<{ bucket: string; count: number }>(sql`
    insert into ${throttleHits} (bucket, key, window_start, count, expires_at)
    select * from (${sql.join(rows, sql` union all `)}) where (${failed}) and ${within}
    on conflict (bucket, key, window_start) do update set count = count + 1
    returning bucket, count`)
}

/**
 * For the batch right after `countFailure` (one rule): a statement that changes the counter's row
 * only when that failure was counted (SQLite's changes()) and brought the counter to the limit, so
 * exactly one failure per window reaches it — the one to follow with `enqueueMailIfChanged`.
 */
export function reachedLimit(db: Db, rule: ThrottleRule, key: string, now: Date) {
  const { start } = windowOf(rule, now)
  return db
    .update(throttleHits)
    .set({ count: sql`${throttleHits.count}` })
    .where(and(eq(throttleHits.bucket, rule.bucket), eq(throttleHits.key, key), eq(throttleHits.windowStart, start), eq(throttleHits.count, rule.limit), sql`changes() > 0`))
}

/** When the window holding `now` ends: a key at its limit is let through again then. */
export function windowEnd(rule: ThrottleRule, now: Date): Date {
  return new Date(windowOf(rule, now).end)
}

/** The longest wait while `key` is at or over any rule's limit (0: within every limit), from counts read before this attempt. */
export function waitWhileOver(rules: ThrottleRule[], counts: number[], now: Date): number {
  return Math.max(0, ...rules.map((rule, i) => verdict((counts[i] ?? 0) + 1, rule, now)).map((r) => (r.allowed ? 0 : r.retryAfterSeconds)))
}
