// The organization journey on a phone, in a real browser (Debian's Chromium through playwright-core)
// against the real Node server with the demo catalog: a signed-in customer adds a company with a
// Polish NIP, adds a colleague by e-mail in Settings → Users, activates the free Sekretariat plan in
// one click, sees the meters on the dashboard, is refused a third user by the plan's seat limit,
// and downloads the history as CSV — axe, unique ids, 360 px and a screenshot on every page.
//
// The colleague is added before the plan is activated, and as many more members as the free Green
// plan has seats are put in the database, so once it is active the org is one over its seat limit
// (shown, nothing removed, SPEC §5) and another member is refused — which the journey checks with
// a third account.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devices, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import { translator, type MessageKey } from '../../src/i18n'
import { DEMO_CATALOG, insertCatalog } from '../../src/seed/catalog'
import { licences, memberships, orgs, subscriptions, users } from '../../src/db/schema'
import { csvLine, csvSeparator } from '../../src/domain/csv'
import { normalizeLicenceNumber } from '../../src/domain/licence-number'
import { createUser, PASSWORD } from '../helpers/users'
import { expectNoAxeViolations, expectUniqueIds, landOn, openMenu, launchBrowser, screenshot, scrollWidth, startServer, watchConsole, type TestServer } from './helpers'

const en = translator('en')

// Playwright's iPhone 13 descriptor names WebKit as its default browser; here it runs in Chromium.
const { defaultBrowserType: _webkit, ...iPhone13 } = devices['iPhone 13']!
const PHONE = { ...iPhone13, viewport: { width: 390, height: 844 } }
const NARROW = { width: 360, height: 740 }

// PKN Orlen's NIP (test/domain/tax-id.test.ts), typed as people write it.
const NIP = '774-00-01-454'
const NIP_NORMALIZED = 'PL7740001454'
/** How the panel writes it back (displayTaxId). */
const NIP_DISPLAYED = '774-000-14-54'
const COMPANY = { name: 'Orlen Journey S.A.', addressLine: 'ul. Chemików 7', postalCode: '09-411', city: 'Płock' }

// What the demo catalog says about Sekretariat's free plan (Green: 10 + 10 a month, and its seats).
const SEKRETARIAT = DEMO_CATALOG.find((p) => p.key === 'sekretariat')!
const GREEN = SEKRETARIAT.plans!.find((p) => p.free)!
const quota = (key: string) => ({ label: SEKRETARIAT.quotas!.find((q) => q.key === key)!.label.en, limit: String(GREEN.limits[key]) })

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  await insertCatalog(server.deps.db, DEMO_CATALOG, server.deps.clock.now())
})

afterAll(async () => {
  await Promise.allSettled([browser?.close(), server?.close()])
})

/** The elements (outside a table's scroll box) whose right edge is past `width`. */
function widerThan(page: Page, width: number): Promise<string[]> {
  return page.evaluate(
    (width) =>
      [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > width)
        .slice(0, 10)
        .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).replace(/ /g, '.')}` : ''} → ${Math.round(e.getBoundingClientRect().right)} px: ${(e.textContent ?? '').trim().slice(0, 40)}`),
    width,
  )
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('organization journey in Chromium', () => {
  test('add a company with a NIP, add a colleague, activate the free plan, see the meters, download the history (phone)', { timeout: 60_000 }, async () => {
    const started = Date.now()
    const stamp = started
    const me = await createUser(server.deps, { name: 'Ola Admin', email: `org-admin-${stamp}@example.com` })
    const colleague = await createUser(server.deps, { name: 'Piotr Kolega', email: `org-colleague-${stamp}@example.com` })
    const third = await createUser(server.deps, { name: 'Zenon Trzeci', email: `org-third-${stamp}@example.com` })

    const context: BrowserContext = await browser.newContext({ ...PHONE, baseURL: server.baseUrl, locale: 'en-US', acceptDownloads: true })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      // Any console error, not only CSP reports (a failed script or stylesheet, an htmx error).
      const consoleErrors: string[] = []
      page.on('console', (msg: ConsoleMessage) => {
        if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`)
      })
      let step = 0
      const narrowWidths: Record<string, number> = {}
      const narrowCulprits: Record<string, string[]> = {}

      /** On every page: htmx loaded where it is used, no axe violations, unique ids, screenshots at 390 and 360 px. */
      const check = async (name: string) => {
        const label = `org/${name}`
        // htmx where a form swaps in place, and no script anywhere else (test/routes/scripts.test.ts).
        const swaps = (await page.locator('[hx-post]').count()) > 0
        expect(await page.evaluate(() => typeof (window as { htmx?: unknown }).htmx), `htmx on ${label}`).toBe(swaps ? 'object' : 'undefined')
        await expectNoAxeViolations(page, label)
        await expectUniqueIds(page, label)
        step += 1
        const file = `org-phone-${String(step).padStart(2, '0')}-${name}`
        await screenshot(page, file)
        await page.setViewportSize(NARROW)
        narrowWidths[name] = await scrollWidth(page)
        // What sticks out, for the failure message (content scrolling inside a table's own box doesn't count).
        if (narrowWidths[name]! > NARROW.width) narrowCulprits[name] = await widerThan(page, NARROW.width)
        await screenshot(page, `${file}-360`)
        await page.setViewportSize(PHONE.viewport)
      }
      const main = page.locator('main')

      // Sign in; the account page is where a sign-in lands.
      await page.goto('/login')
      await landOn(page, en('login.title'))
      await main.getByLabel(en('common.email'), { exact: true }).fill(me.email)
      await main.getByLabel(en('common.password'), { exact: true }).fill(PASSWORD)
      await main.getByRole('button', { name: en('login.submit'), exact: true }).click()
      await landOn(page, en('account.title'))

      // 1. No org yet: Organizations → Add a company.
      await (await openMenu(page)).getByRole('link', { name: en('nav.orgs') }).click()
      await landOn(page, en('org.list.title'))
      expect(await main.textContent()).toContain(en('org.list.empty'))
      await check('orgs-empty')

      await main.getByRole('link', { name: en('org.list.add') }).click()
      await landOn(page, en('org.new.title'))
      // First the tax id: no company has this one yet, so the company form follows.
      expect(await main.getByLabel(en('org.field.country')).inputValue()).toBe('PL')
      await check('org-new-tax-id')
      await main.getByLabel(en('org.field.taxId')).fill(NIP)
      await main.getByRole('button', { name: en('org.new.continue') }).click()
      await landOn(page, en('org.new.title'))
      await main.getByLabel(en('org.field.name')).waitFor()
      // Poland and a company are preselected, the tax id carried over; the billing e-mail is the user's own.
      expect(await main.getByLabel(en('org.field.country')).inputValue()).toBe('PL')
      expect(await main.getByLabel(en('org.field.legalForm')).inputValue()).toBe('company')
      expect(await main.getByLabel(en('org.field.taxId')).inputValue()).toBe(NIP_DISPLAYED)
      expect(await main.getByLabel(en('org.field.billingEmail')).inputValue()).toBe(me.email)
      await check('org-new')

      await main.getByLabel(en('org.field.name')).fill(COMPANY.name)
      await main.getByLabel(en('org.field.addressLine')).fill(COMPANY.addressLine)
      await main.getByLabel(en('org.field.postalCode')).fill(COMPANY.postalCode)
      await main.getByLabel(en('org.field.city')).fill(COMPANY.city)
      await main.getByRole('button', { name: en('org.new.submit') }).click()
      await landOn(page, COMPANY.name)
      const slug = /^\/o\/([^/]+)$/.exec(new URL(page.url()).pathname)?.[1]
      expect(slug, `landed on the org's page (${page.url()})`).toBeTruthy()
      const base = `/o/${slug}`
      expect(await page.getByRole('status').textContent()).toContain(en('org.created'))
      // The NIP is shown as people write it at home.
      expect(await main.getByRole('region', { name: en('org.home.company') }).textContent()).toContain(NIP_DISPLAYED)
      const sekretariat = main.locator('#product-sekretariat')
      const activate = sekretariat.getByRole('button', { name: en('products.activateFree', { plan: GREEN.name }) })
      await activate.waitFor()
      await check('org-created')

      // 2. Settings → Users: add the colleague by e-mail.
      await (await openMenu(page)).getByRole('link', { name: en('nav.users') }).click()
      await landOn(page, en('members.title'))
      await check('users')
      // The header on a phone: brand, the org and the Menu button in one row of at most 64 px; the
      // menu opens over the page (a <details>: no script needed) with every link, language and sign-out.
      const header = page.locator('body > header')
      expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64)
      expect(await header.getByRole('link', { name: en('nav.history') }).isVisible()).toBe(false)
      await screenshot(page, 'org-phone-header-closed', { fullPage: false })
      await openMenu(page)
      expect(await header.getByRole('link', { name: en('nav.history') }).isVisible()).toBe(true)
      expect(await header.getByRole('button', { name: en('nav.signOut') }).isVisible()).toBe(true)
      await expectNoAxeViolations(page, 'org/header-open')
      await screenshot(page, 'org-phone-header-open', { fullPage: false })
      await header.getByText(en('nav.menu'), { exact: true }).click()
      // A desktop keeps one row, with the org's pages in it and no need to open the menu.
      await page.setViewportSize({ width: 1280, height: 800 })
      expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64)
      expect(await header.getByRole('link', { name: en('nav.history') }).isVisible()).toBe(true)
      expect(await header.getByRole('button', { name: en('nav.signOut') }).isVisible()).toBe(false)
      await screenshot(page, 'org-desktop-header', { fullPage: false })
      await page.setViewportSize(PHONE.viewport)
      const addSection = main.getByRole('region', { name: en('members.add.title') })
      await addSection.getByLabel(en('common.email'), { exact: true }).fill(colleague.email)
      await addSection.getByRole('button', { name: en('members.add.submit') }).click()
      await page.getByRole('status').filter({ hasText: en('members.added', { name: colleague.name }) }).waitFor()
      await landOn(page, en('members.title'))
      expect(new URL(page.url()).pathname).toBe(`${base}/settings/users`)
      const rows = main.locator('tbody tr')
      expect(await rows.count()).toBe(2)
      expect(await rows.filter({ hasText: colleague.email }).textContent()).toContain(en('org.role.member'))
      await check('users-colleague-added')
      // Members beyond the free plan's seats, as an org that had a bigger plan before might have.
      const seats = Number(quota('users').limit)
      const orgId = (await server.deps.db.select().from(orgs).where(eq(orgs.slug, slug!)).get())!.id
      for (let i = 1; i < seats; i++) {
        const extra = await createUser(server.deps, { name: `Extra ${i}`, email: `org-extra${i}-${stamp}@example.com` })
        await server.deps.db.insert(memberships).values({ orgId, userId: extra.id, role: 'member', createdAt: server.deps.clock.now() })
      }

      // 3. Back on the dashboard: the free plan in one click.
      await (await openMenu(page)).getByRole('link', { name: en('nav.dashboard') }).click()
      await landOn(page, COMPANY.name)
      await activate.click()
      const [before, after] = en('products.activated', { number: '\u0000' }).split('\u0000') as [string, string]
      const activated = page.getByRole('status').filter({ hasText: before })
      await activated.waitFor()
      await landOn(page, COMPANY.name)
      expect(new URL(page.url()).pathname).toBe(base)
      const notice = (await activated.textContent())!.trim()
      expect(notice.startsWith(before) && notice.endsWith(after), notice).toBe(true)
      const licenceNumber = notice.slice(before.length, notice.length - after.length)
      expect(normalizeLicenceNumber(licenceNumber), `a licence number: ${notice}`).toBe(licenceNumber)
      expect(await activate.count(), 'no second activation button').toBe(0)

      // 4. The meters: plan, licence number and every quota in words.
      expect(await sekretariat.getByRole('heading', { level: 3 }).textContent()).toContain(GREEN.name)
      expect(await sekretariat.locator('code.key').textContent()).toBe(licenceNumber)
      const meters = sekretariat.locator('ul.meters > li')
      expect(await meters.count()).toBe(3)
      const meterText = (await meters.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim())
      expect(meterText[0]).toContain(en('quota.ofMonthly', { used: '0', ...quota('contracts') }))
      expect(meterText[1]).toContain(en('quota.ofMonthly', { used: '0', ...quota('correspondence') }))
      expect(meterText[0]).toMatch(new RegExp(escape(en('quota.resets', { date: 'DATE' })).replace('DATE', '.+')))
      // One member more than the plan's seats: shown as over the limit by one, nothing removed (SPEC §5).
      expect(meterText[2]).toContain(en('quota.of', { used: String(seats + 1), ...quota('users') }))
      expect(meterText[2]).toContain(en('quota.overBy', { limit: quota('users').limit, label: quota('users').label, by: '1' }))
      expect(await meters.nth(2).getAttribute('class')).toContain('over')
      expect(await sekretariat.getByRole('meter', { name: en('quota.ofMonthly', { used: '0', ...quota('contracts') }) }).count()).toBe(1)
      await check('dashboard-plan-active')

      // The plan's seat limit refuses a third user, saying which plan, its limit and the use.
      await (await openMenu(page)).getByRole('link', { name: en('nav.users') }).click()
      await landOn(page, en('members.title'))
      await addSection.getByLabel(en('common.email'), { exact: true }).fill(third.email)
      await addSection.getByRole('button', { name: en('members.add.submit') }).click()
      const refusal = main.getByRole('status').filter({ hasText: en('members.seatsFull', { plan: GREEN.name, product: SEKRETARIAT.name, count: seats, used: seats + 1 }) })
      await refusal.waitFor()
      await landOn(page, en('members.title'))
      expect(await refusal.getByRole('link', { name: en('members.seePlans') }).getAttribute('href')).toBe('/buy/sekretariat/plans')
      expect(await rows.count()).toBe(seats + 1)
      await check('users-seats-full')

      // 5. History: the page, then the CSV of the same (empty) filter.
      await (await openMenu(page)).getByRole('link', { name: en('nav.history') }).click()
      await landOn(page, en('history.title'))
      // Each row says what happened, naming the person and the product (issue 16, rule 5).
      const historyText = await main.getByRole('table').textContent()
      expect(historyText).toContain(`${colleague.name} added as a member`)
      expect(historyText).toContain(`Sekretariat: free plan ${GREEN.name} activated, licence ${licenceNumber}`)
      expect(historyText).toContain('tax id 774-000-14-54')
      await check('history')

      const [download] = await Promise.all([page.waitForEvent('download'), main.getByRole('link', { name: en('history.csv') }).click()])
      expect(download.suggestedFilename()).toBe(`history-${slug}.csv`)
      const bytes = await readFile((await download.path())!)
      expect([...bytes.subarray(0, 3)], 'UTF-8 byte-order mark').toEqual([0xef, 0xbb, 0xbf])
      const lines = bytes.subarray(3).toString('utf8').split('\r\n')
      expect(lines.at(-1), 'ends with a line break').toBe('')
      const sep = csvSeparator('en')
      expect(lines[0]).toBe(csvLine(['when', 'who', 'what', 'kind', 'code', 'subject'].map((c) => en(`history.col.${c}` as MessageKey)), sep))
      const body = lines.slice(1, -1)
      expect(body).toHaveLength(3)
      const rowOf = (kind: string) => {
        // The row says what happened in words and carries the kind's code.
        const found = body.filter((l) => l.includes(`${sep}${en(`history.kind.${kind}` as MessageKey)}${sep}`) && l.includes(`${sep}${kind}${sep}`))
        expect(found, `one CSV row for ${kind}`).toHaveLength(1)
        return found[0]!
      }
      expect(rowOf('org.created')).toContain('774-000-14-54')
      expect(rowOf('member.added').endsWith(`${sep}member.added${sep}${colleague.name}`)).toBe(true)
      expect(rowOf('plan.activated')).toContain(licenceNumber)
      for (const line of body) expect(line).toContain(me.email)
      // Newest first, as on the page.
      expect(body.map((l) => ['plan.activated', 'member.added', 'org.created'].find((k) => l.includes(`${sep}${k}${sep}`)))).toEqual(['plan.activated', 'member.added', 'org.created'])

      console_.expectClean()
      // Chromium logs the refused third user's page (409 Conflict, by design); nothing else.
      const refused = `Failed to load resource: the server responded with a status of 409 (Conflict) (${server.baseUrl}${base}/members)`
      expect(consoleErrors.filter((e) => e !== refused), 'console errors').toEqual([])
      const tooWide = Object.entries(narrowWidths).filter(([, w]) => w > NARROW.width)
      expect(tooWide, `pages wider than 360 px (horizontal scrolling): ${JSON.stringify(narrowCulprits, null, 2)}`).toEqual([])

      // The database: one live org with the normalized NIP, one active free subscription with its
      // licence, two memberships (the creator as admin, the colleague as member).
      const { db } = server.deps
      const orgRows = await db.select().from(orgs).where(eq(orgs.taxId, NIP_NORMALIZED))
      expect(orgRows).toHaveLength(1)
      const org = orgRows[0]!
      expect(org).toMatchObject({ slug, name: COMPANY.name, country: 'PL', legalForm: 'company', billingEmail: me.email, timeZone: 'Europe/Warsaw', deletedAt: null })
      const subs = await db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))
      expect(subs).toHaveLength(1)
      expect(subs[0]).toMatchObject({ status: 'active', source: 'free', periodEnd: null, snapshot: { planKey: GREEN.key, isFree: true } })
      const lic = await db.select().from(licences).where(and(eq(licences.orgId, org.id), eq(licences.subscriptionId, subs[0]!.id)))
      expect(lic.map((l) => l.number)).toEqual([licenceNumber])
      const members = await db
        .select({ email: users.email, role: memberships.role })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.orgId, org.id))
      // The admin, the colleague and the members put in beyond the seats; the third was refused.
      const extras = members.filter((m) => m.email.startsWith('org-extra'))
      expect(extras.map((m) => m.role)).toEqual(Array.from({ length: seats - 1 }, () => 'member'))
      expect(members.filter((m) => !extras.includes(m)).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
        { email: me.email, role: 'admin' },
        { email: colleague.email, role: 'member' },
      ])
      console.info(`org journey: ${step} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    } finally {
      await context.close()
    }
  })
})
