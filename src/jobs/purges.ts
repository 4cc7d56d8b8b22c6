// The daily purge (SPEC §13): accounts never activated within 7 days, expired sessions, spent or
// expired e-mail links, and old throttle counters.
import { and, isNull, lt, or, isNotNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { emailTokens, sessions, throttleHits, users } from '../db/schema'
import { DAY } from '../clock'
import type { JobCounts } from './runner'

export const UNACTIVATED_ACCOUNT_LIFETIME = 7 * DAY

export async function runPurges({ db }: Deps, now: Date): Promise<JobCounts> {
  const [accounts, expiredSessions, tokens, throttles] = await db.batch([
    db
      .delete(users)
      .where(and(isNull(users.activatedAt), lt(users.createdAt, new Date(now.getTime() - UNACTIVATED_ACCOUNT_LIFETIME))))
      .returning({ id: users.id }),
    db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id }),
    db
      .delete(emailTokens)
      .where(or(lt(emailTokens.expiresAt, now), isNotNull(emailTokens.usedAt)))
      .returning({ id: emailTokens.id }),
    db.delete(throttleHits).where(lt(throttleHits.expiresAt, now.getTime())).returning({ key: throttleHits.key }),
  ])
  return {
    accountsDeleted: accounts.length,
    sessionsDeleted: expiredSessions.length,
    tokensDeleted: tokens.length,
    throttlesDeleted: throttles.length,
  }
}
