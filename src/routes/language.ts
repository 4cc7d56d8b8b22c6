// The language switcher on every page: remembered in a cookie, and on the account when signed in.
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { LanguageForm } from '../forms/account'
import { parseForm } from '../forms/validate'
import { updateLanguage } from '../services/profile'
import { DAY } from '../clock'
import type { AppEnv } from './env'
import { safeNext } from './http'

export const languageRoutes = new Hono<AppEnv>()
const LANG_COOKIE = 'lang'

languageRoutes.post('/language', async (c) => {
  const r = await parseForm(c, LanguageForm)
  if (!r.ok) return c.text(c.var.t('field.language.invalid'), 422)
  const { language, next } = r.data
  setCookie(c, LANG_COOKIE, language, {
    path: '/',
    sameSite: 'Lax',
    secure: c.var.deps.config.secureCookies,
    httpOnly: true,
    maxAge: (365 * DAY) / 1000,
  })
  if (c.var.user) await updateLanguage(c.var.deps, c.var.user.id, language)
  return c.redirect(safeNext(next), 303)
})
