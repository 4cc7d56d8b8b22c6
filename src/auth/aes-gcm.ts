// The one envelope Kontor stores secrets in (e-codes, mail bodies, TOTP seeds): "v1." +
// base64url(IV ‖ AES-256-GCM ciphertext ‖ tag). WebCrypto only, the same on Node and workerd.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'

const IV_BYTES = 12 // 96 bits, the size GCM is built for
const TAG_BYTES = 16
/** Format and key generation of a ciphertext; a new key (or algorithm) gets 'v2.' and old rows still say which they need. */
export const SEALED_VERSION = 'v1.'

/** Whether a stored value is in the envelope (rather than, say, a value stored in clear before sealing). */
export const isSealed = (stored: string) => stored.startsWith(SEALED_VERSION)

/**
 * A fresh random IV every time, so equal values never look equal. `context` (GCM's additional
 * data) binds the ciphertext to where it belongs: it opens only with the same context.
 */
export async function sealBytes(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, context?: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const params: AesGcmParams = { name: 'AES-GCM', iv, ...(context === undefined ? {} : { additionalData: new TextEncoder().encode(context) }) }
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, plain))
  const out = new Uint8Array(IV_BYTES + sealed.length)
  out.set(iv)
  out.set(sealed, IV_BYTES)
  return SEALED_VERSION + encodeBase64urlNoPadding(out)
}

/**
 * The bytes back from sealBytes. Throws, naming `what` but never the value, if the envelope is
 * malformed, was altered, belongs to another context, or was sealed under another key.
 */
export async function openBytes(key: CryptoKey, sealed: string, what: string, context?: string): Promise<Uint8Array> {
  if (!isSealed(sealed)) throw new Error(`${what} ciphertext has an unknown version "${sealed.slice(0, 3)}"`)
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(decodeBase64urlIgnorePadding(sealed.slice(SEALED_VERSION.length)))
  } catch {
    throw new Error(`${what} ciphertext is not base64url`)
  }
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`${what} ciphertext is too short`)
  const params: AesGcmParams = { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), ...(context === undefined ? {} : { additionalData: new TextEncoder().encode(context) }) }
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, bytes.subarray(IV_BYTES)))
  } catch {
    throw new Error(`${what} ciphertext failed authentication: another key (ECODE_ENCRYPTION_KEY) or altered data`)
  }
}
