// The one envelope Kontor stores secrets in (e-codes, mail bodies, TOTP seeds): "v1." +
// base64url(IV ‖ AES-256-GCM ciphertext ‖ tag). Sealed with WebCrypto, the same on Node and workerd;
// opened with node:crypto's synchronous AES-GCM where the runtime has it (see openSync).
import { createDecipheriv, KeyObject } from 'node:crypto'
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
  const bytes = fromBase64url(sealed.slice(SEALED_VERSION.length))
  if (!bytes) throw new Error(`${what} ciphertext is not base64url`)
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`${what} ciphertext is too short`)
  const params: AesGcmParams = { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), ...(context === undefined ? {} : { additionalData: new TextEncoder().encode(context) }) }
  const opened = openSync(key, bytes, context)
  if (opened) return opened
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, bytes.subarray(IV_BYTES)))
  } catch {
    throw new Error(`${what} ciphertext failed authentication: another key (ECODE_ENCRYPTION_KEY) or altered data`)
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

/**
 * Decoded by Buffer where the runtime has one (Node; workerd with nodejs_compat), natively: the
 * JavaScript decoder took about 3 µs of the list page's CPU per code. Null if it is not base64url.
 */
function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null
  if (typeof Buffer === 'undefined') return new Uint8Array(decodeBase64urlIgnorePadding(text))
  const b = Buffer.from(text, 'base64url')
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength)
}

/**
 * openBytes without a promise, where node:crypto can and the value authenticates: null otherwise
 * (the caller then awaits openBytes, which decides and words any failure). For lists: fifty codes
 * opened without fifty promises.
 */
export function openBytesSync(key: CryptoKey, sealed: string, context?: string): Uint8Array | null {
  if (!isSealed(sealed)) return null
  const bytes = fromBase64url(sealed.slice(SEALED_VERSION.length))
  if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) return null
  return openSync(key, bytes, context)
}

/** The key as node:crypto takes it, made once per CryptoKey. */
const nodeKeys = new WeakMap<CryptoKey, KeyObject>()
/** Cleared at the first failure that is not the data's: the runtime has no usable node:crypto AES-GCM. */
let syncAvailable = true

/**
 * The same opening done synchronously by node:crypto: WebCrypto's decrypt is a promise and a hop to
 * another thread per value, about 40 µs of CPU each, and the e-code list opens 50 codes a page.
 * Null (WebCrypto then decides, and words any failure) when this runtime can't, or when the data
 * does not authenticate: only a value GCM authenticated is ever returned.
 */
function openSync(key: CryptoKey, bytes: Uint8Array, context: string | undefined): Uint8Array | null {
  if (!syncAvailable) return null
  let nodeKey = nodeKeys.get(key)
  try {
    if (!nodeKey) nodeKeys.set(key, (nodeKey = KeyObject.from(key)))
  } catch {
    syncAvailable = false
    return null
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', nodeKey, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
    if (context !== undefined) decipher.setAAD(new TextEncoder().encode(context))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    const head = decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES))
    const tail = decipher.final()
    return tail.length === 0 ? new Uint8Array(head.buffer, head.byteOffset, head.byteLength) : new Uint8Array(Buffer.concat([head, tail]))
  } catch {
    return null
  }
}
