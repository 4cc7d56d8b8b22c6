// Operators' TOTP seeds at rest (issue 15): sealed under the TOTP key derived from
// ECODE_ENCRYPTION_KEY and bound to their operator; seeds stored in clear before that keep working
// until the daily purge seals them; after a key change the recovery code is the way back in.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { users } from '../../src/db/schema'
import { decodeKey, generateTotpKey, totpAt } from '../../src/auth/totp'
import { runNamedJob } from '../../src/jobs'
import { testApp } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp()
const STEP = 30_000
const storedKey = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)).get())!.totpKey

/** Password, then the code; where the second step sends the operator (a 422 page gives null). */
async function signInWith(email: string, code: string) {
  const b = t.browser()
  expect((await b.post('/login', { email, password: PASSWORD })).headers.get('Location')).toBe('/login/2fa')
  const res = await b.post('/login/2fa', { code })
  return res.status === 303 ? res.headers.get('Location') : null
}

describe('an operator’s TOTP seed', () => {
  it('is stored sealed, and a sealed seed copied onto another operator’s row opens for no one there', async () => {
    const a = await operatorWithAuthenticator(t, 'seed-a@example.com')
    const b = await operatorWithAuthenticator(t, 'seed-b@example.com')
    const sealedA = await storedKey(a.user.id)
    expect(sealedA).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(sealedA).not.toContain(a.key)
    t.clock.advance(STEP)
    expect(await signInWith('seed-a@example.com', totpAt(decodeKey(a.key), t.clock.now()))).toBe('/ops')

    await t.db.update(users).set({ totpKey: sealedA }).where(eq(users.id, b.user.id))
    t.clock.advance(STEP)
    expect(await signInWith('seed-b@example.com', totpAt(decodeKey(a.key), t.clock.now()))).toBeNull()
    expect(await signInWith('seed-b@example.com', totpAt(decodeKey(b.key), t.clock.now()))).toBeNull()
    expect(await signInWith('seed-b@example.com', b.recovery)).toBe('/ops')
  })

  it('stored in clear before sealing still signs in, and the daily purge seals it', async () => {
    const seed = generateTotpKey()
    const op = await createUser(t.deps, { email: 'legacy-op@example.com', operator: true })
    const clear = Buffer.from(seed).toString('base64')
    await t.db.update(users).set({ totpKey: clear }).where(eq(users.id, op.id))
    t.clock.advance(STEP)
    expect(await signInWith('legacy-op@example.com', totpAt(seed, t.clock.now()))).toBe('/ops')

    const first = await runNamedJob(t.deps, 'purges', t.clock.now())
    expect(first).toMatchObject({ status: 'ok', counts: { totpKeysSealed: 1 } })
    const sealed = await storedKey(op.id)
    expect(sealed).toMatch(/^v1\./)
    expect(sealed).not.toContain(clear)
    t.clock.advance(STEP)
    expect(await signInWith('legacy-op@example.com', totpAt(seed, t.clock.now()))).toBe('/ops')
    const again = await runNamedJob(t.deps, 'purges', t.clock.now())
    expect(again.status).toBe('ok')
    expect(JSON.stringify(again)).not.toContain('totpKeysSealed')
    expect(await storedKey(op.id)).toBe(sealed)
  })

  it('no longer opens once ECODE_ENCRYPTION_KEY is changed: codes fail, the recovery code leads to a new set-up', async () => {
    const op = await operatorWithAuthenticator(t, 'rotated@example.com')
    const original = t.config.ecodeSecrets
    t.config.ecodeSecrets = { ...original, encryptionKey: randomBytes(32).toString('base64') }
    try {
      t.clock.advance(STEP)
      expect(await signInWith('rotated@example.com', totpAt(decodeKey(op.key), t.clock.now()))).toBeNull()
      expect(await signInWith('rotated@example.com', op.recovery)).toBe('/ops')
      expect(await storedKey(op.user.id)).toBeNull()
      const b = t.browser()
      expect((await b.post('/login', { email: 'rotated@example.com', password: PASSWORD })).headers.get('Location')).toBe('/login/2fa/setup')
    } finally {
      t.config.ecodeSecrets = original
    }
  })
})
