// Issue 16, rule 4: add-on packs between an early renewal and the period end. Certified Platform
// Base for 2 years, bought by card (renewal on); the renewals job renews it 7 days before the end.
// Packs price against the period that contains the moment of purchase or, in the early-renewal
// window, against the next one — checked at every boundary, through the plan page and the order.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { orderLines, orders, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { DAY } from '../../src/clock'
import { markOrderPaid, settlePayment } from '../../src/services/payments'
import { testSavedMethod } from '../../src/payments/test-provider'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser, PASSWORD } from '../helpers/users'

const START = '2026-11-20T10:00:00Z'
/** Two years from START (11:00 in Warsaw both times): 731 days, 2028 being a leap year. */
const END = new Date('2028-11-20T10:00:00Z')
/** The renewed period's end: 730 days after END. */
const NEXT_END = new Date('2030-11-20T10:00:00Z')
const at = (base: Date, offset: number) => new Date(base.getTime() + offset)
/** "+1 user" for 24 months: EUR 36.00 net a pack. */
const PACK = 3600

const t = await testApp({ now: START })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'window-operator@example.com', operator: true })

async function subscriber(email: string) {
  t.clock.set(START)
  const buyer = await adminWithOrg(t, email)
  const { id } = await orderFor(t, buyer, 'card', { product: 'certified-platform', plan: 'base', period: 24, addons: {} })
  const paymentId = await hostedPayment(t, id, buyer.org.id)
  const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
  await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, t.clock.now())
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
  expect([sub.autoRenew, sub.periodStart.toISOString(), sub.periodEnd!.toISOString()]).toEqual([true, new Date(START).toISOString(), END.toISOString()])
  return { ...buyer, sub, base: `/o/${buyer.slug}/products/certified-platform/plan` }
}

/** The administrator signed in afresh at a simulated moment (sessions don't outlive days of simulated time). */
async function adminAt(email: string, now: Date) {
  t.clock.set(now)
  const b = t.browser()
  expect((await b.post('/login', { email, password: PASSWORD })).status).toBe(303)
  return b
}

/** Orders one "+1 user" pack by transfer at `now`: the line the order got, or the refusal. */
async function orderPack(who: { org: { id: string }; base: string; user: { email: string } }, now: Date) {
  const b = await adminAt(who.user.email, now)
  const page = textOf(await (await b.get(who.base)).text())
  const before = (await t.db.select().from(orders).where(and(eq(orders.orgId, who.org.id), eq(orders.kind, 'addons')))).length
  const res = await b.post(`${who.base}/addon-orders`, { from: 'base', 'packs.users': '1', method: 'transfer', terms: 'on' })
  const placed = await t.db.select().from(orders).where(and(eq(orders.orgId, who.org.id), eq(orders.kind, 'addons'))).orderBy(orders.createdAt)
  if (res.status !== 303) return { status: res.status, page, refusal: textOf(await res.text()), orders: placed.length - before }
  const order = placed.at(-1)!
  const [line] = await t.db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
  return { status: res.status, page, order, line: [line!.label.en, line!.netMinor] as const, orders: placed.length - before }
}

const renewAt = async (now: Date) => {
  t.clock.set(now)
  const r = await runNamedJob(t.deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

describe('Add-on packs between an early renewal and the period end', () => {
  it('price against the period that holds the purchase, or the renewed next one in the early-renewal window, at every boundary', async () => {
    const who = await subscriber('window@example.com')

    // 8 days before the end, not renewed yet: the current period's last 8 of 731 days.
    const before = await orderPack(who, at(END, -8 * DAY))
    expect(before.line).toEqual(['Certified Platform: 1 × +1 user, 8 of 731 days', Math.round((PACK * 8) / 731)])
    expect(before.order!.purchase).toMatchObject({ periodEnd: END.getTime() })

    // 7 days before the end the job renews it: the next period is paid, from END to NEXT_END.
    expect(await renewAt(at(END, -7 * DAY))).toMatchObject({ renewed: 1 })
    const renewed = (await t.db.select().from(subscriptions).where(eq(subscriptions.id, who.sub.id)).get())!
    expect([renewed.periodStart.toISOString(), renewed.periodEnd!.toISOString()]).toEqual([END.toISOString(), NEXT_END.toISOString()])

    // In the window, right after the renewal and up to the last moment before END: the whole next period.
    for (const moment of [at(END, -7 * DAY), at(END, -1)]) {
      const inWindow = await orderPack(who, moment)
      expect(inWindow.page).toContain('Paid until 20 November 2030')
      expect(inWindow.page).toContain('Renewed: the next period, 20 November 2028 – 20 November 2030, is already paid.')
      expect(inWindow.page).toContain('36.00 × 730 / 730 = 36.00 net per pack')
      expect(inWindow.page).not.toContain('The paid period has ended')
      expect(inWindow.line).toEqual(['Certified Platform: 1 × +1 user, 730 of 730 days', PACK])
      expect(inWindow.order!.purchase).toMatchObject({ periodEnd: NEXT_END.getTime() })
    }

    // At END the next period has begun and holds the purchase: all of its days remain, the same price.
    expect((await orderPack(who, END)).line).toEqual(['Certified Platform: 1 × +1 user, 730 of 730 days', PACK])
    // A day later, one day fewer; on its last day, one day.
    expect((await orderPack(who, at(END, DAY))).line).toEqual(['Certified Platform: 1 × +1 user, 729 of 730 days', Math.round((PACK * 729) / 730)])
    expect((await orderPack(who, at(NEXT_END, -DAY))).line).toEqual(['Certified Platform: 1 × +1 user, 1 of 730 days', Math.round(PACK / 730)])
    // At the renewed period's end (not renewed again): nothing to prorate, no order.
    const over = await orderPack(who, NEXT_END)
    expect(over.status).toBe(422)
    expect(over.refusal).toContain('The paid period has ended')
    expect(over.orders).toBe(0)
  })

  it('an order placed in the window is fulfilled, before or after END; one priced on the old period and paid after the renewal is not', async () => {
    const who = await subscriber('window-paid@example.com')
    const stale = await orderPack(who, at(END, -8 * DAY))
    expect(await renewAt(at(END, -7 * DAY))).toMatchObject({ renewed: 1 })
    const early = await orderPack(who, at(END, -3 * DAY))
    const late = await orderPack(who, at(END, -2 * DAY))

    t.clock.set(at(END, -DAY))
    expect(await markOrderPaid(t.deps, early.order!.id, operator as never, t.clock.now())).toEqual({ ok: true })
    const packs = async () => (await t.db.select().from(subscriptions).where(eq(subscriptions.id, who.sub.id)).get())!.addonPacks
    expect(await packs()).toEqual({ users: 1 })
    t.clock.set(at(END, DAY))
    expect(await markOrderPaid(t.deps, late.order!.id, operator as never, t.clock.now())).toEqual({ ok: true })
    expect(await packs()).toEqual({ users: 2 })

    // Priced for the old period's last 8 days, which the renewal did not include: kept for an operator, not applied.
    expect(await markOrderPaid(t.deps, stale.order!.id, operator as never, t.clock.now())).toEqual({ ok: true })
    expect((await t.db.select().from(orders).where(eq(orders.id, stale.order!.id)).get())!.fulfilmentProblem).toBe('subscription_changed')
    expect(await packs()).toEqual({ users: 2 })
  })

  it('an upgrade in the window is priced on the next period too', async () => {
    // Sekretariat Silver for a year by card (the default order): ends 20 November 2027; renewed, 2028 has 366 days.
    t.clock.set(START)
    const buyer = await adminWithOrg(t, 'window-upgrade@example.com')
    const { id } = await orderFor(t, buyer, 'card')
    const paymentId = await hostedPayment(t, id, buyer.org.id)
    await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod: testSavedMethod(buyer.org.id, paymentId, 'card') }, t.clock.now())
    const yearEnd = new Date('2027-11-20T10:00:00Z')
    expect(await renewAt(at(yearEnd, -7 * DAY))).toMatchObject({ renewed: 1 })
    const b = await adminAt(buyer.user.email, at(yearEnd, -5 * DAY))
    expect(textOf(await (await b.get(`/o/${buyer.slug}/products/sekretariat/plan`)).text())).toContain('Gold (590.00 − 290.00) × 366 / 366 = 300.00 net')
    expect((await b.post(`/o/${buyer.slug}/products/sekretariat/plan/upgrade-orders`, { from: 'silver', plan: 'gold', method: 'transfer', terms: 'on' })).status).toBe(303)
    const order = (await t.db.select().from(orders).where(and(eq(orders.orgId, buyer.org.id), eq(orders.kind, 'plan_change'))).get())!
    const [line] = await t.db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
    expect([line!.label.en, line!.netMinor]).toEqual(['Sekretariat Gold: upgrade from Silver, 366 of 366 days', 30000])
    expect(await markOrderPaid(t.deps, order.id, operator as never, t.clock.now())).toEqual({ ok: true })
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!.snapshot.planKey).toBe('gold')
  })
})
