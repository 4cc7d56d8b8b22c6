// Random tokens for cookies and e-mailed links, and the hash under which the database keeps them.
import { createHash } from 'node:crypto'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'

/** 160 random bits, base32 (32 characters). Never call at module top level: workerd forbids it. */
export function generateToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

/** Random identifier for rows (not a secret). */
export function generateId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function hashToken(token: string): string {
  return sha256Hex(token)
}

/** Cleared at the first failure: this runtime has no usable node:crypto hash. */
let nodeHash = true

/**
 * SHA-256 as 64 lowercase hex digits: by node:crypto where the runtime has it (every signed-in
 * request hashes its session token; native hashing is several times cheaper than JavaScript's), else
 * by @oslojs/crypto. Both are synchronous, so the caller never waits on another thread.
 */
export function sha256Hex(data: string | Uint8Array): string {
  if (nodeHash) {
    try {
      return createHash('sha256').update(data).digest('hex')
    } catch {
      nodeHash = false
    }
  }
  return encodeHexLowerCase(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data))
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
