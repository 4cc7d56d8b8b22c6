import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptECode, encryptECode } from '../../src/auth/ecode-crypto'
import { openText, openTotpKey, sealText, sealTotpKey } from '../../src/auth/sealing'
import { DEVELOPMENT_ECODE_SECRETS } from '../../src/config'

const SECRET = DEVELOPMENT_ECODE_SECRETS.encryptionKey

/** Opens an envelope with node:crypto alone, from the documented derivation: what an operator could do by hand. */
function openByHand(secret: string, label: string, sealed: string, context: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'hex'), Buffer.alloc(0), label, 32))
  const bytes = Buffer.from(sealed.slice(3), 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
  decipher.setAAD(Buffer.from(context))
  decipher.setAuthTag(bytes.subarray(-16))
  return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString('utf8')
}

describe('sealing with keys derived from ECODE_ENCRYPTION_KEY', () => {
  it('is AES-256-GCM under HKDF-SHA-256(key, no salt, label), bound to its context, in the "v1." envelope', async () => {
    const sealed = await sealText(SECRET, 'mail', 'http://localhost/activate/abc', 'outbox/x/text')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(openByHand(SECRET, 'kontor/outbox-mail/v1', sealed, 'outbox/x/text')).toBe('http://localhost/activate/abc')
    const seed = await sealTotpKey(SECRET, 'u1', new Uint8Array(20).fill(7))
    expect(openByHand(SECRET, 'kontor/totp-seed/v1', seed, 'users/u1/totp_key')).toBe(Buffer.alloc(20, 7).toString('base64'))
  })

  it('gives a different envelope each time (random IV) and opens it back', async () => {
    const a = await sealText(SECRET, 'mail', 'same', 'c')
    const b = await sealText(SECRET, 'mail', 'same', 'c')
    expect(a).not.toBe(b)
    expect(await openText(SECRET, 'mail', a, 'c')).toBe('same')
  })

  it('gives each purpose its own key: a mail envelope does not open as a TOTP seed, nor with the e-code key itself', async () => {
    const sealed = await sealText(SECRET, 'mail', 'secret', 'c')
    await expect(openText(SECRET, 'totp', sealed, 'c')).rejects.toThrow(/failed authentication/)
    await expect(decryptECode(SECRET, sealed)).rejects.toThrow(/failed authentication/)
    const code = await encryptECode(SECRET, 'K7QF3XMA9B4K2PZD')
    await expect(openText(SECRET, 'mail', code, 'c')).rejects.toThrow(/failed authentication/)
  })

  it('opens only in its own context and under its own key, and says so without the value', async () => {
    const sealed = await sealText(SECRET, 'mail', 'the secret', 'outbox/a/text')
    await expect(openText(SECRET, 'mail', sealed, 'outbox/b/text')).rejects.toThrow('mail ciphertext failed authentication: another key (ECODE_ENCRYPTION_KEY) or altered data')
    await expect(openText(randomBytes(32).toString('base64'), 'mail', sealed, 'outbox/a/text')).rejects.toThrow(/failed authentication/)
    await expect(openText(SECRET, 'mail', 'the secret', 'outbox/a/text')).rejects.toThrow(/unknown version/)
  })
})

describe('TOTP seeds', () => {
  const seed = new Uint8Array(randomBytes(20))

  it('open for their operator only', async () => {
    const stored = await sealTotpKey(SECRET, 'op-a', seed)
    expect(stored).not.toContain(Buffer.from(seed).toString('base64'))
    expect(await openTotpKey(SECRET, 'op-a', stored)).toEqual(seed)
    expect(await openTotpKey(SECRET, 'op-b', stored)).toBeNull()
  })

  it('do not open under another key: null, so the operator falls back to the recovery code', async () => {
    const stored = await sealTotpKey(SECRET, 'op-a', seed)
    expect(await openTotpKey(randomBytes(32).toString('hex'), 'op-a', stored)).toBeNull()
  })

  it('stored in clear before sealing (base64) still open', async () => {
    expect(await openTotpKey(SECRET, 'op-a', Buffer.from(seed).toString('base64'))).toEqual(seed)
  })
})
