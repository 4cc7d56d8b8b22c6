import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { emailTokens, jobLeases, jobRuns, outbox, sessions, throttleHits, users } from '../../src/db/schema'
import { DAY, HOUR, MINUTE } from '../../src/clock'
import { HEARTBEAT_EVERY, LEASE_FOR, runJob, type RunContext } from '../../src/jobs/runner'
import { CRON_TABLE, JOBS, runCron } from '../../src/jobs'
import type { LogLine } from '../../src/log'
import { readCronExpressions } from '../../src/cron'
import { hit, RULES } from '../../src/db/throttle'
import { enqueueMail } from '../../src/mail/outbox'
import { testApp } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp()

describe('the job runner', () => {
  it('records an error and frees the lease when a job throws', async () => {
    const result = await runJob(t.deps, 'boom', async () => {
      throw new Error('half-way failure')
    }, t.clock.now())
    expect(result.status).toBe('error')
    const [run] = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'boom'))
    expect(run).toMatchObject({ status: 'error' })
    expect(run!.error).toContain('half-way failure')
    expect(await t.db.select().from(jobLeases)).toHaveLength(0)
  })

  it('skips a run while another run of the same job holds the lease, and takes over an expired lease', async () => {
    await t.db.insert(jobLeases).values({ job: 'slow', holder: 'other', expiresAt: new Date(t.clock.now().getTime() + HOUR) })
    let ran = 0
    const job = async () => ({ ran: ++ran })
    expect((await runJob(t.deps, 'slow', job, t.clock.now())).status).toBe('skipped')
    t.clock.advance(HOUR)
    expect(await runJob(t.deps, 'slow', job, t.clock.now())).toEqual({ status: 'ok', counts: { ran: 1 } })
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('lets a run killed mid-way hold its job for a minute at most: the run after that takes the lease over', async () => {
    const start = t.clock.now()
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    // Never finishes and never beats again, as a process killed in the middle of its work.
    void runJob(t.deps, 'crashes', () => (started(), new Promise(() => {})), start)
    await running
    const job = async () => ({ done: 1 })
    t.clock.set(new Date(start.getTime() + LEASE_FOR - 1))
    expect(await runJob(t.deps, 'crashes', job, t.clock.now())).toEqual({ status: 'skipped' })
    t.clock.set(new Date(start.getTime() + LEASE_FOR))
    expect(await runJob(t.deps, 'crashes', job, t.clock.now())).toEqual({ status: 'ok', counts: { done: 1 } })
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('keeps the lease of a long run that beats between its items, however long it works', async () => {
    const start = t.clock.now()
    const beats: number[] = []
    const seen: string[] = []
    const long = async (_deps: unknown, _now: Date, run: RunContext) => {
      // Ten minutes of work in 10-second items, a heartbeat after each.
      for (let i = 0; i < 60; i++) {
        t.clock.advance(10_000)
        await run.heartbeat()
        const lease = await t.db.select().from(jobLeases).where(eq(jobLeases.job, 'long')).get()
        if (lease && !beats.includes(lease.expiresAt.getTime())) beats.push(lease.expiresAt.getTime())
        // Every minute another run tries, and finds the job taken.
        if (i % 6 === 5) seen.push((await runJob(t.deps, 'long', async () => ({}), t.clock.now())).status)
      }
      return { items: 60 }
    }
    expect(await runJob(t.deps, 'long', long, start)).toEqual({ status: 'ok', counts: { items: 60 } })
    expect(seen).toEqual(Array(10).fill('skipped'))
    // The first lease, then a renewal every HEARTBEAT_EVERY (20 s) of the clock, not one per item.
    expect(beats).toHaveLength(1 + (10 * MINUTE) / HEARTBEAT_EVERY)
    expect(await t.db.select().from(jobLeases)).toEqual([])
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('lets only one of two runs started at once work; the other is recorded as skipped', async () => {
    let working = 0
    const job = async () => {
      working++
      await new Promise((r) => setTimeout(r, 20))
      return { working }
    }
    const results = await Promise.all([runJob(t.deps, 'pair', job, t.clock.now()), runJob(t.deps, 'pair', job, t.clock.now())])
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
    expect(working).toBe(1)
    expect((await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'pair'))).map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
  })

  it('says on its record that a run stalled past its lease and lost it to another run', async () => {
    const stalls = async (_deps: unknown, _now: Date, run: RunContext) => {
      t.clock.advance(2 * MINUTE)
      // Meanwhile another run took the expired lease.
      expect(await runJob(t.deps, 'stalls', async () => ({}), t.clock.now())).toMatchObject({ status: 'ok' })
      await run.heartbeat()
      return { items: 1 }
    }
    expect(await runJob(t.deps, 'stalls', stalls, t.clock.now())).toEqual({ status: 'ok', counts: { items: 1, lease_lost: 1 } })
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('logs one line per run: the job, how it ended, its milliseconds and counts, or its error', async () => {
    const lines: LogLine[] = []
    const deps = { ...t.deps, log: (line: LogLine) => lines.push(line) }
    await runJob(deps, 'logged', async () => ({ done: 2 }), t.clock.now())
    await runJob(deps, 'logged-boom', async () => {
      throw new Error('the disk is full')
    }, t.clock.now())
    await t.db.insert(jobLeases).values({ job: 'logged-busy', holder: 'other', expiresAt: new Date(t.clock.now().getTime() + HOUR) })
    await runJob(deps, 'logged-busy', async () => ({}), t.clock.now())
    const asOf = t.clock.now().toISOString()
    expect(lines).toEqual([
      { type: 'job', job: 'logged', status: 'ok', ms: expect.any(Number), asOf, counts: { done: 2 } },
      { type: 'job', job: 'logged-boom', status: 'error', ms: expect.any(Number), asOf, level: 'error', error: expect.stringContaining('the disk is full') },
      { type: 'job', job: 'logged-busy', status: 'skipped', ms: expect.any(Number), asOf },
    ])
  })

  it('records the simulated time it ran as of', async () => {
    await runJob(t.deps, 'asof', async () => ({}), new Date('2027-01-01T00:00:00Z'))
    const [run] = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'asof'))
    expect(run!.asOf.toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(run!.startedAt.toISOString()).toBe('2026-11-02T09:00:00.000Z')
  })
})

describe('the cron table', () => {
  it('maps exactly the Cron Trigger expressions of wrangler.toml, each to a job that exists', () => {
    const crons = readCronExpressions()
    expect(Object.keys(CRON_TABLE).sort()).toEqual([...crons].sort())
    for (const name of Object.values(CRON_TABLE)) expect(Object.keys(JOBS)).toContain(name)
  })

  it('refuses an expression no job is mapped to', async () => {
    await expect(runCron(t.deps, '1 2 3 4 5', t.clock.now())).rejects.toThrow(/No job/)
  })
})

describe('the purge job', () => {
  it('deletes accounts never activated after 7 days, keeping younger and activated ones', async () => {
    const old = await createUser(t.deps, { email: 'old-inactive@example.com', activated: false })
    const active = await createUser(t.deps, { email: 'old-active@example.com' })
    t.clock.advance(6 * DAY)
    const young = await createUser(t.deps, { email: 'young-inactive@example.com', activated: false })
    t.clock.advance(DAY + 1)
    const result = await runCron(t.deps, '30 2 * * *', t.clock.now())
    expect(result).toMatchObject({ status: 'ok', counts: { accountsDeleted: 1 } })
    const left = (await t.db.select({ id: users.id }).from(users)).map((u) => u.id)
    expect(left).not.toContain(old.id)
    expect(left).toEqual(expect.arrayContaining([active.id, young.id]))
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('deletes expired sessions, spent or expired links and old throttle counters', async () => {
    await createUser(t.deps, { email: 'sess@example.com' })
    await t.browser().post('/login', { email: 'sess@example.com', password: PASSWORD })
    await t.browser().post('/password/forgot', { email: 'sess@example.com' })
    await hit(t.db, RULES.login, 'k', t.clock.now())
    expect((await t.db.select().from(sessions)).length).toBeGreaterThan(0)
    t.clock.advance(2 * DAY)
    await runCron(t.deps, '30 2 * * *', t.clock.now())
    expect(await t.db.select().from(sessions)).toHaveLength(0)
    expect(await t.db.select().from(emailTokens)).toHaveLength(0)
    expect(await t.db.select().from(throttleHits)).toHaveLength(0)
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('deletes finished mail and job runs after 90 days; mail still to send stays, however old', async () => {
    const h = await testApp({ now: '2026-01-01T09:00:00Z' })
    const mail = (to: string) => enqueueMail(h.db, { to, language: 'en', template: 'test', mail: { subject: to, html: '<p>x</p>', text: 'x' }, now: h.clock.now() })
    for (const to of ['sent@example.com', 'local@example.com', 'failed@example.com', 'pending@example.com', 'recent@example.com']) await mail(to)
    for (const status of ['sent', 'local', 'failed'] as const) await h.db.update(outbox).set({ status }).where(eq(outbox.to, `${status}@example.com`))
    await runJob(h.deps, 'old-run', async () => ({}), h.clock.now())
    h.clock.advance(90 * DAY - HOUR)
    await h.db.update(outbox).set({ status: 'sent', createdAt: h.clock.now() }).where(eq(outbox.to, 'recent@example.com'))
    expect(await runCron(h.deps, '30 2 * * *', h.clock.now())).toMatchObject({ counts: { mailsDeleted: 0, runsDeleted: 0 } })
    h.clock.advance(HOUR + 1)
    expect(await runCron(h.deps, '30 2 * * *', h.clock.now())).toMatchObject({ counts: { mailsDeleted: 3, runsDeleted: 1 } })
    expect((await h.db.select({ to: outbox.to }).from(outbox).orderBy(outbox.to)).map((m) => m.to)).toEqual(['pending@example.com', 'recent@example.com'])
    expect((await h.db.select({ job: jobRuns.job }).from(jobRuns)).map((r) => r.job)).toEqual(['purges', 'purges'])
  })
})
