// The read-only guard (SPEC §8): while an org is read-only, every change is refused here, before any
// handler runs — mounted once for everything under /o/:slug (app.tsx) and once for the vendor API
// (api.ts) — so a route added later is covered without a check of its own.
// test/routes/read-only.test.ts walks every registered route to prove it.
import { createMiddleware } from 'hono/factory'
import type { Org } from '../services/orgs'
import { readOnlyState, type ReadOnly } from '../services/read-only'
import { ReadOnlyRefusedView } from '../views/read-only'
import type { AppEnv } from './env'
import { page } from './http'

/** Reading changes nothing: pages, exports and downloads keep working. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS']

type Allowed = { method: string; path: RegExp; when?: (match: RegExpExecArray, r: ReadOnly) => boolean }

/**
 * The only changes a read-only org may make, as paths below /o/:slug. Buying a paid plan needs no
 * entry: the checkout lives at /buy and /checkout, outside /o/:slug, and takes any org.
 */
export const TENANT_ALLOWED: Allowed[] = [
  // One way out: the lapsed product's free plan, now (the handler refuses "at the period end").
  { method: 'POST', path: /^\/products\/([^/]+)\/plan\/free-switch$/, when: (m, r) => r.lapses.some((l) => l.product.key === m[1]) },
  // The other way out: paying an order from its page (the plan bought at checkout, a renewal order).
  { method: 'POST', path: /^\/orders\/[^/]+\/payments$/ },
  // A download, not a change: the ticked codes' vouchers as one PDF (POST only because it names many codes).
  { method: 'POST', path: /^\/ecodes\/vouchers$/ },
  // A person's own affairs, not the org's: leaving it (the last administrator still can't) ...
  { method: 'POST', path: /^\/membership\/removal$/ },
  // ... and withdrawing a saved card or PayPal account, which nothing may charge once it is gone.
  { method: 'POST', path: /^\/payment-methods\/[^/]+\/removal$/ },
]

/** The vendor API's writes a read-only org may still make, as paths below /api/v1. */
export const API_ALLOWED: Allowed[] = [
  // A question, not a change: whether a licence number is valid (a body keeps the number out of URLs).
  { method: 'POST', path: /^\/licences\/validate$/ },
]

function allowed(list: Allowed[], method: string, path: string, r: ReadOnly): boolean {
  return list.some((a) => {
    if (a.method !== method) return false
    const m = a.path.exec(path)
    return m !== null && (!a.when || a.when(m, r))
  })
}

/** Under /o/:slug, behind requireMembership (which loads `readOnly`): a change gets the 423 page. */
export const readOnlyGuard = createMiddleware<AppEnv>(async (c, next) => {
  const r = c.var.readOnly
  const method = c.req.method
  if (!r || SAFE_METHODS.includes(method) || allowed(TENANT_ALLOWED, method, c.req.path.replace(/^\/o\/[^/]+/, ''), r)) return next()
  return page(c, c.var.t('readOnly.refused.title'), <ReadOnlyRefusedView t={c.var.t} productName={r.product.name} />, 423)
})

/** Under /api/v1, after the API key check: a write answers 423 problem+json with the dates. */
export const apiReadOnlyGuard = createMiddleware<{ Variables: AppEnv['Variables'] & { apiOrg: Org } }>(async (c, next) => {
  const org = c.var.apiOrg as Org | undefined
  const method = c.req.method
  // No org: a route without a key (the OpenAPI document) or none at all; those answer for themselves.
  if (!org || SAFE_METHODS.includes(method)) return next()
  const path = c.req.path.replace(/^\/api\/v1/, '')
  const r = await readOnlyState(c.var.deps, org)
  if (!r || allowed(API_ALLOWED, method, path, r)) return next()
  const body = {
    type: 'https://kontor.dev/problems/read_only',
    title: `The org is read-only since ${r.product.key} lapsed: nothing can be changed until it is renewed or switched to the free plan.`,
    status: 423,
    product: r.product.key,
    lapsed_at: r.lapsedAt.toISOString(),
    deletes_at: r.deletesAt.toISOString(),
  }
  return c.json(body, 423, { 'Content-Type': 'application/problem+json' })
})
