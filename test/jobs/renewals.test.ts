// The renewals job over simulated days (SPEC §8, §13): a card subscription is charged 7 days
// before its period ends and the next period starts exactly at the old end; a declined card is
// tried again after 1 and 3 days with the administrators mailed a pay-now link each time; a charge
// that got no answer is reconciled with the provider and never charged under a new key; and runs
// repeated or overlapping charge and mail once.
import { describe, expect, it } from 'vitest'
import { and, eq, isNotNull } from 'drizzle-orm'
import { invoices, jobRuns, memberships, orders, outbox, payments, savedMethods, subscriptions } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { runNamedJob } from '../../src/jobs'
import { runRenewals } from '../../src/jobs/renewals'
import { DAY, HOUR } from '../../src/clock'
import { settlePayment } from '../../src/services/payments'
import { testSavedMethod, TestPaymentProvider } from '../../src/payments/test-provider'
import type { ChargeResult, HostedCheckout, OffSessionCharge, PaymentProvider } from '../../src/payments/provider'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser, PASSWORD } from '../helpers/users'

const START = '2026-11-20T10:00:00Z'
/** A year of Silver bought at START ends here (10:00 UTC is 11:00 in Warsaw, winter both times). */
const END = new Date('2027-11-20T10:00:00Z')
const at = (offset: number) => new Date(END.getTime() + offset)

/** An org that bought Sekretariat (Silver, a year unless told) by test card at START: renewal on, card saved. */
async function cardSubscriber(t: TestApp, email: string, item?: Parameters<typeof orderFor>[3]) {
  const buyer = await adminWithOrg(t, email)
  const { id } = await orderFor(t, buyer, 'card', item)
  const paymentId = await hostedPayment(t, id, buyer.org.id)
  const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
  await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, t.clock.now())
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
  expect([sub.autoRenew, sub.periodEnd?.toISOString()]).toEqual([true, item ? sub.periodEnd?.toISOString() : END.toISOString()])
  return { ...buyer, sub }
}

/** Runs the job as the cron would at a simulated moment (the app's clock follows). */
async function runAt(t: TestApp, now: Date, deps = t.deps) {
  t.clock.set(now)
  const r = await runNamedJob(deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

const subOf = (t: TestApp, id: string) => t.db.select().from(subscriptions).where(eq(subscriptions.id, id)).get().then((s) => s!)
const attemptsOf = (t: TestApp, orgId: string) =>
  t.db.select().from(payments).where(and(eq(payments.orgId, orgId), eq(payments.kind, 'off_session'))).orderBy(payments.createdAt)
const mailsOf = (t: TestApp, to: string, template: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, template))).orderBy(outbox.createdAt)

describe('automatic renewal by card', () => {
  it('charges 7 days before the end, starts the next period exactly at the old end, invoices and mails once', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const { org, sub } = await cardSubscriber(t, 'renew@example.com')

    expect(await runAt(t, at(-8 * DAY))).toMatchObject({ due: 0, renewed: 0 })
    expect(await attemptsOf(t, org.id)).toHaveLength(0)

    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ due: 1, renewed: 1, failed: 0 })
    const renewed = await subOf(t, sub.id)
    expect([renewed.status, renewed.periodStart.toISOString(), renewed.periodEnd?.toISOString(), renewed.autoRenew]).toEqual(['active', END.toISOString(), '2028-11-20T10:00:00.000Z', true])
    const [attempt] = await attemptsOf(t, org.id)
    expect(attempt).toMatchObject({ status: 'succeeded', renewalKey: `${sub.id}:${END.getTime()}:1`, providerRef: `tpi_${attempt!.id}`, amountMinor: 35670 })
    const order = (await t.db.select().from(orders).where(eq(orders.id, attempt!.orderId)).get())!
    expect(order).toMatchObject({ kind: 'renewal', status: 'paid', placedBy: null, grossMinor: 35670, paymentMethod: 'card' })
    expect(order.purchase).toMatchObject({ kind: 'renewal', subscriptionId: sub.id, periodStart: END.getTime(), periodMonths: 12 })
    const invoice = (await t.db.select().from(invoices).where(eq(invoices.orderId, order.id)).get())!
    expect(await t.db.select().from(invoices).where(eq(invoices.orgId, org.id))).toHaveLength(2)
    const paidMails = await mailsOf(t, 'renew@example.com', 'order.paid')
    expect(paidMails).toHaveLength(2)
    expect(paidMails[1]!.subject).toBe(`Payment for order ${order.number} received`)
    expect(paidMails[1]!.text).toContain(`Your invoice ${invoice.number} is ready`)
    // The renewal order has no "order received" mail of its own: the payment mail follows at once.
    expect(await mailsOf(t, 'renew@example.com', 'order.confirmation')).toHaveLength(1)

    // Again the same day, and the next days: nothing more.
    for (const offset of [-7 * DAY, -6 * DAY, -1 * DAY]) expect(await runAt(t, at(offset))).toMatchObject({ due: 0, renewed: 0 })
    expect(await attemptsOf(t, org.id)).toHaveLength(1)
    expect(await mailsOf(t, 'renew@example.com', 'order.paid')).toHaveLength(2)
    expect((await subOf(t, sub.id)).periodEnd?.toISOString()).toBe('2028-11-20T10:00:00.000Z')
  })

  it('retries a declined card after 1 and 3 days, mails every administrator the pay-now link in their language, and renews once paid from the order page', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const { org, sub, slug } = await cardSubscriber(t, 'declined@example.com')
    const anna = await createUser(t.deps, { email: 'anna@example.com', language: 'pl' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: anna.id, role: 'admin', createdAt: t.clock.now() })
    await t.db.update(savedMethods).set({ declines: true }).where(eq(savedMethods.orgId, org.id))
    const first = at(-7 * DAY)

    expect(await runAt(t, first)).toMatchObject({ declined: 1 })
    const [attempt1] = await attemptsOf(t, org.id)
    expect(attempt1).toMatchObject({ status: 'failed', error: 'card_declined', renewalKey: `${sub.id}:${END.getTime()}:1` })
    const order = (await t.db.select().from(orders).where(eq(orders.id, attempt1!.orderId)).get())!
    expect(order.status).toBe('pending_payment')
    const [en] = await mailsOf(t, 'declined@example.com', 'renewal.declined')
    expect(en!.subject).toBe('Renewal payment declined: Sekretariat Silver, 1 year')
    expect(en!.text).toContain(`We tried to charge PLN\u00a0356.70 to your saved payment method (Test card •••• 4242) to renew Sekretariat Silver, 1 year (order ${order.number})`)
    expect(en!.text).toContain('We will try again on 14 November 2027.')
    expect(en!.text).toContain(`Pay now:\nhttp://localhost/o/${slug}/orders/${order.id}`)
    const [pl] = await mailsOf(t, 'anna@example.com', 'renewal.declined')
    expect(pl!.subject).toBe('Płatność za odnowienie odrzucona: Sekretariat Silver, 1 rok')

    const steps: [number, object, number][] = [
      [12 * HOUR, { waiting: 1 }, 1],
      [1 * DAY, { declined: 1 }, 2],
      [2 * DAY, { waiting: 1 }, 2],
      [3 * DAY, { declined: 1 }, 3],
      [4 * DAY, { exhausted: 1 }, 3],
      [6 * DAY, { exhausted: 1 }, 3],
    ]
    for (const [offset, counts, attempts] of steps) {
      expect(await runAt(t, new Date(first.getTime() + offset))).toMatchObject(counts)
      expect(await attemptsOf(t, org.id)).toHaveLength(attempts)
      expect(await mailsOf(t, 'declined@example.com', 'renewal.declined')).toHaveLength(attempts)
      expect(await mailsOf(t, 'anna@example.com', 'renewal.declined')).toHaveLength(attempts)
    }
    const attempts = await attemptsOf(t, org.id)
    // Three attempts on one order, each its own key (and so its own idempotency key at the provider).
    expect(attempts.map((a) => [a.renewalKey, a.status, a.orderId])).toEqual([1, 2, 3].map((n) => [`${sub.id}:${END.getTime()}:${n}`, 'failed', order.id]))
    const mails = await mailsOf(t, 'declined@example.com', 'renewal.declined')
    expect(mails[1]!.text).toContain('We will try again on 16 November 2027.')
    expect(mails[2]!.text).toContain('That was the last automatic attempt.')
    expect((await subOf(t, sub.id)).periodEnd?.toISOString()).toBe(END.toISOString())

    // The administrator signs in (a year on, the old session has expired) and pays from the order page.
    const b = t.browser()
    expect((await b.post('/login', { email: 'declined@example.com', password: PASSWORD })).status).toBe(303)
    const started = await b.post(`/o/${slug}/orders/${order.id}/payments`)
    const payPage = new URL(started.headers.get('Location')!)
    expect(payPage.pathname).toMatch(/^\/pay\/test\//)
    expect((await b.post(`${payPage.pathname}/approval`)).status).toBe(303)
    const paid = await subOf(t, sub.id)
    expect([paid.periodStart.toISOString(), paid.periodEnd?.toISOString()]).toEqual([END.toISOString(), '2028-11-20T10:00:00.000Z'])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('paid')
    expect(await runAt(t, new Date(first.getTime() + 7 * DAY))).toMatchObject({ due: 0 })
    expect(await attemptsOf(t, org.id)).toHaveLength(3)
    expect(await mailsOf(t, 'declined@example.com', 'order.paid')).toHaveLength(2)
  })

  it('applies a scheduled downgrade and frequency change with the renewal', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const { org, sub } = await cardSubscriber(t, 'downgrade@example.com', { product: 'sekretariat', plan: 'gold', period: 12, addons: {} })
    const silver = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!.plans.find((p) => p.key === 'silver')!
    await t.db.update(subscriptions).set({ scheduledPlanId: silver.id, scheduledPeriodMonths: 1 }).where(eq(subscriptions.id, sub.id))

    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ renewed: 1 })
    const [attempt] = await attemptsOf(t, org.id)
    expect(attempt!.amountMinor).toBe(3567) // Silver for a month: 29.00 net + 23 % VAT
    const renewed = await subOf(t, sub.id)
    expect([renewed.planId, renewed.snapshot.planName, renewed.periodMonths, renewed.periodStart.toISOString(), renewed.periodEnd?.toISOString()]).toEqual([
      silver.id,
      'Silver',
      1,
      END.toISOString(),
      '2027-12-20T10:00:00.000Z',
    ])
    expect([renewed.scheduledPlanId, renewed.scheduledPeriodMonths]).toEqual([null, null])
  })
})

/** The test provider behind a network that loses answers: records every call; its ledger holds one charge per key. */
class FlakyProvider implements PaymentProvider {
  readonly name = 'test' as const
  calls: { op: 'charge' | 'find'; key: string }[] = []
  ledger = new Map<string, ChargeResult>()
  constructor(
    private inner: TestPaymentProvider,
    private mode: 'answer_lost' | 'request_lost' | 'throws',
    private failures = 1,
  ) {}
  startHostedCheckout(input: HostedCheckout) {
    return this.inner.startHostedCheckout(input)
  }
  detachMethod(ref: string) {
    return this.inner.detachMethod(ref)
  }
  async chargeOffSession(input: OffSessionCharge): Promise<ChargeResult> {
    this.calls.push({ op: 'charge', key: input.idempotencyKey })
    const fail = this.failures-- > 0
    if (fail && this.mode === 'request_lost') return { status: 'unknown' }
    if (fail && this.mode === 'throws') throw new Error('socket hang up')
    // The same key never charges twice (as at Stripe): a repeat gets the first answer.
    const result = this.ledger.get(input.idempotencyKey) ?? (await this.inner.chargeOffSession(input))
    this.ledger.set(input.idempotencyKey, result)
    return fail ? { status: 'unknown' } : result
  }
  async findCharge(key: string): Promise<ChargeResult | { status: 'not_found' }> {
    this.calls.push({ op: 'find', key })
    return this.ledger.get(key) ?? { status: 'not_found' }
  }
}

describe('a charge that got no answer', () => {
  for (const [mode, calls] of [
    ['answer_lost', ['charge', 'find']],
    ['request_lost', ['charge', 'find', 'charge']],
    ['throws', ['charge', 'find', 'charge']],
  ] as const) {
    it(`(${mode}) is marked unknown, then reconciled by the next run and charged exactly once under the same key`, async () => {
      const t = await testApp({ now: START })
      await t.seedCatalog()
      const { org, sub } = await cardSubscriber(t, `${mode}@example.com`)
      const flaky = new FlakyProvider(new TestPaymentProvider(t.db, t.config.baseUrl), mode)
      const deps = { ...t.deps, payments: flaky }

      const firstRun = await runAt(t, at(-7 * DAY), deps)
      expect(firstRun).toMatchObject(mode === 'throws' ? { failed: 1 } : { unknown: 1 })
      const [attempt] = await attemptsOf(t, org.id)
      expect(attempt!.status).toBe('unknown')
      expect((await subOf(t, sub.id)).periodEnd?.toISOString()).toBe(END.toISOString())
      if (mode === 'throws') {
        const run = (await t.db.select().from(jobRuns).where(and(eq(jobRuns.job, 'renewals'), isNotNull(jobRuns.error))).get())!
        expect([run.status, run.error]).toEqual(['ok', `renewal of subscription ${sub.id}: socket hang up`])
      }

      expect(await runAt(t, at(-6 * DAY), deps)).toMatchObject({ renewed: 1, failed: 0 })
      expect(await runAt(t, at(-5 * DAY), deps)).toMatchObject({ due: 0 })
      expect(flaky.calls.map((c) => c.op)).toEqual(calls)
      expect(new Set(flaky.calls.map((c) => c.key))).toEqual(new Set([attempt!.id]))
      expect(flaky.ledger.size).toBe(1)
      expect(await attemptsOf(t, org.id)).toHaveLength(1)
      expect((await subOf(t, sub.id)).periodEnd?.toISOString()).toBe('2028-11-20T10:00:00.000Z')
      expect(await mailsOf(t, `${mode}@example.com`, 'order.paid')).toHaveLength(2)
    })
  }
})

describe('runs that overlap', () => {
  it('charge each of 20 due subscriptions once, through the runner or past its lease', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const subs = await Promise.all(Array.from({ length: 20 }, (_, i) => cardSubscriber(t, `many${i}@example.com`)))
    const flaky = new FlakyProvider(new TestPaymentProvider(t.db, t.config.baseUrl), 'answer_lost', 0)
    const deps = { ...t.deps, payments: flaky }
    t.clock.set(at(-7 * DAY))

    const viaRunner = await Promise.all([runNamedJob(deps, 'renewals', at(-7 * DAY)), runNamedJob(deps, 'renewals', at(-7 * DAY))])
    expect(viaRunner.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
    expect(flaky.calls).toHaveLength(20)
    // A year later, two runs at once without the lease (pages of 3): the constraints alone keep it to one charge each.
    const nextEnd = new Date('2028-11-20T10:00:00Z')
    t.clock.set(new Date(nextEnd.getTime() - 6 * DAY))
    const direct = await Promise.all([runRenewals(deps, t.clock.now(), 3), runRenewals(deps, t.clock.now(), 3)])
    expect(direct.reduce((n, r) => n + (r.counts.renewed ?? 0), 0)).toBe(20)
    expect(direct.flatMap((r) => r.errors)).toEqual([])

    const charges = flaky.calls.filter((c) => c.op === 'charge')
    expect(charges).toHaveLength(40)
    expect(new Set(charges.map((c) => c.key)).size).toBe(40)
    for (const { org } of subs) {
      expect(await t.db.select().from(invoices).where(eq(invoices.orgId, org.id))).toHaveLength(3)
      expect(await t.db.select().from(orders).where(and(eq(orders.orgId, org.id), eq(orders.kind, 'renewal')))).toHaveLength(2)
    }
  })
})
