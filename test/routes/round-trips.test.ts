// Round trips per page (issue 14): production talks to Turso over HTTP, where every sequential round
// trip is a network trip. Each page is held to a budget of statements and of sequential round trips
// (the longest chain of trips that each waited for the one before), counted by the counting client
// every test app reads through (src/db/counting.ts). Measured warm, as in production (no test
// clock): the catalog comes from its cache. Outside production the first batch also reads the test
// clock: one statement more, no round trip more. Every GET route is also walked and held to two
// sequential round trips in test/routes/round-trips-walk.test.ts; these are the named budgets.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { history, meta } from '../../src/db/schema'
import { TEST_CLOCK_KEY } from '../../src/services/test-clock'
import { costOf, describeCost, roundTripWorld, withKey, type World } from '../helpers/round-trips'

type Page = { label: string; request: (w: World) => Response | Promise<Response>; status?: number; statements: number; chain: number }

let usageCalls = 0
const usage = (w: World) =>
  withKey(w, '/api/v1/usage', { method: 'POST', body: JSON.stringify({ quota: 'contracts', quantity: 1, idempotency_key: `rt-${usageCalls++}` }) })

const o = (w: World, path = '') => `/o/${w.slug}${path}`

/** The budgets of issue 14, then every other page a customer sees, then the back office's. */
const PAGES: Page[] = [
  { label: 'GET /login', request: (w) => w.t.browser().get('/login'), statements: 1, chain: 1 },
  { label: 'GET /account', request: (w) => w.admin.get('/account'), statements: 3, chain: 1 },
  { label: 'GET the org dashboard', request: (w) => w.admin.get(o(w)), statements: 6, chain: 2 },
  { label: 'GET the org dashboard, as a member', request: (w) => w.member.get(o(w)), statements: 6, chain: 2 },
  { label: 'GET /buy, signed in', request: (w) => w.admin.get('/buy'), statements: 3, chain: 1 },
  { label: 'GET /buy, anonymous', request: (w) => w.t.browser().get('/buy'), statements: 3, chain: 1 },
  { label: 'GET /r/<code>', request: (w) => w.t.browser().get(`/r/${w.code}`), statements: 2, chain: 2 },
  { label: 'GET the e-code list', request: (w) => w.admin.get(o(w, '/ecodes')), statements: 4, chain: 2 },
  { label: 'GET the e-code list, as a member', request: (w) => w.member.get(o(w, '/ecodes')), statements: 4, chain: 2 },
  // One batch: the key, the read-only state, the limit and the insert (src/db/usage-report.ts).
  { label: 'POST /api/v1/usage', request: (w) => usage(w), status: 201, statements: 5, chain: 1 },
  { label: 'GET /api/v1/entitlements', request: (w) => withKey(w, '/api/v1/entitlements'), statements: 3, chain: 2 },

  { label: 'GET settings → users', request: (w) => w.admin.get(o(w, '/settings/users')), statements: 6, chain: 2 },
  { label: 'GET settings → company', request: (w) => w.admin.get(o(w, '/settings/company')), statements: 2, chain: 1 },
  { label: 'GET settings → API keys', request: (w) => w.admin.get(o(w, '/settings/api-keys')), statements: 3, chain: 2 },
  { label: 'GET the history', request: (w) => w.admin.get(o(w, '/history')), statements: 5, chain: 2 },
  { label: 'GET the history, filtered', request: (w) => w.admin.get(o(w, `/history?kind=order.paid&actor=${w.ids.operator}&from=2026-11-01&to=2026-11-30`)), statements: 5, chain: 2 },
  { label: 'GET the history, a later page', request: (w) => w.admin.get(o(w, `/history?cursor=${w.ids.historyCursor}`)), statements: 5, chain: 2 },
  { label: 'GET the history, a date that is not one', request: (w) => w.admin.get(o(w, '/history?from=2026-13-45')), status: 422, statements: 4, chain: 2 },
  { label: 'GET the orders', request: (w) => w.admin.get(o(w, '/orders')), statements: 5, chain: 2 },
  { label: 'GET one order', request: (w) => w.admin.get(o(w, `/orders/${w.ids.paidOrder}`)), statements: 4, chain: 2 },
  { label: 'GET one order, back from paying', request: (w) => w.admin.get(o(w, `/orders/${w.ids.waitingOrder}?payment=${w.ids.payment}`)), statements: 5, chain: 2 },
  { label: 'GET an invoice (PDF)', request: (w) => w.admin.get(o(w, `/invoices/${w.ids.invoice}`)), statements: 4, chain: 2 },
  { label: 'GET an invoice (e-invoice XML)', request: (w) => w.admin.get(o(w, `/invoices/${w.ids.invoice}/xml`)), statements: 4, chain: 2 },
  { label: 'GET the plan page', request: (w) => w.admin.get(o(w, '/products/sekretariat/plan')), statements: 5, chain: 2 },
  { label: 'GET the warehouse', request: (w) => w.admin.get(o(w, '/warehouse')), statements: 3, chain: 2 },
  { label: 'GET the warehouse, as a member', request: (w) => w.member.get(o(w, '/warehouse')), statements: 3, chain: 2 },
  { label: 'GET an e-code’s personalization, as a member', request: (w) => w.member.get(o(w, `/ecodes/${w.ids.ecode}/personalization`)), statements: 3, chain: 2 },
  { label: 'GET the requests inbox', request: (w) => w.admin.get(o(w, '/requests')), statements: 3, chain: 2 },
  { label: 'GET the statement page, as a member', request: (w) => w.member.get(o(w, '/statement')), statements: 3, chain: 2 },
  { label: 'GET /orgs', request: (w) => w.admin.get('/orgs'), statements: 2, chain: 1 },
  { label: 'GET /orgs/new', request: (w) => w.admin.get('/orgs/new'), statements: 2, chain: 1 },
  { label: 'GET /orgs/new/details', request: (w) => w.admin.get('/orgs/new/details?country=PL&legalForm=person'), statements: 2, chain: 1 },
  { label: 'GET /buy/<product>', request: (w) => w.admin.get('/buy/sekretariat'), statements: 2, chain: 1 },
  // The plan comparison reads nothing but the (cached) catalog: a visitor's page is its first batch alone.
  { label: 'GET /buy/<product>/plans, signed in', request: (w) => w.admin.get('/buy/sekretariat/plans'), statements: 2, chain: 1 },
  { label: 'GET /buy/<product>/plans, anonymous', request: (w) => w.t.browser().get('/buy/sekretariat/plans'), statements: 1, chain: 1 },
  { label: 'GET /checkout', request: (w) => w.admin.get('/checkout'), status: 303, statements: 2, chain: 1 },
  { label: 'GET /checkout/billing', request: (w) => w.admin.get('/checkout/billing'), statements: 2, chain: 1 },
  { label: 'GET /checkout/summary', request: (w) => w.admin.get('/checkout/summary'), statements: 2, chain: 1 },
  { label: 'GET /checkout/billing, a plan', request: (w) => w.planBuyer.get('/checkout/billing'), statements: 3, chain: 2 },
  { label: 'GET /checkout/summary, a plan', request: (w) => w.planBuyer.get('/checkout/summary'), statements: 3, chain: 2 },

  { label: 'GET /ops', request: (w) => w.operator.get('/ops'), statements: 2, chain: 1 },
  { label: 'GET /ops/orders', request: (w) => w.operator.get('/ops/orders'), statements: 3, chain: 2 },
  { label: 'GET /ops/orders/<id>', request: (w) => w.operator.get(`/ops/orders/${w.ids.paidOrder}`), statements: 5, chain: 2 },
  { label: 'GET /ops/orgs', request: (w) => w.operator.get('/ops/orgs?q=org'), statements: 3, chain: 2 },
  // One list more than the other org pages: the licences of activated units (issue 16 rule 3).
  { label: 'GET /ops/orgs/<id>', request: (w) => w.operator.get(`/ops/orgs/${w.org.id}`), statements: 7, chain: 2 },
  { label: 'GET /ops/orgs/<id>/history', request: (w) => w.operator.get(`/ops/orgs/${w.org.id}/history`), statements: 6, chain: 2 },
  { label: 'GET /ops/catalog', request: (w) => w.operator.get('/ops/catalog'), statements: 2, chain: 1 },
  { label: 'GET /ops/jobs', request: (w) => w.operator.get('/ops/jobs?job=digests'), statements: 3, chain: 2 },
  { label: 'GET /ops/outbox', request: (w) => w.operator.get('/ops/outbox'), statements: 3, chain: 2 },
  { label: 'GET /ops/statements', request: (w) => w.operator.get('/ops/statements'), statements: 3, chain: 2 },
  { label: 'GET /ops/statements/<id>', request: (w) => w.operator.get(`/ops/statements/${w.ids.statement}`), statements: 4, chain: 2 },
]

describe('in production', async () => {
  const w = await roundTripWorld('production')
  it.each(PAGES.map((p) => [p.label, p] as const))('%s stays within its budget of statements and sequential round trips', async (_, page) => {
    const c = await costOf(w.t, () => page.request(w))
    const detail = describeCost(page.label, c)
    expect(c.status, detail).toBe(page.status ?? 200)
    expect(c.chain, detail).toBeLessThanOrEqual(page.chain)
    expect(c.statements, detail).toBeLessThanOrEqual(page.statements)
    // Independent reads go in one batch: each step of the chain is one request to the database.
    expect(c.roundTrips, detail).toBe(c.chain)
  })

  it('reads a file in pieces, one round trip per further piece: the history CSV, 1,000 entries at a time', async () => {
    // Enough entries for a second page of the CSV (src/routes/history.tsx reads 1,000 at a time).
    const at = w.t.clock.now()
    const rows = Array.from({ length: 1000 }, (_, i) => ({ orgId: w.org.id, at: new Date(at.getTime() - 86_400_000 - i), actorType: 'system' as const, actorId: null, actorLabel: 'test', kind: 'test.filler' }))
    await w.t.db.insert(history).values(rows)
    const c = await costOf(w.t, () => w.admin.get(o(w, '/history.csv')))
    const detail = describeCost('GET the history CSV of two pages', c)
    expect(c.status, detail).toBe(200)
    // The first batch, then one read per page: the second page waits for the first, by design.
    expect(c.chain, detail).toBe(3)
    expect(c.roundTrips, detail).toBe(3)
  })
})

/** What one request cost, measured from a clean counter (no warm-up call: each case is its own report). */
async function costOnce(w: World, request: () => Response | Promise<Response>) {
  w.t.counter.reset()
  const res = await request()
  await res.arrayBuffer()
  return { ...w.t.counter.snapshot(), status: res.status, log: [...w.t.counter.log] }
}

const report = (w: World, body: Record<string, unknown>, key = w.apiKey) => withKey({ t: w.t, apiKey: key }, '/api/v1/usage', { method: 'POST', body: JSON.stringify(body) })

/** Issue 17: every answer of a usage report comes from its one batch. */
const REPORTS: [string, (w: World) => Response | Promise<Response>, number][] = [
  ['counted', (w) => report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'one-trip' }), 201],
  ['replayed (the same key again)', (w) => report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'one-trip' }), 201],
  ['the same key with another request', (w) => report(w, { quota: 'contracts', quantity: 2, idempotency_key: 'one-trip' }), 422],
  ['refused for its limit', (w) => report(w, { quota: 'contracts', quantity: 1_000_000, idempotency_key: 'one-trip-over' }), 409],
  ['a quota the org does not have', (w) => report(w, { quota: 'nope', quantity: 1, idempotency_key: 'one-trip-nope' }), 422],
  ['an unknown key', (w) => report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'one-trip-401' }, 'kon_unknownunknownunknownunknown12'), 401],
]

describe('a usage report, in production', async () => {
  const w = await roundTripWorld('production')
  it.each(REPORTS)('is ONE round trip when %s', async (_, request, status) => {
    const c = await costOnce(w, () => request(w))
    const detail = describeCost('POST /api/v1/usage', c)
    expect(c.status, detail).toBe(status)
    expect(c.roundTrips, detail).toBe(1)
    expect(c.statements, detail).toBe(5)
  })
})

describe('outside production, with the test clock read in the first batch', async () => {
  const w = await roundTripWorld('test')
  it.each(PAGES.map((p) => [p.label, p] as const))('%s makes no more round trips, and one statement more at most', async (_, page) => {
    const c = await costOf(w.t, () => page.request(w))
    const detail = describeCost(page.label, c)
    expect(c.status, detail).toBe(page.status ?? 200)
    expect(c.chain, detail).toBeLessThanOrEqual(page.chain)
    expect(c.statements, detail).toBeLessThanOrEqual(page.statements + 1)
    expect(c.roundTrips, detail).toBe(c.chain)
  })

  it.each(REPORTS)('a usage report is ONE round trip when %s', async (_, request, status) => {
    const c = await costOnce(w, () => request(w))
    const detail = describeCost('POST /api/v1/usage', c)
    expect(c.status, detail).toBe(status)
    expect(c.roundTrips, detail).toBe(1)
  })

  it('sends a usage report again, once, when the test clock moved since the last one: the batch checks the clock it expected', async () => {
    const at = w.t.clock.now()
    await w.t.db.insert(meta).values({ key: TEST_CLOCK_KEY, value: String(40 * 86_400_000), updatedAt: at })
    try {
      const moved = await costOnce(w, () => report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'clock-moved' }))
      expect(moved.status, describeCost('after the move', moved)).toBe(201)
      expect(moved.roundTrips, describeCost('after the move', moved)).toBe(2)
      const answer = (await (await report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'clock-moved' })).json()) as { resets_at: string }
      // Counted at the moved time: in the month 40 days on (2026-12-30 in Warsaw), not in November.
      expect(answer.resets_at).toBe('2026-12-31T23:00:00.000Z')
      const next = await costOnce(w, () => report(w, { quota: 'contracts', quantity: 1, idempotency_key: 'clock-moved-2' }))
      expect(next.roundTrips, describeCost('the next report', next)).toBe(1)
    } finally {
      await w.t.db.delete(meta).where(eq(meta.key, TEST_CLOCK_KEY))
    }
  })
})
