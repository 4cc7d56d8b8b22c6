// Tenant from the URL, checked against the session (CONVENTIONS §4): /o/:slug/… resolves to the
// signed-in user's membership. Another org's slug answers 404, exactly like a missing one.
import { createMiddleware } from 'hono/factory'
import { cachedCatalog } from '../db/catalog-cache'
import { readOnlyFrom } from '../services/read-only'
import type { AppEnv } from './env'
import { page } from './http'
import { rememberOrg } from './landing'
import { ForbiddenRoleView } from '../views/errors'

export const requireMembership = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.var.user
  if (!user) return c.redirect('/login', 303)
  // The user's orgs were read with the session, the one the path names with its pending requests
  // and read-only subscriptions (src/services/request-context.ts): nothing to read here.
  const slug = c.req.param('slug') ?? ''
  const found = c.var.orgs.find((o) => o.slug === slug)
  if (!found) return c.notFound()
  const { role, pending, pendingReports, readOnlyRows, ...org } = found
  c.set('org', org)
  c.set('role', role)
  c.set('orgPending', role === 'admin' ? (pending ?? 0) : 0)
  c.set('orgPendingReports', role === 'admin' ? (pendingReports ?? 0) : 0)
  c.set('readOnly', readOnlyRows && readOnlyRows.length > 0 ? readOnlyFrom(readOnlyRows, await cachedCatalog(c.var.deps.db), org.timeZone) : null)
  // The org a sign-in returns to when the person has several (src/routes/landing.ts).
  rememberOrg(c, org.id)
  await next()
})

/** Admin-only pages and actions: a member gets 403 with a page that says who can do it. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.role !== 'admin') return page(c, c.var.t('error.adminOnly.title'), <ForbiddenRoleView t={c.var.t} />, 403)
  await next()
})
