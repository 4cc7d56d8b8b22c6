// POST /api/v1/usage's idempotency keys (issue 15, item 6): the first answer is stored with the key and
// replayed byte for byte; the same key with another request is refused; a key is free again after 24 h.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { usageEvents } from '../../src/db/schema'
import { HOUR } from '../../src/clock'
import { runPurges } from '../../src/jobs/purges'
import { MIGRATIONS_DIR, openLocalDatabase } from '../../src/db/local'
import { testApp } from '../helpers/app'
import { apiCall, orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const usage = (key: string, body: Record<string, unknown>) => apiCall(t, key, 'POST', '/usage', body)
const rowsOf = (orgId: string) => t.db.select().from(usageEvents).where(eq(usageEvents.orgId, orgId)).orderBy(usageEvents.id)

describe('an idempotency key on POST /api/v1/usage', () => {
  it('replays the first answer byte for byte, even after other usage moved the meter', async () => {
    const { key, org } = await orgWithKey(t, 'idem-replay@example.com')
    const first = await usage(key, { quota: 'contracts', quantity: 3, idempotency_key: 'order-17' })
    expect(first.status).toBe(201)
    const firstBody = await first.text()
    expect(JSON.parse(firstBody)).toEqual({ product: 'sekretariat', quota: 'contracts', used: 3, limit: 10, resets_at: '2026-11-30T23:00:00.000Z' })
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await usage(key, { quota: 'contracts', quantity: 2, idempotency_key: 'order-18' })).status).toBe(201)

    const again = await usage(key, { quota: 'contracts', quantity: 3, idempotency_key: 'order-17' })
    expect(again.status).toBe(201)
    expect(again.headers.get('Content-Type')).toBe('application/json')
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await again.text()).toBe(firstBody)
    expect((await rowsOf(org.id)).map((r) => r.quantity)).toEqual([3, 2])
  })

  it('refuses the same key with another request with 422 idempotency_key_reused, and records nothing', async () => {
    const { key, org } = await orgWithKey(t, 'idem-reused@example.com')
    expect((await usage(key, { quota: 'contracts', quantity: 3, idempotency_key: 'k' })).status).toBe(201)
    for (const other of [
      { quota: 'contracts', quantity: 4 },
      { quota: 'correspondence', quantity: 3 },
      { product: 'sekretariat', quota: 'contracts', quantity: 3 },
    ]) {
      const res = await usage(key, { ...other, idempotency_key: 'k' })
      expect(res.status, JSON.stringify(other)).toBe(422)
      expect(res.headers.get('Content-Type')).toBe('application/problem+json')
      expect(await res.json()).toMatchObject({ type: 'https://kontor.dev/problems/idempotency_key_reused', status: 422 })
    }
    expect((await rowsOf(org.id)).map((r) => [r.quotaKey, r.quantity])).toEqual([['contracts', 3]])
  })

  it('records 20 parallel calls with the same key once, and all of them answer the same body', async () => {
    const { key, org } = await orgWithKey(t, 'idem-parallel@example.com')
    const results = await Promise.all(Array.from({ length: 20 }, () => usage(key, { quota: 'contracts', quantity: 2, idempotency_key: 'burst' })))
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201))
    const bodies = await Promise.all(results.map((r) => r.text()))
    expect(new Set(bodies).size).toBe(1)
    expect(JSON.parse(bodies[0]!)).toMatchObject({ used: 2 })
    expect(results.filter((r) => r.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(19)
    expect(await rowsOf(org.id)).toHaveLength(1)
  })

  it('is not taken by a refused report: the same key counts once the quota has room', async () => {
    const { key, org } = await orgWithKey(t, 'idem-refused@example.com')
    expect((await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't1' })).status).toBe(201)
    expect((await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't2' })).status).toBe(409)
    expect((await usage(key, { quota: 'templates', quantity: -1, idempotency_key: 't3' })).status).toBe(201)
    const retried = await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't2' })
    expect(retried.status).toBe(201)
    expect(retried.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await rowsOf(org.id)).map((r) => r.idempotencyKey)).toEqual(['t1', 't3', 't2'])
  })

  it('expires after 24 hours: the key counts again, for any request', async () => {
    const { key, org } = await orgWithKey(t, 'idem-expiry@example.com')
    const start = t.clock.now()
    try {
      expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'daily' })).status).toBe(201)
      t.clock.advance(24 * HOUR - 1)
      const replay = await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'daily' })
      expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
      t.clock.advance(1)
      const fresh = await usage(key, { quota: 'contracts', quantity: 4, idempotency_key: 'daily' })
      expect(fresh.status).toBe(201)
      expect(fresh.headers.get('Idempotent-Replayed')).toBeNull()
      expect(await fresh.json()).toMatchObject({ used: 5 })
      expect((await rowsOf(org.id)).map((r) => [r.idempotencyKey, r.quantity])).toEqual([
        ['daily', 1],
        ['daily', 4],
      ])
      // The new report holds the key now: its own answer is the one replayed.
      const replayed = await usage(key, { quota: 'contracts', quantity: 4, idempotency_key: 'daily' })
      expect(await replayed.json()).toMatchObject({ used: 5 })
      // Parallel retries of a key past its 24 hours: one releases it and counts, the others replay that.
      t.clock.advance(24 * HOUR)
      const burst = await Promise.all(Array.from({ length: 10 }, () => usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'daily' })))
      expect(new Set(await Promise.all(burst.map((r) => r.text())))).toEqual(new Set(['{"product":"sekretariat","quota":"contracts","used":6,"limit":10,"resets_at":"2026-11-30T23:00:00.000Z"}']))
      expect(await rowsOf(org.id)).toHaveLength(3)
    } finally {
      t.clock.set(start)
    }
  })

  it('is released by the daily purge once 24 hours old, while the report itself stays counted', async () => {
    const { key, org } = await orgWithKey(t, 'idem-purge@example.com')
    const start = t.clock.now()
    try {
      expect((await usage(key, { quota: 'contracts', quantity: 2, idempotency_key: 'old' })).status).toBe(201)
      t.clock.advance(20 * HOUR)
      expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'young' })).status).toBe(201)
      t.clock.advance(5 * HOUR)
      await runPurges(t.deps, t.clock.now())
      const rows = await rowsOf(org.id)
      expect(rows.map((r) => [r.idempotencyKey, r.quantity, r.fingerprint !== null, r.response !== null])).toEqual([
        ['old', 2, false, false],
        ['young', 1, true, true],
      ])
      const held = await t.db.select().from(usageEvents).where(and(eq(usageEvents.orgId, org.id), eq(usageEvents.idempotencyKey, 'young'))).get()
      expect(JSON.parse(held!.response!)).toMatchObject({ used: 3 })
    } finally {
      t.clock.set(start)
    }
  })

  it('holds the keys of reports made before answers were stored: a retry is refused (422), never counted', async () => {
    const { key, org } = await orgWithKey(t, 'idem-legacy@example.com')
    // As migration 0021 leaves a report it found: its key held, no answer to replay.
    await t.db.insert(usageEvents).values({ orgId: org.id, productId: (await productIdOf('sekretariat'))!, quotaKey: 'contracts', quantity: 2, at: t.clock.now(), idempotencyKey: 'before', fingerprint: 'legacy' })
    const res = await usage(key, { quota: 'contracts', quantity: 2, idempotency_key: 'before' })
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({ type: 'https://kontor.dev/problems/idempotency_key_reused' })
    expect(await rowsOf(org.id)).toHaveLength(1)
  })
})

const productIdOf = async (key: string) => (await t.db.query.products.findFirst({ where: (p, { eq }) => eq(p.key, key) }))?.id

describe('migration 0021', () => {
  it('keeps every existing report’s key held, marked legacy, so none counts twice across the upgrade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-0021-'))
    try {
      // The migrations as they were before 0021, then all of them.
      const before = join(dir, 'migrations')
      cpSync(MIGRATIONS_DIR, before, { recursive: true })
      const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }
      journal.entries = journal.entries.filter((e) => e.tag < '0021')
      writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify(journal))
      const { db, client } = await openLocalDatabase(join(dir, 'db.sqlite'))
      try {
        await migrate(db, { migrationsFolder: before })
        await client.execute('PRAGMA foreign_keys = OFF')
        await client.execute(`insert into usage_events (org_id, product_id, quota_key, quantity, at, idempotency_key) values ('o1', 'p1', 'contracts', 1, 0, 'k1')`)
        await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
        expect((await client.execute('select idempotency_key, fingerprint, response from usage_events')).rows.map((r) => ({ ...r }))).toEqual([{ idempotency_key: 'k1', fingerprint: 'legacy', response: null }])
        // The key is still taken: the app's insert under it does nothing.
        await client.execute(`insert into usage_events (org_id, product_id, quota_key, quantity, at, idempotency_key, fingerprint) values ('o1', 'p1', 'contracts', 1, 1, 'k1', 'f') on conflict (org_id, idempotency_key) where fingerprint is not null do nothing`)
        expect((await client.execute('select count(*) as n from usage_events')).rows[0]!.n).toBe(1)
      } finally {
        client.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
