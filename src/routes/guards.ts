// Access guards: signed-in users, and operators who passed the second step.
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './env'

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) {
    if (c.var.pendingTwoFactor) return c.redirect('/login/2fa', 303)
    return c.redirect(`/login`, 303)
  }
  await next()
})

/** Operators only; everyone else gets the same 404 as a page that does not exist. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) {
    if (c.var.pendingTwoFactor) return c.redirect('/login/2fa', 303)
    return c.redirect('/login', 303)
  }
  if (!c.var.user.isOperator || !c.var.session?.twoFactorVerified) return c.notFound()
  await next()
})
