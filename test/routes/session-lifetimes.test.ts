// How long a session lives (docs/rules.md, "Accounts"; ASVS 7.3.1–7.3.2): a browser session ends
// after 12 h without a request and 24 h after sign-in at the latest; a remembered one 30 days after
// sign-in, used or not, and never later.
import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orgs, sessions } from '../../src/db/schema'
import { DAY, HOUR, MINUTE } from '../../src/clock'
import { T0, testApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp()
const start = new Date(T0).getTime()
const at = (ms: number) => t.clock.set(new Date(start + ms).toISOString())

beforeEach(() => {
  at(0)
})

async function signIn(email: string, remember = false) {
  const user = await createUser(t.deps, { email })
  const b = t.browser()
  const res = await b.post('/login', { email, password: PASSWORD, ...(remember ? { remember: 'on' } : {}) })
  expect(res.status).toBe(303)
  const row = async () => (await t.db.select().from(sessions).where(eq(sessions.userId, user.id)).get()) ?? null
  /** The account page's status: 200 while the session lives, 303 to /login once it has ended. */
  const status = async () => (await b.get('/account')).status
  return { user, b, res, row, status }
}

describe('a session without "remember me"', () => {
  it('ends 12 hours after its last request: a request an hour or more after the last recorded one moves the end', async () => {
    const idle = await signIn('idle-exact@example.com')
    const almost = await signIn('idle-almost@example.com')
    const used = await signIn('idle-used@example.com')
    // Used an hour after signing in: alive at 13 h, when a session ending 12 h after sign-in is not.
    at(HOUR + 1)
    expect(await used.status()).toBe(200)
    expect((await used.row())!.expiresAt.getTime()).toBe(start + 13 * HOUR + 1)
    at(12 * HOUR - 1)
    expect(await almost.status()).toBe(200)
    at(12 * HOUR)
    expect(await idle.status()).toBe(303)
    expect(await idle.row()).toBeNull()
    at(13 * HOUR)
    expect(await used.status()).toBe(200)
  })

  it('records activity at most once an hour, so a request under an hour after the last recorded one does not move the end', async () => {
    const s = await signIn('idle-hourly@example.com')
    at(59 * MINUTE)
    expect(await s.status()).toBe(200)
    expect((await s.row())!.lastSeenAt.getTime()).toBe(start)
    at(12 * HOUR)
    expect(await s.status()).toBe(303)
  })

  it('ends 24 hours after sign-in however active it is', async () => {
    const s = await signIn('absolute-day@example.com')
    for (const ms of [11 * HOUR, 22 * HOUR, 24 * HOUR - 1]) {
      at(ms)
      expect(await s.status()).toBe(200)
    }
    expect((await s.row())!.expiresAt.getTime()).toBe(start + 24 * HOUR)
    at(24 * HOUR)
    expect(await s.status()).toBe(303)
    expect(await s.row()).toBeNull()
  })
})

describe('a remembered session', () => {
  it('ends 30 days after sign-in, used or not: no idle limit before that, and use never extends it', async () => {
    const unused = await signIn('remember-unused@example.com', true)
    const used = await signIn('remember-used@example.com', true)
    at(30 * DAY - 1)
    expect(await unused.status()).toBe(200)
    at(30 * DAY)
    expect(await unused.status()).toBe(303)

    // Used every 29 days: it used to slide forward for ever (174 days in the finding).
    at(0)
    const expires = (await used.row())!.expiresAt.getTime()
    expect(expires).toBe(start + 30 * DAY)
    expect(used.res.headers.getSetCookie().find((c) => c.startsWith('kontor_session='))).toContain(`Expires=${new Date(expires).toUTCString()}`)
    at(29 * DAY)
    expect(await used.status()).toBe(200)
    expect((await used.row())!.expiresAt.getTime()).toBe(expires)
    at(30 * DAY)
    expect(await used.status()).toBe(303)
    expect(await used.row()).toBeNull()
  })

  it('counts its use on a later day as a sign-in to the user’s orgs (free plans run from the last sign-in), at most once a day', async () => {
    const { b, user, org } = await adminWithOrg(t, 'remember-login@example.com')
    await b.post('/logout')
    expect((await b.post('/login', { email: user.email, password: PASSWORD, remember: 'on' })).status).toBe(303)
    const lastLogin = async () => (await t.db.select().from(orgs).where(eq(orgs.id, org.id)).get())!.lastLoginAt!.getTime()
    expect(await lastLogin()).toBe(start)
    at(2 * HOUR)
    expect((await b.get('/account')).status).toBe(200)
    expect(await lastLogin()).toBe(start)
    at(3 * DAY)
    expect((await b.get('/account')).status).toBe(200)
    expect(await lastLogin()).toBe(start + 3 * DAY)
  })
})
