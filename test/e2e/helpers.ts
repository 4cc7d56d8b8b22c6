// Browser-test helpers: a real Node server on a temporary database, Debian's Chromium driven by
// playwright-core, axe checks and screenshots. Nothing here downloads a browser or leaves loopback.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import AxeBuilder from '@axe-core/playwright'
import { chromium, devices, type Browser, type ConsoleMessage, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { buildNodeDeps, nodeServer } from '../../src/server'
import type { Deps } from '../../src/deps'
import { translator } from '../../src/i18n'
import { decodeKey, totpAt } from '../../src/auth/totp'
import { DEMO_CATALOG, insertCatalog } from '../../src/seed/catalog'

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'e2e')

// Playwright's iPhone 13 descriptor names WebKit as its default browser; here it runs in Chromium.
const { defaultBrowserType: _webkit, ...iPhone13 } = devices['iPhone 13']!
/** The phone the journeys run on: an iPhone 13's user agent, touch and scale, 390 px wide. */
export const PHONE = { ...iPhone13, viewport: { width: 390, height: 844 } }

/**
 * For a journey file: the server with the demo catalog and Chromium, started before its tests and
 * closed after them. The returned object is filled in by the time the tests run.
 */
export function journeyServer(): { server: TestServer; browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser }
  beforeAll(async () => {
    ;[env.server, env.browser] = await Promise.all([startServer(), launchBrowser()])
    await insertCatalog(env.server.deps.db, DEMO_CATALOG, env.server.deps.clock.now())
  })
  afterAll(async () => {
    await Promise.allSettled([env.browser?.close(), env.server?.close()])
  })
  return env
}

/** `deps` is the server's own (database, clock, config), for tests that seed data or check the database. */
export type TestServer = { baseUrl: string; deps: Deps; close: () => Promise<void> }

/**
 * Starts the Node server (static files from ./public, the app over a migrated temporary database,
 * mail kept in the outbox) on a free loopback port.
 */
export async function startServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-e2e-'))
  let deps: Deps | undefined
  try {
    const served = await serveOnLoopback(async (baseUrl, port) => {
      deps = await buildNodeDeps(
        {
          ...process.env,
          DATABASE_PATH: join(dir, 'kontor.db'),
          BASE_URL: baseUrl,
          KONTOR_ENV: 'test',
          // No mail leaves the machine: everything stays in the outbox, readable on /dev/mail.
          RESEND_API_KEY: '',
          RESEND_BASE_URL: '',
          CLIENT_IP_HEADER: '',
        },
        { port, host: '127.0.0.1' },
      )
      return nodeServer(deps)
    })
    return {
      baseUrl: served.baseUrl,
      deps: deps!,
      close: async () => {
        await served.close()
        try {
          ;(deps!.db as unknown as { $client?: { close(): void } }).$client?.close()
        } catch {
          // already closed
        }
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/**
 * Listens on a free loopback port and hands requests to the app `build` makes for that address.
 * The port is known only once it listens, and BASE_URL must carry it, so the app is built after.
 */
export async function serveOnLoopback(build: (baseUrl: string, port: number) => Promise<{ fetch: (req: Request, env: unknown) => Response | Promise<Response> }>) {
  let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | null = null
  let server: ServerType | undefined
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      {
        fetch: (req, env) => (handler ? handler(req, env) : new Response('starting', { status: 503 })),
        port: 0,
        hostname: '127.0.0.1',
      },
      (info: AddressInfo) => resolve(info.port),
    )
    server.once('error', reject)
  })
  const baseUrl = `http://127.0.0.1:${port}`
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve()
      // Keep-alive sockets from the browser would otherwise hold close() open.
      ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      server.close(() => resolve())
    })
  try {
    const app = await build(baseUrl, port)
    handler = (req, env) => app.fetch(req, env)
  } catch (err) {
    await close()
    throw err
  }
  return { baseUrl, close }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
}

/** Runs axe on the page as it is now and fails with a readable list if anything is reported. */
export async function expectNoAxeViolations(page: Page, label: string) {
  const report = await axeReport(page)
  expect(report, `axe violations on ${label} (${page.url()}):\n${report}`).toBe('')
}

/** What axe finds on the page as it is now, readable; empty when nothing. */
export async function axeReport(page: Page): Promise<string> {
  // The mail preview on /dev/mail is a sandboxed frame (no scripts), which axe can't enter: it would
  // wait for it forever. The mail itself is not a page of the panel.
  const results = await new AxeBuilder({ page }).exclude('iframe.mail-frame').analyze()
  return results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n')
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`
    })
    .join('\n')
}

/** A full-page screenshot in test-results/e2e/<name>.png (`fullPage: false`: what the screen shows). */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage })
}

/** A screenshot of one element (e.g. the mail's HTML frame, which full-page captures with mobile emulation leave blank). */
export async function screenshotOf(locator: Locator, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await locator.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

/**
 * Collects Content Security Policy reports from the console (Chromium logs a violation as a console
 * error) and uncaught page errors, so a test can fail on them at the end.
 */
export function watchConsole(page: Page) {
  const cspErrors: string[] = []
  const pageErrors: string[] = []
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.text().includes('Content Security Policy')) cspErrors.push(`${msg.type()}: ${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (err) => pageErrors.push(String(err)))
  return {
    cspErrors,
    pageErrors,
    expectClean() {
      expect(cspErrors, 'Content Security Policy violations in the console').toEqual([])
      expect(pageErrors, 'uncaught errors in the page').toEqual([])
    },
  }
}

/** The document's full width; more than the viewport's width means horizontal scrolling. */
export async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/**
 * Codes, licence numbers and IBANs shown in their groups (Grouped: `.key .g`) whose group is split
 * over two lines: each names the value and the group. A line may break only between groups.
 */
export async function brokenGroups(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.key .g')]
      // An inline box split over lines has a rectangle per line.
      .filter((g) => g.getClientRects().length > 1)
      .map((g) => `"${g.textContent}" of "${g.parentElement?.textContent}"`),
  )
}

/**
 * Every id on the page is unique. axe no longer checks this (duplicate-id is deprecated), but a
 * repeated id sends a `<label for>` or `aria-describedby` to the wrong field.
 */
export async function expectUniqueIds(page: Page, label: string) {
  const duplicates = await page.evaluate(() => {
    const seen = new Map<string, number>()
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1)
    return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`)
  })
  expect(duplicates, `repeated ids on ${label} (${page.url()})`).toEqual([])
}

// Steps several journeys share.
const en = translator('en')

/** Waits for the page a click or submit led to: its heading is shown and it has finished loading. */
export async function landOn(page: Page, heading: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  await page.waitForLoadState('load')
}

/** Registers through the form, activates through /dev/mail and the activation page; ends on /login. */
export async function registerAndActivate(
  page: Page,
  prefix: string,
  user: { name: string; email: string; password: string },
  check: (step: string) => Promise<void>,
) {
  await page.goto('/register')
  await landOn(page, en('register.title'))
  await check('register')

  const main = page.locator('main')
  await main.getByLabel(en('register.name'), { exact: true }).fill(user.name)
  await main.getByLabel(en('register.email'), { exact: true }).fill(user.email)
  await main.getByLabel(en('register.password'), { exact: true }).fill(user.password)
  await main.getByLabel(en('register.language'), { exact: true }).selectOption('en')
  await main.getByLabel(en('register.terms')).check()
  await main.getByLabel(en('register.privacy')).check()
  await main.getByRole('button', { name: en('register.submit') }).click()
  await landOn(page, en('register.done.title'))
  expect(await main.textContent()).toContain(user.email)
  await check('check-inbox')

  await page.goto('/dev/mail')
  await landOn(page, en('devmail.title'))
  await check('dev-mail-list')
  const subject = en('mail.activation.subject', { vendor: 'Kontor' })
  await page.getByRole('listitem').filter({ hasText: user.email }).getByRole('link', { name: subject }).click()
  await landOn(page, subject)
  // The HTML part renders in its sandboxed frame, with the same link.
  await page.frameLocator('iframe.mail-frame').getByRole('link', { name: en('mail.activation.button') }).waitFor()
  await check('activation-mail')
  await screenshotOf(page.locator('iframe.mail-frame'), `${prefix}-activation-mail-html-part`)

  // The link in the plain-text part.
  const textPart = page.getByRole('region', { name: en('devmail.textPart') })
  await textPart.locator('a[href*="/activate/"]').click()
  await landOn(page, en('activate.title'))
  expect(await page.locator('main').textContent()).toContain(user.email)
  await check('activation-page')

  await page.getByRole('button', { name: en('activate.submit') }).click()
  await landOn(page, en('login.title'))
  expect(new URL(page.url()).pathname).toBe('/login')
  expect(await page.getByRole('status').textContent()).toContain('Your account is active')
}

export async function signIn(page: Page, t: typeof en, email: string, password: string) {
  const main = page.locator('main')
  await main.getByLabel(t('common.email'), { exact: true }).fill(email)
  await main.getByLabel(t('common.password'), { exact: true }).fill(password)
  await main.getByRole('button', { name: t('login.submit'), exact: true }).click()
  await landOn(page, t('account.title'))
  expect(new URL(page.url()).pathname).toBe('/account')
}

/**
 * The page's header with its menu open: on a phone (and for the language and signing out on a wide
 * screen) the links sit behind the Menu button, as a person finds them.
 */
export async function openMenu(page: Page): Promise<Locator> {
  const toggle = page.locator('header details.menu-toggle')
  if (!(await toggle.evaluate((d) => (d as HTMLDetailsElement).open))) await toggle.locator('summary').click()
  return page.locator('header')
}

/** Fills and submits the sign-in form at /login; where it lands is the caller's to check. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  await landOn(page, en('login.title'))
  const main = page.locator('main')
  await main.getByLabel(en('common.email'), { exact: true }).fill(email)
  await main.getByLabel(en('common.password'), { exact: true }).fill(password)
  await main.getByRole('button', { name: en('login.submit'), exact: true }).click()
}

/**
 * The checks a phone journey makes on every page: axe, unique ids, nothing wider than the phone,
 * and a numbered screenshot named after the journey.
 */
export function phoneChecks(journey: string) {
  let shot = 0
  return async (page: Page, name: string) => {
    await expectNoAxeViolations(page, `${journey}/${name}`)
    await expectUniqueIds(page, `${journey}/${name}`)
    expect(await scrollWidth(page), `no sideways scrolling on ${journey}/${name}`).toBeLessThanOrEqual(PHONE.viewport.width)
    expect(await brokenGroups(page), `codes broken inside a group on ${journey}/${name}`).toEqual([])
    shot += 1
    await screenshot(page, `${journey}-phone-${String(shot).padStart(2, '0')}-${name}`)
  }
}

/**
 * An operator's first sign-in: the password, then the authenticator set up with the key the page
 * shows and a code from it; ends on the recovery-code page.
 */
export async function operatorFirstSignIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password)
  await landOn(page, en('twoFactor.setup.title'))
  const main = page.locator('main')
  const key = (await main.locator('input[name="key"]').getAttribute('value'))!
  await main.getByLabel(en('twoFactor.code')).fill(totpAt(decodeKey(key), new Date()))
  await main.getByRole('button', { name: en('twoFactor.setup.submit') }).click()
  await landOn(page, en('twoFactor.recovery.title'))
}

/** Opens a product's checkout, chooses a plan and a period, and continues to the next step. */
export async function choosePlanAndPeriod(page: Page, productKey: string, plan: RegExp, period: string) {
  const main = page.locator('main')
  await page.goto(`/buy/${productKey}`)
  await landOn(page, en('checkout.title'))
  await main.getByRole('radio', { name: plan }).check()
  await main.getByRole('radio', { name: period, exact: true }).check()
  await main.getByRole('button', { name: en('checkout.continue') }).click()
}
