// What a signed-in user changes about their own account (SPEC §1 "Account page").
import { and, desc, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { sessions, users } from '../db/schema'
import { hit, RULES } from '../db/throttle'
import { hashPassword, verifyPassword } from '../auth/password'
import { invalidateOtherSessions, type Session, type User } from '../auth/session'
import type { Language } from '../i18n'
import { endResetLinks, passwordChangedNotice } from './accounts'
import { orgLeftWithoutAdmin } from './members'

export function listSessions(deps: Deps, userId: string) {
  return deps.db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.lastSeenAt))
}

export async function updateProfile(deps: Deps, userId: string, input: { name: string; language: Language }) {
  await deps.db.update(users).set(input).where(eq(users.id, userId))
}

export async function updateLanguage(deps: Deps, userId: string, language: Language) {
  await deps.db.update(users).set({ language }).where(eq(users.id, userId))
}

type PasswordCheck = { ok: true } | { ok: false; error: 'wrong_password' } | { ok: false; error: 'throttled'; retryAfterSeconds: number }

async function checkPassword(deps: Deps, user: User, password: string, now: Date): Promise<PasswordCheck> {
  const throttle = await hit(deps.db, RULES.passwordCheck, user.id, now)
  if (!throttle.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  return (await verifyPassword(user.passwordHash, password)) ? { ok: true } : { ok: false, error: 'wrong_password' }
}

/** New password after checking the current one; every other session and every reset link ends; the owner is told by mail. */
export async function changePassword(
  deps: Deps,
  user: User,
  session: Session,
  input: { currentPassword: string; password: string },
  now: Date,
): Promise<PasswordCheck> {
  const check = await checkPassword(deps, user, input.currentPassword, now)
  if (!check.ok) return check
  const { db, config } = deps
  await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(input.password, config.passwordCost) }).where(eq(users.id, user.id)),
    invalidateOtherSessions(db, user.id, session.id),
    endResetLinks(db, user.id),
    passwordChangedNotice(db, config, user, now),
  ])
  return { ok: true }
}

export async function signOutOtherSessions(deps: Deps, userId: string, currentSessionId: string): Promise<number> {
  const removed = await deps.db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId)))
    .returning({ id: sessions.id })
  return removed.length
}

/**
 * Closes the account: the user row goes, and with it (by foreign keys) sessions, links, consents and
 * memberships; the e-mail address is free again. Refused while the user is the last administrator
 * of an org that has other members (SPEC §1).
 */
export async function closeAccount(
  deps: Deps,
  user: User,
  password: string,
  now: Date,
): Promise<PasswordCheck | { ok: false; error: 'last_admin'; org: string }> {
  const check = await checkPassword(deps, user, password, now)
  if (!check.ok) return check
  const blocking = await orgLeftWithoutAdmin(deps, user.id)
  if (blocking) return { ok: false, error: 'last_admin', org: blocking.name }
  await deps.db.delete(users).where(eq(users.id, user.id))
  return { ok: true }
}
