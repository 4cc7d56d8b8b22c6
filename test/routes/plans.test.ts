import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, licences, memberships, orderLines, orders, savedMethods, subscriptions } from '../../src/db/schema'
import { loadCatalog, type CatalogProduct } from '../../src/db/catalog'
import { markOrderPaid } from '../../src/services/payments'
import { newSubscription, snapshotOf, type Subscription } from '../../src/services/subscriptions'
import { generateId } from '../../src/auth/tokens'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const catalog = await loadCatalog(t.db)
const sekretariat = catalog.find((p) => p.key === 'sekretariat')!
const platform = catalog.find((p) => p.key === 'certified-platform')!
const planOf = (product: CatalogProduct, key: string) => product.plans.find((p) => p.key === key)!
const operator = await createUser(t.deps, { email: 'plans-operator@example.com', operator: true })

// A yearly period from 1 February 2026 to 1 February 2027 in Warsaw: 365 days, 73 of them left on 20 November.
const START = new Date('2026-01-31T23:00:00Z')
const END = new Date('2027-01-31T23:00:00Z')

type Buyer = Awaited<ReturnType<typeof adminWithOrg>>

/** An org whose admin holds a paid subscription, inserted directly as fulfilment would leave it. */
async function subscribed(email: string, product: CatalogProduct, planKey: string, terms: Partial<Subscription> = {}) {
  const buyer = await adminWithOrg(t, email)
  const plan = planOf(product, planKey)
  const months = product.billingPeriods.includes(12) ? 12 : product.billingPeriods[0]!
  const sub = { planId: plan.id, snapshot: snapshotOf(product, plan), status: 'active', periodMonths: months, periodStart: START, periodEnd: END, source: 'order', ...terms } as const
  const { id, number, statements } = newSubscription(t.db, buyer.org.id, product.id, sub, t.clock.now())
  await t.db.batch([...statements])
  return { ...buyer, subId: id, licence: number, base: `/o/${buyer.slug}/products/${product.key}/plan` }
}

const subOf = async (id: string) => (await t.db.select().from(subscriptions).where(eq(subscriptions.id, id)).get())!
const ordersOf = (orgId: string) => t.db.select().from(orders).where(eq(orders.orgId, orgId))
const pageText = async (b: Buyer['b'], path: string) => textOf(await (await b.get(path)).text())
const kinds = async (orgId: string) => (await t.db.select().from(history).where(eq(history.orgId, orgId)).orderBy(history.id)).map((h) => h.kind)

describe('the subscription page', () => {
  it('shows the upgrade from Silver to Gold as (590.00 − 290.00) × 73 / 365 = 60.00 net with VAT 13.80 and 73.80 to pay for a Polish company', async () => {
    const { b, base } = await subscribed('page@example.com', sekretariat, 'silver')
    const res = await b.get(base)
    expect(res.status).toBe(200)
    const text = textOf(await res.text())
    expect(text).toContain('Current plan: Silver Billed every 1 year Paid until 1 February 2027')
    expect(text).toContain(`Gold (590.00 − 290.00) × 73 / 365 = 60.00 net Net PLN 60.00 · VAT 23 % PLN 13.80 · to pay PLN 73.80`)
    expect(text).toContain(`Platinum (990.00 − 290.00) × 73 / 365 = 140.00 net Net PLN 140.00 · VAT 23 % PLN 32.20 · to pay PLN 172.20`)
    expect(text).toContain('Automatic renewal Off: nothing is charged automatically.')
    expect(text).toContain('Nothing is scheduled.')
    expect(text).toContain('I understand that the paid plan ends now and that what was paid for the rest of the period is not refunded.')
    expect(text).not.toContain('Downgrade at the period end')
  })

  it('writes the formula with the reader’s decimal comma in Polish', async () => {
    const buyer = await subscribed('strona@example.com', sekretariat, 'silver')
    const pl = t.browser()
    const user = await createUser(t.deps, { email: 'polski-admin@example.com', language: 'pl' })
    await t.db.insert(memberships).values({ orgId: buyer.org.id, userId: user.id, role: 'admin', createdAt: t.clock.now() })
    await pl.post('/login', { email: user.email, password: PASSWORD })
    const text = await pageText(pl, buyer.base)
    expect(text).toContain('Obecny plan: Silver Rozliczenie co 1 rok Opłacony do 1 lutego 2027')
    expect(text).toContain('Gold (590,00 − 290,00) × 73 / 365 = 60,00 netto Netto 60,00 zł · VAT 23 % 13,80 zł · do zapłaty 73,80 zł')
  })

  it('folds each change it offers under its heading, and opens only the one whose form was just refused', async () => {
    const { b, base } = await subscribed('folded@example.com', sekretariat, 'gold')
    // Each fold: its heading, and whether it is open.
    const folds = (html: string) => [...html.matchAll(/<details class="card change"( open="")?>\s*<summary>\s*<h2 id="[a-z]+-h">([^<]+)<\/h2>/g)].map((m) => `${m[2]}${m[1] ? ': open' : ''}`)
    const page = await (await b.get(base)).text()
    expect(folds(page)).toEqual(['Upgrade now', 'Downgrade at the period end', 'Renewal frequency', 'Move to the free plan Green'])
    // The folded forms are in the page all the same (they work without JavaScript).
    expect(page).toContain(`action="${base}/scheduled-change"`)
    const refused = await b.post(`${base}/scheduled-change`, { from: 'gold', plan: 'platinum' })
    expect(refused.status).toBe(422)
    expect(folds(await refused.text())).toEqual(['Upgrade now', 'Downgrade at the period end: open', 'Renewal frequency', 'Move to the free plan Green'])
  })

  it('links to checkout when the org has only the free plan or no subscription, and refuses changes with 422', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'nopaid@example.com')
    const res = await b.get(`/o/${slug}/products/sekretariat/plan`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(textOf(html)).toContain('This organization has no paid plan for Sekretariat. Buy a plan')
    expect(html).toContain('href="/buy/sekretariat"')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    expect(await pageText(b, `/o/${slug}/products/sekretariat/plan`)).toContain('Current plan: Green (free). This organization has no paid plan for Sekretariat. Buy a plan')
    const refused = await b.post(`/o/${slug}/products/sekretariat/plan/upgrade-orders`, { plan: 'gold', method: 'transfer', terms: 'on' })
    expect(refused.status).toBe(422)
    expect(textOf(await refused.text())).toContain('This organization has no paid plan for this product.')
    expect(await ordersOf(org.id)).toEqual([])
  })

  it('puts "Manage plan" on a paid product’s card and "Buy a plan" on the others', async () => {
    const { b, slug } = await subscribed('cards@example.com', sekretariat, 'silver')
    const html = await (await b.get(`/o/${slug}`)).text()
    expect(html).toContain(`href="/o/${slug}/products/sekretariat/plan"`)
    expect(html).toContain('href="/buy/certified-platform"')
    expect(html).not.toContain('href="/buy/sekretariat"')
  })

  it('answers 403 to a member and 404 for another org’s slug or an unknown product', async () => {
    const { org, base, subId } = await subscribed('guarded@example.com', sekretariat, 'silver')
    const member = await createUser(t.deps, { email: 'plain-member@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const mb = t.browser()
    await mb.post('/login', { email: member.email, password: PASSWORD })
    expect((await mb.get(base)).status).toBe(403)
    expect((await mb.post(`${base}/free-switch`, { mode: 'now', confirm: 'on' })).status).toBe(403)
    const stranger = await adminWithOrg(t, 'stranger@example.com')
    expect((await stranger.b.get(base)).status).toBe(404)
    expect((await stranger.b.post(`${base}/auto-renewal`, { autoRenew: 'off' })).status).toBe(404)
    expect((await stranger.b.get(`/o/${stranger.slug}/products/nothing/plan`)).status).toBe(404)
    expect(await subOf(subId)).toMatchObject({ planId: planOf(sekretariat, 'silver').id, autoRenew: false, periodEnd: END })
  })
})

describe('upgrading mid-period', () => {
  it('places a plan_change order of 73.80 gross paid by transfer; once paid the subscription is Gold with the same period end and licence number', async () => {
    const { b, org, base, subId, licence } = await subscribed('upgrade@example.com', sekretariat, 'silver')
    const res = await b.post(`${base}/upgrade-orders`, { from: 'silver', plan: 'gold', method: 'transfer', terms: 'on' })
    expect(res.status).toBe(303)
    const [order] = await ordersOf(org.id)
    expect(res.headers.get('Location')).toBe(`/o/${org.slug}/orders/${order!.id}`)
    expect([order!.kind, order!.status, order!.netMinor, order!.vatMinor, order!.grossMinor, order!.currency, order!.paymentMethod]).toEqual(['plan_change', 'pending_payment', 6000, 1380, 7380, 'PLN', 'transfer'])
    const gold = planOf(sekretariat, 'gold')
    expect(order!.purchase).toEqual({ kind: 'plan_change', productId: sekretariat.id, subscriptionId: subId, fromPlanId: planOf(sekretariat, 'silver').id, planId: gold.id, periodEnd: END.getTime(), snapshot: snapshotOf(sekretariat, gold) })
    const lines = await t.db.select().from(orderLines).where(eq(orderLines.orderId, order!.id))
    expect(lines.map((l) => [l.label, l.quantity, l.netMinor, l.vatMinor])).toEqual([
      [{ en: 'Sekretariat Gold: upgrade from Silver, 73 of 365 days', pl: 'Sekretariat Gold: zmiana z planu Silver, 73 z 365 dni', it: 'Sekretariat Gold: passaggio dal piano Silver, 73 di 365 giorni' }, 1, 6000, 1380],
    ])
    expect((await subOf(subId)).planId).toBe(planOf(sekretariat, 'silver').id)

    expect(await markOrderPaid(t.deps, order!.id, operator as never, t.clock.now())).toEqual({ ok: true })
    const sub = await subOf(subId)
    expect([sub.planId, sub.snapshot.planName, sub.periodEnd?.toISOString(), sub.periodMonths, sub.status]).toEqual([gold.id, 'Gold', END.toISOString(), 12, 'active'])
    expect((await t.db.select().from(licences).where(eq(licences.subscriptionId, subId))).map((l) => l.number)).toEqual([licence])
    expect(await pageText(b, base)).toContain('Current plan: Gold')
  })

  it('sends a card payment to the provider’s page', async () => {
    const { b, base } = await subscribed('upgrade-card@example.com', sekretariat, 'silver')
    const res = await b.post(`${base}/upgrade-orders`, { from: 'silver', plan: 'platinum', method: 'card', terms: 'on' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toMatch(/^http:\/\/localhost\/pay\/test\/\w+$/)
  })

  it('refuses a tampered plan, the same or a cheaper plan, and a missing acceptance of the terms with 422 and no order', async () => {
    const { b, org, base } = await subscribed('tampered@example.com', sekretariat, 'gold')
    const cases: [Record<string, string>, string][] = [
      [{ plan: 'diamond' }, 'There is no such plan.'],
      [{ plan: 'gold' }, 'That plan is not dearer than the current one. Cheaper plans start at the period end.'],
      [{ plan: 'silver' }, 'That plan is not dearer than the current one. Cheaper plans start at the period end.'],
      [{ plan: 'green' }, 'That plan is not dearer than the current one. Cheaper plans start at the period end.'],
      [{ plan: 'platinum', terms: '' }, 'Accept the terms of sale to order.'],
      [{ plan: 'platinum', method: 'cash' }, 'Choose a payment method.'],
    ]
    for (const [form, message] of cases) {
      const res = await b.post(`${base}/upgrade-orders`, { from: 'gold', method: 'transfer', terms: 'on', ...form })
      expect(res.status, form.plan).toBe(422)
      expect(textOf(await res.text())).toContain(message)
    }
    expect(await ordersOf(org.id)).toEqual([])
  })

  it('refuses a form from a page that showed another plan with 409 and changes nothing', async () => {
    const { b, org, base, subId } = await subscribed('stale@example.com', sekretariat, 'gold')
    const res = await b.post(`${base}/scheduled-change`, { from: 'silver', plan: 'silver' })
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('The subscription has changed meanwhile. Check the page and try again.')
    expect((await subOf(subId)).scheduledPlanId).toBeNull()
    expect(await kinds(org.id)).toEqual(['org.created'])
  })
})

describe('add-on packs mid-period', () => {
  it('refuses more packs than the maximum, counting held packs: 10 held + 5 of "+1 user" (at most 14)', async () => {
    const { b, org, base } = await subscribed('packs-max@example.com', platform, 'base', { addonPacks: { users: 10 } })
    expect(await pageText(b, base)).toContain('Packs of +1 user to add Held: 10 of at most 14 packs. 20.00 × 73 / 365 = 4.00 net per pack')
    const res = await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '5', method: 'transfer', terms: 'on' })
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('That is more packs than allowed: the packs you hold count towards the maximum.')
    expect(await ordersOf(org.id)).toEqual([])
  })

  it('counts packs in add-on orders still waiting for payment towards the maximum: 10 held + 3 ordered leave room for 1', async () => {
    const { b, org, base } = await subscribed('packs-pending@example.com', platform, 'base', { addonPacks: { users: 10 } })
    expect((await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '3', method: 'transfer', terms: 'on' })).status).toBe(303)
    const over = await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '2', method: 'transfer', terms: 'on' })
    expect(over.status).toBe(422)
    expect((await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '1', method: 'transfer', terms: 'on' })).status).toBe(303)
    expect(await ordersOf(org.id)).toHaveLength(2)
  })

  it('charges packs for the days left, rounded once per add-on, and adds them to the held ones when paid', async () => {
    const { b, org, base, subId } = await subscribed('packs@example.com', platform, 'base', { addonPacks: { users: 10 } })
    const res = await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '4', 'packs.storage_gb': '1', 'packs.external_users': '', method: 'transfer', terms: 'on' })
    expect(res.status).toBe(303)
    const [order] = await ordersOf(org.id)
    // 4 × 20.00 × 73/365 = 16.00 and 25.00 × 73/365 = 5.00; VAT 23 %.
    expect([order!.kind, order!.currency, order!.netMinor, order!.vatMinor, order!.grossMinor]).toEqual(['addons', 'EUR', 2100, 483, 2583])
    expect(order!.purchase).toEqual({ kind: 'addons', productId: platform.id, subscriptionId: subId, addonPacks: { users: 4, storage_gb: 1 }, periodEnd: END.getTime() })
    const lines = await t.db.select().from(orderLines).where(eq(orderLines.orderId, order!.id)).orderBy(orderLines.position)
    expect(lines.map((l) => [l.label.en, l.netMinor])).toEqual([
      ['Certified Platform: 4 × +1 user, 73 of 365 days', 1600],
      ['Certified Platform: 1 × +5 GB, 73 of 365 days', 500],
    ])
    await markOrderPaid(t.deps, order!.id, operator as never, t.clock.now())
    expect((await subOf(subId)).addonPacks).toEqual({ users: 14, storage_gb: 1 })
  })

  it('refuses no packs at all and a count that is not a whole number', async () => {
    const { b, org, base } = await subscribed('packs-none@example.com', platform, 'base')
    const none = await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '0', method: 'card', terms: 'on' })
    expect(none.status).toBe(422)
    expect(textOf(await none.text())).toContain('Enter how many packs to add.')
    const bad = await b.post(`${base}/addon-orders`, { from: 'base', 'packs.users': '1.5', method: 'card', terms: 'on' })
    expect(bad.status).toBe(422)
    expect(textOf(await bad.text())).toContain('Enter a whole number of packs.')
    expect(await ordersOf(org.id)).toEqual([])
  })
})

describe('changes from the next period', () => {
  it('schedules a downgrade for the period end, shows it, and cancels it; a dearer plan is not a downgrade', async () => {
    const { b, org, base, subId } = await subscribed('downgrade@example.com', sekretariat, 'gold')
    expect(await pageText(b, base)).toContain(`Downgrade at the period end A cheaper plan starts with the next period, on 1 February 2027; until then you keep Gold.`)
    const dearer = await b.post(`${base}/scheduled-change`, { from: 'gold', plan: 'platinum' })
    expect(dearer.status).toBe(422)
    expect(textOf(await dearer.text())).toContain('That plan is not cheaper than the current one.')
    const res = await b.post(`${base}/scheduled-change`, { from: 'gold', plan: 'silver' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(base)
    const sub = await subOf(subId)
    expect([sub.planId, sub.scheduledPlanId, sub.periodEnd?.toISOString()]).toEqual([planOf(sekretariat, 'gold').id, planOf(sekretariat, 'silver').id, END.toISOString()])
    const text = textOf(await (await b.follow(res)).text())
    expect(text).toContain('The change is scheduled.')
    expect(text).toContain('Scheduled changes From 1 February 2027: the Silver plan. Cancel this change')
    const cancelled = await b.post(`${base}/scheduled-change/cancellation`, { from: 'gold', change: 'plan' })
    expect(cancelled.status).toBe(303)
    expect((await subOf(subId)).scheduledPlanId).toBeNull()
    expect(await pageText(b, base)).toContain('Scheduled changes Nothing is scheduled.')
    expect(await kinds(org.id)).toEqual(['org.created', 'plan.downgrade_scheduled', 'plan.change_unscheduled'])
  })

  it('stores a new renewal frequency as scheduledPeriodMonths and refuses one the product does not offer', async () => {
    const { b, base, subId } = await subscribed('frequency@example.com', platform, 'base')
    expect(await pageText(b, base)).toContain(`Every 1 year: €300.00 net (current) Every 2 years: €540.00 net`)
    const refused = await b.post(`${base}/scheduled-change`, { from: 'base', period: '6' })
    expect(refused.status).toBe(422)
    expect(textOf(await refused.text())).toContain('That plan or frequency is not sold for this billing period.')
    const res = await b.post(`${base}/scheduled-change`, { from: 'base', period: '24' })
    expect(res.status).toBe(303)
    const sub = await subOf(subId)
    expect([sub.periodMonths, sub.scheduledPeriodMonths, sub.periodEnd?.toISOString()]).toEqual([12, 24, END.toISOString()])
    expect(await pageText(b, base)).toContain('From the next renewal: billed every 2 years.')
    await b.post(`${base}/scheduled-change/cancellation`, { from: 'base', change: 'period' })
    expect((await subOf(subId)).scheduledPeriodMonths).toBeNull()
  })

  it('moves to the free plan now only after the confirmation that nothing is refunded, keeping the licence number', async () => {
    const { b, org, base, subId, licence } = await subscribed('free-now@example.com', sekretariat, 'gold', { autoRenew: true, scheduledPeriodMonths: 1 })
    const unconfirmed = await b.post(`${base}/free-switch`, { from: 'gold', mode: 'now' })
    expect(unconfirmed.status).toBe(422)
    expect(textOf(await unconfirmed.text())).toContain('Confirm that nothing is refunded to move to the free plan now.')
    expect((await subOf(subId)).planId).toBe(planOf(sekretariat, 'gold').id)
    const res = await b.post(`${base}/free-switch`, { from: 'gold', mode: 'now', confirm: 'on' })
    expect(res.status).toBe(303)
    const green = planOf(sekretariat, 'green')
    const sub = await subOf(subId)
    expect(sub).toMatchObject({ planId: green.id, snapshot: snapshotOf(sekretariat, green), periodMonths: null, periodEnd: null, source: 'free', autoRenew: false, scheduledPlanId: null, scheduledPeriodMonths: null, status: 'active' })
    expect((await t.db.select().from(licences).where(eq(licences.subscriptionId, subId))).map((l) => l.number)).toEqual([licence])
    expect(textOf(await (await b.follow(res)).text())).toContain('The subscription is on the free plan now. Sekretariat: plan and renewal')
    const entry = (await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'plan.switched_to_free'))).get())!
    expect(entry.details).toEqual({ product: 'Sekretariat', plan: { from: 'Gold', to: 'Green' }, refund: 'none' })
  })

  it('moves to the free plan at the period end by scheduling it and turning renewal off', async () => {
    const { b, base, subId } = await subscribed('free-later@example.com', sekretariat, 'silver', { autoRenew: true })
    const res = await b.post(`${base}/free-switch`, { from: 'silver', mode: 'at_period_end' })
    expect(res.status).toBe(303)
    const sub = await subOf(subId)
    expect([sub.planId, sub.scheduledPlanId, sub.autoRenew, sub.periodEnd?.toISOString()]).toEqual([planOf(sekretariat, 'silver').id, planOf(sekretariat, 'green').id, false, END.toISOString()])
    const text = await pageText(b, base)
    expect(text).toContain('On 1 February 2027 the subscription moves to the free plan Green.')
    expect(text).toContain('Automatic renewal Off: nothing is charged automatically.')
  })
})

describe('automatic renewal', () => {
  it('turns off, and on again only while the org has a live saved payment method', async () => {
    const { b, org, base, subId } = await subscribed('renewal@example.com', sekretariat, 'silver', { autoRenew: true })
    expect(await pageText(b, base)).toContain('On: the saved payment method is charged 7 days before 1 February 2027.')
    expect((await b.post(`${base}/auto-renewal`, { from: 'silver', autoRenew: 'off' })).status).toBe(303)
    expect((await subOf(subId)).autoRenew).toBe(false)
    expect(await pageText(b, base)).toContain('To turn it on, pay an order by card or PayPal first: that saves the payment method.')
    const refused = await b.post(`${base}/auto-renewal`, { from: 'silver', autoRenew: 'on' })
    expect(refused.status).toBe(422)
    expect(textOf(await refused.text())).toContain('There is no saved payment method to renew with.')
    const methodId = generateId()
    await t.db.insert(savedMethods).values({ id: methodId, orgId: org.id, provider: 'test', customerRef: 'c', methodRef: `m_${methodId}`, label: 'Test card', createdAt: t.clock.now() })
    expect((await b.post(`${base}/auto-renewal`, { from: 'silver', autoRenew: 'on' })).status).toBe(303)
    expect((await subOf(subId)).autoRenew).toBe(true)
    expect(await kinds(org.id)).toEqual(['org.created', 'plan.auto_renew_off', 'plan.auto_renew_on'])
  })

  it('answers malformed forms with 422 and a message, never an error page', async () => {
    const { b, org, base, subId } = await subscribed('malformed@example.com', sekretariat, 'silver')
    const posts: [string, Record<string, string>, string][] = [
      ['free-switch', {}, 'The form was incomplete. Choose an option and try again.'],
      ['free-switch', { mode: 'later' }, 'The form was incomplete. Choose an option and try again.'],
      ['scheduled-change', {}, 'The form was incomplete. Choose an option and try again.'],
      ['scheduled-change', { period: 'yearly' }, 'That plan or frequency is not sold for this billing period.'],
      ['scheduled-change/cancellation', { change: 'everything' }, 'The form was incomplete. Choose an option and try again.'],
      ['auto-renewal', {}, 'The form was incomplete. Choose an option and try again.'],
      ['addon-orders', { 'packs.users': '1', method: 'card', terms: 'on' }, 'There is no such add-on for this plan.'],
      ['upgrade-orders', { plan: 'x'.repeat(500), method: 'card', terms: 'on' }, 'There is no such plan.'],
    ]
    for (const [action, form, message] of posts) {
      const res = await b.post(`${base}/${action}`, form)
      expect(res.status, `${action} ${JSON.stringify(form)}`).toBe(422)
      expect(textOf(await res.text())).toContain(message)
    }
    expect(await subOf(subId)).toMatchObject({ scheduledPlanId: null, scheduledPeriodMonths: null, autoRenew: false })
    expect(await ordersOf(org.id)).toEqual([])
  })

  it('refuses changes of a read-only subscription (423 from the read-only guard) and offers only the free plan now', async () => {
    const { b, base, subId } = await subscribed('readonly@example.com', sekretariat, 'silver', { status: 'read_only' })
    expect(await pageText(b, base)).toContain('This subscription is not active now: renew it or buy a plan before changing it.')
    expect((await b.post(`${base}/auto-renewal`, { from: 'silver', autoRenew: 'on' })).status).toBe(423)
    const res = await b.post(`${base}/free-switch`, { from: 'silver', mode: 'at_period_end' })
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('A lapsed subscription can only move to the free plan now.')
    expect(await subOf(subId)).toMatchObject({ status: 'read_only', scheduledPlanId: null, autoRenew: false })
  })
})
