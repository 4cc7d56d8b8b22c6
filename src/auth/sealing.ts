// Secrets at rest besides e-codes (issue 15): mail bodies that carry a link or a code, and operators'
// TOTP seeds. No new setting: each purpose gets its own AES-256-GCM key, derived from
// ECODE_ENCRYPTION_KEY by HKDF-SHA-256 under its own label, so one key does one job and a value
// sealed for one purpose never opens as another. Each value is also bound to its row (GCM's
// additional data), so a sealed value copied onto another row does not open there.
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'
import { parseECodeKey } from './ecode-crypto'
import { isSealed, openBytes, sealBytes } from './aes-gcm'

export type SealPurpose = 'mail' | 'totp'

/** HKDF's "info" per purpose; a new label (…v2) is a new key. */
const LABELS: Record<SealPurpose, string> = { mail: 'kontor/outbox-mail/v1', totp: 'kontor/totp-seed/v1' }

// Deriving costs more than using: once per process, secret and purpose, shared by concurrent first calls.
const keys = new Map<string, Promise<CryptoKey>>()

function derivedKey(secret: string, purpose: SealPurpose): Promise<CryptoKey> {
  const id = `${purpose}:${secret}`
  let key = keys.get(id)
  if (!key) {
    const parsed = parseECodeKey(secret)
    // loadConfig refuses such keys, so reaching this is a bug.
    if (!parsed.ok) throw new Error(`ECODE_ENCRYPTION_KEY ${parsed.error}`)
    key = crypto.subtle
      .importKey('raw', parsed.value, 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          // An empty salt is HKDF's default; the input is already 32 uniformly random bytes.
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(LABELS[purpose]) },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      )
    keys.set(id, key)
  }
  return key
}

/** `text` sealed for `purpose`, opening only with the same `context` (the row and field it is stored in). */
export async function sealText(secret: string, purpose: SealPurpose, text: string, context: string): Promise<string> {
  return sealBytes(await derivedKey(secret, purpose), new TextEncoder().encode(text), context)
}

/** The text back from sealText; throws (naming no value) for another key, context or altered data. */
export async function openText(secret: string, purpose: SealPurpose, sealed: string, context: string): Promise<string> {
  return new TextDecoder().decode(await openBytes(await derivedKey(secret, purpose), sealed, purpose, context))
}

/** An operator's TOTP seed as `users.totp_key` keeps it: sealed, bound to the operator. */
export async function sealTotpKey(secret: string, userId: string, key: Uint8Array): Promise<string> {
  return sealText(secret, 'totp', encodeBase64(key), `users/${userId}/totp_key`)
}

/**
 * The seed back from `users.totp_key`, or null when it does not open (ECODE_ENCRYPTION_KEY was
 * changed, or the value was moved from another operator's row): that operator's codes then fail
 * and the recovery code, kept as a hash, lets them set up the authenticator again. A seed stored
 * in clear before sealing existed (base64, no "v1.") still works until the daily purge seals it.
 */
export async function openTotpKey(secret: string, userId: string, stored: string): Promise<Uint8Array | null> {
  try {
    return decodeBase64(isSealed(stored) ? await openText(secret, 'totp', stored, `users/${userId}/totp_key`) : stored)
  } catch {
    return null
  }
}
