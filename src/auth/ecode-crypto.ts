// How e-codes are kept (SPEC §9): looked up by an HMAC of the code, which a copy of the database
// can't reverse or test guesses against without the key, and stored AES-256-GCM-encrypted so the
// issuing org can print its vouchers again. WebCrypto (crypto.subtle), the same on Node and workerd; the
// look-up hash is computed by node:crypto's synchronous HMAC where the runtime has it (lookupHashSync).
import { createHmac } from 'node:crypto'
import { decodeBase64IgnorePadding, decodeBase64urlIgnorePadding, decodeHex, encodeHexLowerCase } from '@oslojs/encoding'
import { isCanonicalECode } from '../domain/ecode'
import { openBytes, openBytesSync, sealBytes } from './aes-gcm'

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

/** The AES keys once imported, for the synchronous opening (decryptECodeSync). */
const importedAesKeys = new Map<string, CryptoKey>()

function importKey(cache: Map<string, Promise<CryptoKey>>, secret: string, algorithm: HmacImportParams | AesKeyAlgorithm, usages: KeyUsage[]) {
  let key = cache.get(secret)
  if (!key) {
    const parsed = parseECodeKey(secret)
    // loadConfig refuses such keys, so reaching this is a bug.
    if (!parsed.ok) throw new Error(`e-code key ${parsed.error}`)
    key = crypto.subtle.importKey('raw', parsed.value, algorithm, false, usages)
    if (cache === aesKeys) void key.then((k) => importedAesKeys.set(secret, k), () => {})
    cache.set(secret, key)
  }
  return key
}

function requireCanonical(code: string): void {
  if (!isCanonicalECode(code)) throw new TypeError('expected an e-code in canonical form (normalizeECode)')
}

const utf8 = new TextDecoder()
const rawKeys = new Map<string, Uint8Array>()
/** Cleared at the first failure: this runtime has no usable node:crypto HMAC. */
let syncHmac = true

/**
 * The hash by node:crypto, in this call: WebCrypto's sign is a promise and a job on another thread,
 * which cost more CPU than the rest of the look-up on Node. Null where the runtime can't.
 */
function lookupHashSync(secret: string, code: string): string | null {
  if (!syncHmac) return null
  let key = rawKeys.get(secret)
  if (!key) {
    const parsed = parseECodeKey(secret)
    if (!parsed.ok) return null
    rawKeys.set(secret, (key = parsed.value))
  }
  try {
    return createHmac('sha256', key).update(code).digest('hex')
  } catch {
    syncHmac = false
    return null
  }
}

/** The value of the unique look-up column: HMAC-SHA-256 of the canonical code, 64 lowercase hex digits. */
export async function ecodeLookupHash(secret: string, normalizedCode: string): Promise<string> {
  requireCanonical(normalizedCode)
  return lookupHashSync(secret, normalizedCode) ?? webCryptoLookupHash(secret, normalizedCode)
}

/** The same hash by WebCrypto, for a runtime without node:crypto (exported for its test). */
export async function webCryptoLookupHash(secret: string, normalizedCode: string): Promise<string> {
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
 * decryptECode in the call, where it can be (node:crypto, the key already imported, the value
 * authentic and canonical); null otherwise, and decryptECode then decides and words any failure.
 */
export function decryptECodeSync(secret: string, ciphertext: string): string | null {
  const key = importedAesKeys.get(secret)
  const bytes = key ? openBytesSync(key, ciphertext) : null
  if (!bytes) return null
  const code = utf8.decode(bytes)
  return isCanonicalECode(code) ? code : null
}

/**
 * The code back from what encryptECode stored. Throws if the ciphertext is malformed, was altered,
 * or was sealed with another key: none of these happens in normal operation (they mean a wrong
 * ECODE_ENCRYPTION_KEY or a damaged row), so they are bugs for the error page, not results.
 */
export async function decryptECode(secret: string, ciphertext: string): Promise<string> {
  const key = await importKey(aesKeys, secret, { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt'])
  const code = utf8.decode(await openBytes(key, ciphertext, 'e-code'))
  requireCanonical(code)
  return code
}
