import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { sessions, users } from '../../src/db/schema'
import { HOUR, MINUTE } from '../../src/clock'
import { hashToken } from '../../src/auth/tokens'
import { hashPassword, PASSWORD_COST, verifyPassword } from '../../src/auth/password'
import { testApp, textOf } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp({ config: { baseUrl: 'https://panel.example.com', secureCookies: true, clientIpHeader: 'cf-connecting-ip' } })

function sessionCookieHeader(res: Response) {
  return res.headers.getSetCookie().find((c) => c.startsWith('__Host-kontor_session='))
}

describe('sign in', () => {
  it('sets a __Host- session cookie that is HttpOnly, Secure, SameSite=Lax, Path=/ and stores only the hash of its token', async () => {
    const user = await createUser(t.deps, { email: 'cookie@example.com' })
    const b = t.browser()
    const res = await b.post('/login', { email: 'Cookie@Example.com', password: PASSWORD })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/account')
    const cookie = sessionCookieHeader(res)!
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=Lax/)
    expect(cookie).toMatch(/; Path=\//)
    // Without "remember me": a browser-session cookie; the server ends it after 12 h without a
    // request (test/routes/session-lifetimes.test.ts).
    expect(cookie).not.toMatch(/Expires|Max-Age/i)
    const token = cookie.split(';')[0]!.split('=')[1]!
    expect(token.length).toBeGreaterThanOrEqual(26) // ≥ 128 bits in base32
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toBe(hashToken(token))
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[0]!.expiresAt.getTime() - t.clock.now().getTime()).toBe(12 * HOUR)
    const account = await b.get('/account')
    expect(account.status).toBe(200)
    expect(textOf(await account.text())).toContain('cookie@example.com')
  })

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    await createUser(t.deps, { email: 'known@example.com' })
    const wrong = await t.browser().post('/login', { email: 'known@example.com', password: 'not the password' })
    const unknown = await t.browser().post('/login', { email: 'unknown@example.com', password: 'not the password' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const a = (await wrong.text()).replaceAll('known@example.com', 'X')
    const b = (await unknown.text()).replaceAll('unknown@example.com', 'X')
    expect(a).toBe(b)
    expect(textOf(a)).toContain('The e-mail or password is not correct.')
  })

  it("re-hashes a password stored at an older cost (scrypt N=2^14, r=8, p=1) at OWASP's cost at the next sign-in, and only then", async () => {
    // Production's cost, not the tests' cheap one: this is the upgrade production makes.
    const prod = await testApp({ config: { passwordCost: PASSWORD_COST } })
    const user = await createUser(prod.deps, { email: 'old-hash@example.com' })
    const old = await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 })
    await prod.db.update(users).set({ passwordHash: old }).where(eq(users.id, user.id))
    const stored = async () => (await prod.db.select().from(users).where(eq(users.id, user.id)).get())!.passwordHash

    expect((await prod.browser().post('/login', { email: user.email, password: 'not the password' })).status).toBe(401)
    expect(await stored()).toBe(old)
    expect((await prod.browser().post('/login', { email: user.email, password: PASSWORD })).status).toBe(303)
    const upgraded = await stored()
    expect(upgraded).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/)
    expect(await verifyPassword(upgraded, PASSWORD)).toBe(true)
    expect((await prod.browser().post('/login', { email: user.email, password: PASSWORD })).status).toBe(303)
    expect(await stored()).toBe(upgraded)
  })

  it('refuses an account that is not activated, offering to send the activation e-mail again', async () => {
    const user = await createUser(t.deps, { email: 'inactive@example.com', activated: false })
    const res = await t.browser().post('/login', { email: 'inactive@example.com', password: PASSWORD })
    expect(res.status).toBe(403)
    const html = await res.text()
    expect(textOf(html)).toContain('not activated yet')
    expect(html).toContain('action="/activation/resend"')
    // Two forms with an e-mail field on one page: each label points at its own input.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    expect(html).toContain('for="f-resend-email"')
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
  })

  it('answers the 6th attempt within a minute for one e-mail and address with 429, and lets the next minute through', async () => {
    await createUser(t.deps, { email: 'throttle@example.com' })
    const b = t.browser()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await b.post('/login', { email: 'throttle@example.com', password: 'wrong password' })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const res = await b.post('/login', { email: 'throttle@example.com', password: PASSWORD })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(textOf(await res.text())).toContain('Too many attempts')
    t.clock.advance(MINUTE)
    expect((await b.post('/login', { email: 'throttle@example.com', password: PASSWORD })).status).toBe(303)
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('locks an account for the rest of the hour after 100 failed sign-ins from anywhere', async () => {
    await createUser(t.deps, { email: 'target@example.com' })
    for (let i = 0; i < 100; i++) {
      // A different address each time, as a distributed attack would use.
      const res = await t.app.request('http://localhost/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://panel.example.com', 'CF-Connecting-IP': `10.0.${i >> 8}.${i & 255}` },
        body: new URLSearchParams({ email: 'target@example.com', password: `guess ${i}` }),
      })
      expect(res.status).toBe(401) // the per-address limit never trips: one try each
    }
    const res = await t.browser().post('/login', { email: 'target@example.com', password: PASSWORD })
    expect(res.status).toBe(429)
  }, 60_000)

  it('creates a fresh session at every sign-in and replaces the one the browser had', async () => {
    const user = await createUser(t.deps, { email: 'fresh@example.com' })
    const b = t.browser()
    await b.post('/login', { email: 'fresh@example.com', password: PASSWORD })
    const first = b.cookies.get('__Host-kontor_session')
    await b.post('/login', { email: 'fresh@example.com', password: PASSWORD })
    const second = b.cookies.get('__Host-kontor_session')
    expect(second).not.toBe(first)
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows.map((r) => r.id)).toEqual([hashToken(second!)])
  })

  it('signs out: the session row is deleted and the cookie cleared', async () => {
    const user = await createUser(t.deps, { email: 'out@example.com' })
    const b = t.browser()
    await b.post('/login', { email: 'out@example.com', password: PASSWORD })
    const res = await b.post('/logout')
    expect(res.status).toBe(303)
    expect(sessionCookieHeader(res)).toMatch(/Max-Age=0/)
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
    expect(textOf(await (await b.follow(res)).text())).toContain('You have signed out.')
  })

  it('refuses a malformed e-mail or an empty password with 422 and creates no session', async () => {
    const before = (await t.db.select().from(sessions)).length
    const res = await t.browser().post('/login', { email: 'nope', password: '' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-email-error"')
    expect(html).toContain('id="f-password-error"')
    expect((await t.db.select().from(sessions)).length).toBe(before)
  })
})

describe('cross-site requests', () => {
  it('refuses a form posted from another origin with 403 and writes nothing', async () => {
    const before = (await t.db.select().from(users)).length
    const res = await t.app.request('https://panel.example.com/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: new URLSearchParams({ name: 'X', email: 'csrf@example.com', password: 'long enough pass', language: 'en', terms: 'on', privacy: 'on' }),
    })
    expect(res.status).toBe(403)
    expect(textOf(await res.text())).toContain('sent from another site')
    expect((await t.db.select().from(users)).length).toBe(before)
  })

  it('refuses a form marked Sec-Fetch-Site: cross-site without an Origin', async () => {
    const res = await t.app.request('https://panel.example.com/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' },
      body: new URLSearchParams({ email: 'a@example.com', password: 'whatever pass' }),
    })
    expect(res.status).toBe(403)
  })

  it('accepts the same form from the panel itself (Sec-Fetch-Site: same-origin)', async () => {
    const res = await t.app.request('https://panel.example.com/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ email: 'a@example.com', password: 'whatever pass' }),
    })
    expect(res.status).toBe(401)
  })
})

describe('protection', () => {
  it('sends a strict Content-Security-Policy without inline script, HSTS of at least a year, and no framing', async () => {
    const res = await t.browser().get('/login')
    const csp = res.headers.get('Content-Security-Policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('Strict-Transport-Security')!)![1])
    expect(maxAge).toBeGreaterThanOrEqual(365 * 24 * 3600)
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
  })

  it('refuses a body over 64 KB with 413 and a page that says so', async () => {
    const res = await t.browser().post('/register', { name: 'x'.repeat(70_000), email: 'big@example.com' })
    expect(res.status).toBe(413)
    expect(textOf(await res.text())).toContain('Request too large')
    expect(await t.db.select().from(users).where(eq(users.email, 'big@example.com'))).toHaveLength(0)
  })

  it('shows a friendly 404 page', async () => {
    const res = await t.browser().get('/no-such-page')
    expect(res.status).toBe(404)
    expect(textOf(await res.text())).toContain('Page not found')
  })
})
