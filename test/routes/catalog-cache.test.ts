// The catalog cache (issue 14, src/db/catalog-cache.ts): pages read the catalog from a per-isolate
// copy. An edit made here shows on the next page; an edit made elsewhere (another isolate, a script:
// here, a second connection to the same file) shows once the copy is 5 s old and checked against the
// version, which triggers raise on every write to a catalog table (migration 0019).
import { afterAll, describe, expect, it, vi } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { catalogVersion, products, variants } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { FRESH_MS } from '../../src/db/catalog-cache'
import { openLocalDatabase } from '../../src/db/local'
import { updateProduct } from '../../src/services/catalog'
import { systemActor } from '../../src/db/history'
import { testApp, textOf } from '../helpers/app'

const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { environment: 'production', secureCookies: true } })
await t.seedCatalog()
const version = async () => (await t.db.select().from(catalogVersion).get())!.version

afterAll(() => vi.useRealTimers())

describe('the catalog cache', () => {
  it('raises the version on every insert, update and delete of a catalog table', async () => {
    let before = await version()
    await t.db.update(products).set({ description: sql`${products.description}` }).where(eq(products.key, 'sekretariat'))
    expect(await version()).toBe(++before)
    const [v] = await t.db.select().from(variants).limit(1)
    await t.db.delete(variants).where(eq(variants.id, v!.id))
    expect(await version()).toBe(++before)
    await t.db.insert(variants).values(v!)
    expect(await version()).toBe(++before)
  })

  it('shows an edit made here on the very next page', async () => {
    const b = t.browser()
    expect(textOf(await (await b.get('/buy')).text())).toContain('Sekretariat')
    const product = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!
    const { id: _, key: __, kind: ___, currency: ____, createdAt: _____, quotas: _q, plans: _p, addons: _a, variants: _v, ...editable } = product
    await updateProduct(t.deps, systemActor('test'), product, { ...editable, name: 'Sekretariat Pro' } as never, t.clock.now())
    expect(textOf(await (await b.get('/buy')).text())).toContain('Sekretariat Pro')
  })

  it('shows an edit made elsewhere within 5 seconds, reading one statement to find out', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const b = t.browser()
    await (await b.get('/buy')).text()
    // Another process writes the catalog (its own connection to the same file).
    const other = await openLocalDatabase(t.file)
    await other.db.update(products).set({ name: 'Sekretariat Plus' }).where(eq(products.key, 'sekretariat'))
    other.client.close()

    t.counter.reset()
    expect(textOf(await (await b.get('/buy')).text())).not.toContain('Sekretariat Plus')
    expect(t.counter.statements).toBe(0)

    vi.setSystemTime(Date.now() + FRESH_MS)
    t.counter.reset()
    expect(textOf(await (await b.get('/buy')).text())).toContain('Sekretariat Plus')
    // The version (in the request's first batch), then the catalog reloaded in one batch.
    expect(t.counter.roundTrips).toBe(2)

    // Unchanged since: checked again after 5 s, one statement, nothing reloaded.
    vi.setSystemTime(Date.now() + FRESH_MS)
    t.counter.reset()
    await (await b.get('/buy')).text()
    expect([t.counter.statements, t.counter.roundTrips]).toEqual([1, 1])
  })
})
