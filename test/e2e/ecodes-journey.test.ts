// E-codes on phones in Chromium (SPEC §9): an issuer's admin generates 3 codes from the warehouse,
// downloads a gift card and sends another by e-mail; the recipient opens the link from the mail
// (/dev/mail) on a phone, registers, adds a personal org, redeems, activates the unit and sees the
// licence; the issuer finds the code under Used. Axe and unique ids on every page.
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import { translator } from '../../src/i18n'
import { ecodes, licences, orgs, variants } from '../../src/db/schema'
import { createOrg } from '../../src/services/orgs'
import { addStock } from '../../src/db/warehouse'
import { createUser, PASSWORD } from '../helpers/users'
import { journeyServer, landOn, openMenu, PHONE, registerAndActivate, watchConsole, phoneChecks, submitSignIn } from './helpers'

const en = translator('en')
const env = journeyServer()

const check = phoneChecks('ecodes')

const signInAs = (page: Page, email: string) => submitSignIn(page, email, PASSWORD)

describe('e-codes in Chromium', () => {
  test('generate 3 codes, download a gift card, send one; a stranger redeems it on a phone, activates the unit; the issuer sees it used', { timeout: 120_000 }, async () => {
    const { server } = env
    const stamp = Date.now()
    const admin = { ...(await createUser(server.deps, { name: 'Iga Issuer', email: `issuer-${stamp}@example.com` })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
    const company = { name: `Certum Reseller ${stamp}`, country: 'PL' as const, legalForm: 'company' as const, taxId: null, addressLine: 'ul. Bajeczna 13', postalCode: '71-838', city: 'Szczecin', billingEmail: admin.email, einvoiceId: null }
    const created = await createOrg(server.deps, admin, company, server.deps.clock.now())
    if (!created.ok) throw new Error('org not created')
    const issuer = created.org
    const signature = (await server.deps.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
    await addStock(server.deps.db, issuer.id, signature.id, 5)
    const recipient = { name: 'Rafał Żądło', email: `recipient-${stamp}@example.com`, password: 'a long recipient password' }

    const issuerContext = await env.browser.newContext({ ...PHONE, baseURL: server.baseUrl, locale: 'en-US', acceptDownloads: true })
    const recipientContext = await env.browser.newContext({ ...PHONE, baseURL: server.baseUrl, locale: 'en-US' })
    issuerContext.setDefaultTimeout(15_000)
    recipientContext.setDefaultTimeout(15_000)
    try {
      // The issuer: warehouse → 3 e-codes → a gift card → send one by e-mail.
      const page = await issuerContext.newPage()
      const issuerConsole = watchConsole(page)
      const main = page.locator('main')
      await signInAs(page, admin.email)
      await landOn(page, issuer.name)
      await page.goto(`/o/${issuer.slug}`)
      await (await openMenu(page)).getByRole('link', { name: en('nav.warehouse') }).click()
      await landOn(page, en('warehouse.title'))
      expect((await main.textContent())!.replace(/\s+/g, ' ')).toContain('signature, 1 year (5)')
      await check(page, 'warehouse')
      await main.getByLabel(en('warehouse.quantity', { max: 5 })).fill('3')
      await main.getByRole('button', { name: en('warehouse.generate') }).click()
      await landOn(page, en('ecodes.title'))
      await page.getByRole('status').filter({ hasText: en('ecodes.generated', { count: 3 }) }).waitFor()
      const rows = main.locator('tbody tr')
      expect(await rows.count()).toBe(3)
      await check(page, 'ecodes-active')
      const [download] = await Promise.all([page.waitForEvent('download'), rows.nth(0).getByRole('link', { name: en('ecodes.action.voucher') }).click()])
      expect((await readFile((await download.path())!)).subarray(0, 5).toString()).toBe('%PDF-')
      await rows.nth(1).getByRole('link', { name: en('ecodes.action.send') }).click()
      await landOn(page, en('ecodes.sending.title'))
      await check(page, 'send-form')
      await main.getByLabel(en('ecodes.field.recipientName')).fill(recipient.name)
      await main.getByLabel(en('ecodes.field.email')).fill(recipient.email)
      await main.getByLabel(en('ecodes.field.message')).fill('Wszystkiego najlepszego — podpis na cały rok!')
      await main.getByRole('button', { name: en('ecodes.sending.submit') }).click()
      await page.getByRole('status').filter({ hasText: en('ecodes.sent', { email: recipient.email }) }).waitFor()
      issuerConsole.expectClean()

      // The recipient, on their phone: the link from the e-mail.
      const phone = await recipientContext.newPage()
      const recipientConsole = watchConsole(phone)
      const pmain = phone.locator('main')
      await phone.goto('/dev/mail')
      await landOn(phone, en('devmail.title'))
      const subject = en('mail.ecode.subject', { org: company.name, product: 'SimplySign' })
      await phone.getByRole('listitem').filter({ hasText: recipient.email }).getByRole('link', { name: subject }).click()
      await landOn(phone, subject)
      await phone.getByRole('region', { name: en('devmail.textPart') }).locator('a[href*="/r/"]').click()
      await landOn(phone, en('redeem.title'))
      const codePath = new URL(phone.url()).pathname
      const text = (await pmain.textContent())!.replace(/\s+/g, ' ')
      expect(text).toContain(recipient.name)
      expect(text).toContain(en('redeem.state.active'))
      await check(phone, 'redeem-page')
      // Redeem as a visitor: sign in first; the code waits meanwhile, also through registering.
      await pmain.getByRole('button', { name: en('redeem.button') }).click()
      await landOn(phone, en('login.title'))
      await phone.getByRole('status').filter({ hasText: en('redeem.signInFirst') }).waitFor()

      await registerAndActivate(phone, 'ecodes', recipient, (step) => check(phone, `recipient-${step}`))
      // Signing in comes back to the code, which waited in a cookie.
      await pmain.getByLabel(en('common.email'), { exact: true }).fill(recipient.email)
      await pmain.getByLabel(en('common.password'), { exact: true }).fill(recipient.password)
      await pmain.getByRole('button', { name: en('login.submit'), exact: true }).click()
      await landOn(phone, en('redeem.title'))
      expect(new URL(phone.url()).pathname).toBe(codePath)
      // No org yet: add a personal one, and come back to the code.
      await pmain.getByRole('button', { name: en('redeem.confirm') }).click()
      await landOn(phone, en('org.new.title'))
      await pmain.getByRole('link', { name: en('org.new.noTaxId') }).click()
      await pmain.getByLabel(en('org.field.name')).waitFor()
      await pmain.getByLabel(en('org.field.name')).fill(recipient.name)
      await pmain.getByLabel(en('org.field.addressLine')).fill('ul. Ogrodowa 2')
      await pmain.getByLabel(en('org.field.postalCode')).fill('90-001')
      await pmain.getByLabel(en('org.field.city')).fill('Łódź')
      await pmain.getByRole('button', { name: en('org.new.submit') }).click()
      await landOn(phone, en('redeem.title'))
      await check(phone, 'redeem-choose-org')
      await pmain.getByRole('button', { name: en('redeem.confirm') }).click()
      await landOn(phone, en('warehouse.title'))
      await phone.getByRole('status').filter({ hasText: `one unit of SimplySign, signature, 1 year is now in the warehouse of ${recipient.name}` }).waitFor()
      expect((await pmain.textContent())!.replace(/\s+/g, ' ')).toContain('signature, 1 year (1)')
      await check(phone, 'recipient-warehouse')
      await pmain.getByRole('button', { name: en('warehouse.activate') }).click()
      await landOn(phone, en('warehouse.title'))
      const activated = (await phone.getByRole('status').textContent())!
      expect(activated).toMatch(/Unit activated\. Licence number KT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}, valid until/)
      await check(phone, 'activated')
      recipientConsole.expectClean()

      // The issuer sees the code under Used, with the recipient's org.
      await page.goto(`/o/${issuer.slug}/ecodes?tab=used`)
      await landOn(page, en('ecodes.title'))
      expect((await main.locator('tbody').textContent())!).toContain(recipient.name)
      await check(page, 'ecodes-used')
    } finally {
      await Promise.allSettled([issuerContext.close(), recipientContext.close()])
    }
    const receiver = (await server.deps.db.select().from(orgs).where(eq(orgs.name, recipient.name)).get())!
    const used = await server.deps.db.select().from(ecodes).where(and(eq(ecodes.orgId, issuer.id), eq(ecodes.status, 'used')))
    expect(used.map((c) => [c.usedByOrgId, c.recipientName])).toEqual([[receiver.id, recipient.name]])
    const licence = (await server.deps.db.select().from(licences).where(eq(licences.orgId, receiver.id)).get())!
    expect(licence.variantId).toBe(signature.id)
  })
})
