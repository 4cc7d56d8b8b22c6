// The HTML pages of the app a person opens, for tests that check something on every one of them
// (test/routes/accessible-names.test.ts, scripts.test.ts): every GET route the app registers
// (`app.routes`, so a page added later is walked too), its parameters filled from the round-trip world
// (test/helpers/round-trips.ts), each asked by who opens it — an org's pages by its admin and by a
// member, the back office by the operator, the rest by the admin and by a visitor. Files (CSV, PDF,
// JSON), the vendor API and the developer mailbox are left out.
import type { World } from './round-trips'
import type { Browser } from './app'

export type Who = 'admin' | 'member' | 'operator' | 'visitor'

const PARAMS: Record<string, (w: World) => Record<string, string>> = {
  '/buy/:product': () => ({ product: 'sekretariat' }),
  '/buy/:product/plans': () => ({ product: 'sekretariat' }),
  '/r/:code': (w) => ({ code: w.code }),
  '/o/:slug/products/:product/plan': () => ({ product: 'sekretariat' }),
  '/o/:slug/orders/:id': (w) => ({ id: w.ids.paidOrder }),
  '/ops/orgs/:id': (w) => ({ id: w.org.id }),
  '/ops/orgs/:id/history': (w) => ({ id: w.org.id }),
  '/ops/orders/:id': (w) => ({ id: w.ids.paidOrder }),
  '/ops/statements/:id': (w) => ({ id: w.ids.statement }),
  '/ops/catalog/products/:id': (w) => ({ id: w.ids.product }),
}

/** [route, who] for every page walked; routes with parameters not named above are skipped. */
export function htmlPages(w: World): [string, Who][] {
  const routes = [...new Set(w.t.app.routes.filter((r) => r.method === 'GET').map((r) => r.path))]
  const html = routes.filter((r) => !r.includes('*') && !/\.(csv|pdf|json)$|\/file$|\/html$/.test(r) && !r.startsWith('/dev/') && !r.startsWith('/api/'))
  const filled = html.filter((r) => !/:(?!slug\b)/.test(r) || PARAMS[r])
  return filled.flatMap((r): [string, Who][] => {
    if (r.startsWith('/ops')) return [[r, 'operator']]
    if (r.startsWith('/o/')) return [[r, 'admin'], [r, 'member']]
    return [[r, 'admin'], [r, 'visitor']]
  })
}

/** The page's response, as `who` sees it. */
export function openPage(w: World, route: string, who: Who): Promise<Response> {
  const named = { slug: w.slug, ...PARAMS[route]?.(w) } as Record<string, string>
  const url = route.replace(/:(\w+)/g, (_, n: string) => encodeURIComponent(named[n]!))
  const b: Browser = who === 'admin' ? w.admin : who === 'member' ? w.member : who === 'operator' ? w.operator : w.t.browser()
  return b.get(url)
}
