import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { passwordProblem } from '../../src/domain/passwords'
import { COMMON_PASSWORDS } from '../../src/domain/common-passwords'
import { dummyHash, hashPassword, needsRehash, PASSWORD_COST, TEST_PASSWORD_COST, verifyPassword } from '../../src/auth/password'
import { loadConfig } from '../../src/config'
import { PRODUCTION_ENV } from '../helpers/production-env'

describe('password rules', () => {
  it('accepts 8 to 256 characters with no composition rules', () => {
    expect(passwordProblem('abcdefgh'.replace('a', 'z'))).toBeNull()
    expect(passwordProblem('short')).toBe('tooShort')
    expect(passwordProblem('ą'.repeat(7))).toBe('tooShort')
    expect(passwordProblem('ą'.repeat(256))).toBeNull()
    expect(passwordProblem('x'.repeat(257))).toBe('tooLong')
  })

  it('rejects the 1,000 most common passwords in any case', () => {
    expect(COMMON_PASSWORDS).toHaveLength(1000)
    expect(passwordProblem('password')).toBe('common')
    expect(passwordProblem('PASSWORD')).toBe('common')
    expect(passwordProblem('12345678')).toBe('common')
    expect(passwordProblem('iloveyou')).toBe('common')
  })

  it('length decides for any password outside the common list', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 300 }), (p) => {
        const n = [...p].length
        const problem = passwordProblem(p)
        if (n < 8) return problem === 'tooShort'
        if (n > 256) return problem === 'tooLong'
        return problem === null || problem === 'common'
      }),
    )
  })
})

describe('password hashing', () => {
  it("hashes at OWASP's cost (N=2^16, r=8, p=2) into a self-describing scrypt hash that verifies the right password only", async () => {
    const hash = await hashPassword('zażółć gęślą jaźń', PASSWORD_COST)
    expect(hash).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/)
    expect(await verifyPassword(hash, 'zażółć gęślą jaźń')).toBe(true)
    expect(await verifyPassword(hash, 'zazolc gesla jazn')).toBe(false)
    expect(needsRehash(hash, PASSWORD_COST)).toBe(false)
  })

  it('uses that cost everywhere but in tests, where a cheap one keeps the suite fast', () => {
    const env = PRODUCTION_ENV
    expect(loadConfig({ ...env, KONTOR_ENV: 'production' }).passwordCost).toEqual({ ln: 16, r: 8, p: 2 })
    expect(loadConfig({ ...env, KONTOR_ENV: 'development' }).passwordCost).toEqual({ ln: 16, r: 8, p: 2 })
    expect(loadConfig({ ...env }).passwordCost).toEqual({ ln: 16, r: 8, p: 2 })
    expect(loadConfig({ ...env, KONTOR_ENV: 'test' }).passwordCost).toEqual(TEST_PASSWORD_COST)
  })

  it('re-hashes at the next sign-in a hash made at any other parameters: weaker ones, and the 128 MiB variant N=2^17, p=1', () => {
    const at = (ln: number, r: number, p: number) => `$scrypt$ln=${ln},r=${r},p=${p}$AAAA$AAAA`
    expect(needsRehash(at(14, 8, 1), PASSWORD_COST)).toBe(true)
    expect(needsRehash(at(16, 8, 1), PASSWORD_COST)).toBe(true)
    expect(needsRehash(at(17, 8, 1), PASSWORD_COST)).toBe(true)
    expect(needsRehash(at(16, 8, 2), PASSWORD_COST)).toBe(false)
    expect(needsRehash('not a hash', PASSWORD_COST)).toBe(true)
  })

  it('salts every hash differently', async () => {
    expect(await hashPassword('same password', TEST_PASSWORD_COST)).not.toBe(await hashPassword('same password', TEST_PASSWORD_COST))
  })

  it('the dummy hash is well-formed, made at the cost it is asked for (so it costs what a real check costs), and matches nothing', async () => {
    expect(dummyHash(PASSWORD_COST)).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/)
    expect(needsRehash(dummyHash(PASSWORD_COST), PASSWORD_COST)).toBe(false)
    expect(await verifyPassword(dummyHash(TEST_PASSWORD_COST), '')).toBe(false)
    expect(await verifyPassword(dummyHash(TEST_PASSWORD_COST), 'password')).toBe(false)
  })

  it('is standard scrypt: the RFC 7914 test vector verifies, so hashes made by any implementation (the Worker used @noble/hashes) still do', async () => {
    // RFC 7914 §12: P="password", S="NaCl", N=1024, r=8, p=16; the first 32 of its 64 bytes (PBKDF2's output is a prefix).
    const key = Buffer.from('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162', 'hex')
    const stored = `$scrypt$ln=10,r=8,p=16$${Buffer.from('NaCl').toString('base64')}$${key.toString('base64')}`
    expect(await verifyPassword(stored, 'password')).toBe(true)
    expect(await verifyPassword(stored, 'passwore')).toBe(false)
  })
})
