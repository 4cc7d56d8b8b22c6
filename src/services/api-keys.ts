// API keys for vendor apps (SPEC §12): the key is shown once; only its SHA-256 is stored.
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { apiKeys, orgs } from '../db/schema'
import { recordHistory, recordHistoryIfChanged, userActor } from '../db/history'
import { generateId, generateToken, hashToken } from '../auth/tokens'
import type { User } from '../auth/session'
import { MINUTE } from '../clock'
import type { Org } from './orgs'
import { parseReadOnlyRows, readOnlyRowsJson, type ReadOnlyRow } from './read-only'
import { testClockAllowed, testClockQuery, timeFromOffset } from './test-clock'

export const API_KEY_PREFIX = 'kon_'

export function listApiKeys(deps: Deps, orgId: string) {
  return deps.db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt))
}

export async function createApiKey(deps: Deps, org: Org, user: User, name: string, now: Date): Promise<{ key: string }> {
  const { db } = deps
  const key = API_KEY_PREFIX + generateToken()
  const id = generateId()
  await db.batch([
    db.insert(apiKeys).values({ id, orgId: org.id, name, prefix: key.slice(0, 10), hash: hashToken(key), createdBy: user.id, createdAt: now }),
    recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'api_key.created', subject: { type: 'api_key', id }, details: { name }, at: now }),
  ])
  return { key }
}

export async function revokeApiKey(deps: Deps, org: Org, user: User, id: string, now: Date): Promise<boolean> {
  const { db } = deps
  const [revoked] = await db.batch([
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.orgId, org.id), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name }),
    recordHistoryIfChanged(db, { orgId: org.id, actor: userActor(user), kind: 'api_key.revoked', subject: { type: 'api_key', id }, at: now }),
  ])
  return revoked.length === 1
}

export type ApiCaller = {
  key: typeof apiKeys.$inferSelect
  org: Org
  /** The org's read-only subscriptions (none: it takes changes), for the API's read-only guard. */
  readOnlyRows: ReadOnlyRow[]
}

/**
 * The org and key behind a bearer key, if the key is live, in one statement with what the API's
 * first step needs: the org's read-only subscriptions. When the key was last used is noted at most
 * once a minute, after the answer (in the background, see runInBackground). A usage report checks its
 * key in its own batch instead (src/services/usage.ts), which notes the use the same way.
 */
export async function authenticateApiKey(
  deps: Deps,
  key: string,
  real: Date,
): Promise<(ApiCaller & { now: Date; touch: (() => Promise<unknown>) | null }) | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null
  const { db } = deps
  // Outside production the test clock is read here, with the key, rather than in a round trip of its own.
  const clock = testClockAllowed(deps.config) ? sql<string | null>`${testClockQuery(db)}` : sql<null>`null`
  const row = await db
    .select({
      clock,
      key: apiKeys,
      org: orgs,
      readOnly: readOnlyRowsJson(orgs.id),
    })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.hash, hashToken(key)), isNull(apiKeys.revokedAt), isNull(orgs.deletedAt)))
    .get()
  if (!row) return null
  const { now } = timeFromOffset(row.clock === null ? undefined : { value: row.clock }, real)
  const stale = row.key.lastUsedAt === null || row.key.lastUsedAt.getTime() < now.getTime() - MINUTE
  const touch = stale
    ? () => db.update(apiKeys).set({ lastUsedAt: now }).where(and(eq(apiKeys.id, row.key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - MINUTE)))))
    : null
  return {
    now,
    key: row.key,
    org: row.org,
    readOnlyRows: parseReadOnlyRows(row.readOnly) ?? [],
    touch,
  }
}
