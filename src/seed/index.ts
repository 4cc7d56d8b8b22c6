// Demo data for a fresh local installation (npm start): the demo catalog, a customer and an operator
// to sign in with. Seeded once; the `meta` table remembers that it was.
import { eq } from 'drizzle-orm'
import type { Deps } from '../deps'
import { consents, meta, users } from '../db/schema'
import { hashPassword } from '../auth/password'
import { generateId } from '../auth/tokens'
import { DEMO_CATALOG, catalogStatements } from './catalog'
import { invalidateCatalog } from '../db/catalog-cache'

import { DEMO_CUSTOMER, DEMO_OPERATOR } from './demo-accounts'

export { DEMO_CUSTOMER, DEMO_OPERATOR }

export async function seedDemo(deps: Deps): Promise<boolean> {
  const { db, clock, config } = deps
  const done = await db.select().from(meta).where(eq(meta.key, 'demo_seeded_at')).get()
  if (done) return false
  const now = clock.now()
  const people = [
    { ...DEMO_CUSTOMER, language: 'pl' as const, isOperator: false },
    { ...DEMO_OPERATOR, language: 'it' as const, isOperator: true },
  ]
  const rows = await Promise.all(
    people.map(async (p) => ({
      id: generateId(),
      email: p.email,
      name: p.name,
      language: p.language,
      passwordHash: await hashPassword(p.password, config.passwordCost),
      activatedAt: now,
      isOperator: p.isOperator,
      createdAt: now,
    })),
  )
  await db.batch([
    db.insert(users).values(rows).onConflictDoNothing(),
    db.insert(consents).values(
      rows.flatMap((u) => [
        { userId: u.id, kind: 'terms' as const, version: config.termsVersion, acceptedAt: now },
        { userId: u.id, kind: 'privacy' as const, version: config.privacyVersion, acceptedAt: now },
      ]),
    ),
    db.insert(meta).values({ key: 'demo_seeded_at', value: now.toISOString(), updatedAt: now }),
    ...catalogStatements(db, DEMO_CATALOG, now),
  ])
  invalidateCatalog(db)
  return true
}
