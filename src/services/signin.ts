// Signing in (SPEC §1, §16) and the operators' second factor (SPEC §15).
import { eq } from 'drizzle-orm'
import type { Deps } from '../deps'
import { sessions, users } from '../db/schema'
import { hit, peek, RULES } from '../db/throttle'
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

export async function signIn(
  deps: Deps,
  input: { email: string; password: string; remember: boolean },
  client: { ip: string; userAgent: string },
  now: Date,
): Promise<SignInResult> {
  const { db, config } = deps
  const perClient = await hit(db, RULES.login, `${input.email}|${client.ip}`, now)
  if (!perClient.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: perClient.retryAfterSeconds }
  const perAccount = await peek(db, RULES.loginFailures, input.email, now)
  if (!perAccount.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: perAccount.retryAfterSeconds }

  const user = await findUserByEmail(deps, input.email)
  // Unknown e-mail and wrong password take the same time and get the same answer.
  const valid = await verifyPassword(user?.passwordHash ?? dummyHash(config.passwordCost), input.password)
  if (!user || !valid) {
    await hit(db, RULES.loginFailures, input.email, now)
    return { ok: false, error: 'invalid' }
  }
  if (!user.activatedAt) return { ok: false, error: 'not_activated' }
  if (needsRehash(user.passwordHash, config.passwordCost)) {
    await db.update(users).set({ passwordHash: await hashPassword(input.password, config.passwordCost) }).where(eq(users.id, user.id))
  }
  // A fresh session at every sign-in (never reuse a token from before authentication).
  const { token, session } = await createSession(db, user.id, {
    remember: input.remember,
    twoFactorVerified: false,
    userAgent: client.userAgent,
    now,
  })
  return { ok: true, token, session, user }
}

export type SecondFactorResult = { ok: true } | { ok: false; error: 'invalid' } | { ok: false; error: 'throttled'; retryAfterSeconds: number }

/**
 * Checks an operator's code: a TOTP code, or the one recovery code. Using the recovery code clears
 * the authenticator, so the operator sets up a new one at the next sign-in.
 */
export async function verifySecondFactor(deps: Deps, user: User, session: Session, code: string, now: Date): Promise<SecondFactorResult> {
  const { db } = deps
  const throttle = await hit(db, RULES.twoFactor, user.id, now)
  if (!throttle.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  const key = user.totpKey ? await openTotpKey(deps.config.ecodeSecrets.encryptionKey, user.id, user.totpKey) : null
  if (key && verifyTotp(key, code, now)) {
    await db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, session.id))
    return { ok: true }
  }
  if (user.totpRecoveryHash && hashToken(code.toLowerCase()) === user.totpRecoveryHash) {
    await db.batch([
      db.update(users).set({ totpKey: null, totpRecoveryHash: null }).where(eq(users.id, user.id)),
      db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, session.id)),
    ])
    return { ok: true }
  }
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
  const throttle = await hit(db, RULES.twoFactor, user.id, now)
  if (!throttle.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  let key: Uint8Array
  try {
    key = decodeKey(keyBase64)
  } catch {
    return { ok: false, error: 'invalid' }
  }
  if (key.length !== 20 || !verifyTotp(key, code, now)) return { ok: false, error: 'invalid' }
  const recoveryCode = generateToken().slice(0, 16)
  await db.batch([
    db.update(users).set({ totpKey: await sealTotpKey(config.ecodeSecrets.encryptionKey, user.id, key), totpRecoveryHash: hashToken(recoveryCode) }).where(eq(users.id, user.id)),
    db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, session.id)),
  ])
  return { ok: true, recoveryCode }
}
