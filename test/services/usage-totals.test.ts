// The period rows a usage report checks its limit against (usage_totals, migration 0026): created from
// the events already there, kept equal to their sum by the triggers whoever writes, exact when reports
// race at the limit; and the report's statements planned on the org's own rows (issue 17, item 4).
import { describe, expect, it } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import { subscriptions, usageEvents, usageTotals } from '../../src/db/schema'
import { REPORT_STATEMENTS } from '../../src/db/usage-report'
import { testApp } from '../helpers/app'
import { apiCall, orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const usage = (key: string, body: Record<string, unknown>) => apiCall(t, key, 'POST', '/usage', body)

/** Each period row of the org next to the sum of the events its span holds. */
async function totalsAndSums(orgId: string) {
  return t.db.all<{ quota: string; used: number; summed: number }>(sql`
    select x.quota_key as quota, x.used,
      (select coalesce(sum(u.quantity), 0) from usage_events u
        where u.org_id = x.org_id and u.product_id = x.product_id and u.quota_key = x.quota_key and u.at >= x.period_start and u.at < x.period_end) as summed
    from usage_totals x where x.org_id = ${orgId} order by x.quota_key`)
}

describe('usage_totals', () => {
  it('starts a period from the events already in it, and counts exactly up to the limit when reports race', async () => {
    const { key, org } = await orgWithKey(t, 'totals-race@example.com')
    const productId = (await t.db.all<{ productId: string }>(sql`select p.id as productId from products p join quota_defs q on q.product_id = p.id where p.key = 'sekretariat' and q.key = 'contracts'`))[0]!.productId
    expect(await t.db.select().from(subscriptions).where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, productId)))).toHaveLength(1)
    // Seven contracts this month written before the table existed (no period row yet), one last month.
    const at = t.clock.now()
    for (const [i, when] of [...Array.from({ length: 7 }, () => at), new Date('2026-10-15T10:00:00Z')].entries()) {
      await t.db.insert(usageEvents).values({ orgId: org.id, productId: productId, quotaKey: 'contracts', quantity: 1, at: when, idempotencyKey: `old-${i}` })
    }
    expect(await t.db.select().from(usageTotals).where(eq(usageTotals.orgId, org.id))).toEqual([])

    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => usage(key, { quota: 'contracts', quantity: 1, idempotency_key: `race-${i}` })))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([...Array(3).fill(201), ...Array(9).fill(409)])
    const refused = (await Promise.all(results.filter((r) => r.status === 409).map((r) => r.json()))) as { used: number; limit: number }[]
    expect(refused.every((r) => r.used === 10 && r.limit === 10)).toBe(true)
    const counted = await t.db.select().from(usageEvents).where(and(eq(usageEvents.orgId, org.id), sql`${usageEvents.idempotencyKey} like 'race-%'`))
    expect(counted).toHaveLength(3)
    expect(await totalsAndSums(org.id)).toEqual([{ quota: 'contracts', used: 10, summed: 10 }])
  })

  it('follows every event written or removed outside the API, so the limit is always checked against the sum', async () => {
    const { key, org } = await orgWithKey(t, 'totals-follow@example.com')
    expect((await usage(key, { quota: 'contracts', quantity: 4, idempotency_key: 'f-1' })).status).toBe(201)
    const [event] = await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))
    // A script adds 5 more, then takes the report's 4 away again and moves one event to last month.
    await t.db.insert(usageEvents).values({ orgId: org.id, productId: event!.productId, quotaKey: 'contracts', quantity: 5, at: t.clock.now(), idempotencyKey: 'script-1' })
    expect(await totalsAndSums(org.id)).toEqual([{ quota: 'contracts', used: 9, summed: 9 }])
    await t.db.delete(usageEvents).where(eq(usageEvents.id, event!.id))
    await t.db.update(usageEvents).set({ at: new Date('2026-10-10T10:00:00Z') }).where(and(eq(usageEvents.orgId, org.id), eq(usageEvents.idempotencyKey, 'script-1')))
    expect(await totalsAndSums(org.id)).toEqual([{ quota: 'contracts', used: 0, summed: 0 }])
    // So the whole limit is free again.
    const full = await usage(key, { quota: 'contracts', quantity: 10, idempotency_key: 'f-2' })
    expect(full.status).toBe(201)
    expect(((await full.json()) as { used: number }).used).toBe(10)
    expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'f-3' })).status).toBe(409)
  })

  it('plans every statement of a report on the org’s own rows: no table scanned, no install-wide index, no temp B-tree', async () => {
    for (const statement of REPORT_STATEMENTS) {
      const plan = (await t.db.$client.execute({ sql: `explain query plan ${statement}`, args: Array(11).fill(null) })).rows.map((r) => String(r.detail))
      const detail = `${statement.slice(0, 60)}…\n${plan.join('\n')}`
      // `SCAN f`: the one row of the subquery of offers, not a table.
      expect(plan.filter((p) => p.startsWith('SCAN') && p !== 'SCAN f'), detail).toEqual([])
      expect(plan.join('\n'), detail).not.toMatch(/subscriptions_status_period_end|TEMP B-TREE|AUTOMATIC/)
    }
  })
})
