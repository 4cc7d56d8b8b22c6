// The big org's e-codes for the bench (issue 6): 100,000 codes of SimplySign's two variants over
// the last three years, across statuses as an issuer accumulates them — mostly used, a share still
// active, some expired or disposed — each stored as the app stores it (keyed hash + AES-GCM), so
// look-ups, lists and vouchers do the real work. Returns a few plain codes for /r/<code>.
import { DAY } from '../src/clock'
import type { Db } from '../src/db/client'
import { ecodes, type ECodeStatus } from '../src/db/schema'
import { loadCatalog } from '../src/db/catalog'
import { ecodeLookupHash, encryptECode } from '../src/auth/ecode-crypto'
import { ecodeExpiresAt, generateECode } from '../src/domain/ecode'
import { generateId } from '../src/auth/tokens'
import { chunk, insertAll, ROWS_PER_INSERT, type SeededECodes } from './seed-rows'

export type { SeededECodes } from './seed-rows'

/**
 * Codes whose hash and ciphertext are computed at once: WebCrypto's calls go to libuv's thread pool,
 * so a batch in flight keeps the cores busy (100,000 one after another take about twice as long);
 * much larger batches only queue longer.
 */
const CRYPTO_BATCH = 100
/** Active codes handed to the /r/ scenarios. */
const ACTIVE_SAMPLE = 200

export async function seedECodes(
  db: Db,
  o: { orgId: string; receiverOrgId: string; now: number; rnd: () => number; count: number; secrets: { lookupKey: string; encryptionKey: string }; timeZone: string },
): Promise<SeededECodes & { cryptoSeconds: number }> {
  const product = (await loadCatalog(db)).find((p) => p.key === 'simplysign')!
  const byStatus: Record<ECodeStatus, number> = { active: 0, used: 0, expired: 0, disposed: 0 }
  // Active codes that stay valid through the run (at least another month), to sample from.
  const longActive: string[] = []
  const usedCodes: string[] = []
  let personalizedCode: string | null = null
  let plainCode: string | null = null
  const plain: string[] = []
  const rows: Omit<typeof ecodes.$inferInsert, 'lookupHash' | 'sealed'>[] = []
  for (let i = 0; i < o.count; i++) {
    const variant = product.variants[i % product.variants.length]!
    // Spread over three years, newest last; a code's fate depends on its age.
    const createdAt = new Date(o.now - Math.floor((1 - i / o.count) * 3 * 365 * DAY) - Math.floor(o.rnd() * DAY))
    const expiresAt = ecodeExpiresAt(createdAt, variant.ecodeValidityMonths, o.timeZone)
    const roll = o.rnd()
    const status: ECodeStatus = expiresAt.getTime() <= o.now ? (roll < 0.8 ? 'used' : 'expired') : roll < 0.55 ? 'used' : roll < 0.95 ? 'active' : 'disposed'
    byStatus[status]++
    const code = generateECode()
    plain.push(code)
    if (status === 'active' && expiresAt.getTime() > o.now + 31 * DAY) longActive.push(code)
    if (status === 'used' && usedCodes.length < 20) usedCodes.push(code)
    const recipientName = i % 10 === 0 ? 'Łucja Żółkiewska' : null
    if (status === 'active' && expiresAt.getTime() > o.now + 31 * DAY) {
      if (recipientName) personalizedCode ??= code
      else plainCode ??= code
    }
    const usedAt = status === 'used' ? new Date(Math.min(o.now, createdAt.getTime() + Math.floor(o.rnd() * 90 * DAY))) : null
    rows.push({
      id: generateId(),
      orgId: o.orgId,
      productId: product.id,
      variantId: variant.id,
      status,
      createdAt,
      expiresAt,
      usedAt,
      usedByOrgId: usedAt ? o.receiverOrgId : null,
      disposedAt: status === 'disposed' ? new Date(createdAt.getTime() + DAY) : null,
      recipientName,
    })
  }

  const cryptoStarted = performance.now()
  const stored: (typeof ecodes.$inferInsert)[] = []
  for (let start = 0; start < rows.length; start += CRYPTO_BATCH) {
    const batch = await Promise.all(
      rows.slice(start, start + CRYPTO_BATCH).map(async (row, k) => {
        const code = plain[start + k]!
        const [lookupHash, sealed] = await Promise.all([ecodeLookupHash(o.secrets.lookupKey, code), encryptECode(o.secrets.encryptionKey, code)])
        return { ...row, lookupHash, sealed }
      }),
    )
    stored.push(...batch)
  }
  const cryptoSeconds = (performance.now() - cryptoStarted) / 1000

  await insertAll(db, chunk(stored, ROWS_PER_INSERT / 2).map((batch) => db.insert(ecodes).values(batch)))
  if (!personalizedCode || !plainCode) throw new Error('no active e-code with (or without) a recipient was seeded')
  const step = Math.max(1, Math.floor(longActive.length / ACTIVE_SAMPLE))
  const activeCodes = longActive.filter((_, i) => i % step === 0).slice(0, ACTIVE_SAMPLE)
  return {
    total: rows.length,
    byStatus,
    activeCodes,
    personalizedCode,
    plainCode,
    usedCodes,
    variantIds: product.variants.map((v) => v.id),
    createdFrom: Math.min(...rows.map((r) => (r.createdAt as Date).getTime())),
    createdTo: Math.max(...rows.map((r) => (r.createdAt as Date).getTime())),
    cryptoSeconds,
  }
}
