import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { jobRuns, outbox } from '../../src/db/schema'
import { MINUTE } from '../../src/clock'
import { batchKey, enqueueMail, retryDelay } from '../../src/mail/outbox'
import { runNamedJob } from '../../src/jobs'
import { testApp } from '../helpers/app'

const t = await testApp()
const mail = { subject: 'Hello', html: '<p>Hello</p>', text: 'Hello' }

async function queue(to: string) {
  const [row] = await enqueueMail(t.db, { to, language: 'en', template: 'test', mail, now: t.clock.now() }).returning()
  return row!
}

describe('the mail job', () => {
  it('sends each pending row once, in a batch under a key made from its rows, and marks it sent', async () => {
    const row = await queue('one@example.com')
    const result = await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(result).toEqual({ status: 'ok', counts: { sent: 1, failed: 0, retried: 0, kept: 0 } })
    expect(t.mailer.sent.map((m) => [m.to, m.idempotencyKey])).toEqual([['one@example.com', batchKey([row.id])]])
    expect(await t.db.select().from(outbox).where(eq(outbox.id, row.id)).get()).toMatchObject({ status: 'sent', attempts: 1 })
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(t.mailer.sent).toHaveLength(1)
  })

  it('keeps a row pending when Resend fails, records the error, and sends it once on a later run', async () => {
    t.mailer.sent = []
    const row = await queue('retry@example.com')
    t.mailer.failing = true
    const first = await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(first).toMatchObject({ status: 'ok', counts: { retried: 1, sent: 0 } })
    const pending = await t.db.select().from(outbox).where(eq(outbox.id, row.id)).get()
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: 'provider unavailable (test)' })
    expect(pending!.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + retryDelay(1))
    t.mailer.failing = false
    // Not due yet: nothing happens before the backoff has passed.
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(t.mailer.sent).toHaveLength(0)
    t.clock.advance(MINUTE)
    await runNamedJob(t.deps, 'mail', t.clock.now())
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(t.mailer.sent.map((m) => m.to)).toEqual(['retry@example.com'])
    expect(await t.db.select().from(outbox).where(eq(outbox.id, row.id)).get()).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('backs off longer after each failure and gives up after 10 attempts', async () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelay)).toEqual([1, 5, 30, 120, 360, 720].map((m) => m * MINUTE))
    t.mailer.failing = true
    const row = await queue('never@example.com')
    for (let i = 0; i < 10; i++) {
      await runNamedJob(t.deps, 'mail', t.clock.now())
      t.clock.advance(13 * 60 * MINUTE)
    }
    expect(await t.db.select().from(outbox).where(eq(outbox.id, row.id)).get()).toMatchObject({ status: 'failed', attempts: 10 })
    t.mailer.failing = false
  })

  it('when a batch fails, each of its rows waits by its own attempts: a first try 1 minute, a third 30 minutes', async () => {
    t.mailer.sent = []
    const fresh = await queue('fresh@example.com')
    const tried = await queue('tried-twice@example.com')
    await t.db.update(outbox).set({ attempts: 2 }).where(eq(outbox.id, tried.id))
    t.mailer.failing = true
    expect(await runNamedJob(t.deps, 'mail', t.clock.now())).toMatchObject({ counts: { retried: 2 } })
    t.mailer.failing = false
    expect(t.mailer.calls.at(-1)).toMatchObject({ kind: 'batch', size: 2, idempotencyKey: batchKey([fresh.id, tried.id]) })
    const next = async (id: string) => (await t.db.select().from(outbox).where(eq(outbox.id, id)).get())!
    expect(await next(fresh.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t.clock.now().getTime() + MINUTE) })
    expect(await next(tried.id)).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: new Date(t.clock.now().getTime() + 30 * MINUTE) })
    t.clock.advance(30 * MINUTE)
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(t.mailer.sent.map((m) => m.to).sort()).toEqual(['fresh@example.com', 'tried-twice@example.com'])
  })

  it('does not send a row twice when two runs overlap', async () => {
    t.mailer.sent = []
    for (let i = 0; i < 20; i++) await queue(`burst${i}@example.com`)
    const results = await Promise.all([runNamedJob(t.deps, 'mail', t.clock.now()), runNamedJob(t.deps, 'mail', t.clock.now())])
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
    await runNamedJob(t.deps, 'mail', t.clock.now())
    const to = t.mailer.sent.map((m) => m.to)
    expect(to).toHaveLength(20)
    expect(new Set(to).size).toBe(20)
  })

  it('records every run with its time, counts and status', async () => {
    const runs = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'mail'))
    expect(runs.length).toBeGreaterThan(5)
    expect(runs.every((r) => ['ok', 'skipped'].includes(r.status) && r.finishedAt !== null)).toBe(true)
    expect(runs.some((r) => r.counts?.sent === 20)).toBe(true)
  })
})

describe('without a Resend key', () => {
  it('keeps mail local (readable at /dev/mail) instead of sending it', async () => {
    const local = await testApp({ mailer: 'none' })
    const [row] = await enqueueMail(local.db, { to: 'dev@example.com', language: 'en', template: 'test', mail, now: local.clock.now() }).returning()
    const result = await runNamedJob(local.deps, 'mail', local.clock.now())
    expect(result).toMatchObject({ status: 'ok', counts: { kept: 1 } })
    expect(await local.db.select().from(outbox).where(eq(outbox.id, row!.id)).get()).toMatchObject({ status: 'local' })
    const list = await local.browser().get('/dev/mail')
    expect(await list.text()).toContain(`/dev/mail/${row!.id}`)
    const page = await local.browser().get(`/dev/mail/${row!.id}`)
    expect(page.status).toBe(200)
    const html = await local.browser().get(`/dev/mail/${row!.id}/html`)
    expect(html.headers.get('Content-Security-Policy')).toContain('sandbox')
  })

  it('has no /dev/mail in production', async () => {
    const prod = await testApp({ config: { environment: 'production' } })
    expect((await prod.browser().get('/dev/mail')).status).toBe(404)
  })
})
