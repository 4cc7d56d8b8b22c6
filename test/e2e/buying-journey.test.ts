// Buying on a phone in Chromium (SPEC §7, §8): a visitor chooses Certified Platform with 2-year
// renewal and +50 external users, signs in (the cart waits), adds the company on the way, checks
// the billing data and the summary, pays by card on the test provider and downloads the invoice.
// Then Sekretariat Silver by bank transfer, marked paid by an operator in the back office; then an
// upgrade Silver → Gold mid-period with the prorated amount shown. Axe and unique ids on every page.
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { translator } from '../../src/i18n'
import { einvoiceSubmissions, invoices, licences, orders, orgs, subscriptions } from '../../src/db/schema'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { startFakeKsef } from '../../src/einvoice/ksef/fake-server'
import { startFakeNbp } from '../../src/einvoice/nbp/fake-server'
import { NbpClient } from '../../src/einvoice/nbp/client'
import { einvoiceDocument } from '../../src/einvoice/document'
import { runEInvoices } from '../../src/jobs/einvoices'
import { NO_LEASE } from '../../src/jobs/runner'
import { createOrg } from '../../src/services/orgs'
import { loadCatalog } from '../../src/db/catalog'
import { newSubscription, snapshotOf } from '../../src/services/subscriptions'
import { prorate } from '../../src/domain/proration'
import { lineVat } from '../../src/domain/vat'
import { addLocalMonths } from '../../src/domain/time'
import { createUser, PASSWORD } from '../helpers/users'
import { choosePlanAndPeriod, landOn, openMenu, journeyServer, PHONE, watchConsole, phoneChecks, submitSignIn, operatorFirstSignIn } from './helpers'

const en = translator('en')
const env = journeyServer()

const signInAs = (page: Page, email: string) => submitSignIn(page, email, PASSWORD)

/** An admin with a Polish company, created directly: these journeys start from a customer. */
async function customer(stamp: number, name: string) {
  const owner = { ...(await createUser(env.server.deps, { name, email: `${name.toLowerCase().replace(/\W+/g, '-')}-${stamp}@example.com` })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
  const company = { name: `${name} ${stamp} sp. z o.o.`, country: 'PL' as const, legalForm: 'company' as const, taxId: null, addressLine: 'ul. Długa 1', postalCode: '00-001', city: 'Gdańsk', billingEmail: owner.email, einvoiceId: null }
  const created = await createOrg(env.server.deps, owner, company, env.server.deps.clock.now())
  if (!created.ok) throw new Error('org not created')
  return { owner, org: created.org }
}

/** Chooses Sekretariat Silver for a year and goes through billing to the summary, as a signed-in admin of one org. */
async function chooseSilverYear(page: Page, checkStep: (name: string) => Promise<void>) {
  const main = page.locator('main')
  await choosePlanAndPeriod(page, 'sekretariat', /^Silver/, '1 year')
  await landOn(page, en('checkout.title'))
  await checkStep('billing')
  await main.getByRole('button', { name: en('checkout.continue') }).click()
  await landOn(page, en('checkout.title'))
  expect((await main.textContent())!.replace(/\s+/g, ' ')).toContain('To pay: PLN 356.70 (net PLN 290.00 + VAT PLN 66.70)')
  await checkStep('summary')
}

const check = phoneChecks('buying')

describe('buying in Chromium', () => {
  test('a visitor buys Certified Platform for a company by card: 2-year renewal, +50 external users, invoice (phone)', { timeout: 90_000 }, async () => {
    const stamp = Date.now()
    const buyer = await createUser(env.server.deps, { name: 'Bogna Buyer', email: `buyer-${stamp}@example.com` })
    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US', acceptDownloads: true })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const main = page.locator('main')

      // 1. Choose, as a visitor.
      await page.goto('/buy')
      await landOn(page, en('checkout.title'))
      await check(page, 'catalog')
      await main.getByRole('listitem').filter({ hasText: 'Certified Platform' }).getByRole('link', { name: en('checkout.choose') }).click()
      await landOn(page, en('checkout.title'))
      await main.getByRole('radio', { name: /Base/ }).check()
      await main.getByRole('radio', { name: '2 years', exact: true }).check()
      await main.getByLabel(/\+50 external users/).fill('1')
      await check(page, 'choose')
      await main.getByRole('button', { name: en('checkout.continue') }).click()

      // 2. Sign in; the cart waits and the checkout continues.
      await landOn(page, en('checkout.title'))
      expect(await main.textContent()).toContain(en('checkout.account.title'))
      await check(page, 'account-step')
      await main.getByRole('link', { name: en('nav.signIn') }).click()
      await landOn(page, en('login.title'))
      await main.getByLabel(en('common.email'), { exact: true }).fill(buyer.email)
      await main.getByLabel(en('common.password'), { exact: true }).fill(PASSWORD)
      await main.getByRole('button', { name: en('login.submit'), exact: true }).click()

      // 3. No company yet: add one on the way, and come straight back as its buyer.
      await landOn(page, en('checkout.title'))
      expect(await main.textContent()).toContain(en('checkout.billing.noOrg'))
      await check(page, 'no-org')
      await main.getByRole('link', { name: en('checkout.billing.addCompany') }).click()
      await landOn(page, en('org.new.title'))
      await main.getByLabel(en('org.field.taxId')).fill('526-025-02-74')
      await main.getByRole('button', { name: en('org.new.continue') }).click()
      await main.getByLabel(en('org.field.name')).waitFor()
      await main.getByLabel(en('org.field.name')).fill(`Buyer ${stamp} sp. z o.o.`)
      await main.getByLabel(en('org.field.addressLine')).fill('ul. Kupiecka 5')
      await main.getByLabel(en('org.field.postalCode')).fill('00-950')
      await main.getByLabel(en('org.field.city')).fill('Warszawa')
      await main.getByRole('button', { name: en('org.new.submit') }).click()
      await landOn(page, en('checkout.title'))
      expect(await main.textContent()).toContain(en('checkout.billing.title'))
      await check(page, 'billing')
      await main.getByRole('button', { name: en('checkout.continue') }).click()

      // 4. Summary: the lines with VAT at 23 % and the total; card; the terms.
      await landOn(page, en('checkout.title'))
      const summary = (await main.textContent())!.replace(/\s+/g, ' ')
      expect(summary).toContain('Certified Platform Base, 2 years')
      expect(summary).toContain('+50 external users, 2 years')
      expect(summary).toMatch(/€540\.00\s?€124\.20\s?€664\.20/)
      expect(summary).toMatch(/€630\.00\s?€144\.90\s?€774\.90/)
      await check(page, 'summary')
      await main.getByRole('radio', { name: new RegExp(en('checkout.method.card')) }).check()
      await main.getByLabel(/I accept the terms of sale/).check()
      await main.getByRole('button', { name: en('checkout.confirm') }).click()

      // The test provider's page, then back to the paid order with its invoice.
      await landOn(page, en('payTest.heading', { amount: '€774.90' }))
      await check(page, 'test-provider')
      await main.getByRole('button', { name: en('payTest.approve') }).click()
      await landOn(page, /^Order KON\/\d{4}\/\d{2}\/\d{6}$/)
      expect(await main.textContent()).toContain(en('order.paidNote'))
      await check(page, 'order-paid')
      const [download] = await Promise.all([page.waitForEvent('download'), main.getByRole('link', { name: /Download invoice FV\// }).click()])
      expect((await readFile((await download.path())!)).subarray(0, 5).toString()).toBe('%PDF-')
      // In euro with Polish VAT, the FA(3) states that VAT in złoty at the NBP rate of the working day
      // before: until the einvoices job has fetched it, the order shows no KSeF code yet.
      expect(await main.getByRole('img', { name: en('order.ksef.qrAlt') }).count()).toBe(0)

      // The einvoices job fetches the rate (here from a fake NBP) and sends the invoice to KSeF (the
      // fake, which decrypts and validates it): the order page then shows KOD I labelled with KSeF's
      // number, and the XML beside the PDF carries the VAT in złoty.
      const nip = env.server.deps.config.vendor.taxId.replace(/^PL/, '')
      const ksef = await startFakeKsef({ tokens: { 'journey-token': nip } })
      const nbp = await startFakeNbp({ synthetic: true })
      try {
        const channel = new KsefChannel({ apiBase: ksef.url, token: 'journey-token', nip }, { sleep: async () => {}, pollEveryMs: 0 }, 3)
        const report = await runEInvoices(env.server.deps, env.server.deps.clock.now(), NO_LEASE, { channel, document: einvoiceDocument, rates: new NbpClient(nbp.url) })
        expect(report.errors).toEqual([])
      } finally {
        await Promise.all([ksef.close(), nbp.close()])
      }
      await page.reload()
      await landOn(page, /^Order KON\//)
      const [xml] = await Promise.all([page.waitForEvent('download'), main.getByRole('link', { name: en('order.einvoice.fa3') }).click()])
      const xmlText = (await readFile((await xml.path())!)).toString()
      expect(xmlText).toContain('<KodFormularza kodSystemowy="FA (3)" wersjaSchemy="1-0E">FA</KodFormularza>')
      expect(xmlText).toMatch(/<P_14_1W>\d+\.\d{2}<\/P_14_1W>/)
      const orderUrl = page.url()
      const invoiceNumber = (await main.getByRole('link', { name: /Download invoice FV\// }).textContent())!.match(/FV\/\d{4}\/\d+/)![0]
      const submission = (await env.server.deps.db.select().from(einvoiceSubmissions).innerJoin(invoices, eq(invoices.id, einvoiceSubmissions.invoiceId)).where(eq(invoices.number, invoiceNumber)).get())!
      expect(submission.einvoice_submissions.state).toBe('accepted')
      const ksefNumber = submission.einvoice_submissions.number!
      expect(await main.textContent()).toContain(ksefNumber)
      expect(await main.textContent()).not.toContain(en('order.ksef.offline'))
      expect(await main.getByRole('img', { name: en('order.ksef.qrAlt') }).isVisible()).toBe(true)
      await check(page, 'order-ksef-number')
      expect(page.url()).toBe(orderUrl)
      console_.expectClean()
    } finally {
      await context.close()
    }
    // The operator sees it accepted, with its KSeF number and UPO, on the e-invoices page.
    const operator = await createUser(env.server.deps, { name: 'Olga Operator', email: `einv-op-${stamp}@example.com`, operator: true })
    const opsContext = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US' })
    opsContext.setDefaultTimeout(15_000)
    try {
      const page = await opsContext.newPage()
      await operatorFirstSignIn(page, operator.email, PASSWORD)
      await page.goto('/ops/einvoices')
      await landOn(page, en('ops.einvoices'))
      const text = (await page.locator('main').textContent())!
      const accepted = await env.server.deps.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.state, 'accepted'))
      for (const a of accepted) expect(text).toContain(a.number!)
      expect(await page.locator('main').getByRole('link', { name: /^UPO of FV\// }).count()).toBeGreaterThan(0)
      await check(page, 'ops-einvoices')
    } finally {
      await opsContext.close()
    }
    const org = (await env.server.deps.db.select().from(orgs).where(eq(orgs.name, `Buyer ${stamp} sp. z o.o.`)).get())!
    const sub = (await env.server.deps.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get())!
    expect([sub.snapshot.planName, sub.periodMonths, sub.addonPacks, sub.autoRenew]).toEqual(['Base', 24, { external_users: 1 }, true])
  })

  test('a company orders Sekretariat Silver by bank transfer and an operator marks it paid in the back office (phone)', { timeout: 90_000 }, async () => {
    const stamp = Date.now()
    const { owner, org } = await customer(stamp, 'Tomasz Transfer')
    const operator = await createUser(env.server.deps, { name: 'Oskar Operator', email: `buy-op-${stamp}@example.com`, operator: true })
    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US' })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const main = page.locator('main')
      await signInAs(page, owner.email)
      // One org: sign-in lands on its dashboard (docs/rules.md "Where sign-in lands").
      await landOn(page, org.name)
      await chooseSilverYear(page, (name) => check(page, `transfer-${name}`))
      await main.getByRole('radio', { name: new RegExp(en('checkout.method.transfer')) }).check()
      await main.getByLabel(/I accept the terms of sale/).check()
      await main.getByRole('button', { name: en('checkout.confirm') }).click()
      await landOn(page, /^Order KON\//)
      const number = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '')
      const details = (await main.textContent())!.replace(/\s+/g, ' ')
      expect(details).toContain('PLN 356.70')
      expect(details).toContain('PL61 1090 1014 0000 0712 1981 2874')
      expect(details).toContain(number)
      await check(page, 'transfer-order')
      await (await openMenu(page)).getByRole('button', { name: en('nav.signOut') }).click()
      await landOn(page, en('login.title'))

      // The operator finds the order by the amount on the bank statement and marks it paid.
      await operatorFirstSignIn(page, operator.email, PASSWORD)
      await page.goto('/ops/orders')
      await landOn(page, en('ops.orders'))
      await main.getByLabel(en('ops.orders.search')).fill('356,70')
      await main.getByRole('button', { name: en('ops.orders.searchSubmit') }).click()
      await landOn(page, en('ops.orders'))
      await check(page, 'ops-search')
      await main.getByRole('link', { name: number }).click()
      await landOn(page, en('ops.orders.detailTitle', { number }))
      await check(page, 'ops-order')
      await main.getByLabel(en('ops.orders.pay.confirm', { amount: 'PLN 356.70', number }).replace(/ /g, ' ')).check()
      await main.getByRole('button', { name: en('ops.orders.pay.submit') }).click()
      await page.getByRole('status').filter({ hasText: `Order ${number} is paid` }).waitFor()
      console_.expectClean()
    } finally {
      await context.close()
    }
    const order = (await env.server.deps.db.select().from(orders).where(eq(orders.orgId, org.id)).get())!
    expect([order.status, order.paidVia]).toEqual(['paid', 'operator'])
    const sub = (await env.server.deps.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get())!
    expect([sub.snapshot.planName, sub.autoRenew]).toEqual(['Silver', false])
  })

  test('an admin upgrades Sekretariat Silver to Gold mid-period, sees the prorated amount with its formula, and pays it by card (phone)', { timeout: 90_000 }, async () => {
    const stamp = Date.now()
    const { owner, org } = await customer(stamp, 'Ula Upgrade')
    // Silver bought about nine and a half months ago for a year: the period has a good part left.
    const sekretariat = (await loadCatalog(env.server.deps.db)).find((p) => p.key === 'sekretariat')!
    const silver = sekretariat.plans.find((p) => p.key === 'silver')!
    const now = env.server.deps.clock.now()
    const periodStart = new Date(now.getTime() - 290 * 86_400_000)
    const periodEnd = addLocalMonths(periodStart, 12, org.timeZone)
    const terms = { planId: silver.id, snapshot: snapshotOf(sekretariat, silver), status: 'active', periodMonths: 12, periodStart, periodEnd, source: 'order' } as const
    const { id: subscriptionId, number: licence, statements } = newSubscription(env.server.deps.db, org.id, sekretariat.id, terms, periodStart)
    await env.server.deps.db.batch([...statements])
    const expected = prorate({ now, periodStart, periodEnd, timeZone: org.timeZone, oldNetMinor: 29000, newNetMinor: 59000 })
    if (!expected.ok) throw new Error(expected.error)
    const charge = (expected.chargeMinor / 100).toFixed(2)
    const vat = lineVat(expected.chargeMinor, 23)

    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US' })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const main = page.locator('main')
      await signInAs(page, owner.email)
      // One org: sign-in lands on its dashboard (docs/rules.md "Where sign-in lands").
      await landOn(page, org.name)
      await page.goto(`/o/${org.slug}`)
      await main.locator('#product-sekretariat').getByRole('link', { name: en('plans.manage') }).click()
      await landOn(page, en('plans.title', { product: 'Sekretariat' }))
      const text = (await main.textContent())!.replace(/\s+/g, ' ')
      expect(text).toContain(`(590.00 − 290.00) × ${expected.remainingDays} / ${expected.periodDays} = ${charge} net`)
      expect(text).toContain(`to pay PLN ${((expected.chargeMinor + vat) / 100).toFixed(2)}`)
      await check(page, 'plan-page')
      // A phone reads it (issue 16): on 360 × 780 the changes on offer are folded under their headings,
      // and the page below the header is less than two screens long (it was ~3,000 px unfolded).
      await page.setViewportSize({ width: 360, height: 780 })
      const below = await page.evaluate(() => document.documentElement.scrollHeight - document.querySelector('main')!.getBoundingClientRect().top)
      expect(below, 'the plan page below the header, at 360 px').toBeLessThanOrEqual(1560)
      await page.setViewportSize(PHONE.viewport)
      const upgrade = main.locator('form[action$="/upgrade-orders"]')
      expect(await upgrade.isVisible(), 'the upgrade folded').toBe(false)
      await main.locator('summary').filter({ hasText: en('plans.upgrade.title') }).click()
      await check(page, 'plan-page-upgrade-open')
      await upgrade.getByRole('radio', { name: /Gold/ }).check()
      await upgrade.getByRole('radio', { name: en('plans.pay.card'), exact: true }).check()
      await upgrade.getByLabel(/I accept the terms of sale/).check()
      await upgrade.getByRole('button', { name: en('plans.upgrade.submit') }).click()
      await landOn(page, en('payTest.heading', { amount: `PLN ${((expected.chargeMinor + vat) / 100).toFixed(2)}` }))
      await main.getByRole('button', { name: en('payTest.approve') }).click()
      await landOn(page, /^Order KON\//)
      expect(await main.textContent()).toContain(en('order.paidNote'))
      await check(page, 'upgrade-paid')
      console_.expectClean()
    } finally {
      await context.close()
    }
    const sub = (await env.server.deps.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).get())!
    expect([sub.snapshot.planName, sub.periodEnd?.getTime(), sub.autoRenew]).toEqual(['Gold', periodEnd.getTime(), true])
    const paid = (await env.server.deps.db.select().from(orders).where(eq(orders.orgId, org.id)).get())!
    expect([paid.kind, paid.netMinor, paid.vatMinor]).toEqual(['plan_change', expected.chargeMinor, vat])
    const kept = await env.server.deps.db.select().from(licences).where(eq(licences.subscriptionId, subscriptionId))
    expect(kept.map((l) => l.number)).toEqual([licence])
  })
})
