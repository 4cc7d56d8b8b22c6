// The cart (SPEC §7): what was chosen in step 1, kept in a cookie so it survives signing in,
// registering and activating (in the same browser). It holds keys and counts only — prices are
// read from the catalog at every step — and is checked again whenever it is read.
import { z } from 'zod'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CartItem } from '../services/pricing'
import type { Ctx } from './http'

export const CART_COOKIE = 'cart'
const WEEK = 7 * 24 * 3600

const key = z.string().max(100)
const n = z.number().int().min(0).max(1_000_000)
const Cart = z.object({
  item: z.union([
    z.object({ product: key, plan: key, period: n, addons: z.record(key, n) }),
    z.object({ product: key, variant: key, quantity: n }),
  ]),
  /** The buying org's slug, once chosen in step 3. */
  org: z.string().max(200).optional(),
})
export type Cart = { item: CartItem; org?: string }

export function readCart(c: Ctx): Cart | null {
  const raw = getCookie(c, CART_COOKIE)
  if (!raw) return null
  try {
    const r = Cart.safeParse(JSON.parse(decodeURIComponent(raw)))
    return r.success ? r.data : null
  } catch {
    return null
  }
}

export function writeCart(c: Ctx, cart: Cart) {
  setCookie(c, CART_COOKIE, encodeURIComponent(JSON.stringify(cart)), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.config.secureCookies,
    maxAge: WEEK,
  })
}

export function clearCart(c: Ctx) {
  deleteCookie(c, CART_COOKIE, { path: '/', secure: c.var.deps.config.secureCookies })
}
