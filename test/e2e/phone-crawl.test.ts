// Every page at 360 px (issue 16): Chromium signs in as an anonymous visitor, an org's administrator,
// a member and an operator, and opens every GET route of `app.routes` it can fill from the seeded
// round-trip world (test/helpers/walk.ts) — a page added later is crawled too. A page fails if it
// scrolls sideways (the page, or a box inside it), if its header (`body > header`, the layout's
// banner) is taller than 64 px with the menu closed, if axe finds anything, if a control is a
// smaller tap target than 44 × 44 px, if the org's name is shown twice (in the header and as the
// page's heading), or if a code, licence number or IBAN breaks inside one of its groups. Addresses
// and names are made as long as real ones are, so long words are tried too.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { orgs, users } from '../../src/db/schema'
import { nodeServer } from '../../src/server'
import { decodeKey, totpAt } from '../../src/auth/totp'
import { translator } from '../../src/i18n'
import { roundTripWorld } from '../helpers/round-trips'
import { getRoutes, urlOf } from '../helpers/walk'
import { PASSWORD } from '../helpers/users'
import { axeReport, brokenGroups, landOn, launchBrowser, screenshot, serveOnLoopback, submitSignIn } from './helpers'

const en = translator('en')
const PHONE_360 = { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }
const HEADER_MAX = 64
const TAP_MIN = 44

// As long as addresses and names people really have: they must wrap, not widen the page.
const LONG = {
  admin: 'aleksandra.kowalska-wisniewska@przedsiebiorstwo-handlowe.example.com',
  member: 'maria.konstantynopolitanczykiewicz@biuro-rachunkowe-kowalski.example.com',
  memberName: 'Maria Konstantynopolitańczykiewicz',
  org: 'Przedsiębiorstwo Handlowo-Usługowe „Kowalski i Wspólnicy” sp. z o.o.',
}

type Role = 'anonymous' | 'admin' | 'member' | 'operator'

/** Which routes each person opens: the visitor the public ones, the operator the back office, the others the customer's side. */
const routesFor: Record<Role, (route: string) => boolean> = {
  anonymous: (r) => !r.startsWith('/o/') && !r.startsWith('/ops') && !r.startsWith('/api/'),
  admin: (r) => !r.startsWith('/ops') && !r.startsWith('/api/'),
  member: (r) => r.startsWith('/o/') || r === '/account' || r === '/orgs',
  operator: (r) => r.startsWith('/ops') || r === '/account',
}

describe('every page on a 360 px phone', async () => {
  let browser: Browser
  let close = async () => {}
  let w!: Awaited<ReturnType<typeof roundTripWorld>>
  const served = await serveOnLoopback(async (baseUrl) => {
    w = await roundTripWorld('test', { baseUrl })
    return nodeServer(w.t.deps)
  })
  close = served.close
  const baseUrl = served.baseUrl
  const routes = getRoutes(w)
  const { db } = w.t
  await db.update(users).set({ email: LONG.admin }).where(eq(users.email, 'rt-admin@example.com'))
  await db.update(users).set({ email: LONG.member, name: LONG.memberName }).where(eq(users.email, 'rt-member@example.com'))
  await db.update(orgs).set({ name: LONG.org, billingEmail: LONG.admin }).where(eq(orgs.id, w.org.id))

  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), close()])
  })

  async function signIn(page: Page, email: string) {
    await submitSignIn(page, email, PASSWORD)
    await page.waitForURL((u) => u.pathname !== '/login')
  }

  async function crawl(role: Role, signInFirst: (page: Page) => Promise<void>) {
    const context: BrowserContext = await browser.newContext({ ...PHONE_360, baseURL: baseUrl, locale: 'en-US' })
    context.setDefaultTimeout(15_000)
    const failures: string[] = []
    const seen = new Set<string>()
    let pages = 0
    try {
      const page = await context.newPage()
      await signInFirst(page)
      for (const route of routes.filter(routesFor[role])) {
        const url = urlOf(w, route)
        // Files (PDFs, CSVs) are not pages: the browser downloads them, or shows them as they are.
        const response = await page.goto(url).catch((e: Error) => {
          if (/Download is starting/.test(e.message)) return 'file' as const
          throw e
        })
        if (response === 'file' || !response?.headers()['content-type']?.startsWith('text/html')) continue
        // The mail preview's HTML part (/dev/mail/:id/html) is a sandboxed frame's content, not a page of the panel.
        if (response.headers()['content-security-policy']?.includes('sandbox')) continue
        const where = new URL(page.url())
        const key = where.pathname + where.search
        // A route that sends this person elsewhere (to sign in, to the dashboard) leads to a page already checked.
        if (seen.has(key)) continue
        seen.add(key)
        pages += 1
        const label = `${role} ${route}${key !== url ? ` → ${key}` : ''}`
        const problems = await problemsOn(page, response.status(), role === 'admin' || role === 'member' ? LONG.org : null)
        if (problems.length > 0) failures.push(`${label}:\n  ${problems.join('\n  ')}`)
        if (problems.length > 0 || process.env.CRAWL_SHOTS) await screenshot(page, `crawl-${role}-${String(pages).padStart(2, '0')}-${key.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`)
      }
    } finally {
      await context.close()
    }
    expect(failures, `${failures.length} of ${pages} pages failed as ${role}:\n${failures.join('\n')}`).toEqual([])
    return { pages, seen }
  }

  test('a visitor who has not signed in', { timeout: 300_000 }, async () => {
    expect((await crawl('anonymous', async () => {})).pages).toBeGreaterThan(8)
  })

  test("the org's administrator, with a cart at the checkout's summary", { timeout: 300_000 }, async () => {
    const { pages, seen } = await crawl('admin', async (page) => {
      await signIn(page, LONG.admin)
      // Two SimplySign signatures chosen and the org picked for billing: /checkout/summary shows the lines.
      const form = { headers: { Origin: baseUrl }, maxRedirects: 0 }
      expect((await page.request.post('/buy/simplysign', { ...form, form: { variant: 'signature-1y', quantity: '2' } })).status()).toBe(303)
      expect((await page.request.post('/checkout/billing', { ...form, form: { org: w.slug, billingEmail: LONG.admin } })).status()).toBe(303)
    })
    expect(pages).toBeGreaterThan(25)
    expect([...seen]).toEqual(expect.arrayContaining(['/checkout/summary', `/o/${w.slug}/settings/users`, `/o/${w.slug}/history`, `/o/${w.slug}/orders`, `/o/${w.slug}/ecodes`]))
  })

  test('a member of the org', { timeout: 300_000 }, async () => {
    expect((await crawl('member', (page) => signIn(page, LONG.member))).pages).toBeGreaterThan(10)
  })

  test('an operator, past the authenticator', { timeout: 300_000 }, async () => {
    const { pages } = await crawl('operator', async (page) => {
      await signIn(page, 'rt-operator@example.com')
      await landOn(page, en('twoFactor.title'))
      // A code of a later step than the one the world's sign-in used (a step is accepted once).
      w.t.clock.advance(60_000)
      await page.locator('main').getByLabel(en('twoFactor.code')).fill(totpAt(decodeKey(w.operatorKey), w.t.clock.now()))
      await page.locator('main').getByRole('button', { name: en('twoFactor.submit') }).click()
      await landOn(page, en('ops.title'))
    })
    expect(pages).toBeGreaterThan(15)
  })

  // Last: it removes the member the crawl above signed in as.
  test('removing a member asks first, and works without JavaScript', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ ...PHONE_360, baseURL: baseUrl, locale: 'en-US', javaScriptEnabled: false })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      await signIn(page, LONG.admin)
      await page.goto(`/o/${w.slug}/settings/users`)
      const card = page.locator('main tbody tr').filter({ hasText: LONG.member })
      const confirmButton = card.getByRole('button', { name: en('members.remove.submit', { name: LONG.memberName }) })
      expect(await confirmButton.isVisible()).toBe(false)
      await card.getByText(en('members.remove'), { exact: true }).click()
      // One tap only asks: the question names the person and the org, the member is still there.
      await confirmButton.waitFor()
      expect(await card.textContent()).toContain(en('members.remove.confirm', { name: LONG.memberName, org: LONG.org }))
      expect(await page.locator('main tbody tr').count()).toBe(2)
      await screenshot(page, 'crawl-users-remove-confirm', { fullPage: false })
      await confirmButton.click()
      await landOn(page, en('members.title'))
      expect(await page.locator('main tbody tr').count()).toBe(1)
      expect(await page.locator('main').textContent()).not.toContain(LONG.member)
    } finally {
      await context.close()
    }
  })
})

/** What is wrong with the page as shown: each problem in a line. */
async function problemsOn(page: Page, status: number, orgName: string | null): Promise<string[]> {
  const problems: string[] = []
  if (status >= 500) problems.push(`answered ${status}`)
  const layout = await page.evaluate(
    ({ tapMin, orgName }) => {
      const width = document.documentElement.clientWidth
      const header = document.querySelector('body > header')
      const visible = (e: Element) => {
        const r = e.getBoundingClientRect()
        return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'
      }
      const describe = (e: Element) => {
        const r = e.getBoundingClientRect()
        const cls = e.getAttribute('class')
        return `${e.tagName.toLowerCase()}${cls ? `.${cls.trim().replace(/\s+/g, '.')}` : ''} ${Math.round(r.width)}×${Math.round(r.height)} at ${Math.round(r.left)}: "${(e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`
      }
      // Tap targets: buttons, menus, selects, fields and links that stand alone (a link inside a
      // sentence is exempt, as WCAG 2.5.8 exempts inline targets); a checkbox or radio counts with its label.
      const small: string[] = []
      for (const e of document.querySelectorAll('button, summary, select, input:not([type="hidden"]), textarea, a')) {
        if (!visible(e) || e.closest('[aria-hidden="true"], .skip')) continue
        if (e.tagName === 'A' && getComputedStyle(e).display === 'inline') continue
        let box = e.getBoundingClientRect()
        if (e instanceof HTMLInputElement && (e.type === 'checkbox' || e.type === 'radio')) {
          // A .check row's label covers the row, box included (app.css).
          const label = e.closest('label, .check') ?? (e.id ? document.querySelector(`label[for="${e.id}"]`) : null)
          if (label && visible(label)) box = label.getBoundingClientRect()
        }
        if (box.height < tapMin - 0.5 || box.width < tapMin - 0.5) small.push(describe(e))
      }
      // A box that scrolls sideways inside the page hides what is past its edge (a table's VAT and
      // Gross, the Users' buttons) though the page itself fits: lists must become cards instead.
      const boxed = [...document.querySelectorAll('main *')]
        .filter((e) => visible(e) && /auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
        .slice(0, 5)
        .map((e) => `${describe(e)} holds ${e.scrollWidth} px`)
      const wide = [...document.querySelectorAll('body *')].filter((e) => visible(e) && e.getBoundingClientRect().right > width + 0.5 && !e.closest('.skip')).slice(0, 5).map(describe)
      const h1 = document.querySelector('main h1')?.textContent ?? ''
      return {
        scrollWidth: document.documentElement.scrollWidth,
        width,
        headerHeight: header ? header.getBoundingClientRect().height : null,
        wide,
        boxed,
        small,
        orgNameTwice: orgName !== null && !!header?.textContent?.includes(orgName) && h1.includes(orgName),
      }
    },
    { tapMin: TAP_MIN, orgName },
  )
  if (layout.scrollWidth > 360) problems.push(`scrolls sideways: ${layout.scrollWidth} px wide; past the edge: ${layout.wide.join('; ')}`)
  if (layout.boxed.length > 0) problems.push(`scrolls sideways inside a box: ${layout.boxed.join('; ')}`)
  if (layout.headerHeight === null) problems.push('no header (body > header)')
  else if (layout.headerHeight > HEADER_MAX) problems.push(`header ${Math.round(layout.headerHeight)} px tall`)
  if (layout.small.length > 0) problems.push(`tap targets under ${TAP_MIN} × ${TAP_MIN} px: ${layout.small.slice(0, 8).join('; ')}${layout.small.length > 8 ? ` and ${layout.small.length - 8} more` : ''}`)
  if (layout.orgNameTwice) problems.push("the org's name both in the header and as the heading")
  const broken = await brokenGroups(page)
  if (broken.length > 0) problems.push(`broken inside a group: ${broken.join('; ')}`)
  const axe = await axeReport(page)
  if (axe) problems.push(`axe:\n${axe}`)
  return problems
}
