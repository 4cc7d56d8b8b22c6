// Sessions as in Lucia's guide: a random token in the cookie, its SHA-256 as the row id.
// How long one lives (ASVS 7.3.1–7.3.2, docs/rules.md "Accounts"): without "remember me", until 12 h
// pass without a request and at most 24 h after sign-in; with it, 30 days after sign-in, used or not.
import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm'
import type { BatchItem, Db, Executor } from '../db/client'
import { memberships, orgs, sessions, users } from '../db/schema'
import { bindPrepared } from '../db/prepared'
import { DAY, HOUR } from '../clock'
import { generateToken, hashToken } from './tokens'

/** A remembered session's whole life, from sign-in; using it never extends it. */
export const REMEMBER_FOR = 30 * DAY
/** A session without "remember me" ends after this long without a request… */
export const IDLE_WITHOUT_REMEMBER = 12 * HOUR
/** …and this long after sign-in at the latest. */
export const SESSION_WITHOUT_REMEMBER = 24 * HOUR
/**
 * A request is recorded as the session's last activity (one write) only this long after the last
 * recorded one, so a page in use costs one write an hour, not one per request; the idle limit counts
 * from the recorded time, so it ends a session 11 to 12 h after its last request.
 */
const RECORD_ACTIVITY_EVERY = HOUR

export type Session = typeof sessions.$inferSelect
export type User = typeof users.$inferSelect

export async function createSession(
  db: Db,
  userId: string,
  opts: { remember: boolean; twoFactorVerified: boolean; userAgent: string; now: Date; unless?: BatchItem },
): Promise<{ token: string; session: Session }> {
  const token = generateToken()
  const times = { remember: opts.remember, createdAt: opts.now, lastSeenAt: opts.now }
  const session: Session = {
    id: hashToken(token),
    userId,
    twoFactorVerified: opts.twoFactorVerified,
    userAgent: opts.userAgent.slice(0, 300),
    ...times,
    expiresAt: sessionEnd(times),
  }
  // `unless`: a guard (src/db/guard.ts) that aborts the batch, so no session is created.
  const writes: BatchItem[] = [db.insert(sessions).values(session), recordLogin(db, userId, opts.now)]
  await db.batch((opts.unless ? [opts.unless, ...writes] : writes) as [BatchItem, ...BatchItem[]])
  return { token, session }
}

/**
 * When a session ends by the rules above, from its sign-in and its last recorded activity.
 * `expiresAt` stores this moment as of the session's last write — for the purge job, the cookie,
 * and the test clock, which moves it —; a session ends at the earlier of the two, so a row written
 * under older rules ends by today's.
 */
export function sessionEnd(s: Pick<Session, 'remember' | 'createdAt' | 'lastSeenAt'>): Date {
  const created = s.createdAt.getTime()
  if (s.remember) return new Date(created + REMEMBER_FOR)
  return new Date(Math.min(created + SESSION_WITHOUT_REMEMBER, s.lastSeenAt.getTime() + IDLE_WITHOUT_REMEMBER))
}

/**
 * Counts as a login for every org of the user: a free plan is valid 12 months from the last login
 * of any member (SPEC §8). A sign-in is a login; so is a session used on a later day (`sinceDay`:
 * only orgs whose last login is a day old or more are written, so that costs one write a day).
 */
export function recordLogin(db: Executor, userId: string, now: Date, opts: { sinceDay?: boolean } = {}) {
  const ofUser = inArray(orgs.id, db.select({ id: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId)))
  const due = opts.sinceDay ? or(isNull(orgs.lastLoginAt), lt(orgs.lastLoginAt, new Date(now.getTime() - DAY))) : undefined
  return db
    .update(orgs)
    .set({ lastLoginAt: now })
    .where(and(ofUser, isNull(orgs.deletedAt), due))
}

export type ValidSession = { session: Session; user: User }

/** The session with this id (the token's hash) and its user: a read a page's first batch carries. */
const sessionById = (db: Db) =>
  db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, sql.placeholder('id')))

/** The session with its user, by the token's hash: every signed-in request's first read, prepared once. */
export function sessionQuery(db: Db, id: string) {
  return bindPrepared(db, sessionById, { id })
}

export async function validateSessionToken(db: Db, token: string, now: Date): Promise<ValidSession | null> {
  const row = await sessionQuery(db, hashToken(token)).get()
  return row ? settleSession(db, row, now) : null
}

/**
 * What a session read means at `now`: null once ended (and deleted); else valid, its activity
 * recorded at most once an hour — which moves a browser session's idle end, and counts as a login
 * on a new day. Writes only in those cases.
 */
export async function settleSession(db: Db, row: { session: Session; user: User }, now: Date): Promise<ValidSession | null> {
  const { session, user } = row
  const id = session.id
  if (now.getTime() >= Math.min(sessionEnd(session).getTime(), session.expiresAt.getTime())) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= RECORD_ACTIVITY_EVERY) {
    session.lastSeenAt = now
    session.expiresAt = sessionEnd(session)
    await db.batch([
      db.update(sessions).set({ lastSeenAt: now, expiresAt: session.expiresAt }).where(eq(sessions.id, id)),
      recordLogin(db, user.id, now, { sinceDay: true }),
    ])
  }
  return { session, user }
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
