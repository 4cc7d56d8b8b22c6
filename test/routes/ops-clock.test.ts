// The test clock (/ops/clock, issue 7): operators move the app's time forward outside production,
// the jobs run for every simulated day passed, every page says so, and reset returns to real time.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { jobRuns, meta, outbox, sessions, subscriptions } from '../../src/db/schema'
import { DAY, HOUR } from '../../src/clock'
import { runTick } from '../../src/jobs'
import { appNow, dailyFirings, moveTestClockTo, resetTestClock, TEST_CLOCK_KEY } from '../../src/services/test-clock'
import { enqueueMail } from '../../src/mail/outbox'
import { runNamedJob } from '../../src/jobs'
import { settlePayment } from '../../src/services/payments'
import { testSavedMethod } from '../../src/payments/test-provider'
import { decodeKey, totpAt } from '../../src/auth/totp'
import { testApp, textOf, type TestApp } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { PASSWORD, signedIn } from '../helpers/users'

const T0 = new Date('2026-11-02T09:00:00Z')
const offsetOf = (t: TestApp) => t.db.select().from(meta).where(eq(meta.key, TEST_CLOCK_KEY)).get()
const runsOf = (t: TestApp) => t.db.select().from(jobRuns).orderBy(jobRuns.id)
const pageText = async (res: Response) => textOf(await res.text())

/** An operator's browser on a fresh app at T0 (demo catalog inserted). */
async function opsApp(opts: Parameters<typeof testApp>[0] = {}) {
  const t = await testApp({ now: T0.toISOString(), ...opts })
  await t.seedCatalog()
  const { b, key } = await operatorWithAuthenticator(t, 'op@example.com')
  return { t, b, key }
}

describe('the test clock page', () => {
  it('is for operators only: a visitor is sent to sign in, a customer gets the 404 of a missing page and moves nothing', async () => {
    const t = await testApp()
    expect((await t.browser().get('/ops/clock')).headers.get('Location')).toBe('/login')
    const { b } = await signedIn(t, 'customer@example.com')
    expect((await b.get('/ops/clock')).status).toBe(404)
    const res = await b.post('/ops/clock/advance', { days: '7' })
    expect(res.status).toBe(404)
    expect(await pageText(res)).toContain('Page not found')
    expect(await offsetOf(t)).toBeUndefined()
  })

  it('does not exist in production (404, no menu item), and appNow there ignores an offset left in the database', async () => {
    const { t, b } = await opsApp({ config: { environment: 'production' } })
    expect((await b.get('/ops/clock')).status).toBe(404)
    expect((await b.post('/ops/clock/advance', { days: '1' })).status).toBe(404)
    expect((await b.post('/ops/clock/reset')).status).toBe(404)
    await t.db.insert(meta).values({ key: TEST_CLOCK_KEY, value: String(30 * DAY) })
    expect(await appNow(t.deps)).toEqual(T0)
    const home = await (await b.get('/ops')).text()
    expect(home).not.toContain('/ops/clock')
    expect(textOf(home)).not.toContain('Test clock')
  })

  it('shows real time and app time, and is in the back office menu outside production', async () => {
    const { b } = await opsApp()
    const text = await pageText(await b.get('/ops/clock'))
    // The vendor's zone (Warsaw, UTC+1 in November) for both times.
    expect(text).toContain('Real time 2 Nov 2026, 10:00 App time 2 Nov 2026, 10:00')
    expect(text).toContain('The test clock is not set: the app uses real time.')
    expect(text).toContain('(purges 02:30 UTC, renewals 03:15 UTC)')
    expect(await (await b.get('/ops')).text()).toContain('<a href="/ops/clock">Test clock</a>')
  })
})

describe('advancing the clock', () => {
  it('by 8 days runs purges then renewals at their cron times on each simulated day, then mail, digests and e-invoices once; a card subscription ending in 8 days is renewed and its page says so', async () => {
    const START = new Date('2026-11-20T10:00:00Z')
    const END = new Date('2027-11-20T10:00:00Z')
    const t = await testApp({ now: START.toISOString() })
    await t.seedCatalog()
    const buyer = await adminWithOrg(t, 'buyer@example.com')
    const { id } = await orderFor(t, buyer, 'card')
    const paymentId = await hostedPayment(t, id, buyer.org.id)
    const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
    await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, t.clock.now())
    // Real time is now 8 days before the end.
    t.clock.set(new Date(END.getTime() - 8 * DAY))
    const { b } = await operatorWithAuthenticator(t, 'op@example.com')
    const before = (await runsOf(t)).length

    const res = await b.post('/ops/clock/advance', { days: '8' })
    expect(res.status).toBe(303)
    expect(await pageText(await b.follow(res))).toContain('The clock moved to 20 Nov 2027, 11:00: 19 job runs, 0 failed, 0 skipped.')

    const runs = (await runsOf(t)).slice(before)
    const day = (n: number, time: string) => `2027-11-${12 + n}T${time}:00.000Z`
    const daily = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => [['purges', day(n, '02:30')], ['renewals', day(n, '03:15')]])
    expect(runs.map((r) => [r.job, r.asOf.toISOString()])).toEqual([...daily, ['mail', END.toISOString()], ['digests', END.toISOString()], ['einvoices', END.toISOString()]])
    expect(runs.every((r) => r.status === 'ok')).toBe(true)
    // Due 7 days before the end: the run of 14 November (the first whose window reaches 10:00 on the 20th).
    expect(runs.filter((r) => r.job === 'renewals').map((r) => r.counts?.renewed)).toEqual([0, 1, 0, 0, 0, 0, 0, 0])
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
    expect([sub.periodStart, sub.periodEnd]).toEqual([END, new Date('2028-11-20T10:00:00Z')])
    expect(Number((await offsetOf(t))!.value)).toBe(8 * DAY)

    // The administrator's page, as of the app time: the next period, and the marker in the header.
    const admin = t.browser()
    await admin.post('/login', { email: 'buyer@example.com', password: PASSWORD })
    const plan = await pageText(await admin.get(`/o/${buyer.slug}/products/sekretariat/plan`))
    expect(plan).toContain('Paid until 20 November 2028')
    expect(plan).toContain('Test clock: 20 Nov 2027, 11:00')
  })

  it('keeps flowing with real time once set, and the jobs run on a tick use the app time', async () => {
    const { t, b } = await opsApp()
    await b.post('/ops/clock/advance', { days: '0', hours: '5' })
    t.clock.advance(HOUR)
    expect(await appNow(t.deps)).toEqual(new Date(T0.getTime() + 6 * HOUR))
    const [tick] = await runTick(t.deps, '*/2 * * * *', await appNow(t.deps))
    expect(tick).toMatchObject({ job: 'mail', result: { status: 'ok' } })
    expect((await runsOf(t)).at(-1)!.asOf).toEqual(new Date(T0.getTime() + 6 * HOUR))
  })

  it('shows a marker on every page, for customers too, linking operators to the clock', async () => {
    const { t, b } = await opsApp()
    const customer = await signedIn(t, 'someone@example.com')
    expect(await (await customer.b.get('/account')).text()).not.toContain('class="test-clock"')
    await b.post('/ops/clock/advance', { days: '30' })
    expect(await pageText(await customer.b.get('/account'))).toContain('Test clock: 2 Dec 2026, 10:00')
    expect(await pageText(await t.browser().get('/login'))).toContain('Test clock: 2 Dec 2026, 10:00')
    expect(await (await b.get('/ops')).text()).toContain('<p class="test-clock" role="note"><a href="/ops/clock">Test clock: 2 Dec 2026, 10:00</a></p>')
  })

  it('lets an operator sign in with the authenticator code of real time while the app time is ahead', async () => {
    const { t, b, key } = await opsApp()
    await b.post('/ops/clock/advance', { days: '1' })
    // The next 30 s step of real time: the set-up's code was accepted, so it can't sign in again.
    t.clock.advance(30_000)
    const again = t.browser()
    await again.post('/login', { email: 'op@example.com', password: PASSWORD })
    const ok = await again.post('/login/2fa', { code: totpAt(decodeKey(key), t.clock.now()) })
    expect(ok.headers.get('Location')).toBe('/ops')
  })

  it('to a moment runs the days in between like an advance, read in the vendor time zone', async () => {
    const { t, b } = await opsApp()
    const res = await b.post('/ops/clock/moment', { at: '2026-11-05T12:00' })
    expect(res.status).toBe(303)
    expect(await appNow(t.deps)).toEqual(new Date('2026-11-05T11:00:00Z'))
    const renewals = (await runsOf(t)).filter((r) => r.job === 'renewals')
    expect(renewals.map((r) => r.asOf.toISOString())).toEqual(['2026-11-03T03:15:00.000Z', '2026-11-04T03:15:00.000Z', '2026-11-05T03:15:00.000Z'])
  })

  it('refuses to move backwards, to a moment before the app time, with a message and nothing changed', async () => {
    const { t, b } = await opsApp()
    await b.post('/ops/clock/advance', { days: '7' })
    const runs = (await runsOf(t)).length
    const res = await b.post('/ops/clock/moment', { at: '2026-11-05T12:00' })
    expect(res.status).toBe(422)
    const text = await pageText(res)
    expect(text).toContain('The test clock only moves forward: 5 Nov 2026, 12:00 is not later than the app time. To go back, reset the clock to real time.')
    expect(text).toContain('App time 9 Nov 2026, 10:00')
    expect(await runsOf(t)).toHaveLength(runs)
    expect(Number((await offsetOf(t))!.value)).toBe(7 * DAY)
  })

  it('refuses more than 400 days at once, and forms that say nothing to do', async () => {
    const { t, b } = await opsApp()
    const far = await b.post('/ops/clock/advance', { days: '401' })
    expect(far.status).toBe(422)
    expect(await pageText(far)).toContain('The clock moves at most 400 days at a time: move it in several steps.')
    const farMoment = await b.post('/ops/clock/moment', { at: '2027-12-08T10:00' })
    expect(farMoment.status).toBe(422)
    for (const form of [{ days: '0', hours: '0' }, { days: '-1' }, { days: '2', hours: '24' }, {}] as Record<string, string>[]) expect((await b.post('/ops/clock/advance', form)).status).toBe(422)
    expect((await b.post('/ops/clock/moment', { at: '2027-02-30T10:00' })).status).toBe(422)
    expect(await pageText(await b.post('/ops/clock/advance', { days: '2', hours: '24' }))).toContain('Enter a whole number of hours from 0 to 23.')
    expect(await offsetOf(t)).toBeUndefined()
    expect(await runsOf(t)).toHaveLength(0)
  })

  it('reset returns to real time and removes the marker; what the jobs did stays', async () => {
    const { t, b } = await opsApp()
    await b.post('/ops/clock/advance', { days: '1' })
    const runs = (await runsOf(t)).length
    const res = await b.post('/ops/clock/reset')
    expect(res.status).toBe(303)
    const text = await pageText(await b.follow(res))
    expect(text).toContain('The test clock is off: the app uses real time.')
    expect(text).toContain('App time 2 Nov 2026, 10:00')
    expect(text).not.toContain('Test clock: ')
    expect(await appNow(t.deps)).toEqual(T0)
    expect(await offsetOf(t)).toBeUndefined()
    expect(await runsOf(t)).toHaveLength(runs)
  })
})

describe('the clock and sessions', () => {
  it('moving the clock signs nobody out: sessions move with it, and come back with it on reset', async () => {
    const { t, b } = await opsApp()
    const before = (await t.db.select().from(sessions)).map((s) => s.expiresAt.getTime())
    await b.post('/ops/clock/advance', { days: '30' })
    expect((await t.db.select().from(sessions)).map((s) => s.expiresAt.getTime())).toEqual(before.map((at) => at + 30 * DAY))
    expect((await b.get('/ops/clock')).status).toBe(200)
    await b.post('/ops/clock/reset')
    expect((await t.db.select().from(sessions)).map((s) => s.expiresAt.getTime())).toEqual(before)
  })

  it('mail queued at the app’s time comes back with the clock on reset, and the next mail run delivers it', async () => {
    const { t } = await opsApp()
    await moveTestClockTo(t.deps, new Date(T0.getTime() + 30 * DAY))
    const mail = { subject: 'Queued in simulated time', html: '<p>x</p>', text: 'x' }
    await enqueueMail(t.db, { to: 'late@example.com', language: 'en', template: 'test', mail, now: await appNow(t.deps) })
    const queued = () => t.db.select().from(outbox).where(eq(outbox.to, 'late@example.com')).get()
    expect((await queued())!.nextAttemptAt).toEqual(new Date(T0.getTime() + 30 * DAY))
    expect(await resetTestClock(t.deps)).toEqual({ ok: true, value: { wasSet: true } })
    expect((await queued())!.nextAttemptAt).toEqual(T0)
    await runNamedJob(t.deps, 'mail', await appNow(t.deps))
    expect((await queued())!.status).toBe('sent')
  })

  it('two moves at once: one runs, the other is told the clock moved meanwhile and does nothing more', async () => {
    const { t } = await opsApp()
    const results = await Promise.all([moveTestClockTo(t.deps, new Date(T0.getTime() + 2 * DAY)), moveTestClockTo(t.deps, new Date(T0.getTime() + 3 * DAY))])
    expect(results.map((r) => (r.ok ? 'ok' : r.error)).sort()).toEqual(['moved', 'ok'])
    expect((await runsOf(t)).filter((r) => r.job === 'mail')).toHaveLength(1)
  })
})

describe('daily firings', () => {
  it('lists each daily job at its cron time in (from, to], in time order', () => {
    const at = (s: string) => new Date(s)
    expect(dailyFirings(at('2026-11-02T02:30:00Z'), at('2026-11-03T03:00:00Z')).map((f) => [f.job, f.at.toISOString()])).toEqual([
      ['renewals', '2026-11-02T03:15:00.000Z'],
      ['purges', '2026-11-03T02:30:00.000Z'],
    ])
    expect(dailyFirings(at('2026-11-02T04:00:00Z'), at('2026-11-02T23:00:00Z'))).toEqual([])
  })
})
