// Throttling stored in the database (SPEC §16): fixed-window counters, one atomic upsert per hit,
// so every instance of the app (Node or Workers) sees the same counts.
import { and, eq, sql } from 'drizzle-orm'
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
  /** Second-factor codes per user. */
  twoFactor: { bucket: 'totp', limit: 5, windowMs: MINUTE },
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

/** Counts one hit and says whether it is within the limit. */
export async function hit(db: Db, rule: ThrottleRule, key: string, now: Date): Promise<ThrottleResult> {
  const { start, end } = windowOf(rule, now)
  const [row] = await db
    .insert(throttleHits)
    .values({ bucket: rule.bucket, key, windowStart: start, count: 1, expiresAt: end + DAY })
    .onConflictDoUpdate({
      target: [throttleHits.bucket, throttleHits.key, throttleHits.windowStart],
      set: { count: sql`${throttleHits.count} + 1` },
    })
    .returning({ count: throttleHits.count })
  return verdict(row!.count, rule, now)
}

/** Says whether one more hit would still be allowed, without counting. */
export async function peek(db: Db, rule: ThrottleRule, key: string, now: Date): Promise<ThrottleResult> {
  const { start } = windowOf(rule, now)
  const row = await db
    .select({ count: throttleHits.count })
    .from(throttleHits)
    .where(and(eq(throttleHits.bucket, rule.bucket), eq(throttleHits.key, key), eq(throttleHits.windowStart, start)))
    .get()
  return verdict((row?.count ?? 0) + 1, rule, now)
}

function countHit(db: Db, rule: ThrottleRule, key: string, now: Date) {
  const { start, end } = windowOf(rule, now)
  return db
    .insert(throttleHits)
    .values({ bucket: rule.bucket, key, windowStart: start, count: 1, expiresAt: end + DAY })
    .onConflictDoUpdate({ target: [throttleHits.bucket, throttleHits.key, throttleHits.windowStart], set: { count: sql`${throttleHits.count} + 1` } })
    .returning({ count: throttleHits.count })
}

/**
 * Counts one hit under each rule in one batch (one write); refused if any rule is over, with the
 * longest wait. For attempts counted before their outcome is known, taken back with unhitAll.
 */
export async function hitAll(db: Db, rules: ThrottleRule[], key: string, now: Date): Promise<ThrottleResult> {
  const statements: BatchItem[] = rules.map((rule) => countHit(db, rule, key, now))
  const rows = (await db.batch(statements as [BatchItem, ...BatchItem[]])) as { count: number }[][]
  const wait = Math.max(0, ...rules.map((rule, i) => verdict(rows[i]![0]!.count, rule, now)).map((r) => (r.allowed ? 0 : r.retryAfterSeconds)))
  return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true }
}

/**
 * Takes back the hits of hitAll (a successful e-code look-up doesn't count). Counting first and
 * taking back keeps a burst of parallel attempts from all passing a check made before any counted.
 */
export async function unhitAll(db: Db, rules: ThrottleRule[], key: string, now: Date): Promise<void> {
  const statements: BatchItem[] = rules.map((rule) =>
    db
      .update(throttleHits)
      .set({ count: sql`max(${throttleHits.count} - 1, 0)` })
      .where(and(eq(throttleHits.bucket, rule.bucket), eq(throttleHits.key, key), eq(throttleHits.windowStart, windowOf(rule, now).start))),
  )
  await db.batch(statements as [BatchItem, ...BatchItem[]])
}
