// The subscription lifecycle on the test clock, in Chromium on phones (issue 7, SPEC §8): a customer
// buys Sekretariat Silver for a year by card for one company and by bank transfer for another (an
// operator marks the transfer paid). The operator moves the app's time on /ops/clock: the card
// renews 7 days before the end (plan page, orders, /ops/jobs), the transfer-paid one gets its renewal
// order and reminders (/dev/mail), is not paid and lapses to read-only; the customer sees the banner
// with both dates, a change is refused (423), and the free plan unlocks the company again.
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import { formatDate, translator } from '../../src/i18n'
import { orders, subscriptions } from '../../src/db/schema'
import { DAY } from '../../src/clock'
import { createOrg, type Org } from '../../src/services/orgs'
import { orderLinesOf } from '../../src/services/orders'
import { deletionDate } from '../../src/domain/lapse'
import { addLocalMonths } from '../../src/domain/time'
import { createUser, PASSWORD } from '../helpers/users'
import { choosePlanAndPeriod, journeyServer, landOn, operatorFirstSignIn, PHONE, phoneChecks, submitSignIn, watchConsole } from './helpers'

const en = translator('en')
const env = journeyServer()
const check = phoneChecks('lifecycle')
// One advance runs two daily jobs per simulated day inside a single request.
const ADVANCE_TIMEOUT = 90_000

/** Whole-text matching with one part left open (a time the server formats as it answers). */
const withBlank = (text: string, blank: string) => new RegExp(text.split(blank).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+'))

/** One admin with two Polish companies, created directly: the journey starts from a customer. */
async function customerWithTwoCompanies(stamp: number) {
  const { deps } = env.server
  const user = await createUser(deps, { name: 'Lena Lifecycle', email: `lena-${stamp}@example.com` })
  const owner = { ...user, totpKey: null, totpRecoveryHash: null, totpLastStep: null }
  const company = async (name: string, addressLine: string): Promise<Org> => {
    const data = { name, country: 'PL' as const, legalForm: 'company' as const, taxId: null, addressLine, postalCode: '80-001', city: 'Gdańsk', billingEmail: owner.email, einvoiceId: null }
    const created = await createOrg(deps, owner, data, deps.clock.now())
    if (!created.ok) throw new Error(`${name} not created`)
    return created.org
  }
  return { owner, card: await company(`Karta ${stamp} sp. z o.o.`, 'ul. Kartowa 1'), transfer: await company(`Przelew ${stamp} sp. z o.o.`, 'ul. Przelewowa 2') }
}

/** Sekretariat Silver for a year for one of the admin's companies, up to the order page; returns the order number. */
async function buySilverYear(page: Page, org: Org, method: 'card' | 'transfer') {
  const main = page.locator('main')
  await choosePlanAndPeriod(page, 'sekretariat', /^Silver/, '1 year')
  // Two companies: the checkout asks which one buys.
  await main.getByRole('radio', { name: new RegExp(org.name) }).check()
  await main.getByRole('button', { name: en('checkout.continue') }).click()
  await main.getByRole('heading', { name: en('checkout.billing.title') }).waitFor()
  expect(await main.textContent()).toContain(org.name)
  await main.getByRole('button', { name: en('checkout.continue') }).click()
  await main.getByRole('radio', { name: new RegExp(en(`checkout.method.${method}`)) }).check()
  await main.getByLabel(/I accept the terms of sale/).check()
  await main.getByRole('button', { name: en('checkout.confirm') }).click()
  if (method === 'card') {
    await landOn(page, en('payTest.heading', { amount: 'PLN 356.70' }))
    await main.getByRole('button', { name: en('payTest.approve') }).click()
  }
  await landOn(page, /^Order KON\//)
  return (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '')
}

/** The operator moves the clock with a form of /ops/clock and waits for the report: 2 daily runs a day, then mail, digests and e-invoices. */
async function advance(page: Page, days: number, submit: () => Promise<void>) {
  await page.goto('/ops/clock')
  await landOn(page, en('ops.clock'))
  await submit()
  const done = en('ops.clock.done', { time: '\u0000', runs: 2 * days + 3, failed: 0, skipped: 0 })
  await page.getByRole('status').filter({ hasText: withBlank(done, '\u0000') }).waitFor({ timeout: ADVANCE_TIMEOUT })
  await landOn(page, en('ops.clock'))
}

/** A browser context of its own (cookies, session) on the phone. */
async function phoneContext() {
  const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US' })
  context.setDefaultTimeout(15_000)
  return context
}

const subscriptionOf = (org: Org) => env.server.deps.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get().then((s) => s!)
const text = async (page: Page) => (await page.locator('main').textContent())!.replace(/\s+/g, ' ')

describe('the subscription lifecycle on the test clock, in Chromium', () => {
  test('a card subscription renews, a transfer one lapses to read-only and is unlocked with the free plan (phone)', { timeout: 240_000 }, async () => {
    const { deps } = env.server
    const stamp = Date.now()
    const { owner, card, transfer } = await customerWithTwoCompanies(stamp)
    const operator = await createUser(deps, { name: 'Olga Operator', email: `life-op-${stamp}@example.com`, operator: true })
    const colleague = `colleague-${stamp}@example.com`
    const [customerContext, operatorContext] = await Promise.all([phoneContext(), phoneContext()])
    try {
      // 1. The customer buys Silver for a year: by card for one company, by transfer for the other.
      const page = await customerContext.newPage()
      const customerConsole = watchConsole(page)
      const main = page.locator('main')
      await submitSignIn(page, owner.email, PASSWORD)
      // Two orgs and none used on this browser yet: the list (docs/rules.md "Where sign-in lands").
      await landOn(page, en('org.list.title'))
      await buySilverYear(page, card, 'card')
      expect(await main.textContent()).toContain(en('order.paidNote'))
      const transferNumber = await buySilverYear(page, transfer, 'transfer')
      const firstEnd = (await subscriptionOf(card)).periodEnd!
      // The card was saved: renewal is on, charged 7 days before the end.
      await page.goto(`/o/${card.slug}/products/sekretariat/plan`)
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      expect(await text(page)).toContain(en('plans.renewal.on', { date: formatDate('en', firstEnd, card.timeZone) }))

      // The operator marks the transfer paid; nothing is saved for that company: it renews by hand.
      const ops = await operatorContext.newPage()
      const operatorConsole = watchConsole(ops)
      const opsMain = ops.locator('main')
      await operatorFirstSignIn(ops, operator.email, PASSWORD)
      await ops.goto('/ops/orders')
      await landOn(ops, en('ops.orders'))
      await opsMain.getByLabel(en('ops.orders.search')).fill(transferNumber)
      await opsMain.getByRole('button', { name: en('ops.orders.searchSubmit') }).click()
      await opsMain.getByRole('link', { name: transferNumber }).click()
      await landOn(ops, en('ops.orders.detailTitle', { number: transferNumber }))
      await opsMain.getByLabel(en('ops.orders.pay.confirm', { amount: 'PLN 356.70', number: transferNumber }).replace(/ /g, ' ')).check()
      await opsMain.getByRole('button', { name: en('ops.orders.pay.submit') }).click()
      await ops.getByRole('status').filter({ hasText: `Order ${transferNumber} is paid` }).waitFor()
      const transferEnd = (await subscriptionOf(transfer)).periodEnd!
      await page.goto(`/o/${transfer.slug}/products/sekretariat/plan`)
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      expect(await text(page)).toContain(en('plans.renewal.off'))
      await check(page, 'transfer-plan-renewal-off')

      // 2. The operator advances the clock to 5 days before the ends, past the card's renewal date.
      const toRenewal = Math.floor((firstEnd.getTime() - deps.clock.now().getTime()) / DAY) - 5
      await advance(ops, toRenewal, async () => {
        await check(ops, 'ops-clock')
        await opsMain.getByLabel(en('ops.clock.days'), { exact: true }).fill(String(toRenewal))
        // The click waits for the navigation its form starts: as long as the advance takes.
        await opsMain.getByRole('button', { name: en('ops.clock.advanceSubmit') }).click({ timeout: ADVANCE_TIMEOUT })
      })
      expect(await text(ops)).toContain(en('ops.clock.on'))
      await check(ops, 'ops-clock-moved')
      await ops.goto('/ops/jobs')
      await landOn(ops, en('ops.jobs'))
      await opsMain.getByLabel(en('ops.jobs.filter')).selectOption('renewals')
      await opsMain.getByRole('button', { name: en('ops.jobs.filterSubmit') }).click()
      await ops.waitForURL(/\/ops\/jobs\?job=renewals$/)
      await landOn(ops, en('ops.jobs'))
      const runs = opsMain.locator('tbody tr')
      expect(await runs.filter({ hasText: 'renewed: 1' }).count(), 'one run renewed the card subscription').toBe(1)
      // The transfer one: its renewal order with the 14-day reminder, then the 7-day reminder.
      expect(await runs.filter({ hasText: 'orders_placed: 1' }).count()).toBe(1)
      expect(await runs.filter({ hasText: 'reminded: 1' }).count()).toBe(2)
      await check(ops, 'ops-jobs-renewals')

      // The customer, signed in all along (sessions move with the clock), sees the next year paid.
      const renewedEnd = addLocalMonths(firstEnd, 12, card.timeZone)
      expect((await subscriptionOf(card)).periodEnd).toEqual(renewedEnd)
      await page.goto(`/o/${card.slug}`)
      await landOn(page, card.name)
      expect(await page.locator('.test-clock').textContent()).toMatch(withBlank(en('testClock.marker', { time: '\u0000' }), '\u0000'))
      expect(await main.locator('#product-sekretariat').textContent()).toContain(en('products.validUntil', { date: formatDate('en', renewedEnd, card.timeZone) }))
      await main.locator('#product-sekretariat').getByRole('link', { name: en('plans.manage') }).click()
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      expect(await text(page)).toContain(en('plans.periodEnd', { date: formatDate('en', renewedEnd, card.timeZone) }))
      await check(page, 'card-plan-renewed')
      await page.goto(`/o/${card.slug}/orders`)
      await landOn(page, en('transactions.title'))
      const renewal = (await deps.db.select().from(orders).where(and(eq(orders.orgId, card.id), eq(orders.kind, 'renewal'))).get())!
      const renewalRow = main.getByRole('region', { name: en('transactions.orders') }).locator('tbody tr').filter({ hasText: renewal.number })
      expect((await renewalRow.textContent())!.replace(/\s+/g, ' ')).toMatch(/PLN 356\.70\s?paid\s?FV\//)
      await check(page, 'card-orders-renewal-paid')

      // The transfer company's renewal order and its reminders, in the mailbox.
      const manual = (await deps.db.select().from(orders).where(and(eq(orders.orgId, transfer.id), eq(orders.kind, 'renewal'))).get())!
      const item = (await orderLinesOf(deps.db, transfer.id, manual.id))[0]!.label.en
      const end = formatDate('en', transferEnd, transfer.timeZone)
      await page.goto('/dev/mail')
      await landOn(page, en('devmail.title'))
      const inbox = page.getByRole('listitem').filter({ hasText: owner.email })
      await inbox.getByRole('link', { name: en('mail.manualRenewal.subject.placed', { number: manual.number, item }) }).waitFor()
      const reminders = inbox.getByRole('link', { name: en('mail.manualRenewal.subject.reminder', { item, end }) })
      expect(await reminders.count()).toBe(1)
      await reminders.click()
      await landOn(page, en('mail.manualRenewal.subject.reminder', { item, end }))
      // Sekretariat keeps a lapsed org's data for 30 days (the demo catalog's grace days).
      const deletes = deletionDate(transferEnd, 30, transfer.timeZone)
      const reminderText = (await page.getByRole('region', { name: en('devmail.textPart') }).textContent())!.replace(/\s+/g, ' ')
      expect(reminderText).toContain(en('mail.manualRenewal.lapse.readOnly', { end, deletes: formatDate('en', deletes, transfer.timeZone) }))
      await check(page, 'reminder-mail')

      // 3. Unpaid: a week later the period has ended and the company is read-only.
      await advance(ops, 7, () => opsMain.getByRole('button', { name: en('ops.clock.advanceBy', { count: 7 }) }).click({ timeout: ADVANCE_TIMEOUT }))
      operatorConsole.expectClean()
      await page.goto('/dev/mail')
      await landOn(page, en('devmail.title'))
      expect(await reminders.count(), 'the reminders 7 days and 1 day before').toBe(2)
      await inbox.getByRole('link', { name: en('mail.lapse.readOnly.subject', { product: 'Sekretariat', org: transfer.name }) }).waitFor()

      await page.goto(`/o/${transfer.slug}`)
      await landOn(page, transfer.name)
      const banner = page.locator('#read-only')
      const bannerText = en('readOnly.banner.text', { product: 'Sekretariat', lapsed: end, deletes: formatDate('en', deletes, transfer.timeZone) })
      expect((await banner.textContent())!.replace(/\s+/g, ' ')).toContain(bannerText)
      await check(page, 'read-only-org')
      // A change can't even be started: adding a user is shown disabled, while leaving the org is not.
      await page.goto(`/o/${transfer.slug}/settings/users`)
      await landOn(page, en('members.title'))
      const addUser = main.getByRole('region', { name: en('members.add.title') })
      expect(await addUser.getByLabel(en('common.email'), { exact: true }).isDisabled()).toBe(true)
      expect(await addUser.getByRole('button', { name: en('members.add.submit') }).isDisabled()).toBe(true)
      await check(page, 'read-only-disabled-form')
      // And the guard refuses it anyway when sent (as a stale tab would): the 423 page, banner included.
      const refused = await page.request.post(`/o/${transfer.slug}/members`, { form: { email: colleague }, headers: { Origin: env.server.baseUrl } })
      expect(refused.status()).toBe(423)
      expect((await refused.text()).replace(/\s+/g, ' ')).toContain(en('readOnly.refused.title'))

      // 4. The way out without paying: the free plan, from the banner.
      await banner.getByRole('link', { name: en('readOnly.banner.free') }).click()
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      const unlock = main.getByRole('region', { name: en('readOnly.free.title', { plan: 'Green' }) })
      await check(page, 'read-only-plan-page')
      await unlock.getByLabel(en('readOnly.free.confirm')).check()
      await unlock.getByRole('button', { name: en('readOnly.free.submit') }).click()
      await page.getByRole('status').filter({ hasText: en('plans.done.freeNow') }).waitFor()
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      expect(await banner.count(), 'no read-only banner').toBe(0)
      expect(await text(page)).toContain(en('plans.freeNow', { plan: 'Green' }))
      await check(page, 'unlocked-free-plan')
      // Changes work again: the colleague has no account yet, so they are invited.
      await page.goto(`/o/${transfer.slug}/settings/users`)
      await landOn(page, en('members.title'))
      await addUser.getByLabel(en('common.email'), { exact: true }).fill(colleague)
      await addUser.getByRole('button', { name: en('members.add.submit') }).click()
      await main.getByRole('button', { name: en('members.invite.submit', { email: colleague }) }).click()
      await page.getByRole('status').filter({ hasText: en('members.invited', { email: colleague }) }).waitFor()
      await landOn(page, en('members.title'))
      await check(page, 'unlocked-invited')
      customerConsole.expectClean()
    } finally {
      await Promise.allSettled([customerContext.close(), operatorContext.close()])
    }

    const renewed = await subscriptionOf(card)
    expect([renewed.status, renewed.snapshot.planName, renewed.autoRenew, renewed.periodMonths]).toEqual(['active', 'Silver', true, 12])
    const cardOrders = await deps.db.select().from(orders).where(eq(orders.orgId, card.id)).orderBy(orders.createdAt)
    expect(cardOrders.map((o) => [o.kind, o.status, o.grossMinor])).toEqual([
      ['subscription', 'paid', 35670],
      ['renewal', 'paid', 35670],
    ])
    const unlocked = await subscriptionOf(transfer)
    expect([unlocked.status, unlocked.snapshot.planName, unlocked.snapshot.isFree, unlocked.periodEnd, unlocked.autoRenew]).toEqual(['active', 'Green', true, null, false])
    // The unpaid renewal order was cancelled when its period lapsed.
    const transferOrders = await deps.db.select().from(orders).where(eq(orders.orgId, transfer.id)).orderBy(orders.createdAt)
    expect(transferOrders.map((o) => [o.kind, o.status, o.paidVia])).toEqual([
      ['subscription', 'paid', 'operator'],
      ['renewal', 'cancelled', null],
    ])
  })
})
