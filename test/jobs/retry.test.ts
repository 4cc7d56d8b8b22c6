// A daily job whose whole run failed is run again on the next mail tick (every 2 minutes), as of
// that tick, until a run succeeds; the run that failed, and each retry, are on record (issue 7).
import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { jobRuns } from '../../src/db/schema'
import { MINUTE } from '../../src/clock'
import { runTick } from '../../src/jobs'
import { testApp, type TestApp } from '../helpers/app'

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
})
