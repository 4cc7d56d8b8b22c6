import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { jobRuns, sessions, users } from '../../src/db/schema'
import { totpAt, decodeKey } from '../../src/auth/totp'
import { MINUTE } from '../../src/clock'
import { runNamedJob } from '../../src/jobs'
import { testApp, textOf } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'
import { operatorWithAuthenticator as signInOperator } from '../helpers/operators'

const t = await testApp()
const operatorWithAuthenticator = (email: string) => signInOperator(t, email)

describe('operators', () => {
  it('need the second step before the back office; the password alone only reaches the code page', async () => {
    const user = await createUser(t.deps, { email: 'op1@example.com', operator: true })
    const b = t.browser()
    await b.post('/login', { email: 'op1@example.com', password: PASSWORD })
    const ops = await b.get('/ops')
    expect(ops.status).toBe(303)
    expect(ops.headers.get('Location')).toBe('/login/2fa')
    expect((await b.get('/account')).headers.get('Location')).toBe('/login/2fa')
    const setup = await b.get('/login/2fa/setup')
    const html = await setup.text()
    expect(html).toContain('src="data:image/svg+xml')
    expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.totpKey).toBeNull()
  })

  it('set up TOTP with a QR code, get a recovery code, and then reach /ops, the outbox and the job runs', async () => {
    const { user, b } = await operatorWithAuthenticator('op2@example.com')
    const stored = await t.db.select().from(users).where(eq(users.id, user.id)).get()
    expect(stored!.totpKey).not.toBeNull()
    expect(stored!.totpRecoveryHash).toMatch(/^[0-9a-f]{64}$/)
    expect((await b.get('/ops')).status).toBe(200)
    await runNamedJob(t.deps, 'mail', t.clock.now())
    const outboxPage = textOf(await (await b.get('/ops/outbox')).text())
    expect(outboxPage).toContain('Outbox')
    const jobs = textOf(await (await b.get('/ops/jobs')).text())
    expect(jobs).toContain('mail')
    expect(jobs).toMatch(/ok/)
  })

  it('sign in later with the code from the authenticator; a wrong code is refused', async () => {
    const { key } = await operatorWithAuthenticator('op3@example.com')
    // The next 30 s step: the set-up's code was accepted once and can't sign in again.
    t.clock.advance(30_000)
    const b = t.browser()
    const res = await b.post('/login', { email: 'op3@example.com', password: PASSWORD })
    expect(res.headers.get('Location')).toBe('/login/2fa')
    const wrong = await b.post('/login/2fa', { code: '000000' === totpAt(decodeKey(key), t.clock.now()) ? '111111' : '000000' })
    expect(wrong.status).toBe(422)
    expect(textOf(await wrong.text())).toContain('This code is not valid.')
    expect((await b.get('/ops')).status).toBe(303)
    const ok = await b.post('/login/2fa', { code: totpAt(decodeKey(key), t.clock.now()) })
    expect(ok.headers.get('Location')).toBe('/ops')
    expect((await b.get('/ops')).status).toBe(200)
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('can use the recovery code once, which clears the authenticator for a new setup', async () => {
    const { user, recovery } = await operatorWithAuthenticator('op4@example.com')
    const b = t.browser()
    await b.post('/login', { email: 'op4@example.com', password: PASSWORD })
    const ok = await b.post('/login/2fa', { code: recovery })
    expect(ok.headers.get('Location')).toBe('/ops')
    expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.totpKey).toBeNull()
    const again = t.browser()
    const res = await again.post('/login', { email: 'op4@example.com', password: PASSWORD })
    expect(res.headers.get('Location')).toBe('/login/2fa/setup')
  })

  it('get 429 after 5 wrong codes in a quarter of an hour', async () => {
    await operatorWithAuthenticator('op5@example.com')
    t.clock.advance(MINUTE)
    const b = t.browser()
    await b.post('/login', { email: 'op5@example.com', password: PASSWORD })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await b.post('/login/2fa', { code: 'abcdef' })).status)
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429])
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('is invisible to customers: /ops answers 404 as if it did not exist', async () => {
    await createUser(t.deps, { email: 'customer@example.com' })
    const b = t.browser()
    await b.post('/login', { email: 'customer@example.com', password: PASSWORD })
    const res = await b.get('/ops/outbox')
    expect(res.status).toBe(404)
    expect(textOf(await res.text())).toContain('Page not found')
  })

  it('an operator session is marked verified only after the second step', async () => {
    const { user } = await operatorWithAuthenticator('op6@example.com')
    const rows = await t.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows.map((r) => r.twoFactorVerified)).toEqual([true])
  })
})

describe('the job runs page', () => {
  const run = (job: string, minute: number, rest: Partial<typeof jobRuns.$inferInsert> = {}) => {
    const at = new Date(Date.parse('2026-11-03T03:00:00Z') + minute * MINUTE)
    return { job, asOf: at, startedAt: at, finishedAt: new Date(at.getTime() + 42), status: 'ok' as const, ...rest }
  }

  it('shows each run newest first with the counts that are not zero and every line of its errors', async () => {
    const { b } = await operatorWithAuthenticator('jobs1@example.com')
    await t.db.insert(jobRuns).values([
      run('renewals', 0, { counts: { due: 0, renewed: 0 } }),
      run('renewals', 1, { counts: { due: 3, renewed: 2, failed: 1, lapsed: 0 }, error: 'subscription s1: card provider timed out\nsubscription s2: no such plan' }),
      run('renewals', 2, { status: 'error', error: 'Error: database is locked\n    at runRenewals (renewals.ts:1:1)' }),
    ])
    const text = textOf(await (await b.get('/ops/jobs?job=renewals')).text())
    // The cron times are UTC (wrangler.toml), and the table says so.
    expect(text).toContain('As of (UTC)')
    const rows = text.slice(text.indexOf('Errors') + 'Errors'.length).trim()
    expect(rows).toBe(
      [
        'renewals 3 Nov 2026, 03:02 3 Nov 2026, 03:02 42 ms error Error: database is locked at runRenewals (renewals.ts:1:1)',
        'renewals 3 Nov 2026, 03:01 3 Nov 2026, 03:01 42 ms ok due: 3, renewed: 2, failed: 1 subscription s1: card provider timed out subscription s2: no such plan',
        'renewals 3 Nov 2026, 03:00 3 Nov 2026, 03:00 42 ms ok nothing to do',
      ].join(' ') + ' Kontor — customer panel',
    )
  })

  it('filters by job (an unknown one shows all) and pages back through older runs', async () => {
    const { b } = await operatorWithAuthenticator('jobs2@example.com')
    await t.db.insert(jobRuns).values(Array.from({ length: 55 }, (_, i) => run('digests', i, { counts: { sent: i } })))
    const first = await (await b.get('/ops/jobs?job=digests')).text()
    expect(first.match(/<td data-label="Job">digests<\/td>/g)).toHaveLength(50)
    expect(textOf(first)).toContain('sent: 54')
    expect(first).not.toContain('<td data-label="Job">mail</td>')
    const older = /<a href="(\/ops\/jobs\?job=digests&amp;before=\d+)">Older runs<\/a>/.exec(first)![1]!.replace('&amp;', '&')
    const second = await (await b.get(older)).text()
    expect(textOf(second).match(/sent: \d+/g)).toEqual(['sent: 4', 'sent: 3', 'sent: 2', 'sent: 1'])
    expect(textOf(second)).toContain('nothing to do')
    expect(second).toContain('<a href="/ops/jobs?job=digests">Newest runs</a>')
    expect(second).not.toContain('Older runs')
    const all = await (await b.get('/ops/jobs?job=nonsense')).text()
    expect(all).toContain('<option value="" selected="">All jobs</option>')
    expect(all).toMatch(/<a href="\/ops\/jobs\?before=\d+">Older runs<\/a>/)
  })
})
