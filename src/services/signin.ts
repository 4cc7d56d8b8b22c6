// Signing in (SPEC §1, §16) and the operators' second factor (SPEC §15).
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { sessions, users } from '../db/schema'
import { countFailure, countOf, hit, peek, reachedLimit, RULES, waitWhileOver, windowEnd } from '../db/throttle'
import type { BatchItem } from '../db/client'
import { enqueueMailIfChanged } from '../mail/outbox'
import { totpLockedMail } from '../mail/templates/account'
import { formatDateTime } from '../i18n'
import { guard, guardAborted } from '../db/guard'
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../auth/password'
import { createSession, type Session, type User } from '../auth/session'
import { generateToken, hashToken } from '../auth/tokens'
import { decodeKey, verifyTotp } from '../auth/totp'
import { openTotpKey, sealTotpKey } from '../auth/sealing'
import { findUserByEmail } from './accounts'

export type SignInResult =
  | { ok: true; token: string; session: Session; user: User }
  | { ok: false; error: 'invalid' | 'not_activated' }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number }

/** Failed sign-ins per account: the cap a burst of wrong passwords must not pass. */
const FAILURE_CAP = [RULES.loginFailures]

export async function signIn(
  deps: Deps,
  input: { email: string; password: string; remember: boolean },
  client: { ip: string; userAgent: string },
  now: Date,
): Promise<SignInResult> {
  const { db, config } = deps
  const perClient = await hit(db, RULES.login, `${input.email}|${client.ip}`, now)
  if (!perClient.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: perClient.retryAfterSeconds }
  // An account at its cap is refused before the (costly) hash; the cap itself is held below.
  const perAccount = await peek(db, RULES.loginFailures, input.email, now)
  if (!perAccount.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: perAccount.retryAfterSeconds }

  const user = await findUserByEmail(deps, input.email)
  // Unknown e-mail and wrong password take the same time and get the same answer.
  const valid = await verifyPassword(user?.passwordHash ?? dummyHash(config.passwordCost), input.password)
  if (!user || !valid) {
    // Counted by the statement that checks the cap, so of a burst of wrong passwords checked at once
    // only those within it are answered "wrong"; the rest learn nothing and get 429.
    const counted = await countFailure(db, FAILURE_CAP, input.email, now, sql`1`)
    if (counted.length === 0) return { ok: false, error: 'throttled', retryAfterSeconds: waitWhileOver(FAILURE_CAP, [RULES.loginFailures.limit], now) }
    return { ok: false, error: 'invalid' }
  }
  if (!user.activatedAt) return { ok: false, error: 'not_activated' }
  if (needsRehash(user.passwordHash, config.passwordCost)) {
    await db.update(users).set({ passwordHash: await hashPassword(input.password, config.passwordCost) }).where(eq(users.id, user.id))
  }
  // A fresh session at every sign-in (never reuse a token from before authentication), created only
  // if the cap still holds: wrong passwords checked meanwhile may have filled it, and a right one
  // answered after them would be a guess past the cap.
  try {
    const { token, session } = await createSession(db, user.id, {
      remember: input.remember,
      twoFactorVerified: false,
      userAgent: client.userAgent,
      now,
      unless: guard(db, sql`${countOf(RULES.loginFailures, input.email, now)} < ${RULES.loginFailures.limit}`),
    })
    return { ok: true, token, session, user }
  } catch (e) {
    if (!guardAborted(e)) throw e
    return { ok: false, error: 'throttled', retryAfterSeconds: waitWhileOver(FAILURE_CAP, [RULES.loginFailures.limit], now) }
  }
}

export type SecondFactorResult = { ok: true } | { ok: false; error: 'invalid' } | { ok: false; error: 'throttled'; retryAfterSeconds: number }

const CODE_FAILURES = [RULES.twoFactor]

/**
 * Checks an operator's code: a TOTP code, or the one recovery code. A TOTP step is accepted once —
 * one conditional statement moves the operator's last accepted step forward, so the same code sent
 * twice, at once or later, or an earlier step's code, is refused (ASVS 6.5.1). Using the recovery
 * code clears the authenticator, so the operator sets up a new one at the next sign-in. Either is
 * accepted only while the operator is within the limit of wrong codes.
 */
export async function verifySecondFactor(deps: Deps, user: User, session: Session, code: string, now: Date): Promise<SecondFactorResult> {
  const { db } = deps
  const locked = await peek(db, RULES.twoFactor, user.id, now)
  if (!locked.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: locked.retryAfterSeconds }
  const withinLimit = sql`${countOf(RULES.twoFactor, user.id, now)} < ${RULES.twoFactor.limit}`
  const key = user.totpKey ? await openTotpKey(deps.config.ecodeSecrets.encryptionKey, user.id, user.totpKey) : null
  const step = key ? verifyTotp(key, code, now) : null
  let accept: BatchItem | null = null
  if (step !== null) {
    accept = db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step)), withinLimit))
      .returning({ id: users.id })
  } else if (user.totpRecoveryHash && hashToken(code.toLowerCase()) === user.totpRecoveryHash) {
    accept = db
      .update(users)
      .set({ totpKey: null, totpRecoveryHash: null, totpLastStep: null })
      .where(and(eq(users.id, user.id), eq(users.totpRecoveryHash, user.totpRecoveryHash), withinLimit))
      .returning({ id: users.id })
  }
  if (accept && (await acceptedFor(db, accept, session))) return { ok: true }
  return codeFailed(deps, user, now)
}

/**
 * Runs the statement that accepts a code and, in the same batch, marks the session as past the
 * second step only if that statement changed the operator's row (SQLite's changes()).
 */
async function acceptedFor(db: Deps['db'], accept: BatchItem, session: Session): Promise<boolean> {
  const [accepted] = (await db.batch([accept, db.update(sessions).set({ twoFactorVerified: true }).where(and(eq(sessions.id, session.id), sql`changes() > 0`))])) as [unknown[], unknown]
  return accepted.length > 0
}

/**
 * Counts a wrong code by the statement that checks the limit (of codes sent at once, only those
 * within it are answered "wrong"; the rest 429), and the one that reaches the limit queues the
 * lock-out mail in the same batch: one mail per lock-out.
 */
async function codeFailed(deps: Deps, user: User, now: Date): Promise<SecondFactorResult> {
  const { db, config } = deps
  const rule = RULES.twoFactor
  const zone = config.vendor.timeZone
  const mail = totpLockedMail(
    { lang: user.language, vendor: config.vendorName },
    { failures: rule.limit, until: formatDateTime(user.language, windowEnd(rule, now), zone), zone, resetUrl: `${config.baseUrl}/password/forgot` },
  )
  const [counted] = (await db.batch([
    countFailure(db, CODE_FAILURES, user.id, now, sql`1`),
    reachedLimit(db, rule, user.id, now),
    enqueueMailIfChanged(db, { to: user.email, language: user.language, template: 'account.totp_locked', mail, now }),
  ])) as [unknown[], unknown, unknown]
  if (counted.length === 0) return { ok: false, error: 'throttled', retryAfterSeconds: waitWhileOver(CODE_FAILURES, [rule.limit], now) }
  return { ok: false, error: 'invalid' }
}

/** Turns on TOTP for an operator who has none yet; returns the recovery code to show once. */
export async function enableSecondFactor(
  deps: Deps,
  user: User,
  session: Session,
  keyBase64: string,
  code: string,
  now: Date,
): Promise<{ ok: true; recoveryCode: string } | SecondFactorResult> {
  const { db, config } = deps
  if (user.totpKey) return { ok: false, error: 'invalid' }
  const locked = await peek(db, RULES.twoFactor, user.id, now)
  if (!locked.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: locked.retryAfterSeconds }
  let key: Uint8Array | null = null
  try {
    key = decodeKey(keyBase64)
  } catch {
    key = null
  }
  const step = key?.length === 20 ? verifyTotp(key, code, now) : null
  if (step === null) return codeFailed(deps, user, now)
  const recoveryCode = generateToken().slice(0, 16)
  // The step the set-up accepted is the first one used: its code can't also sign in. Conditional on
  // no key yet, so two set-ups at once don't leave the operator with the other one's key.
  const enable = db
    .update(users)
    .set({ totpKey: await sealTotpKey(config.ecodeSecrets.encryptionKey, user.id, key!), totpRecoveryHash: hashToken(recoveryCode), totpLastStep: step })
    .where(and(eq(users.id, user.id), isNull(users.totpKey)))
    .returning({ id: users.id })
  if (!(await acceptedFor(db, enable, session))) return { ok: false, error: 'invalid' }
  return { ok: true, recoveryCode }
}
