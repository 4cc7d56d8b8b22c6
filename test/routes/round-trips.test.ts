// Round trips per page (issue 14): production talks to Turso over HTTP, where every sequential round
// trip is a network trip. Each page is held to a budget of statements and of sequential round trips
// (the longest chain of trips that each waited for the one before), counted by the counting client
// every test app reads through (src/db/counting.ts). Measured warm, as in production (no test
// clock): the catalog comes from its cache. Outside production the first batch also reads the test
// clock: one statement more, no round trip more.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orgs } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { newSubscription, snapshotOf } from '../../src/services/subscriptions'
import { testApp, type Browser, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { issueCodes } from '../helpers/ecodes'

type World = { t: TestApp; admin: Browser; slug: string; code: string; apiKey: string }

async function world(environment: 'production' | 'test'): Promise<World> {
  const t = await testApp({ now: '2026-11-20T10:00:00Z', config: environment === 'production' ? { environment, secureCookies: true } : {} })
  await t.seedCatalog()
  const buyer = await adminWithOrg(t, 'round-trips@example.com')
  const product = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!
  const silver = product.plans.find((p) => p.key === 'silver')!
  const sub = { planId: silver.id, snapshot: snapshotOf(product, silver), status: 'active', periodMonths: 12, periodStart: new Date('2026-01-31T23:00:00Z'), periodEnd: new Date('2027-01-31T23:00:00Z'), source: 'order' } as const
  await t.db.batch([...newSubscription(t.db, buyer.org.id, product.id, sub, t.clock.now()).statements])
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, buyer.slug)).get())!
  const [code] = await issueCodes(t, org, 'signature-1y', 3)
  const keyPage = await (await buyer.b.post(`/o/${buyer.slug}/api-keys`, { name: 'ERP' })).text()
  const apiKey = /<code class="key big">(kon_[a-z0-9]+)<\/code>/.exec(keyPage)![1]!
  return { t, admin: buyer.b, slug: buyer.slug, code: code!, apiKey }
}

type Page = { label: string; request: (w: World, n: number) => Response | Promise<Response>; status?: number; statements: number; chain: number }

let usageCalls = 0
const usage = (w: World) =>
  w.t.app.request('http://localhost/api/v1/usage', {
    method: 'POST',
    headers: { Authorization: `Bearer ${w.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ quota: 'contracts', quantity: 1, idempotency_key: `rt-${usageCalls++}` }),
  })

/** The budgets of issue 14, then every other page a customer sees. */
const PAGES: Page[] = [
  { label: 'GET /login', request: (w) => w.t.browser().get('/login'), statements: 1, chain: 1 },
  { label: 'GET /account', request: (w) => w.admin.get('/account'), statements: 3, chain: 1 },
  { label: 'GET the org dashboard', request: (w) => w.admin.get(`/o/${w.slug}`), statements: 6, chain: 2 },
  { label: 'GET /buy, signed in', request: (w) => w.admin.get('/buy'), statements: 3, chain: 1 },
  { label: 'GET /buy, anonymous', request: (w) => w.t.browser().get('/buy'), statements: 3, chain: 1 },
  { label: 'GET /r/<code>', request: (w) => w.t.browser().get(`/r/${w.code}`), statements: 2, chain: 2 },
  { label: 'GET the e-code list', request: (w) => w.admin.get(`/o/${w.slug}/ecodes`), statements: 4, chain: 2 },
  { label: 'POST /api/v1/usage', request: (w) => usage(w), status: 201, statements: 2, chain: 2 },
]

/** Runs the page twice (the first warms the caches) and returns what the second cost. */
async function cost(w: World, page: Page) {
  await (await page.request(w, 0)).text()
  w.t.counter.reset()
  const res = await page.request(w, 1)
  await res.text()
  expect(res.status, page.label).toBe(page.status ?? 200)
  return { ...w.t.counter.snapshot(), log: [...w.t.counter.log] }
}

describe('in production', async () => {
  const w = await world('production')
  it.each(PAGES.map((p) => [p.label, p] as const))('%s stays within its budget of statements and sequential round trips', async (_, page) => {
    const c = await cost(w, page)
    const detail = `${page.label}: ${c.statements} statements, chain ${c.chain}\n  ${c.log.join('\n  ')}`
    expect(c.chain, detail).toBeLessThanOrEqual(page.chain)
    expect(c.statements, detail).toBeLessThanOrEqual(page.statements)
    // Independent reads go in one batch: each step of the chain is one request to the database.
    expect(c.roundTrips, detail).toBe(c.chain)
  })
})

describe('outside production, with the test clock read in the first batch', async () => {
  const w = await world('test')
  it.each(PAGES.map((p) => [p.label, p] as const))('%s makes no more round trips, and one statement more at most', async (_, page) => {
    const c = await cost(w, page)
    const detail = `${page.label}: ${c.statements} statements, chain ${c.chain}\n  ${c.log.join('\n  ')}`
    expect(c.chain, detail).toBeLessThanOrEqual(page.chain)
    expect(c.statements, detail).toBeLessThanOrEqual(page.statements + 1)
    expect(c.roundTrips, detail).toBe(c.chain)
  })
})
