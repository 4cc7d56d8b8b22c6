import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { passwordProblem } from '../../src/domain/passwords'
import { COMMON_PASSWORDS } from '../../src/domain/common-passwords'
import { DUMMY_HASH, hashPassword, needsRehash, useScrypt, verifyPassword } from '../../src/auth/password'
import { nodeScrypt } from '../../src/auth/password-node'
import { scryptAsync } from '@noble/hashes/scrypt.js'

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
  it('verifies the right password only, with a self-describing scrypt hash', async () => {
    const hash = await hashPassword('zażółć gęślą jaźń')
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/)
    expect(await verifyPassword(hash, 'zażółć gęślą jaźń')).toBe(true)
    expect(await verifyPassword(hash, 'zazolc gesla jazn')).toBe(false)
    expect(needsRehash(hash)).toBe(false)
    expect(needsRehash('$scrypt$ln=10,r=8,p=1$AAAA$AAAA')).toBe(true)
  })

  it('salts every hash differently', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'))
  })

  it('the dummy hash is well-formed but matches nothing', async () => {
    expect(await verifyPassword(DUMMY_HASH, '')).toBe(false)
    expect(await verifyPassword(DUMMY_HASH, 'password')).toBe(false)
  })

  it("node:crypto's scrypt (the Node runtime's) and @noble/hashes' (the Worker's) give the same hashes", async () => {
    const salt = new Uint8Array(16).fill(7)
    const options = { N: 2 ** 14, r: 8, p: 1, dkLen: 32, maxmem: 2 ** 28 }
    for (const password of ['zażółć gęślą jaźń', 'plain ascii', '']) {
      expect(await nodeScrypt(password, salt, options)).toEqual(await scryptAsync(password, salt, options))
    }
    // A hash made by one verifies with the other, in both directions.
    const byNoble = await hashPassword('granite-willow')
    try {
      useScrypt(nodeScrypt)
      const byNode = await hashPassword('granite-willow')
      expect(await verifyPassword(byNoble, 'granite-willow')).toBe(true)
      useScrypt((password, s, o) => scryptAsync(password, s, o))
      expect(await verifyPassword(byNode, 'granite-willow')).toBe(true)
      expect(await verifyPassword(byNode, 'granite-willow!')).toBe(false)
    } finally {
      useScrypt((password, s, o) => scryptAsync(password, s, o))
    }
  })
})
