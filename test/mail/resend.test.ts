import { afterAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { outbox } from '../../src/db/schema'
import { ResendMailer } from '../../src/mail/mailer'
import { enqueueMail } from '../../src/mail/outbox'
import { runNamedJob } from '../../src/jobs'
import { MINUTE } from '../../src/clock'
import { testApp } from '../helpers/app'
import { startFakeResend } from '../helpers/fake-resend'

const fake = await startFakeResend()
afterAll(() => fake.close())
const t = await testApp()
const deps = { ...t.deps, mailer: new ResendMailer('re_test_key', fake.url) }

describe('sending through Resend', () => {
  it('posts the mail with the API key and the outbox row id as the idempotency key', async () => {
    const [row] = await enqueueMail(t.db, {
      to: 'anna@example.com',
      language: 'pl',
      template: 'test',
      mail: { subject: 'Zażółć', html: '<p>Zażółć</p>', text: 'Zażółć' },
      now: t.clock.now(),
    }).returning()
    expect(await runNamedJob(deps, 'mail', t.clock.now())).toMatchObject({ status: 'ok', counts: { sent: 1 } })
    expect(fake.received).toEqual([
      {
        idempotencyKey: `outbox-${row!.id}`,
        authorization: 'Bearer re_test_key',
        body: expect.objectContaining({ from: t.config.mailFrom, to: 'anna@example.com', subject: 'Zażółć', html: '<p>Zażółć</p>', text: 'Zażółć' }),
      },
    ])
    expect(await t.db.select().from(outbox).where(eq(outbox.id, row!.id)).get()).toMatchObject({ status: 'sent', providerId: 'fake-1' })
  })

  for (const failure of ['error', 'network'] as const) {
    it(`leaves the row pending when Resend fails (${failure}) and a later run sends it exactly once`, async () => {
      fake.received.length = 0
      const [row] = await enqueueMail(t.db, {
        to: `${failure}@example.com`,
        language: 'en',
        template: 'test',
        mail: { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' },
        now: t.clock.now(),
      }).returning()
      fake.state.failing = failure
      await runNamedJob(deps, 'mail', t.clock.now())
      const pending = await t.db.select().from(outbox).where(eq(outbox.id, row!.id)).get()
      expect(pending).toMatchObject({ status: 'pending', attempts: 1 })
      expect(pending!.lastError).toBeTruthy()
      fake.state.failing = false
      t.clock.advance(MINUTE)
      await runNamedJob(deps, 'mail', t.clock.now())
      await runNamedJob(deps, 'mail', t.clock.now())
      expect(fake.received.map((r) => r.body.to)).toEqual([`${failure}@example.com`])
      expect(await t.db.select().from(outbox).where(eq(outbox.id, row!.id)).get()).toMatchObject({ status: 'sent', attempts: 2 })
    })
  }
})
