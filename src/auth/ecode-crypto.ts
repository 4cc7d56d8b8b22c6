// How e-codes are kept (SPEC §9): looked up by an HMAC of the code, which a copy of the database
// can't reverse or test guesses against without the key, and stored AES-256-GCM-encrypted so the
// issuing org can print its vouchers again. WebCrypto only (crypto.subtle): the same on Node and workerd.
import { decodeBase64IgnorePadding, decodeBase64urlIgnorePadding, decodeHex, encodeHexLowerCase } from '@oslojs/encoding'
import { normalizeECode } from '../domain/ecode'
import { openBytes, sealBytes } from './aes-gcm'

const KEY_BYTES = 32

export type ParsedKey = { ok: true; value: Uint8Array<ArrayBuffer> } | { ok: false; error: string }

/**
 * A key from configuration: 32 bytes written as 64 hex digits or as base64 / base64url (padding
 * optional). The error describes the text without repeating it, so it can go into a log.
 */
export function parseECodeKey(text: string): ParsedKey {
  const s = text.trim()
  let bytes: Uint8Array
  try {
    if (/^[0-9a-f]+$/i.test(s) && s.length % 2 === 0) bytes = decodeHex(s)
    else if (/^[A-Za-z0-9+/]+={0,2}$/.test(s)) bytes = decodeBase64IgnorePadding(s.replace(/=+$/, ''))
    else if (/^[A-Za-z0-9_-]+={0,2}$/.test(s)) bytes = decodeBase64urlIgnorePadding(s.replace(/=+$/, ''))
    else return { ok: false, error: `is neither hex nor base64 (${s.length} characters)` }
  } catch {
    return { ok: false, error: `is not valid base64 (${s.length} characters)` }
  }
  if (bytes.length !== KEY_BYTES) return { ok: false, error: `holds ${bytes.length} bytes, not ${KEY_BYTES}` }
  return { ok: true, value: new Uint8Array(bytes) }
}

// Importing a key costs more than using it: once per process and secret. The promise is cached so
// concurrent first calls share one import.
const hmacKeys = new Map<string, Promise<CryptoKey>>()
const aesKeys = new Map<string, Promise<CryptoKey>>()

function importKey(cache: Map<string, Promise<CryptoKey>>, secret: string, algorithm: HmacImportParams | AesKeyAlgorithm, usages: KeyUsage[]) {
  let key = cache.get(secret)
  if (!key) {
    const parsed = parseECodeKey(secret)
    // loadConfig refuses such keys, so reaching this is a bug.
    if (!parsed.ok) throw new Error(`e-code key ${parsed.error}`)
    key = crypto.subtle.importKey('raw', parsed.value, algorithm, false, usages)
    cache.set(secret, key)
  }
  return key
}

function requireCanonical(code: string): void {
  if (normalizeECode(code) !== code) throw new TypeError('expected an e-code in canonical form (normalizeECode)')
}

/** The value of the unique look-up column: HMAC-SHA-256 of the canonical code, 64 lowercase hex digits. */
export async function ecodeLookupHash(secret: string, normalizedCode: string): Promise<string> {
  requireCanonical(normalizedCode)
  const key = await importKey(hmacKeys, secret, { name: 'HMAC', hash: 'SHA-256' }, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(normalizedCode))
  return encodeHexLowerCase(new Uint8Array(mac))
}

/** In the shared envelope (src/auth/aes-gcm.ts): a fresh random IV every time, so equal codes never look equal. */
export async function encryptECode(secret: string, code: string): Promise<string> {
  requireCanonical(code)
  const key = await importKey(aesKeys, secret, { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt'])
  return sealBytes(key, new TextEncoder().encode(code))
}

/**
 * The code back from what encryptECode stored. Throws if the ciphertext is malformed, was altered,
 * or was sealed with another key: none of these happens in normal operation (they mean a wrong
 * ECODE_ENCRYPTION_KEY or a damaged row), so they are bugs for the error page, not results.
 */
export async function decryptECode(secret: string, ciphertext: string): Promise<string> {
  const key = await importKey(aesKeys, secret, { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt'])
  const code = new TextDecoder().decode(await openBytes(key, ciphertext, 'e-code'))
  requireCanonical(code)
  return code
}
