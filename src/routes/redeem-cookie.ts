// The e-code being redeemed (SPEC §9), kept in a cookie like the cart so that it survives signing
// in, registering and activating, and adding an organization (in the same browser). It holds the
// canonical code only and is checked again whenever it is read.
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { normalizeECode } from '../domain/ecode'
import type { Ctx } from './http'

export const REDEEM_COOKIE = 'redeem'
const WEEK = 7 * 24 * 3600

/** The canonical code waiting to be redeemed, or null. */
export function readRedeem(c: Ctx): string | null {
  const raw = getCookie(c, REDEEM_COOKIE)
  return raw && normalizeECode(raw) === raw ? raw : null
}

export function writeRedeem(c: Ctx, code: string) {
  setCookie(c, REDEEM_COOKIE, code, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.config.secureCookies,
    maxAge: WEEK,
  })
}

export function clearRedeem(c: Ctx) {
  deleteCookie(c, REDEEM_COOKIE, { path: '/', secure: c.var.deps.config.secureCookies })
}

/** Where to continue after signing in or adding an org: the redemption page, if a code waits. */
export function redeemPath(c: Ctx): string | null {
  const code = readRedeem(c)
  return code ? `/r/${code}` : null
}
