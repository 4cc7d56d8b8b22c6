// The operators' second step (docs/rules.md, "Operators"; ASVS 6.5.1): a TOTP step or the recovery
// code is accepted once, and 5 wrong codes in a quarter of an hour lock the step, with one mail.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { outbox, sessions, users } from '../../src/db/schema'
import { decodeKey, totpAt } from '../../src/auth/totp'
import { MINUTE } from '../../src/clock'
import { T0, testApp, textOf } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { PASSWORD } from '../helpers/users'

const t = await testApp()
const SECOND = 1000
const start = new Date(T0).getTime()
const at = (ms: number) => t.clock.set(new Date(start + ms).toISOString())

/** The operator's password step done in a fresh browser; the code step is next. */
async function passwordStep(email: string) {
  const b = t.browser()
  expect((await b.post('/login', { email, password: PASSWORD })).headers.get('Location')).toBe('/login/2fa')
  return b
}

const lockoutMails = (to: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'account.totp_locked')))

describe('TOTP codes are accepted once', () => {
  it('refuses the code of a step already accepted — the setup’s included — and of any earlier step', async () => {
    at(0)
    const { key } = await operatorWithAuthenticator(t, 'once@example.com')
    const code = (ms: number) => totpAt(decodeKey(key), new Date(start + ms))
    // Same 30 s step as the setup: the code it accepted can't sign in again.
    const b = await passwordStep('once@example.com')
    expect((await b.post('/login/2fa', { code: code(0) })).status).toBe(422)
    at(30 * SECOND)
    expect((await b.post('/login/2fa', { code: code(30 * SECOND) })).headers.get('Location')).toBe('/ops')
    const again = await passwordStep('once@example.com')
    expect((await again.post('/login/2fa', { code: code(30 * SECOND) })).status).toBe(422)
    // The previous step's code is within the drift allowed, but older than the step accepted.
    at(60 * SECOND)
    expect((await again.post('/login/2fa', { code: code(0) })).status).toBe(422)
    expect((await again.post('/login/2fa', { code: code(60 * SECOND) })).headers.get('Location')).toBe('/ops')
  })

  it('accepts one of two sessions submitting the same code at once', async () => {
    at(0)
    const { key, user } = await operatorWithAuthenticator(t, 'twice@example.com')
    at(30 * SECOND)
    const [one, two] = [await passwordStep('twice@example.com'), await passwordStep('twice@example.com')]
    const code = totpAt(decodeKey(key), t.clock.now())
    const statuses = (await Promise.all([one.post('/login/2fa', { code }), two.post('/login/2fa', { code })])).map((r) => r.status)
    expect(statuses.sort()).toEqual([303, 422])
    const verified = (await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).filter((s) => s.twoFactorVerified)
    expect(verified).toHaveLength(2) // the setup's session, and one of the two
  })

  it('accepts the recovery code once when it is sent twice at once', async () => {
    at(0)
    const { recovery } = await operatorWithAuthenticator(t, 'recovery-twice@example.com')
    const [one, two] = [await passwordStep('recovery-twice@example.com'), await passwordStep('recovery-twice@example.com')]
    const statuses = (await Promise.all([one.post('/login/2fa', { code: recovery }), two.post('/login/2fa', { code: recovery })])).map((r) => r.status)
    expect(statuses.sort()).toEqual([303, 422])
  })
})

describe('wrong codes', () => {
  it('lock the code step after 5 in a quarter of an hour, right code or not, until the quarter ends; the operator gets one mail', async () => {
    at(0)
    const { key } = await operatorWithAuthenticator(t, 'locked@example.com')
    at(MINUTE)
    const b = await passwordStep('locked@example.com')
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await b.post('/login/2fa', { code: '000000' === totpAt(decodeKey(key), t.clock.now()) ? '111111' : '000000' })).status)
    expect(statuses).toEqual([422, 422, 422, 422, 422])
    // A minute later — the old limit's window — and with the right code: still locked.
    at(2 * MINUTE)
    const locked = await b.post('/login/2fa', { code: totpAt(decodeKey(key), t.clock.now()) })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('Retry-After'))).toBe(13 * 60)
    expect(textOf(await locked.text())).toContain('Too many attempts')
    expect((await b.post('/login/2fa', { code: '123456' })).status).toBe(429)

    const mails = await lockoutMails('locked@example.com')
    expect(mails).toHaveLength(1)
    expect(mails[0]!.subject).toBe('Operator sign-in to Kontor locked after wrong codes')
    expect(mails[0]!.text).toContain('entered 5 wrong authenticator codes')
    expect(mails[0]!.text).toContain('locked until 2 Nov 2026, 10:15 (Europe/Warsaw)')
    expect(mails[0]!.text).toContain('change it now')
    expect(mails[0]!.text).toContain('http://localhost/password/forgot')

    at(15 * MINUTE)
    expect((await b.post('/login/2fa', { code: totpAt(decodeKey(key), t.clock.now()) })).headers.get('Location')).toBe('/ops')
  })

  it('sent at once count one after another: 5 are answered as wrong, the rest refused, and one mail goes, in the operator’s language', async () => {
    at(20 * MINUTE)
    const { user } = await operatorWithAuthenticator(t, 'burst-codes@example.com')
    await t.db.update(users).set({ language: 'pl' }).where(eq(users.id, user.id))
    const b = await passwordStep('burst-codes@example.com')
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => b.post('/login/2fa', { code: `99999${i}` })))).map((r) => r.status)
    expect(statuses.filter((s) => s === 422)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(3)
    const mails = await lockoutMails('burst-codes@example.com')
    expect(mails.map((m) => m.subject)).toEqual(['Logowanie operatora do Kontor zablokowane po błędnych kodach'])
    // The next quarter: a new lock-out is a new mail.
    at(30 * MINUTE)
    for (let i = 0; i < 5; i++) expect((await b.post('/login/2fa', { code: `88888${i}` })).status).toBe(422)
    expect(await lockoutMails('burst-codes@example.com')).toHaveLength(2)
  })
})
