// Tenant from the URL, checked against the session (CONVENTIONS §4): /o/:slug/… resolves to the
// signed-in user's membership. Another org's slug answers 404, exactly like a missing one.
import { createMiddleware } from 'hono/factory'
import { findMembership } from '../services/orgs'
import { pendingRequestCount } from '../services/requests'
import { readOnlyState } from '../services/read-only'
import type { AppEnv } from './env'
import { page } from './http'
import { ForbiddenRoleView } from '../views/errors'

export const requireMembership = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.var.user
  if (!user) return c.redirect('/login', 303)
  const found = await findMembership(c.var.deps, user.id, c.req.param('slug') ?? '')
  if (!found) return c.notFound()
  c.set('org', found.org)
  c.set('role', found.role)
  c.set('orgPending', found.role === 'admin' ? await pendingRequestCount(c.var.deps, found.org.id) : 0)
  // Two small reads, one after the other (when the file database still pooled connections, issuing
  // them at once left a stale read snapshot behind; see openLocalDatabase in src/db/local.ts).
  c.set('readOnly', await readOnlyState(c.var.deps, found.org))
  await next()
})

/** Admin-only pages and actions: a member gets 403 with a page that says who can do it. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.role !== 'admin') return page(c, c.var.t('error.adminOnly.title'), <ForbiddenRoleView t={c.var.t} />, 403)
  await next()
})
