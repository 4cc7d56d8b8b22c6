// Every GET route the app registers, walked (issue 14): production reads Turso over HTTP, where each
// sequential round trip is a network trip, so no page may wait on more than two in a row (the
// request's first batch, then the page's own), and each of those steps must be one request to the
// database — independent reads go in one batch. The routes come from the app itself (`app.routes`),
// so a page added later is walked too; its parameters are filled from the seeded world below, and a
// route whose parameters nobody named fails until they are.
import { describe, expect, it } from 'vitest'
import { costOf, describeCost, roundTripWorld, withKey, type World } from '../helpers/round-trips'

/** Most sequential round trips any page may take: the first batch and the page's batch. */
const MAX_CHAIN = 2

/**
 * Files read in pieces: each further piece is a round trip after the one before, which is the
 * point (memory stays flat however long the file, and every answer stays under Turso's limit). In
 * this world each is one piece, so they are held to the same rule as pages; a longer one takes a
 * round trip more per piece (test/routes/round-trips.test.ts shows it for the history CSV).
 */
const STREAMED = ['/o/:slug/history.csv (1,000 entries a piece)', '/ops/orgs/:id/history.csv (the same)', '/o/:slug/ecodes.csv (500 codes)', '/ops/statements/:id/file (1 MiB)']

/** Pages that answer without a signed-in person (the rest are asked by the org's admin or the operator). */
const ANONYMOUS = new Set(['/register', '/activation/resend', '/activate/:token', '/login', '/login/2fa', '/login/2fa/setup', '/password/forgot', '/password/reset/:token', '/r', '/r/:code', '/api/v1/openapi.json'])

/** Values for the parameters of each route that has some besides the org's slug. */
const PARAMS: Record<string, (w: World) => Record<string, string>> = {
  '/activate/:token': () => ({ token: 'not-a-token' }),
  '/password/reset/:token': () => ({ token: 'not-a-token' }),
  '/buy/:product': () => ({ product: 'sekretariat' }),
  '/buy/:product/plans': () => ({ product: 'sekretariat' }),
  '/pay/test/:payment': (w) => ({ payment: w.ids.payment }),
  '/r/:code': (w) => ({ code: w.code }),
  '/o/:slug/products/:product/plan': () => ({ product: 'sekretariat' }),
  '/o/:slug/orders/:id': (w) => ({ id: w.ids.paidOrder }),
  '/o/:slug/invoices/:id': (w) => ({ id: w.ids.invoice }),
  '/o/:slug/ecodes/:id/voucher.pdf': (w) => ({ id: w.ids.ecode }),
  '/o/:slug/ecodes/:id/personalization': (w) => ({ id: w.ids.ecode }),
  '/o/:slug/ecodes/:id/sendings/new': (w) => ({ id: w.ids.ecode }),
  '/o/:slug/ecodes/:id/disposal': (w) => ({ id: w.ids.ecode }),
  '/ops/orgs/:id': (w) => ({ id: w.org.id }),
  '/ops/orgs/:id/history': (w) => ({ id: w.org.id }),
  '/ops/orgs/:id/history.csv': (w) => ({ id: w.org.id }),
  '/ops/orders/:id': (w) => ({ id: w.ids.paidOrder }),
  '/ops/statements/:id': (w) => ({ id: w.ids.statement }),
  '/ops/statements/:id/file': (w) => ({ id: w.ids.statement }),
  '/ops/catalog/products/:id': (w) => ({ id: w.ids.product }),
  '/ops/catalog/products/:id/plans/new': (w) => ({ id: w.ids.product }),
  '/ops/catalog/plans/:id': (w) => ({ id: w.ids.plan }),
  '/ops/catalog/products/:id/quotas/new': (w) => ({ id: w.ids.product }),
  '/ops/catalog/products/:id/quotas/:key': (w) => ({ id: w.ids.product, key: 'contracts' }),
  '/ops/catalog/products/:id/addons/new': (w) => ({ id: w.ids.product }),
  '/ops/catalog/addons/:id': (w) => ({ id: w.ids.addon }),
  '/ops/catalog/products/:id/variants/new': (w) => ({ id: w.ids.virtualProduct }),
  '/ops/catalog/variants/:id': (w) => ({ id: w.ids.variant }),
  '/dev/mail/:id': (w) => ({ id: w.ids.mail }),
  '/dev/mail/:id/html': (w) => ({ id: w.ids.mail }),
}

/** The app's GET routes, each once. */
function getRoutes(w: World): string[] {
  return [...new Set(w.t.app.routes.filter((r) => r.method === 'GET').map((r) => r.path))].filter((p) => !p.includes('*'))
}

function urlOf(w: World, route: string): string {
  const named = { slug: w.slug, ...PARAMS[route]?.(w) } as Record<string, string>
  return route.replace(/:(\w+)/g, (_, name: string) => {
    const value = named[name]
    if (value === undefined) throw new Error(`${route}: name a value for :${name} in PARAMS`)
    return encodeURIComponent(value)
  })
}

type Who = 'anonymous' | 'vendor app' | 'operator' | 'admin' | 'member'

/** Who asks for a route: a visitor, the vendor app with its key, the operator, or the org's administrator. */
function whoAsks(route: string): Who {
  if (ANONYMOUS.has(route)) return 'anonymous'
  if (route.startsWith('/api/v1/')) return 'vendor app'
  if (route.startsWith('/ops')) return 'operator'
  return 'admin'
}

function requestOf(w: World, route: string, who: Who) {
  const url = urlOf(w, route)
  switch (who) {
    case 'anonymous':
      return () => w.t.browser().get(url)
    case 'vendor app':
      return () => withKey(w, url)
    case 'operator':
      return () => w.operator.get(url)
    case 'admin':
      return () => w.admin.get(url)
    case 'member':
      return () => w.member.get(url)
  }
}

for (const environment of ['production', 'test'] as const) {
  describe(`every GET route, ${environment === 'production' ? 'in production' : 'outside production (the test clock in the first batch)'}`, async () => {
    const w = await roundTripWorld(environment)
    const routes = getRoutes(w)

    it('walks dozens of routes, among them every page of an org, the files read in pieces and the back office', () => {
      // A broken filter must not pass vacuously.
      expect(routes.length).toBeGreaterThan(60)
      const files = STREAMED.map((f) => f.split(' ')[0]!)
      expect(routes).toEqual(expect.arrayContaining(['/o/:slug/settings/users', '/o/:slug/history', '/checkout/summary', '/ops/statements/:id', ...files]))
    })

    // An org's pages also as a member, whose permissions narrow what some of them read.
    const asked = [...routes.map((r) => [r, whoAsks(r)] as const), ...routes.filter((r) => r.startsWith('/o/')).map((r) => [r, 'member'] as const)]
    it.each(asked)(`%s, asked by the %s, waits on at most ${MAX_CHAIN} round trips, each one request`, async (route, who) => {
      const c = await costOf(w.t, requestOf(w, route, who))
      const detail = describeCost(`GET ${route} (${who})`, c)
      expect(c.status, detail).toBeLessThan(500)
      expect(c.chain, detail).toBeLessThanOrEqual(MAX_CHAIN)
      expect(c.roundTrips, detail).toBe(c.chain)
    })
  })
}
