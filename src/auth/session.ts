// Sessions as in Lucia's guide: a random token in the cookie, its SHA-256 as the row id.
// "Remember me" → 30 days, extended as it is used; otherwise the session ends 12 h after sign-in.
import { and, eq, inArray, isNull, lt, ne } from 'drizzle-orm'
import type { Db, Executor } from '../db/client'
import { memberships, orgs, sessions, users } from '../db/schema'
import { DAY, HOUR } from '../clock'
import { generateToken, hashToken } from './tokens'

export const REMEMBER_FOR = 30 * DAY
export const SESSION_WITHOUT_REMEMBER = 12 * HOUR
/** A remembered session is pushed forward when less than this much of it remains (at most one write a day). */
const RENEW_WHEN_LEFT = REMEMBER_FOR - DAY

export type Session = typeof sessions.$inferSelect
export type User = typeof users.$inferSelect

export async function createSession(
  db: Db,
  userId: string,
  opts: { remember: boolean; twoFactorVerified: boolean; userAgent: string; now: Date },
): Promise<{ token: string; session: Session }> {
  const token = generateToken()
  const session: Session = {
    id: hashToken(token),
    userId,
    remember: opts.remember,
    twoFactorVerified: opts.twoFactorVerified,
    userAgent: opts.userAgent.slice(0, 300),
    createdAt: opts.now,
    lastSeenAt: opts.now,
    expiresAt: new Date(opts.now.getTime() + (opts.remember ? REMEMBER_FOR : SESSION_WITHOUT_REMEMBER)),
  }
  await db.batch([db.insert(sessions).values(session), recordLogin(db, userId, opts.now)])
  return { token, session }
}

/**
 * Counts as a login for every org of the user: a free plan is valid 12 months from the last login
 * of any member (SPEC §8). A sign-in, and a remembered session carried on into a new day, are logins.
 */
export function recordLogin(db: Executor, userId: string, now: Date) {
  return db
    .update(orgs)
    .set({ lastLoginAt: now })
    .where(and(inArray(orgs.id, db.select({ id: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId))), isNull(orgs.deletedAt)))
}

export type ValidSession = { session: Session; user: User; renewed: boolean }

/** The session with this id (the token's hash) and its user: a read a page's first batch carries. */
export function sessionQuery(db: Db, id: string) {
  return db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id))
}

export async function validateSessionToken(db: Db, token: string, now: Date): Promise<ValidSession | null> {
  const row = await sessionQuery(db, hashToken(token)).get()
  return row ? settleSession(db, row, now) : null
}

/**
 * What a session read means at `now`: null once expired (and deleted); else valid, pushed forward
 * once a day when remembered, its "last seen" kept to the hour. Writes only in those cases.
 */
export async function settleSession(db: Db, row: { session: Session; user: User }, now: Date): Promise<ValidSession | null> {
  const { session, user } = row
  const id = session.id
  if (now >= session.expiresAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  let renewed = false
  if (session.remember && session.expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT) {
    session.expiresAt = new Date(now.getTime() + REMEMBER_FOR)
    session.lastSeenAt = now
    await db.batch([db.update(sessions).set({ expiresAt: session.expiresAt, lastSeenAt: now }).where(eq(sessions.id, id)), recordLogin(db, user.id, now)])
    renewed = true
  } else if (now.getTime() - session.lastSeenAt.getTime() > HOUR) {
    // Keeps "last active" on the account page honest without a write per request.
    session.lastSeenAt = now
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id))
  }
  return { session, user, renewed }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}

export function invalidateUserSessions(db: Executor, userId: string) {
  return db.delete(sessions).where(eq(sessions.userId, userId))
}

export function invalidateOtherSessions(db: Executor, userId: string, keepSessionId: string) {
  return db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
}

export function deleteExpiredSessions(db: Db, now: Date) {
  return db.delete(sessions).where(lt(sessions.expiresAt, now))
}
