// Small helpers the route modules share: rendering a page or fragment, redirects with a flash
// message, cookies, and the client's address.
import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html'
import type { MessageKey } from '../i18n'
import { Layout } from '../views/layout'
import type { ViewCtx } from '../views/context'
import { ThrottledView } from '../views/errors'
import { testClockAllowed } from '../services/test-clock'
import { lapsedProducts } from '../services/read-only'
import type { AppEnv } from './env'

export type Ctx = Context<AppEnv>

export function viewCtx(c: Ctx): ViewCtx {
  const user = c.var.user
  const url = new URL(c.req.url)
  return {
    t: c.var.t,
    lang: c.var.lang,
    user: user ? { name: user.name, email: user.email, isOperator: user.isOperator } : null,
    path: url.pathname + url.search,
    flash: c.var.flash?.key ?? null,
    orgs: c.var.orgs,
    // Only a member's org frames the page; an operator looking at an org from /ops is not in it.
    org: c.var.org && c.var.role ? { slug: c.var.org.slug, name: c.var.org.name, role: c.var.role, pending: c.var.orgPending ?? 0 } : null,
    flashParams: c.var.flash?.params,
    readOnly: readOnlyBanner(c),
    testClock: c.var.testClock ? { now: c.var.now, timeZone: c.var.deps.config.vendor.timeZone } : null,
    testClockPage: testClockAllowed(c.var.deps.config),
  }
}

function readOnlyBanner(c: Ctx): ViewCtx['readOnly'] {
  const { readOnly: r, org, role } = c.var
  if (!r || !org || !role) return null
  const { lapsedKeys } = lapsedProducts(r)
  return { slug: org.slug, role, productKey: r.product.key, productName: r.product.name, lapsedAt: r.lapsedAt, deletesAt: r.deletesAt, timeZone: org.timeZone, lapsedKeys }
}

/** True for htmx requests that target part of the page; they get the fragment without the layout. */
export function isFragmentRequest(c: Ctx): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full'
}

/**
 * A personal page — anything shown to a signed-in person, or an e-code's page, whose code is a
 * bearer token — is never stored by the browser; a public page (sign-in, the catalog) is stored but
 * asked for again every time, with an ETag (src/routes/revalidate.ts).
 */
function personal(c: Ctx): boolean {
  return c.var.user !== null || c.var.pendingTwoFactor !== null || c.req.path.startsWith('/r/')
}

const utf8 = new TextEncoder()

/**
 * `c.html()`, but the body handed over as UTF-8 bytes: given a string, Node's `Response` first checks
 * every character for lone surrogates (undici's USVString conversion, ~0.2 ms for the 60 KB e-code
 * list) and then encodes it; encoding it here does the second alone. The bytes are the same, and
 * workerd takes either.
 */
function html(c: Ctx, node: Child, status: ContentfulStatusCode) {
  return resolveCallback(node as never, HtmlEscapedCallbackPhase.Stringify, false, {}).then((text) =>
    c.body(utf8.encode(text), status, { 'Content-Type': 'text/html; charset=UTF-8' }),
  )
}

export function page(c: Ctx, title: string, content: Child, status: ContentfulStatusCode = 200) {
  if (personal(c)) c.header('Cache-Control', 'private, no-store')
  return html(
    c,
    <Layout ctx={viewCtx(c)} title={title}>
      {content}
    </Layout>,
    status,
  )
}

/** Either the fragment (htmx) or the full page around it. */
export function pageOrFragment(c: Ctx, title: string, fullContent: Child, fragment: Child, status: ContentfulStatusCode = 200) {
  if (isFragmentRequest(c)) {
    if (personal(c)) c.header('Cache-Control', 'private, no-store')
    return html(c, <>{fragment}</>, status)
  }
  return page(c, title, fullContent, status)
}

const FLASH_COOKIE = 'flash'

/** Redirects after a successful POST (303, or HX-Redirect for htmx), with an optional one-time message on the next page. */
export function seeOther(c: Ctx, location: string, flash?: MessageKey, params?: Record<string, string | number>) {
  if (flash) {
    setCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify({ key: flash, params })), {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.var.deps.config.secureCookies,
      maxAge: 60,
    })
  }
  // htmx follows a 303 inside fetch and would swap the next page into the fragment's place; it is
  // told to load the page instead.
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', location)
    return c.body(null, 200)
  }
  return c.redirect(location, 303)
}

export function clearFlash(c: Ctx) {
  deleteCookie(c, FLASH_COOKIE, { path: '/', secure: c.var.deps.config.secureCookies })
}

export { FLASH_COOKIE }

export function throttled(c: Ctx, retryAfterSeconds: number) {
  c.header('Retry-After', String(retryAfterSeconds))
  return page(c, c.var.t('error.throttled.title'), <ThrottledView t={c.var.t} retryAfterSeconds={retryAfterSeconds} />, 429)
}

/**
 * The client's IP address for throttling: the header named by CLIENT_IP_HEADER when the app sits
 * behind a proxy that sets it (Cloudflare sets cf-connecting-ip), else the socket's address on Node.
 */
/**
 * The client's address, for throttles: behind proxies, the entry of the configured header that the
 * nearest trusted proxy vouches for — `trustedProxies` entries from the right of a list such as
 * X-Forwarded-For, where each proxy appends the address it saw — never the leftmost, which the
 * client writes itself. A header with fewer entries than proxies didn't pass them all: the socket
 * address (a proxy's, shared by all such requests) counts instead, which throttles more, never less.
 */
export function clientIp(c: Ctx): string {
  const { clientIpHeader: header, trustedProxies } = c.var.deps.config
  const socket = () => (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown'
  if (!header) return socket()
  const entries = (c.req.header(header) ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  return entries.length >= trustedProxies ? entries[entries.length - trustedProxies]! : socket()
}

/** A local path to return to; anything else (other hosts, protocol-relative) falls back to `/`. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  return next
}

/**
 * Work the answer need not wait for (noting when an API key was last used): on Workers it is handed
 * to waitUntil, so the isolate finishes it after the response; on Node it simply runs on. Its
 * failure is logged, never the request's.
 */
export function runInBackground(c: Context, work: () => Promise<unknown>): void {
  const running = work().catch((e: unknown) => console.error('background work failed:', e))
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined
  try {
    ctx = c.executionCtx
  } catch {
    // Node has no execution context.
  }
  ctx?.waitUntil(running)
}
