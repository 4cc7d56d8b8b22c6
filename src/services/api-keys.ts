// API keys for vendor apps (SPEC §12): the key is shown once; only its SHA-256 is stored.
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm'
import type { Deps } from '../deps'
import { apiKeys, orgs } from '../db/schema'
import { recordHistory, recordHistoryIfChanged, userActor } from '../db/history'
import { generateId, generateToken, hashToken } from '../auth/tokens'
import type { User } from '../auth/session'
import { MINUTE } from '../clock'
import type { Org } from './orgs'

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

/** The org and key behind a bearer key, if the key is live; notes when it was last used (at most once a minute). */
export async function authenticateApiKey(deps: Deps, key: string, now: Date) {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null
  const { db } = deps
  const row = await db
    .select({ key: apiKeys, org: orgs })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.hash, hashToken(key)), isNull(apiKeys.revokedAt), isNull(orgs.deletedAt)))
    .get()
  if (!row) return null
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, row.key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - MINUTE)))))
  return row
}
