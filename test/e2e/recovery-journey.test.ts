// Getting a company back, on a phone in Chromium (SPEC §3): a newcomer registers, adds the company
// by its NIP, finds that it already has an account, joins it with one of its licence numbers and
// the statement, and asks for administrator rights; an administrator sees the yellow dot, approves
// from the inbox, and the dot goes. The other path: a signed statement that an operator approves in
// the back office. Axe and unique ids on every page.
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { translator } from '../../src/i18n'
import { memberships, orgRequests } from '../../src/db/schema'
import { createOrg } from '../../src/services/orgs'
import { activateFreePlan } from '../../src/services/subscriptions'
import { createUser, PASSWORD } from '../helpers/users'
import { expectNoAxeViolations, expectUniqueIds, landOn, openMenu, registerAndActivate, screenshot, signIn, journeyServer, PHONE, watchConsole, operatorFirstSignIn } from './helpers'

const en = translator('en')
const env = journeyServer()

describe('recovering a company in Chromium', () => {
  test('register, add the company by NIP, join with a licence number, ask for admin rights; the admin approves from the inbox (phone)', { timeout: 90_000 }, async () => {
    const stamp = Date.now()
    // The company as it is: an administrator and the free Sekretariat plan with its licence number.
    const owner = { ...(await createUser(env.server.deps, { name: 'Olga Owner', email: `rec-owner-${stamp}@example.com` })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
    const company = { name: 'Odzyskana Sp. z o.o.', country: 'PL' as const, legalForm: 'company' as const, taxId: 'PL5260250995', addressLine: 'ul. Długa 1', postalCode: '00-001', city: 'Warszawa', billingEmail: owner.email, einvoiceId: null }
    const created = await createOrg(env.server.deps, owner, company, env.server.deps.clock.now())
    if (!created.ok) throw new Error('org not created')
    const activated = await activateFreePlan(env.server.deps, created.org, owner, 'certyfikaty', env.server.deps.clock.now())
    if (!activated.ok) throw new Error('plan not activated')
    const slug = created.org.slug
    const newcomer = { name: 'Nowa Osoba', email: `rec-newcomer-${stamp}@example.com`, password: 'granite-willow-quiet-bridge' }

    const check = async (page: Page, name: string) => {
      await expectNoAxeViolations(page, `recovery/${name}`)
      await expectUniqueIds(page, `recovery/${name}`)
      await screenshot(page, `recovery-phone-${name}`)
    }

    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US' })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const main = page.locator('main')
      await registerAndActivate(page, 'recovery', newcomer, (step) => check(page, step))
      await signIn(page, en, newcomer.email, newcomer.password)

      // Add a company: the NIP first. This one has an account already, so the claim form follows.
      await page.goto('/orgs/new')
      await landOn(page, en('org.new.title'))
      await check(page, 'tax-id')
      await main.getByLabel(en('org.field.taxId')).fill('526-025-09-95')
      await main.getByRole('button', { name: en('org.new.continue') }).click()
      await landOn(page, en('claim.title'))
      expect(await main.textContent()).toContain(company.name)
      await check(page, 'claim')
      await main.getByLabel(en('claim.licence')).fill(activated.licenceNumber.toLowerCase())
      await main.getByLabel(en('claim.statement', { company: company.name })).check()
      await main.getByRole('button', { name: en('claim.submit') }).click()
      await landOn(page, company.name)
      expect(await page.getByRole('status').first().textContent()).toContain(en('claim.joined', { org: company.name }))
      // Limited rights, and the two ways to full rights.
      expect(await main.textContent()).toContain(en('rights.limited', { org: company.name }))
      await check(page, 'member-dashboard')
      await main.getByRole('button', { name: en('rights.ask') }).click()
      await landOn(page, company.name)
      expect(await main.textContent()).toContain(en('rights.asked'))
      await check(page, 'asked')
      console_.expectClean()
      await (await openMenu(page)).getByRole('button', { name: en('nav.signOut') }).click()
      await landOn(page, en('login.title'))

      // The administrator: the yellow dot on Requests, the inbox, approve, mark the claim as seen.
      await main.getByLabel(en('common.email'), { exact: true }).fill(owner.email)
      await main.getByLabel(en('common.password'), { exact: true }).fill(PASSWORD)
      await main.getByRole('button', { name: en('login.submit'), exact: true }).click()
      await page.goto(`/o/${slug}`)
      await landOn(page, company.name)
      // The Menu button carries the dot while the menu is closed, and Requests has it inside.
      expect(await page.locator('header .menu-toggle > summary .dot').isVisible()).toBe(true)
      const requestsLink = (await openMenu(page)).getByRole('link', { name: new RegExp(`^${en('nav.requests')}`) })
      expect(await requestsLink.locator('.dot').isVisible()).toBe(true)
      await check(page, 'admin-dot')
      await requestsLink.click()
      await landOn(page, en('requests.title'))
      await check(page, 'inbox')
      await main.getByRole('button', { name: en('requests.approve') }).click()
      await landOn(page, en('requests.title'))
      expect(await page.getByRole('status').first().textContent()).toContain(en('requests.approved', { name: newcomer.name }))
      await main.getByRole('button', { name: en('requests.seen') }).click()
      await landOn(page, en('requests.title'))
      expect(await main.textContent()).toContain(en('requests.empty'))
      expect(await page.locator('header .dot').count()).toBe(0)
      await check(page, 'inbox-empty')
      console_.expectClean()
    } finally {
      await context.close()
    }
    const roles = await env.server.deps.db.select().from(memberships).where(eq(memberships.orgId, created.org.id))
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'admin'])
  })

  test('a member downloads the statement, uploads it signed, and an operator approves it in the back office (phone)', { timeout: 90_000 }, async () => {
    const stamp = Date.now()
    const owner = { ...(await createUser(env.server.deps, { name: 'Olga Owner', email: `st-owner-${stamp}@example.com` })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
    const member = await createUser(env.server.deps, { name: 'Łucja Żak', email: `st-member-${stamp}@example.com` })
    const operator = await createUser(env.server.deps, { name: 'Oskar Operator', email: `st-op-${stamp}@example.com`, operator: true })
    const company = { name: 'Żółta Łódź Sp. z o.o.', country: 'PL' as const, legalForm: 'company' as const, taxId: 'PL7740001454', addressLine: 'ul. Długa 1', postalCode: '00-001', city: 'Gdańsk', billingEmail: owner.email, einvoiceId: null }
    const created = await createOrg(env.server.deps, owner, company, env.server.deps.clock.now())
    if (!created.ok) throw new Error('org not created')
    const slug = created.org.slug
    // A member who joined by claiming the company with a licence number, as src/services/claims.ts
    // leaves them: the membership and the administrators' inbox item (only claimants are told their
    // rights are limited, issue 16 rule 11).
    const joinedAt = env.server.deps.clock.now()
    await env.server.deps.db.insert(memberships).values({ orgId: created.org.id, userId: member.id, role: 'member', createdAt: joinedAt })
    await env.server.deps.db.insert(orgRequests).values({ id: `claim-${stamp}`, orgId: created.org.id, kind: 'member_claimed', userId: member.id, status: 'pending', details: { email: member.email, name: member.name }, createdAt: joinedAt })

    const check = async (page: Page, name: string) => {
      await expectNoAxeViolations(page, `statement/${name}`)
      await expectUniqueIds(page, `statement/${name}`)
      await screenshot(page, `statement-phone-${name}`)
    }
    const signInAs = async (page: Page, email: string) => {
      await page.goto('/login')
      await landOn(page, en('login.title'))
      const main = page.locator('main')
      await main.getByLabel(en('common.email'), { exact: true }).fill(email)
      await main.getByLabel(en('common.password'), { exact: true }).fill(PASSWORD)
      await main.getByRole('button', { name: en('login.submit'), exact: true }).click()
    }

    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US', acceptDownloads: true })
    context.setDefaultTimeout(15_000)
    try {
      // The member: from the limited-rights notice to the statement page; download, then upload it "signed".
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const main = page.locator('main')
      await signInAs(page, member.email)
      await page.goto(`/o/${slug}`)
      await landOn(page, company.name)
      await main.getByRole('link', { name: en('rights.statement') }).click()
      await landOn(page, en('statement.title'))
      await check(page, 'statement-page')
      const [download] = await Promise.all([page.waitForEvent('download'), main.getByRole('link', { name: en('statement.download') }).click()])
      const pdf = await readFile((await download.path())!)
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      await main.getByLabel(en('statement.file')).setInputFiles({ name: 'signed.pdf', mimeType: 'application/pdf', buffer: pdf })
      await main.getByRole('button', { name: en('statement.submit') }).click()
      await landOn(page, en('statement.title'))
      expect(await main.textContent()).toContain(en('statement.uploaded'))
      await check(page, 'uploaded')
      console_.expectClean()
      await (await openMenu(page)).getByRole('button', { name: en('nav.signOut') }).click()
      await landOn(page, en('login.title'))

      // The operator: password, then the authenticator set up with the key the page shows.
      await operatorFirstSignIn(page, operator.email, PASSWORD)
      await page.goto('/ops/statements')
      await landOn(page, en('ops.statements'))
      await check(page, 'ops-queue')
      await main.getByRole('row').filter({ hasText: company.name }).getByRole('link', { name: en('ops.statements.review') }).click()
      await landOn(page, en('ops.statements.detailTitle', { name: member.name }))
      await check(page, 'ops-review')
      await main.getByRole('button', { name: en('ops.statements.approve') }).click()
      await page.getByRole('status').filter({ hasText: en('ops.statements.approvedDone', { name: member.name, org: company.name }) }).waitFor()
      console_.expectClean()
    } finally {
      await context.close()
    }
    const role = await env.server.deps.db.select().from(memberships).where(eq(memberships.userId, member.id)).get()
    expect(role!.role).toBe('admin')
  })
})

