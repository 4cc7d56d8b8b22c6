// Operators' TOTP seeds stored in clear before sealing existed (issue 15): the daily purge seals them.
// Until then they still work (openTotpKey reads both forms); SQL alone can't encrypt, so a migration
// could not do this.
import { and, eq, isNotNull, notLike } from 'drizzle-orm'
import type { Deps } from '../deps'
import { users } from '../db/schema'
import { decodeKey } from '../auth/totp'
import { sealTotpKey } from '../auth/sealing'
import type { BatchItem } from '../db/client'

/** Seals every seed still in clear; returns how many. Each write is conditional on the seed it read, so one changed meanwhile (a recovery) is left alone. */
export async function sealClearTotpKeys(deps: Deps): Promise<number> {
  const { db, config } = deps
  const clear = await db
    .select({ id: users.id, totpKey: users.totpKey })
    .from(users)
    .where(and(isNotNull(users.totpKey), notLike(users.totpKey, 'v1.%')))
  if (clear.length === 0) return 0
  // Sealed first, then the statements built: awaiting a statement would run it.
  const sealed = await Promise.all(clear.map((u) => sealTotpKey(config.ecodeSecrets.encryptionKey, u.id, decodeKey(u.totpKey!))))
  const writes = clear.map((u, i): BatchItem => db.update(users).set({ totpKey: sealed[i] }).where(and(eq(users.id, u.id), eq(users.totpKey, u.totpKey!))))
  const results = await db.batch(writes as [BatchItem, ...BatchItem[]])
  return results.reduce((n, r) => n + r.rowsAffected, 0)
}
