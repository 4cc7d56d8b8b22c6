// The read-only guard (SPEC §8): while an org is read-only, every change is refused here, before any
// handler runs — mounted once for everything under /o/:slug (app.tsx) and once for the vendor API
// (api.ts) — so a route added later is covered without a check of its own.
// test/routes/read-only.test.ts walks every registered route to prove it.
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { allowedWhileReadOnly, API_ALLOWED, SAFE_METHODS, TENANT_ALLOWED, tenantPath } from '../domain/read-only'
import { lapsedProducts, readOnlyFrom, type ReadOnly } from '../services/read-only'
import type { ApiCaller } from '../services/api-keys'
import { cachedCatalog } from '../db/catalog-cache'
import { ReadOnlyRefusedView } from '../views/read-only'
import type { AppEnv } from './env'
import { page } from './http'

/** Under /o/:slug, behind requireMembership (which loads `readOnly`): a change gets the 423 page. */
export const readOnlyGuard = createMiddleware<AppEnv>(async (c, next) => {
  const r = c.var.readOnly
  if (!r || allowedWhileReadOnly(TENANT_ALLOWED, c.req.method, tenantPath(c.req.path) ?? '', lapsedProducts(r))) return next()
  return page(c, c.var.t('readOnly.refused.title'), <ReadOnlyRefusedView t={c.var.t} productName={r.product.name} />, 423)
})

/** Under /api/v1, after the API key check: a write answers 423 problem+json with the dates. */
export const apiReadOnlyGuard = createMiddleware<{ Variables: AppEnv['Variables'] & { apiCaller: ApiCaller } }>(async (c, next) => {
  const caller = c.var.apiCaller as ApiCaller | undefined
  const method = c.req.method
  // No key: a route without one (the OpenAPI document) or none at all; those answer for themselves.
  if (!caller || SAFE_METHODS.includes(method)) return next()
  const path = c.req.path.replace(/^\/api\/v1/, '')
  // The read-only subscriptions came with the key's statement (src/services/api-keys.ts).
  const r = caller.readOnlyRows.length > 0 ? readOnlyFrom(caller.readOnlyRows, await cachedCatalog(c.var.deps.db), caller.org.timeZone) : null
  if (!r || allowedWhileReadOnly(API_ALLOWED, method, path, lapsedProducts(r))) return next()
  return apiReadOnlyProblem(c, r)
})

/** The vendor API's 423: which product's lapse made the org read-only, and the dates. */
export function apiReadOnlyProblem(c: Context, r: ReadOnly): Response {
  const body = {
    type: 'https://kontor.dev/problems/read_only',
    title: `The org is read-only since ${r.product.key} lapsed: nothing can be changed until it is renewed or switched to the free plan.`,
    status: 423,
    product: r.product.key,
    lapsed_at: r.lapsedAt.toISOString(),
    deletes_at: r.deletesAt.toISOString(),
  }
  return c.json(body, 423, { 'Content-Type': 'application/problem+json' })
}
