// Manual renewal over simulated days (SPEC §8, §13): a subscription that will not be charged
// automatically gets one renewal order, to pay by bank transfer, 14 days before its period ends,
// and its administrators are reminded 14 (with the order and the transfer details), 7 and 1 day
// before — each reminder once, in each administrator's language, none once the order is paid or
// cancelled, and a late run sends only the most recent reminder due.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { lifecycleNotices, memberships, orders, outbox, planPrices, savedMethods, subscriptions } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { runNamedJob } from '../../src/jobs'
import { runRenewals } from '../../src/jobs/renewals'
import { DAY, HOUR } from '../../src/clock'
import { cancelOrder, markOrderPaid, settlePayment } from '../../src/services/payments'
import { systemActor } from '../../src/db/history'
import { testSavedMethod } from '../../src/payments/test-provider'
import type { CartItem } from '../../src/services/pricing'
import { testApp, textOf, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser, linkIn, PASSWORD } from '../helpers/users'
import { invalidateCatalog } from '../../src/db/catalog-cache'

const START = '2026-11-20T10:00:00Z'
/** A year bought at START ends here: 20 November 2027, 11:00 in Warsaw. */
const END = new Date('2027-11-20T10:00:00Z')
const at = (offset: number) => new Date(END.getTime() + offset)
const TRANSFER = 'send PLN\u00a0356.70 to Kontor sp. z o.o., account PL61 1090 1014 0000 0712 1981 2874, with the title'

async function world() {
  const t = await testApp({ now: START })
  await t.seedCatalog()
  const operator = await createUser(t.deps, { email: 'operator@example.com', operator: true })
  return { t, operator }
}

/** An org that bought Sekretariat Silver for a year (unless told) by bank transfer at START, marked paid by an operator: no automatic renewal. */
async function transferSubscriber(w: Awaited<ReturnType<typeof world>>, email: string, item?: CartItem) {
  const { t, operator } = w
  const buyer = await adminWithOrg(t, email)
  const { id } = await orderFor(t, buyer, 'transfer', item)
  expect(await markOrderPaid(t.deps, id, operator as never, t.clock.now())).toEqual({ ok: true })
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
  expect([sub.autoRenew, sub.periodEnd?.toISOString()]).toEqual([false, END.toISOString()])
  return { ...buyer, sub }
}

/** Runs the job as the cron would at a simulated moment (the app's clock follows). */
async function runAt(t: TestApp, now: Date) {
  t.clock.set(now)
  const r = await runNamedJob(t.deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

const subOf = (t: TestApp, id: string) => t.db.select().from(subscriptions).where(eq(subscriptions.id, id)).get().then((s) => s!)
const renewalOrdersOf = (t: TestApp, orgId: string) => t.db.select().from(orders).where(and(eq(orders.orgId, orgId), eq(orders.kind, 'renewal'))).orderBy(orders.createdAt)
const remindersTo = (t: TestApp, to: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'renewal.manual'))).orderBy(outbox.createdAt)

describe('manual renewal', () => {
  it('places one bank-transfer renewal order 14 days before the end and reminds the administrators 14, 7 and 1 day before, each once, none before day 14', async () => {
    const w = await world()
    const { t } = w
    const { org, sub, slug } = await transferSubscriber(w, 'manual@example.com')

    // Day 15, and day 14 before its local midnight (22:00 UTC is 23:00 in Warsaw on 5 November): nothing yet.
    for (const offset of [-15 * DAY, -14 * DAY - 12 * HOUR]) {
      expect(await runAt(t, at(offset))).toMatchObject({ failed: 0 })
      expect(await renewalOrdersOf(t, org.id)).toHaveLength(0)
      expect(await remindersTo(t, 'manual@example.com')).toHaveLength(0)
    }

    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1, failed: 0 })
    const [order] = await renewalOrdersOf(t, org.id)
    expect(order).toMatchObject({ status: 'pending_payment', paymentMethod: 'transfer', placedBy: null, grossMinor: 35670, language: 'en' })
    expect(order!.purchase).toMatchObject({ kind: 'renewal', subscriptionId: sub.id, periodStart: END.getTime(), periodMonths: 12, planId: sub.planId })
    const [first] = await remindersTo(t, 'manual@example.com')
    expect(first!.subject).toBe(`Renewal order ${order!.number}: Sekretariat Silver, 1 year`)
    expect(first!.text).toContain(
      `The current period of Sekretariat Silver, 1 year ends on 20 November 2027 and is not renewed automatically, so we have placed renewal order ${order!.number} for the next period: PLN\u00a0356.70.`,
    )
    expect(first!.text).toContain(`${TRANSFER} ${order!.number}. You can also pay by card or PayPal from the order page.`)
    expect(first!.text).toContain('the organisation becomes read-only on 20 November 2027 and its data is deleted on 20 December 2027.')
    expect(linkIn(first!.text, `/o/${slug}/orders/`)).toBe(`/o/${slug}/orders/${order!.id}`)
    // The reminder is the order's mail: no separate "order received" one goes to the billing address.
    expect(await t.db.select().from(outbox).where(and(eq(outbox.template, 'order.confirmation'), eq(outbox.createdAt, at(-14 * DAY))))).toHaveLength(0)

    const steps: [number, string[]][] = [
      [-14 * DAY + 6 * HOUR, []],
      [-13 * DAY, []],
      [-8 * DAY, []],
      [-7 * DAY, ['7']],
      [-7 * DAY + 2 * HOUR, []],
      [-2 * DAY, []],
      [-1 * DAY, ['1']],
      [-1 * HOUR, []],
    ]
    const sent = ['14']
    for (const [offset, reminders] of steps) {
      expect(await runAt(t, at(offset))).toMatchObject({ orders_placed: 0, reminded: reminders.length, failed: 0 })
      sent.push(...reminders)
      expect(await renewalOrdersOf(t, org.id)).toHaveLength(1)
      expect((await remindersTo(t, 'manual@example.com')).map((m) => m.subject.startsWith('Reminder:'))).toEqual(sent.map((d) => d !== '14'))
      expect((await t.db.select({ key: lifecycleNotices.key }).from(lifecycleNotices).where(eq(lifecycleNotices.orgId, org.id))).map((n) => n.key).sort()).toEqual(
        sent.map((d) => `manual-renewal:${sub.id}:${END.getTime()}:${d}`).sort(),
      )
    }
    const [, seven, one] = await remindersTo(t, 'manual@example.com')
    expect(seven!.subject).toBe('Reminder: Sekretariat Silver, 1 year ends on 20 November 2027')
    expect(seven!.text).toContain(`The current period of Sekretariat Silver, 1 year ends on 20 November 2027, and renewal order ${order!.number} (PLN\u00a0356.70) has not been paid yet.`)
    expect(seven!.text).toContain(`${TRANSFER} ${order!.number}.`)
    expect(one!.subject).toBe(seven!.subject)
    expect((await subOf(t, sub.id)).periodEnd?.toISOString()).toBe(END.toISOString())
  })

  it('sends no reminder once an operator has marked the transfer paid; the next period starts exactly at the old end', async () => {
    const w = await world()
    const { t, operator } = w
    const { org, sub } = await transferSubscriber(w, 'paid@example.com')
    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    const [order] = await renewalOrdersOf(t, org.id)

    t.clock.set(at(-10 * DAY))
    expect(await markOrderPaid(t.deps, order!.id, operator as never, t.clock.now())).toEqual({ ok: true })
    const renewed = await subOf(t, sub.id)
    expect([renewed.status, renewed.periodStart.toISOString(), renewed.periodEnd?.toISOString()]).toEqual(['active', END.toISOString(), '2028-11-20T10:00:00.000Z'])

    for (const offset of [-7 * DAY, -1 * DAY, 1 * DAY]) expect(await runAt(t, at(offset))).toMatchObject({ orders_placed: 0, reminded: 0, failed: 0 })
    expect(await remindersTo(t, 'paid@example.com')).toHaveLength(1)
    expect((await renewalOrdersOf(t, org.id)).map((o) => o.status)).toEqual(['paid'])
    // A year on, the next period has its own order and reminders.
    expect(await runAt(t, new Date(Date.parse('2028-11-20T10:00:00Z') - 14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    expect(await remindersTo(t, 'paid@example.com')).toHaveLength(2)
  })

  it('the renewal order can be paid online (here PayPal) from the order page the reminder links to', async () => {
    const w = await world()
    const { t } = w
    const { org, sub, slug } = await transferSubscriber(w, 'bycard@example.com')
    await runAt(t, at(-7 * DAY))
    const [order] = await renewalOrdersOf(t, org.id)
    const [mail] = await remindersTo(t, 'bycard@example.com')

    const b = t.browser()
    expect((await b.post('/login', { email: 'bycard@example.com', password: PASSWORD })).status).toBe(303)
    const page = textOf(await (await b.get(linkIn(mail!.text, `/o/${slug}/orders/`))).text())
    expect(page).toContain(`Transfer title ${order!.number}`)
    expect(page).toContain('This renewal can be paid until the current period ends. Or pay now online: Card PayPal')
    const started = await b.post(`/o/${slug}/orders/${order!.id}/payments`, { method: 'paypal' })
    const payPage = new URL(started.headers.get('Location')!)
    expect(payPage.pathname).toMatch(/^\/pay\/test\//)
    // The test provider's page and the method it saves follow the method chosen, not the order's transfer.
    expect(textOf(await (await b.get(payPage.pathname)).text())).toContain(`Order ${order!.number}, by PayPal.`)
    expect((await b.post(`${payPage.pathname}/approval`)).status).toBe(303)
    expect((await renewalOrdersOf(t, org.id)).map((o) => [o.status, o.paidVia])).toEqual([['paid', 'provider']])
    expect((await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, org.id))).map((m) => m.label)).toEqual(['PayPal (test)'])
    // Saved, but paying one renewal online is not consent to charges: automatic renewal stays off.
    expect((await subOf(t, sub.id)).autoRenew).toBe(false)
    expect((await subOf(t, sub.id)).periodStart.toISOString()).toBe(END.toISOString())
    expect(await runAt(t, at(-1 * DAY))).toMatchObject({ reminded: 0 })
    expect(await remindersTo(t, 'bycard@example.com')).toHaveLength(1)
  })

  it('a late run (the cron down from day 15 to day 5) places the order and sends only the 7-day reminder, with the transfer details', async () => {
    const w = await world()
    const { t } = w
    const { org } = await transferSubscriber(w, 'late@example.com')
    expect(await runAt(t, at(-15 * DAY))).toMatchObject({ orders_placed: 0 })

    expect(await runAt(t, at(-5 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    const [order] = await renewalOrdersOf(t, org.id)
    const mails = await remindersTo(t, 'late@example.com')
    expect(mails.map((m) => m.subject)).toEqual(['Reminder: Sekretariat Silver, 1 year ends on 20 November 2027'])
    expect(mails[0]!.text).toContain(`${TRANSFER} ${order!.number}.`)
    expect(await t.db.select().from(lifecycleNotices).where(eq(lifecycleNotices.orgId, org.id))).toHaveLength(1)

    // The cron down again until 3 hours before the end: the 1-day reminder, and nothing after the end.
    expect(await runAt(t, at(-3 * HOUR))).toMatchObject({ reminded: 1 })
    expect(await remindersTo(t, 'late@example.com')).toHaveLength(2)
  })

  it('runs twice in a row and twice at once place one order per subscription and mail each reminder once per administrator', async () => {
    const w = await world()
    const { t } = w
    const subscribers = []
    for (let i = 0; i < 5; i++) subscribers.push(await transferSubscriber(w, `many${i}@example.com`))
    const second = await createUser(t.deps, { email: 'second@example.com' })
    await t.db.insert(memberships).values({ orgId: subscribers[0]!.org.id, userId: second.id, role: 'admin', createdAt: t.clock.now() })

    // Two at once past the lease (pages of 2): the order is found again inside the placing transaction, the notice key is taken once.
    t.clock.set(at(-14 * DAY))
    const direct = await Promise.all([runRenewals(t.deps, at(-14 * DAY), 2), runRenewals(t.deps, at(-14 * DAY), 2)])
    expect(direct.flatMap((r) => r.errors)).toEqual([])
    expect(direct.reduce((n, r) => n + (r.counts.orders_placed ?? 0), 0)).toBe(5)
    expect(direct.reduce((n, r) => n + (r.counts.reminded ?? 0), 0)).toBe(5)
    for (const s of subscribers) {
      expect(await renewalOrdersOf(t, s.org.id)).toHaveLength(1)
      expect(await remindersTo(t, s.user.email)).toHaveLength(1)
    }
    expect(await remindersTo(t, 'second@example.com')).toHaveLength(1)

    for (const run of [1, 2]) expect(await runAt(t, at(-7 * DAY)), `run ${run}`).toMatchObject({ orders_placed: 0, reminded: run === 1 ? 5 : 0 })
    const again = await Promise.all([runRenewals(t.deps, at(-1 * DAY), 2), runRenewals(t.deps, at(-1 * DAY), 2)])
    expect(again.reduce((n, r) => n + (r.counts.reminded ?? 0), 0)).toBe(5)
    for (const s of subscribers) expect(await remindersTo(t, s.user.email)).toHaveLength(3)
    expect(await remindersTo(t, 'second@example.com')).toHaveLength(3)
    expect(await t.db.select().from(orders).where(eq(orders.kind, 'renewal'))).toHaveLength(5)
  })

  it('mails each administrator in their own language (one English, one Polish); Certyfikaty says it moves to the free plan', async () => {
    const w = await world()
    const { t } = w
    const { org } = await transferSubscriber(w, 'english@example.com', { product: 'certyfikaty', plan: 'pro', period: 12, addons: {} })
    const anna = await createUser(t.deps, { email: 'anna@example.com', language: 'pl' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: anna.id, role: 'admin', createdAt: t.clock.now() })

    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    const [order] = await renewalOrdersOf(t, org.id)
    const [en] = await remindersTo(t, 'english@example.com')
    const [pl] = await remindersTo(t, 'anna@example.com')
    expect([en!.language, pl!.language]).toEqual(['en', 'pl'])
    expect(en!.subject).toBe(`Renewal order ${order!.number}: Certyfikaty Pro, 1 year`)
    expect(en!.text).toContain('If it is not paid by then, the organisation moves to the free plan on 20 November 2027; nothing issued so far stops working.')
    expect(pl!.subject).toBe(`Zamówienie odnowienia ${order!.number}: Certyfikaty Pro, 1 rok`)
    expect(pl!.text).toContain(`Bieżący okres usługi Certyfikaty Pro, 1 rok kończy się 20 listopada 2027 i nie odnowi się automatycznie`)
    expect(pl!.text).toContain(`przelej 602,70\u00a0zł na rzecz Kontor sp. z o.o., numer konta PL61 1090 1014 0000 0712 1981 2874, w tytule ${order!.number}.`)
    expect(pl!.text).toContain('organizacja przejdzie 20 listopada 2027 na plan bezpłatny')
    expect(pl!.html).toContain('<html lang="pl">')
  })

  it('renews the next period’s plan and frequency with the add-on packs held, at today’s catalog prices', async () => {
    const w = await world()
    const { t } = w
    const item = { product: 'certified-platform', plan: 'base', period: 12, addons: { users: 2 } }
    const { org, sub } = await transferSubscriber(w, 'addons@example.com', item)
    const base = (await loadCatalog(t.db)).find((p) => p.key === 'certified-platform')!.plans.find((p) => p.key === 'base')!
    // The vendor raises the price during the year; the renewal pays today's price.
    await t.db.update(planPrices).set({ netMinor: 56000 }).where(and(eq(planPrices.planId, base.id), eq(planPrices.periodMonths, 24)))
    invalidateCatalog(t.db) // as the operator pages do after an edit
    await t.db.update(subscriptions).set({ scheduledPeriodMonths: 24 }).where(eq(subscriptions.id, sub.id))

    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1 })
    const [order] = await renewalOrdersOf(t, org.id)
    // 24 months: Base at today's 560.00 + 2 × 36.00 users = 632.00 net, + 23 % VAT.
    expect([order!.netMinor, order!.grossMinor, order!.purchase]).toEqual([63200, 77736, expect.objectContaining({ periodMonths: 24, planId: base.id })])
  })

  it('a subscription whose renewal was turned off (the free plan scheduled) gets no order and no reminder', async () => {
    const w = await world()
    const { t } = w
    const { org, sub } = await transferSubscriber(w, 'off@example.com')
    const green = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!.plans.find((p) => p.isFree)!
    await t.db.update(subscriptions).set({ scheduledPlanId: green.id }).where(eq(subscriptions.id, sub.id))

    for (const offset of [-14 * DAY, -7 * DAY, -1 * DAY]) expect(await runAt(t, at(offset))).toMatchObject({ orders_placed: 0, reminded: 0, failed: 0 })
    expect(await renewalOrdersOf(t, org.id)).toHaveLength(0)
    expect(await remindersTo(t, 'off@example.com')).toHaveLength(0)
  })

  it('a renewal order an operator cancelled is not placed again and not reminded', async () => {
    const w = await world()
    const { t } = w
    const { org } = await transferSubscriber(w, 'cancelled@example.com')
    await runAt(t, at(-14 * DAY))
    const [order] = await renewalOrdersOf(t, org.id)
    t.clock.set(at(-10 * DAY))
    expect(await cancelOrder(t.deps, order!, systemActor('test operator'), t.clock.now(), 'operator')).toEqual({ ok: true })

    for (const offset of [-7 * DAY, -1 * DAY]) expect(await runAt(t, at(offset))).toMatchObject({ orders_placed: 0, reminded: 0 })
    expect((await renewalOrdersOf(t, org.id)).map((o) => o.status)).toEqual(['cancelled'])
    expect(await remindersTo(t, 'cancelled@example.com')).toHaveLength(1)
  })
})

describe('a card subscription and manual renewal', () => {
  async function cardSubscriber(t: TestApp, email: string) {
    const buyer = await adminWithOrg(t, email)
    const { id } = await orderFor(t, buyer, 'card')
    const paymentId = await hostedPayment(t, id, buyer.org.id)
    const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
    await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, t.clock.now())
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
    expect(sub.autoRenew).toBe(true)
    return { ...buyer, sub }
  }

  it('with a live saved card is left to the card: no transfer order, no reminder, charged 7 days before', async () => {
    const { t } = await world()
    const { org } = await cardSubscriber(t, 'card@example.com')
    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 0, reminded: 0 })
    expect(await renewalOrdersOf(t, org.id)).toHaveLength(0)
    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ renewed: 1, reminded: 0 })
    expect((await renewalOrdersOf(t, org.id)).map((o) => [o.paymentMethod, o.status])).toEqual([['card', 'paid']])
    expect(await remindersTo(t, 'card@example.com')).toHaveLength(0)
  })

  it('whose card was removed is renewed the manual way: a transfer order 14 days before, and the card step finds no method', async () => {
    const { t } = await world()
    const { org } = await cardSubscriber(t, 'nocard@example.com')
    await t.db.update(savedMethods).set({ removedAt: t.clock.now() }).where(eq(savedMethods.orgId, org.id))

    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ no_method: 1, reminded: 1 })
    expect((await renewalOrdersOf(t, org.id)).map((o) => [o.paymentMethod, o.status])).toEqual([['transfer', 'pending_payment']])
    expect((await remindersTo(t, 'nocard@example.com')).map((m) => m.subject.split(':')[0])).toEqual(['Renewal order KON/2027/11/000001', 'Reminder'])
  })

  it('also reminds the billing address when no administrator reads it, in the order’s language, once per reminder', async () => {
    const w = await world()
    const { t } = w
    const buyer = await adminWithOrg(t, 'boss@example.com', { billingEmail: 'accounts@example.com' })
    const { id } = await orderFor(t, buyer, 'transfer')
    expect(await markOrderPaid(t.deps, id, w.operator as never, t.clock.now())).toEqual({ ok: true })

    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 1, reminded: 1 })
    expect(await runAt(t, at(-14 * DAY))).toMatchObject({ orders_placed: 0, reminded: 0 })
    expect(await runAt(t, at(-7 * DAY))).toMatchObject({ reminded: 1 })
    const [order] = await renewalOrdersOf(t, buyer.org.id)
    const toAccounts = await remindersTo(t, 'accounts@example.com')
    expect(toAccounts.map((m) => [m.language, m.subject.split(':')[0]])).toEqual([
      ['en', `Renewal order ${order!.number}`],
      ['en', 'Reminder'],
    ])
    expect(toAccounts[0]!.text).toContain(`${TRANSFER} ${order!.number}`)
    expect(await remindersTo(t, 'boss@example.com')).toHaveLength(2)
  })
})
