// Random bytes at every POST route (issue 15): whatever the body — a multipart envelope whose
// boundary is wrong, urlencoded text with bad percent-encoding or invalid UTF-8, a huge field
// name, JSON garbage, an odd content type — the answer is never a 5xx, for the org's administrator
// (the operator under /ops, the vendor app's key under /api/v1) and for a visitor. The routes come
// from the app itself (`app.routes`), so a route added later is walked too; its parameters are
// filled from the seeded world, and a route whose parameters nobody named fails until they are.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { eq } from 'drizzle-orm'
import { apiKeys, orgRequests, users } from '../../src/db/schema'
import { roundTripWorld, type World } from '../helpers/round-trips'
import { bytes } from '../helpers/bytes'

const w = await roundTripWorld('test')
const memberId = (await w.t.db.select().from(users).where(eq(users.email, 'rt-member@example.com')).get())!.id
const apiKeyId = (await w.t.db.select().from(apiKeys).where(eq(apiKeys.orgId, w.org.id)).get())!.id
const requestId = (await w.t.db.select().from(orgRequests).where(eq(orgRequests.orgId, w.org.id)).get())!.id

/** Values for each route's parameters besides the org's slug. */
const PARAMS: Record<string, (w: World) => Record<string, string>> = {
  '/activate/:token': () => ({ token: 'not-a-token' }),
  '/password/reset/:token': () => ({ token: 'not-a-token' }),
  '/buy/:product': () => ({ product: 'sekretariat' }),
  '/pay/test/:payment/approval': (w) => ({ payment: w.ids.payment }),
  '/pay/test/:payment/decline': (w) => ({ payment: w.ids.payment }),
  '/r/:code/redemption': (w) => ({ code: w.code }),
  '/r/:code/reports': (w) => ({ code: w.code }),
  '/o/:slug/members/:userId/role': () => ({ userId: memberId }),
  '/o/:slug/members/:userId/permissions': () => ({ userId: memberId }),
  '/o/:slug/members/:userId/removal': () => ({ userId: memberId }),
  '/o/:slug/api-keys/:id/revocation': () => ({ id: apiKeyId }),
  '/o/:slug/requests/:id/approval': () => ({ id: requestId }),
  '/o/:slug/requests/:id/decline': () => ({ id: requestId }),
  '/o/:slug/requests/:id/dismissal': () => ({ id: requestId }),
  '/o/:slug/requests/:id/resolution': () => ({ id: requestId }),
  '/o/:slug/products/:product/plan/upgrade-orders': () => ({ product: 'sekretariat' }),
  '/o/:slug/products/:product/plan/addon-orders': () => ({ product: 'sekretariat' }),
  '/o/:slug/products/:product/plan/scheduled-change': () => ({ product: 'sekretariat' }),
  '/o/:slug/products/:product/plan/scheduled-change/cancellation': () => ({ product: 'sekretariat' }),
  '/o/:slug/products/:product/plan/free-switch': () => ({ product: 'sekretariat' }),
  '/o/:slug/products/:product/plan/auto-renewal': () => ({ product: 'sekretariat' }),
  '/o/:slug/orders/:id/payments': (w) => ({ id: w.ids.waitingOrder }),
  '/o/:slug/orders/:id/payment-method': (w) => ({ id: w.ids.waitingOrder }),
  // The world's orders went by transfer and a hosted page: no saved method, so a made-up id (404).
  '/o/:slug/payment-methods/:id/removal': () => ({ id: 'no-such-method' }),
  '/o/:slug/payment-methods/:id/declines': () => ({ id: 'no-such-method' }),
  '/o/:slug/warehouse/:variantId/activations': (w) => ({ variantId: w.ids.variant }),
  '/o/:slug/warehouse/:variantId/ecodes': (w) => ({ variantId: w.ids.variant }),
  '/o/:slug/ecodes/:id/personalization': (w) => ({ id: w.ids.ecode }),
  '/o/:slug/ecodes/:id/sendings': (w) => ({ id: w.ids.ecode }),
  '/o/:slug/ecodes/:id/disposal': (w) => ({ id: w.ids.ecode }),
  '/ops/orgs/:id/plan-grants': (w) => ({ id: w.org.id }),
  '/ops/orgs/:id/unit-grants': (w) => ({ id: w.org.id }),
  '/ops/orders/:id/payment': (w) => ({ id: w.ids.waitingOrder }),
  '/ops/orders/:id/cancellation': (w) => ({ id: w.ids.waitingOrder }),
  '/ops/statements/:id/approval': (w) => ({ id: w.ids.statement }),
  '/ops/statements/:id/rejection': (w) => ({ id: w.ids.statement }),
  '/ops/einvoices/:invoiceId/reissue': (w) => ({ invoiceId: w.ids.invoice }),
  '/ops/catalog/products/:id': (w) => ({ id: w.ids.product }),
  '/ops/catalog/products/:id/plans': (w) => ({ id: w.ids.product }),
  '/ops/catalog/plans/:id': (w) => ({ id: w.ids.plan }),
  '/ops/catalog/products/:id/quotas': (w) => ({ id: w.ids.product }),
  '/ops/catalog/products/:id/quotas/:key': (w) => ({ id: w.ids.product, key: 'contracts' }),
  '/ops/catalog/products/:id/addons': (w) => ({ id: w.ids.product }),
  '/ops/catalog/addons/:id': (w) => ({ id: w.ids.addon }),
  '/ops/catalog/products/:id/variants': (w) => ({ id: w.ids.virtualProduct }),
  '/ops/catalog/variants/:id': (w) => ({ id: w.ids.variant }),
}

/**
 * The app's POST routes, each once. Signing out ends the session the walk signs in with, so it
 * goes last.
 */
function postRoutes(): string[] {
  const all = [...new Set(w.t.app.routes.filter((r) => r.method === 'POST').map((r) => r.path))].filter((p) => !p.includes('*'))
  return [...all.filter((p) => p !== '/logout'), ...all.filter((p) => p === '/logout')]
}

function urlOf(route: string): string {
  const named = { slug: w.slug, ...PARAMS[route]?.(w) } as Record<string, string>
  return route.replace(/:(\w+)/g, (_, name: string) => {
    const value = named[name]
    if (value === undefined) throw new Error(`${route}: name a value for :${name} in PARAMS`)
    return encodeURIComponent(value)
  })
}

type Body = { contentType: string | null; bytes: Uint8Array }

/** A body that fast-check prints short, as its content type and the start of its text. */
const body = (contentType: string | null, bytes: Uint8Array): Body =>
  Object.assign({ contentType, bytes }, { [fc.toStringMethod]: () => describeBody({ contentType, bytes }) })
const describeBody = (b: Body) => `${b.contentType ?? '(no content type)'} (${b.bytes.length} bytes): ${JSON.stringify(new TextDecoder().decode(b.bytes.slice(0, 200)))}`

/** Bytes that are not UTF-8: a lone continuation byte, an overlong slash, a cut-off sequence, 0xFF. */
const INVALID_UTF8 = new Uint8Array([0x80, 0xc0, 0xaf, 0xe2, 0x82, 0xff])

/** The odd bodies every route gets, before the random ones. */
const FIXED: Body[] = [
  // The boundary the header names is not the one the body uses.
  body('multipart/form-data; boundary=----right', bytes('------wrong\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n------wrong--\r\n')),
  body('multipart/form-data', bytes('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n')),
  body('multipart/form-data; boundary=x', bytes('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1')),
  body('multipart/form-data; boundary=x', bytes('--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n', INVALID_UTF8, '\r\n--x--\r\n')),
  body('application/x-www-form-urlencoded', bytes('name=%zz%&email=%E2%82&taxId=%')),
  body('application/x-www-form-urlencoded', bytes('name=', INVALID_UTF8, '&email=a%FF%FE@example.com')),
  body('application/x-www-form-urlencoded', bytes(`${'n'.repeat(60_000)}=1`)),
  body('application/x-www-form-urlencoded', bytes(`${'n'.repeat(70_000)}=1`)),
  body('application/json', bytes('{"name": [1, {"x": nul')),
  body('text/plain; charset=utf-16', INVALID_UTF8),
  body(null, INVALID_UTF8),
]

const FORM = ['multipart/form-data', 'application/x-www-form-urlencoded']
const contentType = fc.oneof(
  fc.constantFrom(...FORM, 'application/json', 'text/plain', 'application/octet-stream', 'multipart/mixed', 'MULTIPART/FORM-DATA; boundary=', 'application/x-www-form-urlencoded; charset=latin1'),
  fc.tuple(fc.constantFrom(...FORM), fc.string({ maxLength: 40 })).map(([type, params]) => `${type};${params}`),
  fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
)
const randomBytes = fc.uint8Array({ maxLength: 400 })
const fieldName = fc.oneof(fc.constantFrom('name', 'email', 'taxId', 'file', 'product', 'quantity', 'code', 'password'), fc.string({ maxLength: 20 }))
/** Text with the characters that break parsers: %, +, &, =, quotes, CR/LF, NUL, bidi overrides. */
const nasty = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('%', '%2', '%G0', '%ff', '+', '&', '=', '"', '\r\n', '\0', '\u202e', '\uffff', '\ud800')), { maxLength: 10 }).map((p) => p.join(''))

const randomBody: fc.Arbitrary<Body> = fc.oneof(
  fc.tuple(fc.option(contentType, { nil: null }), randomBytes).map(([type, b]) => body(type, b)),
  fc.array(fc.tuple(nasty, nasty), { maxLength: 6 }).map((pairs) => body('application/x-www-form-urlencoded', bytes(pairs.map(([k, v]) => `${k}=${v}`).join('&')))),
  // A multipart envelope built right or almost right: the header's boundary, another one, or none.
  fc
    .record({
      declared: fc.constantFrom('b0undary', '"quoted b0undary"', ''),
      used: fc.constantFrom('b0undary', 'other', ''),
      parts: fc.array(fc.record({ name: fieldName, filename: fc.option(nasty, { nil: null }), value: fc.oneof(nasty.map((text) => bytes(text)), randomBytes) }), { maxLength: 4 }),
      closed: fc.boolean(),
    })
    .map(({ declared, used, parts, closed }) =>
      body(
        declared ? `multipart/form-data; boundary=${declared}` : 'multipart/form-data',
        bytes(
          ...parts.flatMap((p) => [`--${used}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename === null ? '' : `; filename="${p.filename}"`}\r\n\r\n`, p.value, '\r\n']),
          closed ? `--${used}--\r\n` : '',
        ),
      ),
    ),
)

type Who = 'anonymous' | 'admin' | 'operator' | 'vendor app'

function send(route: string, who: Who, sent: Body) {
  const url = urlOf(route)
  const headers: Record<string, string> = sent.contentType === null ? {} : { 'Content-Type': sent.contentType }
  const init = { method: 'POST', body: sent.bytes as Uint8Array<ArrayBuffer>, headers }
  switch (who) {
    case 'anonymous':
      return w.t.browser().send(url, { ...init, headers: { ...headers, Origin: w.t.config.baseUrl } })
    case 'vendor app':
      return w.t.app.request(`http://localhost${url}`, { ...init, headers: { ...headers, Authorization: `Bearer ${w.apiKey}` } })
    case 'operator':
      return w.operator.send(url, { ...init, headers: { ...headers, Origin: w.t.config.baseUrl } })
    case 'admin':
      return w.admin.send(url, { ...init, headers: { ...headers, Origin: w.t.config.baseUrl } })
  }
}

const signedInAs = (route: string): Who => (route.startsWith('/ops') ? 'operator' : route.startsWith('/api/v1/') ? 'vendor app' : 'admin')

describe('random bytes at every POST route', () => {
  const routes = postRoutes()

  it('walks every POST route the app registers, dozens of them', () => {
    expect(routes.length).toBeGreaterThan(70)
    expect(routes).toEqual(expect.arrayContaining(['/o/:slug/statements', '/orgs/new', '/o/:slug/members', '/api/v1/usage', '/webhooks/stripe', '/logout']))
  })

  const cases = (list: string[]) => list.flatMap((route) => [[route, signedInAs(route)] as const, [route, 'anonymous' as const] as const])
  const noServerError = async (route: string, who: Who) => {
    await fc.assert(
      fc.asyncProperty(randomBody, async (sent) => {
        const res = await send(route, who, sent)
        await res.arrayBuffer()
        expect(res.status, `${who}: POST ${route} with ${describeBody(sent)}`).toBeLessThan(500)
      }),
      { numRuns: 8, examples: FIXED.map((b) => [b]) },
    )
  }
  it.each(cases(routes.slice(0, -1)))('POST %s, sent by the %s, never answers 5xx', noServerError)

  it('stayed signed in throughout, so the routes were reached as the administrator and the operator', async () => {
    expect((await w.admin.get(`/o/${w.slug}/settings/users`)).status).toBe(200)
    expect((await w.operator.get('/ops')).status).toBe(200)
  })

  it.each(cases(routes.slice(-1)))('POST %s, sent by the %s, never answers 5xx', noServerError)
})
