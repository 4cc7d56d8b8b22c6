// A daily job whose whole run failed is run again on the next mail tick (every 2 minutes), as of
// that tick, until a run succeeds; the run that failed, and each retry, are on record (issue 7).
import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { jobLeases, jobRuns, subscriptions } from '../../src/db/schema'
import { MINUTE } from '../../src/clock'
import { runTick } from '../../src/jobs'
import { runJob } from '../../src/jobs/runner'
import { runRenewals } from '../../src/jobs/renewals'
import { testApp, type TestApp } from '../helpers/app'
import { bulkCardSubscribers } from '../../bench/seed-subscribers'

const MAIL_TICK = '*/2 * * * *'
const PURGES = '30 2 * * *'
const at = (minutes: number) => new Date(Date.parse('2026-11-03T02:30:00Z') + minutes * MINUTE)
const ran = (runs: Awaited<ReturnType<typeof runTick>>) => runs.map((r) => [r.job, r.result.status])
const runsOf = async (t: TestApp, job: string) => (await t.db.select().from(jobRuns).orderBy(jobRuns.id)).filter((r) => r.job === job)
/** The purge job fails as a whole while one of its tables is away (as when the database is). */
const breakPurges = (t: TestApp) => t.db.run(sql`ALTER TABLE throttle_hits RENAME TO throttle_hits_away`)
const mendPurges = (t: TestApp) => t.db.run(sql`ALTER TABLE throttle_hits_away RENAME TO throttle_hits`)

describe('retrying a failed daily job', () => {
  it('re-runs it on each mail tick, once per tick and as of the tick, until it succeeds; then never again', async () => {
    const t = await testApp({ now: at(0).toISOString() })
    await breakPurges(t)
    expect(ran(await runTick(t.deps, PURGES, at(0)))).toEqual([['purges', 'error']])

    // Still broken: retried, and failing again, once on this tick.
    expect(ran(await runTick(t.deps, MAIL_TICK, at(2)))).toEqual([['mail', 'ok'], ['purges', 'error']])
    await mendPurges(t)
    expect(ran(await runTick(t.deps, MAIL_TICK, at(4)))).toEqual([['mail', 'ok'], ['purges', 'ok']])
    expect(ran(await runTick(t.deps, MAIL_TICK, at(6)))).toEqual([['mail', 'ok']])

    const purges = await runsOf(t, 'purges')
    expect(purges.map((r) => [r.status, r.asOf])).toEqual([['error', at(0)], ['error', at(2)], ['ok', at(4)]])
    expect(purges[0]!.error).toContain('throttle_hits')
    // Renewals never failed, so it is never run off its schedule.
    expect(await runsOf(t, 'renewals')).toEqual([])
  })

  it('looks past skipped runs: a failure followed by a run that found the lease taken is still retried', async () => {
    const t = await testApp({ now: at(0).toISOString() })
    const row = { job: 'renewals', asOf: at(0), startedAt: at(0), finishedAt: at(0) }
    await t.db.insert(jobRuns).values([{ ...row, status: 'error', error: 'boom' }, { ...row, status: 'skipped' }])
    expect(ran(await runTick(t.deps, MAIL_TICK, at(2)))).toEqual([['mail', 'ok'], ['renewals', 'ok']])
    expect((await runsOf(t, 'renewals')).at(-1)).toMatchObject({ status: 'ok', asOf: at(2) })
  })

  it('leaves a job alone whose latest run succeeded after an earlier failure, and retries only on the mail tick', async () => {
    const t = await testApp({ now: at(0).toISOString() })
    const row = { job: 'renewals', asOf: at(0), startedAt: at(0), finishedAt: at(0) }
    await t.db.insert(jobRuns).values([{ ...row, status: 'error', error: 'boom' }, { ...row, status: 'ok', counts: {} }])
    expect(ran(await runTick(t.deps, MAIL_TICK, at(2)))).toEqual([['mail', 'ok']])
    await t.db.insert(jobRuns).values({ ...row, status: 'error', error: 'boom again' })
    expect(ran(await runTick(t.deps, '*/15 * * * *', at(15)))).toEqual([['digests', 'ok']])
    expect(ran(await runTick(t.deps, MAIL_TICK, at(16)))).toEqual([['mail', 'ok'], ['renewals', 'ok']])
  })

  it('re-runs a daily job whose run died mid-way (still "running", its lease no longer renewed and expired), but not one whose lease is live', async () => {
    const t = await testApp({ now: at(0).toISOString() })
    await t.db.insert(jobRuns).values({ job: 'renewals', asOf: at(0), startedAt: at(0), status: 'running' })
    // The run's lease, as its last heartbeat left it: it lasts a minute from there.
    await t.db.insert(jobLeases).values({ job: 'renewals', holder: 'the-run', expiresAt: at(1) })
    t.clock.set(new Date(at(1).getTime() - 1))
    expect(ran(await runTick(t.deps, MAIL_TICK, t.clock.now()))).toEqual([['mail', 'ok']])
    t.clock.set(at(2))
    expect(ran(await runTick(t.deps, MAIL_TICK, at(2)))).toEqual([['mail', 'ok'], ['renewals', 'ok']])
    expect((await runsOf(t, 'renewals')).map((r) => r.status)).toEqual(['running', 'ok'])
  })

  it('re-runs a daily job whose record says "running" while no lease is held at all (the run ended without writing its end)', async () => {
    const t = await testApp({ now: at(0).toISOString() })
    await t.db.insert(jobRuns).values({ job: 'purges', asOf: at(0), startedAt: at(0), status: 'running' })
    expect(ran(await runTick(t.deps, MAIL_TICK, at(2)))).toEqual([['mail', 'ok'], ['purges', 'ok']])
  })

  it('continues a renewals run that stopped at its budget on the next mail tick, where the due work left off, until none is left', async () => {
    const start = at(0)
    const t = await testApp({ now: start.toISOString(), mailer: 'none' })
    await t.seedCatalog()
    const end = new Date(start.getTime() + 7 * 24 * 60 * MINUTE)
    const subs = await bulkCardSubscribers(t, 12, { periodEnd: end })
    const renewed = async () => (await t.db.select().from(subscriptions).where(eq(subscriptions.periodStart, end))).length

    const first = await runJob(t.deps, 'renewals', (deps, now) => runRenewals(deps, now, 100, { left: 5, unit: 'items' }), start)
    expect(first).toMatchObject({ status: 'ok', counts: { renewed: 5, unfinished: 1 } })
    expect(await renewed()).toBe(5)

    t.clock.set(at(2))
    const next = await runTick(t.deps, MAIL_TICK, at(2))
    expect(ran(next)).toEqual([['mail', 'ok'], ['renewals', 'ok']])
    expect(next[1]!.result).toMatchObject({ counts: { renewed: 7 } })
    expect(next[1]!.result.status === 'ok' && next[1]!.result.counts.unfinished).toBeUndefined()
    expect(await renewed()).toBe(subs.length)
    expect(ran(await runTick(t.deps, MAIL_TICK, at(4)))).toEqual([['mail', 'ok']])
  })
})
