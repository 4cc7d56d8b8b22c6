// The usage report as the Worker sends it: its batch over HTTP (Hrana, @libsql/client's HTTP client) to
// the development libSQL server on the same file, with a simulated network round trip, so concurrent
// reports interleave as they do against Turso. Exactly the room left is counted, once each, and every
// refusal is explained by the same batch (issue 17, item 4).
import { afterAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { eq } from 'drizzle-orm'
import { startDevLibsqlServer } from '../../scripts/dev-libsql-server'
import { databaseFrom } from '../../src/db/client'
import { DbCounter } from '../../src/db/counting'
import { usageEvents, usageTotals } from '../../src/db/schema'
import { reportUsage } from '../../src/services/usage'
import type { Deps } from '../../src/deps'
import { testApp } from '../helpers/app'
import { orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const server = await startDevLibsqlServer({ path: t.file, port: 0, latencyMs: 4 })
const client = createClient({ url: server.url })
afterAll(async () => {
  client.close()
  await server.close()
})
const counter = new DbCounter()
const remote: Deps = { ...t.deps, db: databaseFrom(client, counter) }

describe('a usage report over HTTP', () => {
  it('counts exactly the room left when 30 reports race for 10, each in one round trip', async () => {
    const { key, org } = await orgWithKey(t, 'http-race@example.com')
    counter.reset()
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reportUsage(remote, key, { quota: 'contracts', quantity: 1, idempotencyKey: `h-${i}` }, t.clock.now())),
    )
    expect(counter.roundTrips).toBe(30)
    const counted = results.flatMap((r, i) => (r.ok ? [{ key: `h-${i}`, used: (JSON.parse(r.answer) as { used: number }).used }] : []))
    expect(counted.map((c) => c.used).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error))).toEqual(Array(20).fill('quota_exceeded'))
    const rows = await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(counted.map((c) => c.key).sort())
    expect((await t.db.select().from(usageTotals).where(eq(usageTotals.orgId, org.id))).map((x) => x.used)).toEqual([10])
  })

  it('replays a counted report, refuses an unknown key, and says why a report is not counted', async () => {
    const { key } = await orgWithKey(t, 'http-why@example.com')
    const input = { quota: 'contracts', quantity: 2, idempotencyKey: 'w-1' }
    const first = await reportUsage(remote, key, input, t.clock.now())
    expect(first).toMatchObject({ ok: true, replayed: false })
    expect(await reportUsage(remote, key, input, t.clock.now())).toEqual({ ok: true, replayed: true, answer: first.ok ? first.answer : '' })
    expect(await reportUsage(remote, key, { ...input, quantity: 3 }, t.clock.now())).toEqual({ ok: false, error: 'idempotency_key_reused' })
    expect(await reportUsage(remote, 'kon_unknownunknownunknownunknown12', input, t.clock.now())).toEqual({ ok: false, error: 'unauthorized' })
    expect(await reportUsage(remote, key, { quota: 'nope', quantity: 1, idempotencyKey: 'w-2' }, t.clock.now())).toEqual({ ok: false, error: 'unknown_quota' })
    expect(await reportUsage(remote, key, { quota: 'contracts', quantity: 9, idempotencyKey: 'w-3' }, t.clock.now())).toMatchObject({
      ok: false,
      error: 'quota_exceeded',
      state: { quota: 'contracts', used: 2, limit: 10 },
    })
  })
})
