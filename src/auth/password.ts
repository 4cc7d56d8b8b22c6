// Password hashing with scrypt from node:crypto: native code in both runtimes (Node runs it on libuv's
// thread pool; workerd, with nodejs_compat, on the isolate's thread). Hashes are self-describing —
// `$scrypt$ln=16,r=8,p=2$<salt>$<hash>` — so the cost can change and old hashes still verify; a hash
// made at other parameters than today's is re-made at the next sign-in (needsRehash).
import { scrypt } from 'node:crypto'
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'
import { constantTimeEqual } from './tokens'
import { Gate, HASHING } from './hash-gate'

/** scrypt's parameters: N = 2^ln, block size r, parallelisation p. */
export type PasswordCost = { ln: number; r: number; p: number }

/**
 * OWASP's scrypt settings (Password Storage Cheat Sheet) in the variant with N=2^16, r=8, p=2: the
 * same work as N=2^17, r=8, p=1 in half the memory — 64 MiB instead of 128 MiB, which alone would
 * fill a Worker isolate's 128 MB (docs/operations.md, "Password hashing on Workers").
 */
export const PASSWORD_COST: PasswordCost = { ln: 16, r: 8, p: 2 }

/**
 * Tests only (KONTOR_ENV=test, src/config.ts): a cheap cost, so the hundreds of sign-ins the tests
 * make take a millisecond each rather than a third of a second. Never used otherwise.
 */
export const TEST_PASSWORD_COST: PasswordCost = { ln: 10, r: 8, p: 1 }

const KEY_LENGTH = 32

export async function hashPassword(password: string, cost: PasswordCost): Promise<string> {
  const salt = new Uint8Array(16)
  crypto.getRandomValues(salt)
  return format(cost, salt, await derive(password, salt, cost))
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed) return false
  const hash = await derive(password, parsed.salt, parsed.cost)
  return constantTimeEqual(hash, parsed.hash)
}

/**
 * Whether a hash was made at other parameters than `cost` (re-hash at the next sign-in): weaker
 * ones, and equally strong ones that need more memory (N=2^17, p=1) — the settings in use are the
 * ones production can afford.
 */
export function needsRehash(stored: string, cost: PasswordCost): boolean {
  const parsed = parse(stored)
  return !parsed || parsed.cost.ln !== cost.ln || parsed.cost.r !== cost.r || parsed.cost.p !== cost.p
}

const dummies = new Map<string, string>()
/**
 * A valid hash of no one's password at `cost`. Verifying against it when the e-mail is unknown costs
 * what checking a real (current) hash costs, so the answer's timing does not tell whether an account
 * exists.
 */
export function dummyHash(cost: PasswordCost): string {
  const key = `${cost.ln},${cost.r},${cost.p}`
  let hash = dummies.get(key)
  if (!hash) dummies.set(key, (hash = format(cost, new Uint8Array(16), new Uint8Array(KEY_LENGTH))))
  return hash
}

function format(cost: PasswordCost, salt: Uint8Array, hash: Uint8Array): string {
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${encodeBase64(salt)}$${encodeBase64(hash)}`
}

/** One per process (isolate): every hash, of every request, takes its turn here (src/auth/hash-gate.ts). */
const hashing = new Gate(HASHING)

function derive(password: string, salt: Uint8Array, cost: PasswordCost): Promise<Uint8Array> {
  return hashing.run(() => scryptOf(password, salt, cost))
}

function scryptOf(password: string, salt: Uint8Array, { ln, r, p }: PasswordCost): Promise<Uint8Array> {
  const N = 2 ** ln
  // scrypt's working memory, exactly as OpenSSL (Node) and workerd check it: node's default bound
  // (32 MiB) is below what N=2^16, r=8 needs.
  const maxmem = 128 * r * (N + p + 2)
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem }, (error, key) => {
      if (error) reject(error)
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength))
    })
  })
}

function parse(stored: string): { cost: PasswordCost; salt: Uint8Array; hash: Uint8Array } | null {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored)
  if (!m) return null
  try {
    return {
      cost: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
      salt: decodeBase64(m[4]!),
      hash: decodeBase64(m[5]!),
    }
  } catch {
    return null
  }
}
