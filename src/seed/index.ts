// Demo data for a local installation (npm start): the demo catalog, a customer, an operator and the
// customer's company with its two members (./demo-company.ts). The `meta` table remembers each part
// once seeded: the accounts and catalog in one batch, then the company, dated back from the moment it
// is seeded — so a database seeded before the company existed gets it at its next start.
import { eq, inArray } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { BatchItem } from '../db/client'
import { consents, meta, users } from '../db/schema'
import { hashPassword } from '../auth/password'
import { generateId } from '../auth/tokens'
import { DEMO_CATALOG, catalogStatements } from './catalog'
import { invalidateCatalog } from '../db/catalog-cache'
import { seedDemoCompany } from './demo-company'

import { DEMO_CUSTOMER, DEMO_MEMBERS, DEMO_OPERATOR } from './demo-accounts'

export { DEMO_CUSTOMER, DEMO_MEMBERS, DEMO_OPERATOR }

const BASE = 'demo_seeded_at'
const COMPANY = 'demo_company_seeded_at'

/** Seeds whatever of the demo data is missing; true if anything was. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  const { db, clock } = deps
  const done = new Set((await db.select({ key: meta.key }).from(meta)).map((m) => m.key))
  const now = clock.now()
  let seeded = false
  if (!done.has(BASE)) {
    await seedAccountsAndCatalog(deps, now)
    seeded = true
  }
  // A database whose demo customer was deleted gets no company.
  if (!done.has(COMPANY) && (await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_CUSTOMER.email)).get())) {
    await seedAccounts(deps, DEMO_MEMBERS.map((m) => ({ ...m, language: 'pl' as const, isOperator: false })), now)
    await seedDemoCompany(deps, now)
    await db.insert(meta).values({ key: COMPANY, value: now.toISOString(), updatedAt: now })
    seeded = true
  }
  return seeded
}

type DemoAccount = { email: string; password: string; name: string; language: 'en' | 'pl' | 'it'; isOperator: boolean }

/** The demo accounts (activated, terms accepted) and the demo catalog, in one batch. */
async function seedAccountsAndCatalog(deps: Deps, now: Date) {
  const { db } = deps
  const people: DemoAccount[] = [
    { ...DEMO_CUSTOMER, language: 'pl', isOperator: false },
    { ...DEMO_OPERATOR, language: 'it', isOperator: true },
  ]
  await db.batch([db.insert(meta).values({ key: BASE, value: now.toISOString(), updatedAt: now }), ...(await accountStatements(deps, people, now)), ...catalogStatements(db, DEMO_CATALOG, now)])
  invalidateCatalog(db)
}

/** Demo accounts not yet in the database (an older demo database lacks the members). */
async function seedAccounts(deps: Deps, people: DemoAccount[], now: Date) {
  const have = new Set((await deps.db.select({ email: users.email }).from(users).where(inArray(users.email, people.map((p) => p.email)))).map((u) => u.email))
  const missing = people.filter((p) => !have.has(p.email))
  if (missing.length > 0) await deps.db.batch((await accountStatements(deps, missing, now)) as [BatchItem, ...BatchItem[]])
}

async function accountStatements(deps: Deps, people: DemoAccount[], now: Date): Promise<BatchItem[]> {
  const { db, config } = deps
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
  return [
    db.insert(users).values(rows),
    db.insert(consents).values(
      rows.flatMap((u) => [
        { userId: u.id, kind: 'terms' as const, version: config.termsVersion, acceptedAt: now },
        { userId: u.id, kind: 'privacy' as const, version: config.privacyVersion, acceptedAt: now },
      ]),
    ),
  ]
}
