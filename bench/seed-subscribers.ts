// Many card subscribers at once, written straight into the database in multi-row inserts (the
// checkout would take minutes for thousands): for the renewals benchmark and the jobs' scale and
// crash tests. Each is an org
// with one administrator and a Sekretariat subscription bought by card, renewal on, card saved —
// the rows the checkout and fulfilment would have left.
import { licences, memberships, orgs, savedMethods, subscriptions, users } from '../src/db/schema'
import type { Db } from '../src/db/client'
import type { Clock } from '../src/clock'
import { loadCatalog } from '../src/db/catalog'
import { generateId } from '../src/auth/tokens'
import { snapshotOf } from '../src/services/subscriptions'
import { testSavedMethod } from '../src/payments/test-provider'

export type BulkSubscriber = { orgId: string; userId: string; email: string; subId: string }

/** SQLite allows 32,766 bound values per statement; a row of the widest table here binds ~20. */
const ROWS_PER_INSERT = 500

/**
 * `n` orgs (named `${prefix}${i}`) whose paid period of `plan` (a year unless told) ends at
 * `periodEnd`, each with one admin (`${prefix}${i}@example.com`), a live licence and a saved test card.
 */
export async function bulkCardSubscribers(t: { db: Db; clock: Clock }, n: number, o: { periodEnd: Date; prefix?: string; plan?: string; months?: number }): Promise<BulkSubscriber[]> {
  const prefix = o.prefix ?? 'bulk'
  const months = o.months ?? 12
  const product = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!
  const plan = product.plans.find((p) => p.key === (o.plan ?? 'silver'))!
  const now = t.clock.now()
  const periodStart = new Date(o.periodEnd)
  periodStart.setUTCMonth(periodStart.getUTCMonth() - months)
  const made = Array.from({ length: n }, (_, i) => ({ i, orgId: generateId(), userId: generateId(), subId: generateId(), email: `${prefix}${i}@example.com` }))
  for (let from = 0; from < n; from += ROWS_PER_INSERT) {
    const chunk = made.slice(from, from + ROWS_PER_INSERT)
    await t.db.batch([
      t.db.insert(users).values(
        // No one signs in as them: a placeholder instead of a password hash (hashing 10,000 would take minutes).
        chunk.map((s) => ({ id: s.userId, email: s.email, name: `${prefix} ${s.i}`, language: 'en' as const, passwordHash: 'unusable', activatedAt: now, createdAt: now })),
      ),
      t.db.insert(orgs).values(
        chunk.map((s) => ({
          id: s.orgId,
          slug: `${prefix}-${s.i}`,
          name: `Org ${prefix} ${s.i}`,
          country: 'PL',
          legalForm: 'company' as const,
          taxId: null,
          addressLine: 'ul. Polna 3',
          postalCode: '00-003',
          city: 'Warszawa',
          billingEmail: s.email,
          timeZone: 'Europe/Warsaw',
          lastLoginAt: now,
          createdAt: now,
        })),
      ),
      t.db.insert(memberships).values(chunk.map((s) => ({ orgId: s.orgId, userId: s.userId, role: 'admin' as const, createdAt: now }))),
      t.db.insert(subscriptions).values(
        chunk.map((s) => ({
          id: s.subId,
          orgId: s.orgId,
          productId: product.id,
          planId: plan.id,
          snapshot: snapshotOf(product, plan),
          addonPacks: {},
          status: 'active' as const,
          periodMonths: months,
          periodStart,
          periodEnd: o.periodEnd,
          source: 'order' as const,
          autoRenew: true,
          createdAt: now,
        })),
      ),
      t.db.insert(licences).values(
        chunk.map((s) => ({ id: generateId(), number: `KL-${prefix}-${s.i}`, orgId: s.orgId, productId: product.id, subscriptionId: s.subId, validFrom: periodStart, createdAt: now })),
      ),
      t.db.insert(savedMethods).values(chunk.map((s) => ({ id: generateId(), orgId: s.orgId, provider: 'test' as const, ...testSavedMethod(s.orgId, s.subId, 'card'), createdAt: now }))),
    ])
  }
  return made.map(({ orgId, userId, email, subId }) => ({ orgId, userId, email, subId }))
}
