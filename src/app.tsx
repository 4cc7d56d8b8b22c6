// createApp(deps): the whole web app, independent of the runtime. Middleware order matters:
// request id → log line → headers → body limit → CSRF → session → language → flash → form body → routes.
// The vendor API (/api/v1) takes no cookies and answers only JSON: the forms' body limit, CSRF check,
// session, language and flash pass it by; it has its own limit and errors (src/routes/api-problems.ts).
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { routePath } from 'hono/route'
import { secureHeaders } from 'hono/secure-headers'
import type { Deps } from './deps'
import { errorText, loggerOf } from './log'
import { countRequest, DbCounter } from './db/counting'
import { readSessionCookie, deleteSessionCookie } from './auth/cookie'
import { HashingBusy } from './auth/hash-gate'
import { isLanguage, isMessageKey, languageFromHeader, translator } from './i18n'
import type { AppEnv } from './routes/env'
import { clearFlash, FLASH_COOKIE, page, throttled } from './routes/http'
import { ForbiddenView, NotFoundView, ServerErrorView, TooLargeView } from './views/errors'
import { authRoutes } from './routes/auth'
import { checkoutRoutes } from './routes/checkout'
import { payTestRoutes } from './routes/pay-test'
import { orderPages } from './routes/orders'
import { warehousePages } from './routes/warehouse'
import { ecodePages } from './routes/ecodes'
import { accountRoutes } from './routes/account'
import { opsRoutes } from './routes/ops'
import { requestPages } from './routes/requests'
import { devMailRoutes } from './routes/devmail'
import { languageRoutes } from './routes/language'
import { orgPages, orgsRoutes } from './routes/orgs'
import { memberPages } from './routes/members'
import { historyPages } from './routes/history'
import { api } from './routes/api'
import { apiError, isApiPath } from './routes/api-problems'
import { apiKeyPages } from './routes/api-keys'
import { planPages } from './routes/plans'
import { STATEMENT_UPLOAD_PATH, statementPages } from './routes/statements'
import { requireMembership } from './routes/tenant'
import { readOnlyGuard } from './routes/read-only'
import { webhookRoutes } from './routes/webhooks'
import { einvoiceWebhookRoutes } from './routes/einvoice-webhooks'
import { enterCode, redeemRoutes } from './routes/redeem'
import { readRequestContext } from './services/request-context'
import { revalidatePages } from './routes/revalidate'
import { readableForm } from './routes/form-body'
import { landingPath, readLastOrg } from './routes/landing'

export const LANG_COOKIE = 'lang'
/** Forms carry a few fields; uploads get their own, larger limit on their route. */
const FORM_BODY_LIMIT = 64 * 1024
const OWN_BODY = /^\/(api|webhooks)\//

const strictHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // Only an empty style attribute (its hash): browsers' autofill leaves style="" on inputs and
    // htmx copies it to the element it swaps in; any real inline style stays forbidden.
    styleSrcAttr: ["'unsafe-hashes'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    frameSrc: ["'self'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  strictTransportSecurity: 'max-age=63072000; includeSubDomains',
  referrerPolicy: 'same-origin',
  xFrameOptions: 'DENY',
})

/** The HTML part of a mail on /dev/mail: framed by that page, styled inline as mail is, sandboxed. */
const MAIL_FRAME = /^\/dev\/mail\/[^/]+\/html$/
const mailFrameHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ['data:'],
    frameAncestors: ["'self'"],
    // A click on a link may open it in the whole tab (src/routes/devmail.tsx); nothing else: no scripts, forms or popups.
    sandbox: ['allow-top-navigation-by-user-activation'],
  },
  xFrameOptions: 'SAMEORIGIN',
})

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>()
  const origin = new URL(deps.config.baseUrl).origin

  // Hono's `c.var` is a getter that copies every variable into a new object at each read
  // (Object.fromEntries), and a page reads it dozens of times (about 0.1 ms of a page's CPU): each
  // request's `c.var` becomes a view that looks up the one variable asked for.
  app.use((c, next) => {
    Object.defineProperty(c, 'var', { value: new Proxy({}, { get: (_, key) => c.get(key as never) }) })
    return next()
  })
  app.use(requestId())
  // One log line per request (src/log.ts), with the id the error page shows. The route is the
  // pattern of the endpoint asked for ("/o/:slug/settings/users", the last route matched; "/*" when
  // none did), never the path: ids and tokens stay out of the logs.
  // The database calls the request made are counted for it (src/db/counting.ts): statements, round
  // trips, and the longest chain of round trips that waited for one another.
  app.use(async (c, next) => {
    const started = performance.now()
    const db = new DbCounter()
    await countRequest(db, next)
    const error = c.get('error')
    loggerOf(deps)({
      type: 'request',
      id: c.var.requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      statements: db.statements,
      roundTrips: db.roundTrips,
      chain: db.chain,
      ...(error === undefined ? {} : { level: 'error', error: errorText(error) }),
    })
  })
  app.use(async (c, next) => {
    c.set('deps', deps)
    c.set('testClock', false)
    c.set('user', null)
    c.set('session', null)
    c.set('pendingTwoFactor', null)
    c.set('flash', null)
    c.set('orgs', [])
    c.set('userSessions', null)
    c.set('opsOrg', null)
    const lang = languageFromHeader(c.req.header('Accept-Language')) ?? 'en'
    c.set('lang', lang)
    c.set('t', translator(lang))
    // The real clock until the request's first batch (below) has read the test clock, if any.
    c.set('now', deps.clock.now())
    await next()
  })
  app.use((c, next) => (MAIL_FRAME.test(c.req.path) ? mailFrameHeaders(c, next) : strictHeaders(c, next)))
  app.use(revalidatePages)
  const formBodyLimit = bodyLimit({
    maxSize: FORM_BODY_LIMIT,
    onError: (c) => page(c as never, c.var.t('error.tooLarge.title'), <TooLargeView t={c.var.t} />, 413),
  })
  // The statement upload has its own, larger limit, applied after its membership check.
  app.use((c, next) => (isApiPath(c.req.path) || (c.req.method === 'POST' && STATEMENT_UPLOAD_PATH.test(c.req.path)) ? next() : formBodyLimit(c, next)))
  // Same-origin check on every form post (Origin or Sec-Fetch-Site), for the configured public
  // address as well as the address the request arrived at. The API is called with a bearer key,
  // which a browser never adds by itself: a cross-site request cannot borrow it.
  const formCsrf = csrf({ origin: (o, c) => o === origin || o === new URL(c.req.url).origin })
  app.use((c, next) => (isApiPath(c.req.path) ? next() : formCsrf(c, next)))

  app.use(async (c, next) => {
    const api = isApiPath(c.req.path)
    const token = api ? undefined : readSessionCookie(c, deps.config)
    // One round trip: the app's time, the session, the user's orgs and what the page needs first
    // (src/services/request-context.ts).
    const context = await readRequestContext(deps, { token, path: c.req.path, real: c.var.now })
    c.set('now', context.now)
    c.set('testClock', context.testClock)
    const valid = context.session
    if (token && !valid) deleteSessionCookie(c, deps.config)
    if (token && valid) {
      if (valid.user.isOperator && !valid.session.twoFactorVerified) c.set('pendingTwoFactor', valid)
      else {
        c.set('user', valid.user)
        c.set('session', valid.session)
        c.set('orgs', context.orgs)
        c.set('userSessions', context.userSessions)
        c.set('opsOrg', context.opsOrg)
      }
    }
    if (api) return next()
    const chosen = c.var.user?.language ?? getCookie(c, LANG_COOKIE)
    if (isLanguage(chosen) && chosen !== c.var.lang) {
      c.set('lang', chosen)
      c.set('t', translator(chosen))
    }
    const flash = getCookie(c, FLASH_COOKIE)
    if (flash) {
      clearFlash(c)
      try {
        const parsed = JSON.parse(decodeURIComponent(flash)) as { key?: unknown; params?: Record<string, string | number> }
        if (isMessageKey(parsed.key)) c.set('flash', { key: parsed.key, params: parsed.params })
      } catch {
        // a mangled flash cookie is simply ignored
      }
    }
    await next()
  })
  // A form body that can't be read is a 400 page (src/routes/form-body.tsx). The statement upload
  // is read on its route, after its own limit; the vendor API and Stripe's webhook read their own.
  app.use((c, next) => (OWN_BODY.test(c.req.path) || (c.req.method === 'POST' && STATEMENT_UPLOAD_PATH.test(c.req.path)) ? next() : readableForm(c, next)))

  // Home: where sign-in lands (src/routes/landing.ts); visitors sign in.
  app.get('/', (c) => {
    if (!c.var.user) return c.redirect('/login', 303)
    return c.redirect(landingPath(c.var.orgs, readLastOrg(c), { operator: c.var.user.isOperator }), 303)
  })
  app.route('/', authRoutes)
  app.route('/', checkoutRoutes)
  app.route('/pay/test', payTestRoutes)
  app.route('/', languageRoutes)
  app.route('/account', accountRoutes)
  app.route('/api/v1', api)
  app.route('/orgs', orgsRoutes)
  app.route('/r', redeemRoutes)
  // The sub-app's '/' is /r alone; /r/ (a link or a typed address cut before the code) gets the same page.
  app.get('/r/', enterCode)
  // Everything under /o/:slug is the tenant's: membership is checked once, here, and a read-only
  // org's changes are refused once, right after it (SPEC §8).
  app.route('/o/:slug', new Hono<AppEnv>().use(requireMembership).use(readOnlyGuard).route('/', orgPages).route('/', memberPages).route('/', historyPages).route('/', apiKeyPages).route('/', statementPages).route('/', requestPages).route('/', planPages).route('/', orderPages).route('/', warehousePages).route('/', ecodePages))
  app.route('/ops', opsRoutes)
  // Stripe's deliveries: no session, no CSRF form, verified by signature.
  app.route('/webhooks', webhookRoutes)
  app.route('/webhooks', einvoiceWebhookRoutes)
  if (deps.config.environment !== 'production') app.route('/dev/mail', devMailRoutes)

  app.notFound((c) => page(c, c.var.t('error.notFound.title'), <NotFoundView t={c.var.t} />, 404))
  app.onError((err, c) => {
    if (isApiPath(c.req.path)) return apiError(err, c)
    // Too many password hashes at once in this process (src/auth/hash-gate.ts): not a fault, a busy moment.
    if (err instanceof HashingBusy) return throttled(c, err.retryAfterSeconds)
    if (err instanceof HTTPException && err.status === 403) {
      return page(c, c.var.t('error.forbidden.title'), <ForbiddenView t={c.var.t} />, 403)
    }
    if (err instanceof HTTPException && err.status < 500) {
      return page(c, c.var.t('error.notFound.title'), <NotFoundView t={c.var.t} />, err.status)
    }
    // The request's log line carries the error, under the id the page shows.
    c.set('error', err)
    const id = c.var.requestId ?? 'unknown'
    return page(c, c.var.t('error.server.title'), <ServerErrorView t={c.var.t} requestId={id} />, 500)
  })
  return app
}
