// The session cookie: `__Host-` prefixed, HttpOnly, Secure, SameSite=Lax, Path=/. On plain-http
// localhost browsers refuse Secure cookies, so there (and only there) it drops Secure and the prefix.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Config } from '../config'
import type { Session } from './session'

export function sessionCookieName(config: Config): string {
  return config.secureCookies ? '__Host-kontor_session' : 'kontor_session'
}

export function readSessionCookie(c: Context, config: Config): string | undefined {
  return getCookie(c, sessionCookieName(config))
}

export function setSessionCookie(c: Context, config: Config, token: string, session: Session): void {
  setCookie(c, sessionCookieName(config), token, {
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'Lax',
    path: '/',
    // Without "remember me" the cookie lives until the browser closes (the server ends the session after 12 h idle or 24 h, src/auth/session.ts).
    ...(session.remember ? { expires: session.expiresAt } : {}),
  })
}

export function deleteSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, sessionCookieName(config), { path: '/', secure: config.secureCookies, httpOnly: true, sameSite: 'Lax' })
}
