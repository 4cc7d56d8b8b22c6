// The end of an unrenewed paid period over simulated days (SPEC §8): a declined card is retried and
// then the subscription lapses at the period end — read-only with the deletion date for Sekretariat,
// the free plan's limits for Certyfikaty — with the unpaid renewal order cancelled quietly; renewal
// turned off to the free plan starts it without a lapse; a charge without an answer holds the lapse
// until the provider answers; runs repeated or overlapping lapse and mail once.
import { describe, expect, it } from 'vitest'
import { and, eq, inArray, like } from 'drizzle-orm'
import { history, licences, memberships, orders, outbox, payments, savedMethods, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { runRenewals } from '../../src/jobs/renewals'
import { DAY } from '../../src/clock'
import type { Deps } from '../../src/deps'
import { markOrderPaid, settlePayment } from '../../src/services/payments'
import { readOnlyState } from '../../src/services/read-only'
import { testSavedMethod, TestPaymentProvider } from '../../src/payments/test-provider'
import type { ChargeResult, HostedCheckout, OffSessionCharge, PaymentProvider } from '../../src/payments/provider'
import type { CartItem } from '../../src/services/pricing'
import { testApp, textOf, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser, PASSWORD } from '../helpers/users'

const START = '2026-11-20T10:00:00Z'
/** A year bought at START ends here: 11:00 in Warsaw, winter both times. */
const END = new Date('2027-11-20T10:00:00Z')
const at = (offset: number) => new Date(END.getTime() + offset)
const CERTYFIKATY_PRO: CartItem = { product: 'certyfikaty', plan: 'pro', period: 12, addons: {} }

/** An org that paid a year by card at START (renewal on, card saved), with a second administrator who reads Polish. */
async function subscriber(t: TestApp, email: string, item?: CartItem) {
  const buyer = await adminWithOrg(t, email)
  const placed = await orderFor(t, buyer, 'card', item)
  const paymentId = await hostedPayment(t, placed.id, buyer.org.id)
  const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
  await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, t.clock.now())
  const polish = await createUser(t.deps, { email: `pl-${email}`, language: 'pl' })
  await t.db.insert(memberships).values({ orgId: buyer.org.id, userId: polish.id, role: 'admin', createdAt: t.clock.now() })
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
  expect([sub.status, sub.autoRenew, sub.periodEnd?.toISOString()]).toEqual(['active', true, END.toISOString()])
  return { ...buyer, sub, admins: [email, `pl-${email}`] }
}

const declining = (t: TestApp, orgId: string) => t.db.update(savedMethods).set({ declines: true }).where(eq(savedMethods.orgId, orgId))

async function runAt(t: TestApp, now: Date, deps: Deps = t.deps) {
  t.clock.set(now)
  const r = await runNamedJob(deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

/** What a step may change: the subscription, its renewal order, and the lapse mails each administrator got. */
async function stateOf(t: TestApp, s: { sub: { id: string }; org: { id: string }; admins: string[] }) {
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.id, s.sub.id)).get())!
  const renewal = await t.db.select({ status: orders.status }).from(orders).where(and(eq(orders.orgId, s.org.id), eq(orders.kind, 'renewal'))).get()
  const mails = await t.db
    .select({ to: outbox.to, template: outbox.template })
    .from(outbox)
    .where(and(inArray(outbox.to, s.admins), like(outbox.template, 'lapse.%')))
    .orderBy(outbox.to)
  return { status: sub.status, plan: sub.snapshot.planName, periodEnd: sub.periodEnd?.toISOString() ?? null, renewal: renewal?.status ?? null, mails: mails.map((m) => `${m.template} → ${m.to}`) }
}

const lapseMail = (t: TestApp, to: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), like(outbox.template, 'lapse.%'))).get()
const kindsOf = async (t: TestApp, orgId: string) => (await t.db.select().from(history).where(eq(history.orgId, orgId)).orderBy(history.id)).map((h) => h.kind)

/** The three declined attempts before the end: 7 days before, then after 1 and 3 days (the same in every state but the attempts). */
async function declinedThrice(t: TestApp, s: Awaited<ReturnType<typeof subscriber>>, plan: string) {
  const before = { status: 'active', plan, periodEnd: END.toISOString(), renewal: 'pending_payment', mails: [] }
  for (const [offset, counts] of [
    [-7 * DAY, { declined: 1 }],
    [-6 * DAY, { declined: 1 }],
    [-4 * DAY, { declined: 1 }],
    [-1 * DAY, { exhausted: 1 }],
  ] as const) {
    const run = await runAt(t, at(offset))
    expect(run).toMatchObject(counts)
    expect(run).not.toHaveProperty('lapsed')
    expect(await stateOf(t, s)).toEqual(before)
  }
  expect(await t.db.select({ status: payments.status }).from(payments).where(and(eq(payments.orgId, s.org.id), eq(payments.kind, 'off_session')))).toEqual([
    { status: 'failed' },
    { status: 'failed' },
    { status: 'failed' },
  ])
}

describe('a paid period that ends unpaid', () => {
  it('under read_only_then_delete: read-only at the end with the deletion 30 days later, the renewal order cancelled quietly, then unlocked by the free plan', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const s = await subscriber(t, 'ro-lapse@example.com')
    await declining(t, s.org.id)
    await declinedThrice(t, s, 'Silver')
    const order = (await t.db.select().from(orders).where(and(eq(orders.orgId, s.org.id), eq(orders.kind, 'renewal'))).get())!

    expect(await runAt(t, END)).toMatchObject({ exhausted: 1, lapsed: 1, mailed: 2 })
    expect(await stateOf(t, s)).toEqual({
      status: 'read_only',
      plan: 'Silver',
      periodEnd: END.toISOString(),
      renewal: 'cancelled',
      mails: ['lapse.read_only → pl-ro-lapse@example.com', 'lapse.read_only → ro-lapse@example.com'],
    })
    const ro = await readOnlyState(t.deps, s.org)
    expect([ro?.lapsedAt.toISOString(), ro?.deletesAt.toISOString()]).toEqual([END.toISOString(), '2027-12-20T10:00:00.000Z'])
    const en = (await lapseMail(t, 'ro-lapse@example.com'))!
    expect(en.subject).toBe(`Sekretariat was not renewed: ${s.org.name} is read-only`)
    expect(en.text).toContain(`The renewal of Sekretariat Silver for ${s.org.name} was not paid by the end of the period on 20 November 2027.`)
    expect(en.text).toContain(`The unpaid renewal order ${order.number} has been cancelled.`)
    expect(en.text).toContain('Unless it is renewed, the organization’s data will be deleted on 20 December 2027.')
    expect(en.text).toContain('Renew Sekretariat:\nhttp://localhost/buy/sekretariat')
    expect(en.text).toContain(`Or switch to the free plan Green at once, from the plan page: http://localhost/o/${s.slug}/products/sekretariat/plan#read-only-free`)
    expect((await lapseMail(t, 'pl-ro-lapse@example.com'))!.subject).toBe(`Sekretariat nie został odnowiony: ${s.org.name} jest tylko do odczytu`)
    // Quietly: a history row for the order, no "order cancelled" mail of its own; the declined attempts stay as they were.
    expect((await kindsOf(t, s.org.id)).slice(-2)).toEqual(['plan.lapsed_read_only', 'order.cancelled'])
    expect(await t.db.select().from(outbox).where(eq(outbox.template, 'order.cancelled'))).toEqual([])
    expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.cancelledAt?.toISOString()).toBe(END.toISOString())

    // The same day again and the next: nothing more.
    for (const offset of [0, DAY]) {
      expect(await runAt(t, at(offset))).not.toHaveProperty('lapsed')
      expect((await stateOf(t, s)).mails).toHaveLength(2)
    }

    // The administrator signs in: every page has the banner with both dates; a change is refused.
    const b = t.browser()
    expect((await b.post('/login', { email: 'ro-lapse@example.com', password: PASSWORD })).status).toBe(303)
    expect(textOf(await (await b.get(`/o/${s.slug}`)).text())).toContain(
      'The Sekretariat subscription lapsed on 20 November 2027 without being renewed. Everything can still be viewed and exported, but nothing can be changed. The organization’s data will be deleted on 20 December 2027.',
    )
    expect((await b.post(`/o/${s.slug}/api-keys`, { name: 'ERP' })).status).toBe(423)

    // The free plan now is the way out.
    expect((await b.post(`/o/${s.slug}/products/sekretariat/plan/free-switch`, { mode: 'now', confirm: 'on' })).status).toBe(303)
    expect(await stateOf(t, s)).toMatchObject({ status: 'active', plan: 'Green', periodEnd: null, renewal: 'cancelled' })
    expect((await b.post(`/o/${s.slug}/api-keys`, { name: 'ERP' })).status).toBe(200)
    expect(await runAt(t, at(2 * DAY))).not.toHaveProperty('lapsed')
    expect((await stateOf(t, s)).mails).toHaveLength(2)
  })

  it('under downgrade_to_free: Certyfikaty Pro becomes Free on the same licence; 3 templates stay while a 4th is refused', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const s = await subscriber(t, 'free-lapse@example.com', CERTYFIKATY_PRO)
    const keyPage = await (await s.b.post(`/o/${s.slug}/api-keys`, { name: 'App' })).text()
    const key = /<code class="key big">(kon_[a-z0-9]+)<\/code>/.exec(keyPage)![1]!
    const api = (method: string, path: string, body?: unknown) =>
      t.app.request(`http://localhost/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const templates = async () => (await (await api('GET', '/entitlements')).json()).products[0].quotas.find((q: { key: string }) => q.key === 'templates')
    expect((await api('POST', '/usage', { product: 'certyfikaty', quota: 'templates', quantity: 3, idempotency_key: 'three' })).status).toBe(201)
    const licence = (await t.db.select().from(licences).where(eq(licences.subscriptionId, s.sub.id)).get())!
    await declining(t, s.org.id)
    await declinedThrice(t, s, 'Pro')

    expect(await runAt(t, END)).toMatchObject({ lapsed: 1, mailed: 2 })
    expect(await stateOf(t, s)).toEqual({
      status: 'active',
      plan: 'Free',
      periodEnd: null,
      renewal: 'cancelled',
      mails: ['lapse.free_plan → free-lapse@example.com', 'lapse.free_plan → pl-free-lapse@example.com'],
    })
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.id, s.sub.id)).get())!
    expect([sub.periodStart.toISOString(), sub.source, sub.autoRenew, sub.periodMonths, sub.addonPacks, sub.snapshot.limits.templates]).toEqual([END.toISOString(), 'free', false, null, {}, 1])
    expect(await t.db.select().from(licences).where(eq(licences.subscriptionId, s.sub.id)).get()).toEqual(licence)
    const en = (await lapseMail(t, 'free-lapse@example.com'))!
    expect(en.subject).toBe(`Certyfikaty was not renewed: ${s.org.name} is on the free plan`)
    expect(en.text).toContain('The organization is now on the free plan Free, with its limits. Nothing issued so far stops working for its recipients')
    expect(en.text).toContain('To have the limits of Pro again, buy it again.\n\nBuy Certyfikaty:\nhttp://localhost/buy/certyfikaty')
    expect((await kindsOf(t, s.org.id)).slice(-2)).toEqual(['plan.lapsed', 'order.cancelled'])

    // Existing use stays over the free limit; an addition is refused, a removal is not.
    expect(await templates()).toMatchObject({ limit: 1, used: 3 })
    const refused = await api('POST', '/usage', { product: 'certyfikaty', quota: 'templates', quantity: 1, idempotency_key: 'fourth' })
    expect([refused.status, (await refused.json()).type]).toEqual([409, 'https://kontor.dev/problems/quota_exceeded'])
    expect((await api('POST', '/usage', { product: 'certyfikaty', quota: 'templates', quantity: -1, idempotency_key: 'one-less' })).status).toBe(201)
    expect(await templates()).toMatchObject({ limit: 1, used: 2 })
    expect((await (await api('GET', '/entitlements')).json()).read_only).toBe(false)

    expect(await runAt(t, at(DAY))).not.toHaveProperty('lapsed')
    expect((await stateOf(t, s)).mails).toHaveLength(2)
  })

  it('with renewal turned off to the free plan: the free plan starts at the period end, with a short mail and no lapse', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const s = await subscriber(t, 'chosen-free@example.com')
    expect((await s.b.post(`/o/${s.slug}/products/sekretariat/plan/free-switch`, { mode: 'at_period_end' })).status).toBe(303)
    const before = { status: 'active', plan: 'Silver', periodEnd: END.toISOString(), renewal: null, mails: [] }
    for (const offset of [-7 * DAY, -1 * DAY]) {
      expect(await runAt(t, at(offset))).toMatchObject({ due: 0 })
      expect(await stateOf(t, s)).toEqual(before)
    }

    expect(await runAt(t, END)).toMatchObject({ switched_to_free: 1, mailed: 2 })
    expect(await runAt(t, END)).not.toHaveProperty('switched_to_free')
    expect(await stateOf(t, s)).toEqual({
      ...before,
      plan: 'Green',
      periodEnd: null,
      mails: ['lapse.free_started → chosen-free@example.com', 'lapse.free_started → pl-chosen-free@example.com'],
    })
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.id, s.sub.id)).get())!
    expect([sub.periodStart.toISOString(), sub.source, sub.autoRenew, sub.scheduledPlanId]).toEqual([END.toISOString(), 'free', false, null])
    const en = (await lapseMail(t, 'chosen-free@example.com'))!
    expect(en.subject).toBe('Sekretariat: you are now on the free plan Green')
    expect(en.text).toContain(`As you chose, Sekretariat Silver was not renewed. Since 20 November 2027, ${s.org.name} uses the free plan Green with its limits`)
    expect((await kindsOf(t, s.org.id)).at(-1)).toBe('plan.free_started')
    expect(await readOnlyState(t.deps, s.org)).toBeNull()
    // The free plan counts its 12 months from its start at the period end, not from the sign-in a year ago.
    expect(await runAt(t, at(DAY))).not.toHaveProperty('free_warned')
  })
})

/** The test provider behind a network that loses every answer until `answering`; the charges themselves go through, once per key. */
class SilentProvider implements PaymentProvider {
  readonly name = 'test' as const
  answering = false
  readonly charged = new Map<string, ChargeResult>()
  readonly calls: string[] = []
  constructor(private inner: TestPaymentProvider) {}
  startHostedCheckout(input: HostedCheckout) {
    return this.inner.startHostedCheckout(input)
  }
  detachMethod(ref: string) {
    return this.inner.detachMethod(ref)
  }
  async chargeOffSession(input: OffSessionCharge): Promise<ChargeResult> {
    this.calls.push('charge')
    const result = this.charged.get(input.idempotencyKey) ?? (await this.inner.chargeOffSession(input))
    this.charged.set(input.idempotencyKey, result)
    return this.answering ? result : { status: 'unknown' }
  }
  async findCharge(key: string): Promise<ChargeResult | { status: 'not_found' }> {
    this.calls.push('find')
    if (!this.answering) return { status: 'unknown' }
    return this.charged.get(key) ?? { status: 'not_found' }
  }
}

describe('a renewal charge without an answer at the period end', () => {
  it('holds the lapse, past the card step’s 7 days too, until the provider answers: charged, so renewed and never lapsed', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const s = await subscriber(t, 'unanswered@example.com')
    const provider = new SilentProvider(new TestPaymentProvider(t.db, t.config.baseUrl))
    const deps = { ...t.deps, payments: provider }
    const waiting = { status: 'active', plan: 'Silver', periodEnd: END.toISOString(), renewal: 'pending_payment', mails: [] }

    expect(await runAt(t, at(-7 * DAY), deps)).toMatchObject({ unknown: 1 })
    expect(await stateOf(t, s)).toEqual(waiting)
    for (const offset of [0, 8 * DAY]) {
      expect(await runAt(t, at(offset), deps)).toMatchObject({ lapse_deferred: 1 })
      expect(await stateOf(t, s)).toEqual(waiting)
    }

    provider.answering = true
    expect(await runAt(t, at(9 * DAY), deps)).toMatchObject({ renewed: 1 })
    expect(await stateOf(t, s)).toEqual({ ...waiting, periodEnd: '2028-11-20T10:00:00.000Z', renewal: 'paid' })
    expect(await runAt(t, at(10 * DAY), deps)).not.toHaveProperty('lapse_deferred')
    expect(provider.charged.size).toBe(1)
    expect(await t.db.select({ status: payments.status }).from(payments).where(and(eq(payments.orgId, s.org.id), eq(payments.kind, 'off_session')))).toEqual([{ status: 'succeeded' }])
    expect(await kindsOf(t, s.org.id)).not.toContain('plan.lapsed_read_only')
  })
})

describe('runs repeated or overlapping', () => {
  it('lapse each due subscription once and mail each administrator once, in pages of 2', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const operator = (await createUser(t.deps, { email: 'lapse-operator@example.com', operator: true })) as never
    const byTransfer = []
    for (const i of [1, 2, 3]) {
      const buyer = await adminWithOrg(t, `transfer${i}@example.com`)
      expect(await markOrderPaid(t.deps, (await orderFor(t, buyer, 'transfer')).id, operator, t.clock.now())).toEqual({ ok: true })
      byTransfer.push(buyer)
    }
    const card = await subscriber(t, 'overlap@example.com')
    await declining(t, card.org.id)
    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ declined: 1 })

    t.clock.set(END)
    const runs = await Promise.all([runRenewals(t.deps, END, 2), runRenewals(t.deps, END, 2)])
    expect(runs.flatMap((r) => r.errors)).toEqual([])
    expect(runs.reduce((n, r) => n + (r.counts.lapsed ?? 0), 0)).toBe(4)
    expect(await runAt(t, END)).not.toHaveProperty('lapsed')

    const orgIds = [...byTransfer.map((b) => b.org.id), card.org.id]
    const subs = await t.db.select().from(subscriptions).where(inArray(subscriptions.orgId, orgIds))
    expect(subs.map((x) => x.status)).toEqual(['read_only', 'read_only', 'read_only', 'read_only'])
    const lapses = await t.db.select().from(history).where(and(inArray(history.orgId, orgIds), eq(history.kind, 'plan.lapsed_read_only')))
    expect(lapses).toHaveLength(4)
    const mails = await t.db.select({ to: outbox.to }).from(outbox).where(eq(outbox.template, 'lapse.read_only')).orderBy(outbox.to)
    expect(mails.map((m) => m.to)).toEqual(['overlap@example.com', 'pl-overlap@example.com', 'transfer1@example.com', 'transfer2@example.com', 'transfer3@example.com'])
    expect(await stateOf(t, card)).toMatchObject({ renewal: 'cancelled' })
    expect(await t.db.select().from(history).where(and(eq(history.orgId, card.org.id), eq(history.kind, 'order.cancelled')))).toHaveLength(1)
    // Every renewal order of the lapsed periods (the card's, and any the manual renewal step placed for a transfer) went quietly.
    const renewals = await t.db.select({ status: orders.status }).from(orders).where(and(inArray(orders.orgId, orgIds), eq(orders.kind, 'renewal')))
    expect(new Set(renewals.map((o) => o.status))).toEqual(new Set(['cancelled']))
    expect(await t.db.select().from(outbox).where(eq(outbox.template, 'order.cancelled'))).toEqual([])
  })
})
