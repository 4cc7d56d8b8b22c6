import { createHmac, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { decodeBase64urlIgnorePadding } from '@oslojs/encoding'
import { decryptECode, decryptECodeSync, ecodeLookupHash, encryptECode, parseECodeKey, webCryptoLookupHash } from '../../src/auth/ecode-crypto'
import { DEVELOPMENT_ECODE_SECRETS, loadConfig } from '../../src/config'
import { formatECode, generateECode } from '../../src/domain/ecode'
import { productionEnvWithout } from '../helpers/production-env'

const LOOKUP = DEVELOPMENT_ECODE_SECRETS.lookupKey
const ENCRYPTION = DEVELOPMENT_ECODE_SECRETS.encryptionKey
const CODE = 'K7QF3XMA9B4K2PZD'
const codes = fc.uint8Array({ minLength: 10, maxLength: 10 }).map((bytes) => generateECode(() => bytes))
const freshKey = () => randomBytes(32).toString('base64')

afterEach(() => vi.restoreAllMocks())

describe('e-code look-up hash', () => {
  it('is HMAC-SHA-256 of the canonical code under the look-up key, as 64 lowercase hex digits', async () => {
    const expected = createHmac('sha256', Buffer.from(LOOKUP, 'hex')).update(CODE).digest('hex')
    expect(await ecodeLookupHash(LOOKUP, CODE)).toBe(expected)
    expect(expected).toMatch(/^[0-9a-f]{64}$/)
  })

  it('is stable: the same key and code give the same hash every time', async () => {
    await fc.assert(fc.asyncProperty(codes, async (c) => (await ecodeLookupHash(LOOKUP, c)) === (await ecodeLookupHash(LOOKUP, c))), { numRuns: 50 })
  })

  it('depends on the key and on the code', async () => {
    const other = freshKey()
    expect(await ecodeLookupHash(other, CODE)).not.toBe(await ecodeLookupHash(LOOKUP, CODE))
    expect(await ecodeLookupHash(LOOKUP, 'K7QF3XMA9B4K2PZE')).not.toBe(await ecodeLookupHash(LOOKUP, CODE))
  })

  it('is the same whether the key is written in hex, base64 or base64url, with or without padding', async () => {
    const bytes = Buffer.from(LOOKUP, 'hex')
    const hash = await ecodeLookupHash(LOOKUP, CODE)
    for (const text of [LOOKUP.toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')]) {
      expect(await ecodeLookupHash(text, CODE)).toBe(hash)
    }
  })

  it('refuses a code that was not normalized first (a bug: the look-up would silently miss)', async () => {
    await expect(ecodeLookupHash(LOOKUP, formatECode(CODE))).rejects.toThrow(TypeError)
    await expect(ecodeLookupHash(LOOKUP, CODE.toLowerCase())).rejects.toThrow(TypeError)
  })

  it('is computed in the call on Node (node:crypto), without a WebCrypto job', async () => {
    const sign = vi.spyOn(crypto.subtle, 'sign')
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const key = freshKey()
    expect(await ecodeLookupHash(key, CODE)).toBe(createHmac('sha256', Buffer.from(key, 'base64')).update(CODE).digest('hex'))
    expect(sign).not.toHaveBeenCalled()
    expect(importKey).not.toHaveBeenCalled()
  })

  it('is the same by WebCrypto, where a runtime lacks node:crypto, which imports each key once per process', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const key = freshKey()
    const [a, b] = await Promise.all([webCryptoLookupHash(key, CODE), webCryptoLookupHash(key, CODE)])
    const c = generateECode()
    expect(await webCryptoLookupHash(key, c)).toBe(await ecodeLookupHash(key, c))
    expect([a, b]).toEqual([await ecodeLookupHash(key, CODE), await ecodeLookupHash(key, CODE)])
    expect(importKey).toHaveBeenCalledTimes(1)
  })
})

describe('e-code decryption in the call (lists)', () => {
  it('opens what encryptECode sealed once the key is imported, and leaves anything else to decryptECode', async () => {
    const key = freshKey()
    const sealed = await encryptECode(key, CODE)
    expect(decryptECodeSync(freshKey(), sealed)).toBeNull() // a key never imported here
    await decryptECode(key, sealed)
    expect(decryptECodeSync(key, sealed)).toBe(CODE)
    // Altered, another key's, not the envelope: null, and decryptECode says why.
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA')
    expect(decryptECodeSync(key, altered)).toBeNull()
    await expect(decryptECode(key, altered)).rejects.toThrow(/failed authentication/)
    expect(decryptECodeSync(key, await encryptECode(ENCRYPTION, CODE))).toBeNull()
    expect(decryptECodeSync(key, 'v1.***')).toBeNull()
    expect(decryptECodeSync(key, CODE)).toBeNull()
  })
})

describe('e-code encryption', () => {
  it('round-trips: decrypt(encrypt(c)) = c', async () => {
    await fc.assert(fc.asyncProperty(codes, async (c) => (await decryptECode(ENCRYPTION, await encryptECode(ENCRYPTION, c))) === c), { numRuns: 50 })
  })

  it('is "v1." and base64url of a 96-bit IV, the sealed 16 bytes and a 128-bit tag', async () => {
    const sealed = await encryptECode(ENCRYPTION, CODE)
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(decodeBase64urlIgnorePadding(sealed.slice(3)).length).toBe(12 + 16 + 16)
  })

  it('gives a different ciphertext each time for the same code (random IV)', async () => {
    const sealed = await Promise.all(Array.from({ length: 20 }, () => encryptECode(ENCRYPTION, CODE)))
    expect(new Set(sealed).size).toBe(20)
    expect(new Set(sealed.map((s) => s.slice(3, 19))).size).toBe(20) // the IVs themselves differ
  })

  it('does not contain the code, in any form', async () => {
    await fc.assert(
      fc.asyncProperty(codes, async (c) => {
        const sealed = await encryptECode(ENCRYPTION, c)
        const bytes = Buffer.from(decodeBase64urlIgnorePadding(sealed.slice(3)))
        return !sealed.toUpperCase().includes(c) && !sealed.includes(formatECode(c)) && !bytes.includes(Buffer.from(c))
      }),
      { numRuns: 50 },
    )
  })

  it('throws for a ciphertext altered anywhere (GCM authenticates it)', async () => {
    const sealed = await encryptECode(ENCRYPTION, CODE)
    const payload = Buffer.from(decodeBase64urlIgnorePadding(sealed.slice(3)))
    for (let i = 0; i < payload.length; i++) {
      const altered = Buffer.from(payload)
      altered[i]! ^= 1
      await expect(decryptECode(ENCRYPTION, 'v1.' + altered.toString('base64url'))).rejects.toThrow(/failed authentication/)
    }
    await expect(decryptECode(ENCRYPTION, 'v1.' + payload.subarray(0, -1).toString('base64url'))).rejects.toThrow(/failed authentication/)
    await expect(decryptECode(ENCRYPTION, 'v1.' + payload.subarray(0, 20).toString('base64url'))).rejects.toThrow(/too short/)
    await expect(decryptECode(ENCRYPTION, 'v1.***')).rejects.toThrow(/not base64url/)
    await expect(decryptECode(ENCRYPTION, 'v2.' + sealed.slice(3))).rejects.toThrow(/unknown version/)
    await expect(decryptECode(ENCRYPTION, CODE)).rejects.toThrow(/unknown version/)
  })

  it('throws when decrypted with another key', async () => {
    const sealed = await encryptECode(ENCRYPTION, CODE)
    await expect(decryptECode(freshKey(), sealed)).rejects.toThrow(/failed authentication/)
    await expect(decryptECode(LOOKUP, sealed)).rejects.toThrow(/failed authentication/)
  })

  it('refuses to encrypt a code that was not normalized first', async () => {
    await expect(encryptECode(ENCRYPTION, formatECode(CODE))).rejects.toThrow(TypeError)
  })
})

describe('e-code keys in configuration', () => {
  // Every other setting production needs, so that only the e-code keys are judged here.
  const production = { KONTOR_ENV: 'production', ...productionEnvWithout('ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY') }

  it('outside production, unset keys fall back to the public development keys', () => {
    expect(loadConfig({ KONTOR_ENV: 'test' }).ecodeSecrets).toEqual({ lookupKey: LOOKUP, encryptionKey: ENCRYPTION })
    expect(loadConfig({}).ecodeSecrets).toEqual({ lookupKey: LOOKUP, encryptionKey: ENCRYPTION })
  })

  it('production refuses to start without both keys', () => {
    expect(() => loadConfig(production)).toThrow('ECODE_LOOKUP_KEY is not set')
    expect(() => loadConfig({ ...production, ECODE_LOOKUP_KEY: freshKey() })).toThrow('ECODE_ENCRYPTION_KEY is not set')
  })

  it('production takes 32-byte keys in base64 or hex', () => {
    const lookupKey = freshKey()
    const encryptionKey = randomBytes(32).toString('hex')
    expect(loadConfig({ ...production, ECODE_LOOKUP_KEY: lookupKey, ECODE_ENCRYPTION_KEY: encryptionKey }).ecodeSecrets).toEqual({ lookupKey, encryptionKey })
  })

  it('production refuses the public development keys, however they are written', () => {
    const devInBase64 = Buffer.from(LOOKUP, 'hex').toString('base64')
    expect(() => loadConfig({ ...production, ECODE_LOOKUP_KEY: devInBase64, ECODE_ENCRYPTION_KEY: freshKey() })).toThrow('ECODE_LOOKUP_KEY is one of the public development keys')
    expect(() => loadConfig({ ...production, ECODE_LOOKUP_KEY: freshKey(), ECODE_ENCRYPTION_KEY: LOOKUP })).toThrow('ECODE_ENCRYPTION_KEY is one of the public development keys')
  })

  it('says what is wrong with a malformed key without repeating it', () => {
    const short = randomBytes(16).toString('base64')
    const check = (env: Record<string, string>, message: string) => {
      let error: Error | undefined
      try {
        loadConfig(env)
      } catch (e) {
        error = e as Error
      }
      expect(error?.message).toContain(message)
      for (const value of Object.values(env)) if (value.length > 12) expect(error?.message).not.toContain(value)
    }
    check({ ECODE_LOOKUP_KEY: short }, 'ECODE_LOOKUP_KEY holds 16 bytes, not 32: it must be 32 random bytes as 64 hex digits or base64')
    check({ ECODE_ENCRYPTION_KEY: 'correct horse battery staple, really long enough' }, 'ECODE_ENCRYPTION_KEY is neither hex nor base64 (48 characters)')
    check({ ECODE_ENCRYPTION_KEY: 'abcde' }, 'ECODE_ENCRYPTION_KEY is not valid base64 (5 characters)')
    check({ ...production, ECODE_LOOKUP_KEY: randomBytes(33).toString('hex'), ECODE_ENCRYPTION_KEY: freshKey() }, 'ECODE_LOOKUP_KEY holds 33 bytes, not 32')
  })

  it('refuses one key for both uses', () => {
    const key = freshKey()
    expect(() => loadConfig({ ECODE_LOOKUP_KEY: key, ECODE_ENCRYPTION_KEY: Buffer.from(key, 'base64').toString('hex') })).toThrow('ECODE_LOOKUP_KEY and ECODE_ENCRYPTION_KEY must be different keys')
  })

  it('parses keys as 32 bytes, trimming the newline a pasted secret often carries', () => {
    const bytes = randomBytes(32)
    for (const text of [bytes.toString('hex'), bytes.toString('base64') + '\n', bytes.toString('base64url')]) {
      const parsed = parseECodeKey(text)
      expect(parsed.ok && Buffer.from(parsed.value).equals(bytes)).toBe(true)
    }
  })
})
