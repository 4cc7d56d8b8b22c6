// Password hashing with scrypt (@noble/hashes; runs on Node and in workerd, unlike WASM hashers).
// Hashes are self-describing — `$scrypt$ln=14,r=8,p=1$<salt>$<hash>` — so the cost can be raised later
// and old hashes still verify.
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'
import { constantTimeEqual } from './tokens'

const CURRENT = { ln: 14, r: 8, p: 1 }
const KEY_LENGTH = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(16)
  crypto.getRandomValues(salt)
  const hash = await derive(password, salt, CURRENT)
  return `$scrypt$ln=${CURRENT.ln},r=${CURRENT.r},p=${CURRENT.p}$${encodeBase64(salt)}$${encodeBase64(hash)}`
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed) return false
  const hash = await derive(password, parsed.salt, parsed.params)
  return constantTimeEqual(hash, parsed.hash)
}

/** Whether a hash was made with weaker parameters than today's (re-hash at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored)
  return !parsed || parsed.params.ln < CURRENT.ln || parsed.params.r < CURRENT.r
}

/**
 * A valid hash of no one's password. Verifying against it when the e-mail is unknown costs the same
 * time as a real check, so the answer's timing does not tell whether an account exists.
 */
export const DUMMY_HASH =
  '$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(43) + '='

type Params = { ln: number; r: number; p: number }

export type ScryptOptions = { N: number; r: number; p: number; dkLen: number; maxmem: number }
/** scrypt over the UTF-8 bytes of the password; every implementation gives the same key. */
export type Scrypt = (password: string, salt: Uint8Array, options: ScryptOptions) => Promise<Uint8Array>

// @noble/hashes runs everywhere (workerd included) but on the calling thread: a sign-in blocks
// every other request for its ~100 ms. The Node entry swaps in node:crypto's, which runs on
// libuv's thread pool (src/auth/password-node.ts); the hashes are identical.
let scrypt: Scrypt = (password, salt, options) => scryptAsync(password, salt, options)

export function useScrypt(implementation: Scrypt) {
  scrypt = implementation
}

function derive(password: string, salt: Uint8Array, { ln, r, p }: Params): Promise<Uint8Array> {
  return scrypt(password.normalize('NFKC'), salt, { N: 2 ** ln, r, p, dkLen: KEY_LENGTH, maxmem: 2 ** 28 })
}

function parse(stored: string): { params: Params; salt: Uint8Array; hash: Uint8Array } | null {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored)
  if (!m) return null
  try {
    return {
      params: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
      salt: decodeBase64(m[4]!),
      hash: decodeBase64(m[5]!),
    }
  } catch {
    return null
  }
}
