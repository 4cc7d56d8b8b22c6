// The mail job through Resend's HTTP API (a local fake that behaves like it, test/helpers/fake-resend.ts):
// plain mail in batches of up to 100 per call under a key derived from the rows, mail with an
// attachment one call each under its row's key, failures retried per row, and a whole run within
// the 50 outside calls a Workers Free invocation allows.
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { eq, inArray } from 'drizzle-orm'
import { jobRuns, outbox } from '../../src/db/schema'
import { ResendMailer } from '../../src/mail/mailer'
import { batchKey, enqueueMail } from '../../src/mail/outbox'
import { runNamedJob } from '../../src/jobs'
import { MINUTE } from '../../src/clock'
import { testApp } from '../helpers/app'
import { startFakeResend } from '../helpers/fake-resend'

const fake = await startFakeResend()
afterAll(() => fake.close())
const t = await testApp()
const deps = { ...t.deps, mailer: new ResendMailer('re_test_key', fake.url) }

const queue = async (to: string, extra: { attachments?: { filename: string; contentType: string; contentBase64: string }[] } = {}) => {
  const [row] = await enqueueMail(t.db, { to, language: 'en', template: 'test', mail: { subject: `Hi ${to}`, html: '<p>Hi</p>', text: 'Hi' }, now: t.clock.now(), ...extra }).returning()
  return row!
}
const rowOf = (id: string) => t.db.select().from(outbox).where(eq(outbox.id, id)).get()

beforeEach(async () => {
  fake.received.length = 0
  fake.requests.length = 0
  fake.state.failing = false
  await t.db.delete(outbox)
})

describe('sending through Resend', () => {
  it('posts plain mail as a batch with the API key, under a key made from the rows, and records each provider id', async () => {
    const row = await queue('anna@example.com')
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ status: 'ok', counts: { sent: 1 } })
    expect(fake.requests).toEqual([{ path: '/emails/batch', idempotencyKey: batchKey([row.id]), mails: 1 }])
    expect(fake.received).toEqual([
      { idempotencyKey: batchKey([row.id]), authorization: 'Bearer re_test_key', body: { from: t.config.mailFrom, to: 'anna@example.com', subject: 'Hi anna@example.com', html: '<p>Hi</p>', text: 'Hi' } },
    ])
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', providerId: 'fake-1', attempts: 1 })
  })

  it('sends 250 due mails in one run as three batches (100, 100, 50), within the 50 outside calls of a Workers Free invocation', async () => {
    const rows = []
    for (let i = 0; i < 250; i++) rows.push(await queue(`bulk${i}@example.com`))
    t.counter.reset()
    const result = await runNamedJob(deps, 'mail', t.clock.now())
    const db = { calls: t.counter.roundTrips }
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 250, retried: 0, failed: 0 } })
    expect(fake.requests.map((r) => [r.path, r.mails])).toEqual([['/emails/batch', 100], ['/emails/batch', 100], ['/emails/batch', 50]])
    // The runner's four (lease, run record, its end, lease freed) and two per batch (claim, outcomes).
    expect(db.calls).toBe(4 + 3 * 2)
    expect(db.calls + fake.requests.length).toBeLessThanOrEqual(50)
    expect(new Set(fake.received.map((m) => m.body.to)).size).toBe(250)
    const sent = await t.db.select({ status: outbox.status, providerId: outbox.providerId }).from(outbox).where(inArray(outbox.id, rows.map((r) => r.id)))
    expect(sent.every((r) => r.status === 'sent' && r.providerId?.startsWith('fake-'))).toBe(true)
    expect(new Set(sent.map((r) => r.providerId)).size).toBe(250)
  })

  it('sends a mail with an attachment (a voucher) on its own, under its row id, beside the batch of the others', async () => {
    const plain = await queue('plain@example.com')
    const voucher = await queue('voucher@example.com', { attachments: [{ filename: 'voucher.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0=' }] })
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ status: 'ok', counts: { sent: 2 } })
    expect(fake.requests).toEqual([
      { path: '/emails/batch', idempotencyKey: batchKey([plain.id]), mails: 1 },
      { path: '/emails', idempotencyKey: `outbox-${voucher.id}`, mails: 1 },
    ])
    expect(fake.received[1]!.body).toMatchObject({ to: 'voucher@example.com', attachments: [{ filename: 'voucher.pdf', content: 'JVBERi0=', content_type: 'application/pdf' }] })
    expect((await rowOf(voucher.id))!.status).toBe('sent')
  })

  it('keeps a mail Resend refuses in a batch for a retry with its error, and sends the rest of the batch', async () => {
    const good = await queue('good@example.com')
    const bad = await queue('not-an-address')
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ status: 'ok', counts: { sent: 1, retried: 1 } })
    expect(fake.received.map((m) => m.body.to)).toEqual(['good@example.com'])
    expect(await rowOf(good.id)).toMatchObject({ status: 'sent' })
    const refused = (await rowOf(bad.id))!
    expect(refused).toMatchObject({ status: 'pending', attempts: 1 })
    expect(refused.lastError).toContain('Invalid `to` field')
    expect(refused.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + MINUTE)
  })

  for (const failure of ['error', 'network'] as const) {
    it(`leaves every row of the batch pending when Resend fails (${failure}); a later run sends each exactly once`, async () => {
      const rows = [await queue(`${failure}-1@example.com`), await queue(`${failure}-2@example.com`)]
      fake.state.failing = failure
      expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ counts: { retried: 2, sent: 0 } })
      for (const row of rows) {
        const pending = (await rowOf(row.id))!
        expect(pending).toMatchObject({ status: 'pending', attempts: 1 })
        expect(pending.lastError).toBeTruthy()
      }
      fake.state.failing = false
      t.clock.advance(MINUTE)
      await runNamedJob(deps, 'mail', t.clock.now())
      await runNamedJob(deps, 'mail', t.clock.now())
      expect(fake.received.map((r) => r.body.to).sort()).toEqual([`${failure}-1@example.com`, `${failure}-2@example.com`])
      for (const row of rows) expect(await rowOf(row.id)).toMatchObject({ status: 'sent', attempts: 2 })
    })
  }

  it('does not deliver a batch twice when Resend sent it but the answer was lost and the same rows go again', async () => {
    const rows = [await queue('lost-1@example.com'), await queue('lost-2@example.com')]
    fake.state.failing = 'answer_lost'
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ counts: { retried: 2 } })
    expect(fake.received).toHaveLength(2)
    fake.state.failing = false
    t.clock.advance(MINUTE)
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ counts: { sent: 2 } })
    // The second request carried the same key: Resend answered it from the first, sending nothing.
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([batchKey(rows.map((r) => r.id)), batchKey(rows.map((r) => r.id))])
    expect(fake.received.map((m) => m.body.to).sort()).toEqual(['lost-1@example.com', 'lost-2@example.com'])
    for (const row of rows) expect(await rowOf(row.id)).toMatchObject({ status: 'sent', attempts: 2 })
    expect((await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'mail'))).every((r) => r.status === 'ok')).toBe(true)
  })
})
