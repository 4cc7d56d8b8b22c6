import { describe, expect, it } from 'vitest'
import { and, eq, isNull } from 'drizzle-orm'
import { emailTokens, outbox, sessions, users } from '../../src/db/schema'
import { HOUR } from '../../src/clock'
import { testApp, textOf } from '../helpers/app'
import { createUser, linkIn, PASSWORD } from '../helpers/users'
import { opened, openedAll } from '../helpers/mail'

const t = await testApp()

async function resetLinkFor(email: string) {
  await t.browser().post('/password/forgot', { email })
  const mails = await openedAll(t, await t.db.select().from(outbox).where(eq(outbox.to, email)))
  return linkIn(mails.at(-1)!.text, '/password/reset/')
}

describe('forgot password', () => {
  it('always answers "if an account exists…", and mails a link only to a real account', async () => {
    await createUser(t.deps, { email: 'real@example.com', language: 'it' })
    const known = await t.browser().post('/password/forgot', { email: 'real@example.com' })
    const unknown = await t.browser().post('/password/forgot', { email: 'ghost@example.com' })
    expect(known.status).toBe(200)
    expect((await known.text()).replaceAll('real@example.com', 'X')).toBe((await unknown.text()).replaceAll('ghost@example.com', 'X'))
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'real@example.com'))
    expect(mails.map((m) => [m.template, m.language])).toEqual([['account.reset', 'it']])
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'ghost@example.com'))).toHaveLength(0)
  })

  it('refuses a malformed address with 422 and sends nothing', async () => {
    const before = (await t.db.select().from(outbox)).length
    const res = await t.browser().post('/password/forgot', { email: 'x@' })
    expect(res.status).toBe(422)
    expect((await t.db.select().from(outbox)).length).toBe(before)
  })

  it('sends at most 5 reset e-mails an hour to one address', async () => {
    await createUser(t.deps, { email: 'many@example.com' })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await t.browser().post('/password/forgot', { email: 'many@example.com' })).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'many@example.com'))).toHaveLength(5)
  })
})

describe('reset password', () => {
  it('sets the new password, ends every session of the user, and the link works once', async () => {
    const user = await createUser(t.deps, { email: 'reset@example.com' })
    const laptop = t.browser()
    const phone = t.browser()
    await laptop.post('/login', { email: 'reset@example.com', password: PASSWORD })
    await phone.post('/login', { email: 'reset@example.com', password: PASSWORD, remember: 'on' })
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2)

    const link = await resetLinkFor('reset@example.com')
    const form = await t.browser().get(link)
    expect(form.status).toBe(200)
    const res = await t.browser().post(link, { password: 'a brand new secret' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/login')

    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
    expect((await laptop.get('/account')).status).toBe(303)
    expect((await phone.get('/account')).status).toBe(303)
    expect((await t.browser().post('/login', { email: 'reset@example.com', password: PASSWORD })).status).toBe(401)
    expect((await t.browser().post('/login', { email: 'reset@example.com', password: 'a brand new secret' })).status).toBe(303)
    const notice = await t.db.select().from(outbox).where(eq(outbox.to, 'reset@example.com'))
    expect(notice.map((m) => m.template)).toEqual(['account.reset', 'account.password_changed'])

    const again = await t.browser().post(link, { password: 'yet another secret' })
    expect(again.status).toBe(404)
    expect(textOf(await again.text())).toContain('already used or older than 1 hour')
  })

  it('ends every other outstanding reset link of the user (issue 15)', async () => {
    const user = await createUser(t.deps, { email: 'twice@example.com' })
    const older = await resetLinkFor('twice@example.com')
    const newer = await resetLinkFor('twice@example.com')
    const bystander = await createUser(t.deps, { email: 'bystander@example.com' })
    const theirs = await resetLinkFor('bystander@example.com')
    expect((await t.browser().post(newer, { password: 'a brand new secret' })).status).toBe(303)
    expect((await t.browser().get(older)).status).toBe(404)
    expect((await t.browser().post(older, { password: 'the attacker wins' })).status).toBe(404)
    expect((await t.browser().post('/login', { email: 'twice@example.com', password: 'a brand new secret' })).status).toBe(303)
    const left = await t.db.select().from(emailTokens).where(and(eq(emailTokens.userId, user.id), isNull(emailTokens.usedAt)))
    expect(left).toEqual([])
    // Only this user's links: someone else's still works.
    expect(bystander.id).not.toBe(user.id)
    expect((await t.browser().get(theirs)).status).toBe(200)
  })

  it('refuses a link older than 1 hour', async () => {
    await createUser(t.deps, { email: 'slow@example.com' })
    const link = await resetLinkFor('slow@example.com')
    t.clock.advance(HOUR + 1)
    expect((await t.browser().get(link)).status).toBe(404)
    expect((await t.browser().post(link, { password: 'a brand new secret' })).status).toBe(404)
    t.clock.set('2026-11-02T09:00:00Z')
    expect((await t.browser().post('/login', { email: 'slow@example.com', password: PASSWORD })).status).toBe(303)
  })

  it('refuses a forged link and an activation link used as a reset link', async () => {
    expect((await t.browser().post('/password/reset/forgedforgedforgedforgedforged12', { password: 'a brand new secret' })).status).toBe(404)
    await t.browser().post('/register', {
      name: 'Mix Up',
      email: 'mixup@example.com',
      password: 'pierogi z jagodami',
      language: 'en',
      terms: 'on',
      privacy: 'on',
    })
    const mail = await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, 'mixup@example.com')).get())
    const token = linkIn(mail!.text, '/activate/').split('/').pop()
    expect((await t.browser().post(`/password/reset/${token}`, { password: 'a brand new secret' })).status).toBe(404)
  })

  it('keeps the link usable when the new password is refused', async () => {
    await createUser(t.deps, { email: 'weak@example.com' })
    const link = await resetLinkFor('weak@example.com')
    const res = await t.browser().post(link, { password: 'qwerty123' })
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('among the most common ones')
    const user = await t.db.select().from(users).where(eq(users.email, 'weak@example.com')).get()
    expect((await t.browser().post('/login', { email: user!.email, password: PASSWORD })).status).toBe(303)
    expect((await t.browser().post(link, { password: 'good and long one' })).status).toBe(303)
  })
})
