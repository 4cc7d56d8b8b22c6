// E-codes inserted straight into the database (hashed and sealed as the app does), for tests that
// start from issued codes rather than from the generation page.
import { eq } from 'drizzle-orm'
import { ecodes, variants } from '../../src/db/schema'
import { ecodeLookupHash, encryptECode } from '../../src/auth/ecode-crypto'
import { generateId } from '../../src/auth/tokens'
import { ecodeExpiresAt, generateECode } from '../../src/domain/ecode'
import type { TestApp } from './app'

type Overrides = Partial<typeof ecodes.$inferInsert> & {
  /** Exactly these codes (canonical) instead of random ones. */
  codes?: string[]
}

/** Issues `n` active codes of the variant (by key) for the org; returns them in canonical form. */
export async function issueCodes(t: TestApp, org: { id: string; timeZone: string }, variantKey: string, n: number, overrides: Overrides = {}): Promise<string[]> {
  const { codes: fixed, ...values } = overrides
  const variant = await t.db.select().from(variants).where(eq(variants.key, variantKey)).get()
  if (!variant) throw new Error(`no variant ${variantKey}; seed the catalog first`)
  const now = t.clock.now()
  const { lookupKey, encryptionKey } = t.config.ecodeSecrets
  const codes: string[] = []
  for (let i = 0; i < n; i++) {
    const code = fixed?.[i] ?? generateECode()
    await t.db.insert(ecodes).values({
      id: generateId(),
      orgId: org.id,
      productId: variant.productId,
      variantId: variant.id,
      lookupHash: await ecodeLookupHash(lookupKey, code),
      sealed: await encryptECode(encryptionKey, code),
      status: 'active',
      createdAt: now,
      expiresAt: ecodeExpiresAt(now, variant.ecodeValidityMonths, org.timeZone),
      ...values,
    })
    codes.push(code)
  }
  return codes
}

/** The row of a code, found the way the app finds it. */
export async function ecodeRow(t: TestApp, code: string) {
  return (await t.db.select().from(ecodes).where(eq(ecodes.lookupHash, await ecodeLookupHash(t.config.ecodeSecrets.lookupKey, code))).get())!
}
