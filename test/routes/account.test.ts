import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { consents, outbox, sessions, users } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { createUser, linkIn, PASSWORD } from '../helpers/users'
import { openedAll } from '../helpers/mail'

const t = await testApp()

async function signedIn(email: string, opts: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(t.deps, { email, ...opts })
  const b = t.browser()
  const res = await b.post('/login', { email, password: PASSWORD })
  expect(res.status).toBe(303)
  return { user, b }
}

describe('account page', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await t.browser().get('/account')
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/login')
  })

  it('shows the name, e-mail and the active sessions', async () => {
    const { b } = await signedIn('page@example.com', { name: 'Ewa Żak' })
    const html = await (await b.get('/account')).text()
    const text = textOf(html)
    expect(text).toContain('page@example.com')
    expect(html).toContain('value="Ewa Żak"')
    expect(text).toContain('1 active session')
    expect(text).toContain('Chrome · Linux')
    expect(text).toContain('this device')
  })

  it('saves the name and language; the page then speaks the new language', async () => {
    const { user, b } = await signedIn('lang@example.com')
    const res = await b.post('/account/profile', { name: 'Luca Bianchi', language: 'it' })
    expect(res.status).toBe(303)
    expect(await t.db.select().from(users).where(eq(users.id, user.id)).get()).toMatchObject({ name: 'Luca Bianchi', language: 'it' })
    const page = await b.follow(res)
    expect(await page.text()).toContain('<html lang="it">')
  })

  it('re-renders only the profile section for htmx, with the error next to the field', async () => {
    const { user, b } = await signedIn('htmx@example.com', { name: 'Before' })
    const res = await b.post('/account/profile', { name: '', language: 'en' }, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html.startsWith('<section class="card" id="profile"')).toBe(true)
    expect(html).toContain('Enter your full name.')
    expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.name).toBe('Before')
  })

  it('refuses an unknown language', async () => {
    const { user, b } = await signedIn('badlang@example.com')
    const res = await b.post('/account/profile', { name: 'Name', language: 'fr' })
    expect(res.status).toBe(422)
    expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.language).toBe('en')
  })

  it('changes the password only with the right current one, signs out other sessions and mails a notice', async () => {
    const { user, b } = await signedIn('pw@example.com')
    const other = t.browser()
    await other.post('/login', { email: 'pw@example.com', password: PASSWORD })
    const wrong = await b.post('/account/password', { currentPassword: 'not it at all', password: 'my new password' })
    expect(wrong.status).toBe(422)
    expect(textOf(await wrong.text())).toContain('This is not your current password.')
    const ok = await b.post('/account/password', { currentPassword: PASSWORD, password: 'my new password' })
    expect(ok.status).toBe(200)
    expect(textOf(await ok.text())).toContain('Your password has been changed.')
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1)
    expect((await b.get('/account')).status).toBe(200)
    expect((await other.get('/account')).status).toBe(303)
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'pw@example.com'))
    expect(mails.map((m) => m.template)).toEqual(['account.password_changed'])
  })

  it('ends every outstanding reset link when the password is changed (issue 15)', async () => {
    const { b } = await signedIn('pw-links@example.com')
    await t.browser().post('/password/forgot', { email: 'pw-links@example.com' })
    const [mail] = await openedAll(t, await t.db.select().from(outbox).where(eq(outbox.to, 'pw-links@example.com')))
    const link = linkIn(mail!.text, '/password/reset/')
    expect((await t.browser().get(link)).status).toBe(200)
    expect((await b.post('/account/password', { currentPassword: PASSWORD, password: 'my new password' })).status).toBe(200)
    expect((await t.browser().get(link)).status).toBe(404)
    expect((await t.browser().post(link, { password: 'the attacker wins' })).status).toBe(404)
    expect((await t.browser().post('/login', { email: 'pw-links@example.com', password: 'my new password' })).status).toBe(303)
  })

  it('signs out everywhere else but keeps this session', async () => {
    const { user, b } = await signedIn('everywhere@example.com')
    for (let i = 0; i < 2; i++) await t.browser().post('/login', { email: 'everywhere@example.com', password: PASSWORD })
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(3)
    const res = await b.post('/account/other-sessions/deletion')
    expect(res.status).toBe(303)
    expect(textOf(await (await b.follow(res)).text())).toContain('Signed out 2 other sessions.')
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1)
  })

  it('closes the account with the password: sessions and consents go, and the e-mail can register again', async () => {
    const { user, b } = await signedIn('close@example.com')
    const wrong = await b.post('/account/closure', { password: 'wrong password' })
    expect(wrong.status).toBe(422)
    expect(await t.db.select().from(users).where(eq(users.id, user.id)).get()).toBeTruthy()
    const res = await b.post('/account/closure', { password: PASSWORD })
    expect(res.status).toBe(303)
    expect(await t.db.select().from(users).where(eq(users.id, user.id)).get()).toBeUndefined()
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
    expect(await t.db.select().from(consents).where(eq(consents.userId, user.id))).toHaveLength(0)
    const again = await t.browser().post('/register', {
      name: 'Back Again',
      email: 'close@example.com',
      password: 'pierogi z jagodami',
      language: 'en',
      terms: 'on',
      privacy: 'on',
    })
    expect(again.status).toBe(200)
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'close@example.com'))
    expect(mails.map((m) => m.template)).toEqual(['account.activation'])
  })
})

describe('language', () => {
  it('follows Accept-Language for visitors, and the switcher overrides it with a cookie', async () => {
    const b = t.browser()
    const first = await b.get('/login', { 'Accept-Language': 'it-IT,it;q=0.9,en;q=0.5' })
    expect(await first.text()).toContain('<html lang="it">')
    const res = await b.post('/language', { language: 'pl', next: '/login' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/login')
    const page = await b.get('/login', { 'Accept-Language': 'it' })
    const html = await page.text()
    expect(html).toContain('<html lang="pl">')
    expect(textOf(html)).toContain('Zaloguj się')
  })

  it('stores the switched language on a signed-in account, so e-mails follow it', async () => {
    const { user, b } = await signedIn('switch@example.com')
    await b.post('/language', { language: 'pl', next: '/account' })
    expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.language).toBe('pl')
  })

  it('never redirects to another site after switching', async () => {
    const res = await t.browser().post('/language', { language: 'en', next: '//evil.example/x' })
    expect(res.headers.get('Location')).toBe('/')
  })

  it('refuses an unknown language with 422', async () => {
    expect((await t.browser().post('/language', { language: 'xx' })).status).toBe(422)
  })
})

describe('htmx', () => {
  it('is told to load the page (HX-Redirect) when a change needs a full page, instead of following a 303 into a fragment', async () => {
    const { b } = await signedIn('hxredirect@example.com')
    const res = await b.post('/account/profile', { name: 'New Name', language: 'pl' }, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' })
    expect(res.status).toBe(200)
    expect(res.headers.get('HX-Redirect')).toBe('/account')
    expect(await res.text()).toBe('')
  })
})
