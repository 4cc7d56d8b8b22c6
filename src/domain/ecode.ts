// E-codes (SPEC §9): 16 symbols of Crockford's base32 — 80 random bits — shown as
// "K7QF 3XMA 9B4K 2PZD" and typed forgivingly. The canonical form, the one hashed, encrypted and
// compared, is the 16 symbols without spaces ("K7QF3XMA9B4K2PZD").
import { addLocalMonths } from './time'
import { CROCKFORD } from './licence-number'

export const ECODE_SYMBOLS = 16
const CANONICAL = new RegExp(`^[${CROCKFORD}]{${ECODE_SYMBOLS}}$`)
const RANDOM_BYTES = (ECODE_SYMBOLS * 5) / 8 // 10 bytes = 80 bits = 16 × 5 bits
/** A variant's validity when the catalog doesn't say (SPEC §4, §9). */
export const DEFAULT_ECODE_VALIDITY_MONTHS = 24

/**
 * A new e-code in canonical form. The 80 random bits are cut into 16 groups of exactly 5 bits, so
 * every symbol is one of 32 equally likely values: no modulo, no bias, no bits thrown away.
 * Never call at module top level (workerd forbids randomness outside a request).
 */
export function generateECode(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(RANDOM_BYTES))
  let code = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff // at most 4 + 8 bits are ever pending
    bits += 8
    while (bits >= 5) {
      bits -= 5
      code += CROCKFORD[(buffer >> bits) & 31]
    }
  }
  return code
}

/** "K7QF3XMA9B4K2PZD" → "K7QF 3XMA 9B4K 2PZD" (for the list, the voucher and the redemption page). */
export function formatECode(code: string): string {
  return code.match(/.{1,4}/g)?.join(' ') ?? ''
}

// What people put between groups when they type or paste a code: spaces (also non-breaking and
// zero-width ones), hyphens and the dashes word processors turn them into, dots, underscores, slashes.
const SEPARATORS = /[\s\u200B-\u200D\u2060\uFEFF\-\u2010-\u2015\u2212_.·\/]/g

/**
 * The canonical form of what someone typed, or null if it can't be an e-code: any case, with or
 * without separators, O read as 0 and I or L as 1. U (outside the alphabet) and anything that is
 * not an ASCII letter or digit are refused, as is any length other than 16 symbols.
 */
export function normalizeECode(input: string): string | null {
  const s = input.replace(SEPARATORS, '')
  // Only ASCII before uppercasing: "ß".toUpperCase() is "SS" and "ı" becomes "I".
  if (s.length !== ECODE_SYMBOLS || !/^[0-9A-Za-z]+$/.test(s)) return null
  const code = s.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
  return isCanonicalECode(code) ? code : null
}

/** Exactly what normalizeECode returns: 16 symbols of the alphabet, nothing else (one regular expression, for lists of codes). */
export function isCanonicalECode(code: string): boolean {
  return CANONICAL.test(code)
}

/**
 * When a code created at `createdAt` stops being valid: the same local wall-clock time
 * `validityMonths` calendar months later in the org's zone (addLocalMonths). A day the target month
 * lacks becomes its last day — 29 February 2028 + 12 months is 28 February 2029 — and a local time
 * skipped by a DST change moves forward by the skipped hour.
 */
export function ecodeExpiresAt(createdAt: Date, validityMonths: number, timeZone: string): Date {
  if (!Number.isInteger(validityMonths) || validityMonths < 1) throw new RangeError(`e-code validity must be a whole number of months ≥ 1, not ${validityMonths}`)
  return addLocalMonths(createdAt, validityMonths, timeZone)
}

/** A code is valid up to, not including, its expiry instant: at `expiresAt` itself it has expired. */
export function isExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime()
}
