// The app's GET routes with their parameters filled from the seeded round-trip world
// (test/helpers/round-trips.ts): walked for database round trips (test/routes/round-trips-walk.test.ts)
// and, in a browser at 360 px, for layout and accessibility (test/e2e/phone-crawl.test.ts). A route
// added later is walked too; one whose parameters nobody named here fails until they are.
import type { World } from './round-trips'

/** Pages that answer without a signed-in person (the rest are asked by the org's admin or the operator). */
export const ANONYMOUS = new Set(['/register', '/activation/resend', '/activate/:token', '/login', '/login/2fa', '/login/2fa/setup', '/password/forgot', '/password/reset/:token', '/r', '/r/:code', '/api/v1/openapi.json'])

/** Values for the parameters of each route that has some besides the org's slug. */
export const PARAMS: Record<string, (w: World) => Record<string, string>> = {
  '/activate/:token': () => ({ token: 'not-a-token' }),
  '/password/reset/:token': () => ({ token: 'not-a-token' }),
  '/buy/:product': () => ({ product: 'sekretariat' }),
  '/buy/:product/plans': () => ({ product: 'sekretariat' }),
  '/pay/test/:payment': (w) => ({ payment: w.ids.payment }),
  '/r/:code': (w) => ({ code: w.code }),
  '/o/:slug/products/:product/plan': () => ({ product: 'sekretariat' }),
  '/o/:slug/orders/:id': (w) => ({ id: w.ids.paidOrder }),
  '/o/:slug/invoices/:id': (w) => ({ id: w.ids.invoice }),
  '/o/:slug/invoices/:id/xml': (w) => ({ id: w.ids.invoice }),
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
  '/ops/einvoices/:invoiceId/receipt': (w) => ({ invoiceId: w.ids.invoice }),
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
  '/dev/mail/:id/attachments/:index': (w) => ({ id: w.ids.mail, index: '0' }),
}

/** The app's GET routes, each once. */
export function getRoutes(w: World): string[] {
  return [...new Set(w.t.app.routes.filter((r) => r.method === 'GET').map((r) => r.path))].filter((p) => !p.includes('*'))
}

export function urlOf(w: World, route: string): string {
  const named = { slug: w.slug, ...PARAMS[route]?.(w) } as Record<string, string>
  return route.replace(/:(\w+)/g, (_, name: string) => {
    const value = named[name]
    if (value === undefined) throw new Error(`${route}: name a value for :${name} in PARAMS`)
    return encodeURIComponent(value)
  })
}
