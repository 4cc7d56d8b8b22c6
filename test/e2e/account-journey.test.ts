// The account journey in a real browser (Debian's Chromium through playwright-core) against the real
// Node server: register, activate from /dev/mail, sign in, switch to Polish, change the password
// with htmx, sign out and back in with the new password — on a phone and on a desktop, with axe on
// every page and a screenshot of every step. Then the same forms with JavaScript turned off.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devices, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core'
import { translator } from '../../src/i18n'
import {
  expectNoAxeViolations,
  expectUniqueIds,
  landOn,
  openMenu,
  launchBrowser,
  registerAndActivate,
  screenshot,
  scrollWidth,
  signIn,
  startServer,
  watchConsole,
  type TestServer,
} from './helpers'

const en = translator('en')
const pl = translator('pl')

// Playwright's iPhone 13 descriptor names WebKit as its default browser; here it runs in Chromium.
const { defaultBrowserType: _webkit, ...iPhone13 } = devices['iPhone 13']!

type Viewport = { name: 'phone' | 'desktop'; options: BrowserContextOptions }
const VIEWPORTS: Viewport[] = [
  { name: 'phone', options: { ...iPhone13, viewport: { width: 390, height: 844 } } },
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
]
const NARROW = { width: 360, height: 740 }

let server: TestServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
})

afterAll(async () => {
  await Promise.allSettled([browser?.close(), server?.close()])
})

async function newContext(options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, baseURL: server.baseUrl, locale: 'en-US' })
  // Fail a step within seconds rather than at the test's timeout, with the step named in the error.
  context.setDefaultTimeout(15_000)
  return context
}

describe('account journey in Chromium', () => {
  for (const vp of VIEWPORTS) {
    test(`register, activate, sign in, Polish, change password, sign out (${vp.name})`, { timeout: 90_000 }, async () => {
      const context = await newContext(vp.options)
      try {
        const page = await context.newPage()
        const console_ = watchConsole(page)
        const user = {
          name: `Zoë Journey ${vp.name}`,
          email: `journey-${vp.name}-${Date.now()}@example.com`,
          password: `amber-kettle-${vp.name}-harbour`,
        }
        const newPassword = `violet-lantern-${vp.name}-orchard`
        let step = 0
        const narrowWidths: Record<string, number> = {}

        /** On every page: htmx loaded where it is used, no axe violations, a screenshot, and on the phone: fits 360 px. */
        const check = async (name: string) => {
          const label = `${vp.name}/${name}`
          // htmx where a form swaps in place, and no script anywhere else (test/routes/scripts.test.ts).
        const swaps = (await page.locator('[hx-post]').count()) > 0
        expect(await page.evaluate(() => typeof (window as { htmx?: unknown }).htmx), `htmx on ${label}`).toBe(swaps ? 'object' : 'undefined')
          await expectNoAxeViolations(page, label)
          await expectUniqueIds(page, label)
          step += 1
          await screenshot(page, `${vp.name}-${String(step).padStart(2, '0')}-${name}`)
          if (vp.name === 'phone') {
            await page.setViewportSize(NARROW)
            narrowWidths[name] = await scrollWidth(page)
            await screenshot(page, `${vp.name}-${String(step).padStart(2, '0')}-${name}-360`)
            await page.setViewportSize(vp.options.viewport!)
          }
        }

        await registerAndActivate(page, vp.name, user, check)
        await check('login-activated')

        await signIn(page, en, user.email, user.password)
        expect(await page.locator('html').getAttribute('lang')).toBe('en')
        await check('account-en')
        // Each password field is named by its own label, and the destructive button looks it.
        const closeSection = page.locator('#close')
        expect(await closeSection.getByLabel(en('account.close.password'), { exact: true }).count()).toBe(1)
        const closeButton = closeSection.getByRole('button', { name: en('account.close.submit') })
        expect(await closeButton.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(166, 27, 27)')

        // The header's language switcher: a select and a "Change" button.
        const switcher = (await openMenu(page)).locator('form.lang-switch')
        await switcher.getByLabel(en('lang.label')).selectOption('pl')
        await switcher.getByRole('button', { name: en('lang.switch') }).click()
        await page.locator('html[lang="pl"]').waitFor({ state: 'attached' })
        await landOn(page, 'Twoje konto')
        expect(new URL(page.url()).pathname).toBe('/account')
        await check('account-pl')

        // Change the password: htmx posts the section and swaps it in place, so the page is not reloaded.
        await page.evaluate(() => ((window as { __notReloaded?: boolean }).__notReloaded = true))
        const section = page.getByRole('region', { name: 'Zmień hasło' })
        await section.getByLabel(pl('account.password.current'), { exact: true }).fill(user.password)
        await section.getByLabel(pl('account.password.new'), { exact: true }).fill(newPassword)
        await section.getByRole('button', { name: pl('account.password.submit') }).click()
        const notice = page.locator('#password').getByRole('status')
        await notice.waitFor()
        expect(await notice.textContent()).toContain(pl('account.password.saved'))
        expect(await page.evaluate(() => (window as { __notReloaded?: boolean }).__notReloaded), 'swapped in place, no reload').toBe(true)
        expect(new URL(page.url()).pathname).toBe('/account')
        await check('account-password-changed')

        // Sign out with the header button.
        await (await openMenu(page)).getByRole('button', { name: pl('nav.signOut') }).click()
        await landOn(page, pl('login.title'))
        expect(new URL(page.url()).pathname).toBe('/login')
        expect(await page.getByRole('status').textContent()).toContain(pl('login.signedOut'))
        await check('signed-out')

        // The old password no longer works; the new one does.
        await page.locator('main').getByLabel(pl('common.email'), { exact: true }).fill(user.email)
        await page.locator('main').getByLabel(pl('common.password'), { exact: true }).fill(user.password)
        await page.locator('main').getByRole('button', { name: pl('login.submit'), exact: true }).click()
        await page.getByRole('alert').waitFor()
        expect(await page.getByRole('alert').textContent()).toContain(pl('login.failed'))
        await signIn(page, pl, user.email, newPassword)
        await check('signed-in-again')

        console_.expectClean()
        if (vp.name === 'phone') {
          const tooWide = Object.entries(narrowWidths).filter(([, w]) => w > NARROW.width)
          expect(tooWide, 'pages wider than 360 px (horizontal scrolling)').toEqual([])
        }
      } finally {
        await context.close()
      }
    })
  }

  test('the forms work with JavaScript turned off', { timeout: 60_000 }, async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      const user = { name: 'No Script', email: `noscript-${Date.now()}@example.com`, password: 'copper-meadow-silent-river' }
      const newPassword = 'granite-willow-quiet-bridge'
      const check = async (name: string) => screenshot(page, `nojs-${name}`)

      await registerAndActivate(page, 'nojs', user, check)
      await signIn(page, en, user.email, user.password)
      await check('account')

      // A plain form post: the browser navigates to /account/password and gets the whole page back.
      const section = page.getByRole('region', { name: en('account.password') })
      await section.getByLabel(en('account.password.current'), { exact: true }).fill(user.password)
      await section.getByLabel(en('account.password.new'), { exact: true }).fill(newPassword)
      await section.getByRole('button', { name: en('account.password.submit') }).click()
      await page.waitForURL('**/account/password')
      await landOn(page, en('account.title'))
      expect(await page.locator('#password').getByRole('status').textContent()).toContain(en('account.password.saved'))
      await check('password-changed')

      await (await openMenu(page)).getByRole('button', { name: en('nav.signOut') }).click()
      await landOn(page, en('login.title'))
      expect(await page.getByRole('status').textContent()).toContain(en('login.signedOut'))
      await signIn(page, en, user.email, newPassword)
      console_.expectClean()
    } finally {
      await context.close()
    }
  })
})
