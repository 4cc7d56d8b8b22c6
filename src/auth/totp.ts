// Time-based one-time passwords for operators (RFC 6238: 30 s steps, 6 digits), checked against the
// injected clock so tests and simulated time work. One step of drift either way is accepted; each
// step once (src/services/signin.ts).
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp'
import { decodeBase64, encodeBase32UpperCaseNoPadding, encodeBase64 } from '@oslojs/encoding'

const STEP_SECONDS = 30
const DIGITS = 6

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(20)
  crypto.getRandomValues(key)
  return key
}

export const encodeKey = (key: Uint8Array) => encodeBase64(key)
export const decodeKey = (text: string) => decodeBase64(text)
/** The key as authenticator apps show it for typing by hand. */
export const displayKey = (key: Uint8Array) => encodeBase32UpperCaseNoPadding(key).replace(/(.{4})/g, '$1 ').trim()

export function totpUri(issuer: string, account: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, account, key, STEP_SECONDS, DIGITS)
}

export function totpAt(key: Uint8Array, now: Date): string {
  return generateHOTP(key, BigInt(Math.floor(now.getTime() / 1000 / STEP_SECONDS)), DIGITS)
}

/**
 * The time step whose code `code` is (one step of drift either way), or null. The caller accepts a
 * step only if it is later than the last one it accepted, so a code works once (ASVS 6.5.1).
 */
export function verifyTotp(key: Uint8Array, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const counter = Math.floor(now.getTime() / 1000 / STEP_SECONDS)
  let match: number | null = null
  // Compare every candidate so the time taken does not depend on which step matched.
  for (const c of [counter - 1, counter, counter + 1]) {
    if (generateHOTP(key, BigInt(c), DIGITS) === code) match = c
  }
  return match
}
