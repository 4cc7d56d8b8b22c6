// The Lighthouse part of the bench (issue 16): Lighthouse's mobile run (a mid-range phone on a slow
// 4G line, simulated; its default) on the pages a customer and a code's recipient open most — sign-in,
// the dashboard, Users, History, E-codes, /buy, the plan page, the checkout's summary and /r/<code> —
// served as `npm start` serves them (the bundle, production configuration, bench/server.ts) from a
// small seeded database: the big org of bench/seed.ts at a scale where every list still fills its first
// page. The signed-in pages get the big org's administrator's session cookie as an extra header.
// Each run gets its own Lighthouse process and a fresh Chromium (Debian's, CHROME_PATH), so no page
// is measured warm from another's cache; each page is run five times (a single run swings
// with the load of a shared machine) and the median run reported.
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startServer, stopServer, ROOT, trackProcessGroup } from './server'
import { DEFAULT_SCALE, seedBenchDatabase, type Scale, type Seeded } from './seed'
import { SESSION_COOKIE } from './production-env'
import { loadAverage, machine, type Machine } from './machine'
import { send } from './verify'

/** Enough rows that every page shows a full first page (History and E-codes list 50), seeded in seconds. */
export const LIGHTHOUSE_SCALE: Scale = {
  ...DEFAULT_SCALE,
  users: 40,
  sessions: 40,
  outbox: 20,
  jobRuns: 20,
  bigHistory: 500,
  bigUsagePerMonth: 50,
  bigECodes: 400,
}

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const
export type Category = (typeof CATEGORIES)[number]

/** The metrics the report shows, by Lighthouse's audit id. */
const METRICS = { fcp: 'first-contentful-paint', lcp: 'largest-contentful-paint', tbt: 'total-blocking-time', cls: 'cumulative-layout-shift', si: 'speed-index' } as const

export type LighthousePage = {
  label: string
  path: string
  signedIn: boolean
  cart?: string
  shows: string
  /** Why the page refuses search engines on purpose: Lighthouse's SEO check "Page is blocked from indexing" then costs nothing. */
  noindex?: string
}

export type LighthouseRow = {
  page: string
  path: string
  /** 0–100 per category. */
  scores: Record<Category, number>
  /** Milliseconds, and CLS as the unitless score Lighthouse reports. */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; si: number }
  /** Audits that cost points: "category: audit title (score)". */
  failing: string[]
  /** The performance score of each run; the row is the median one. */
  runs?: number[]
  /**
   * Lighthouse's benchmark index of the host during the run: below 1000 it warns that the CPU is slower
   * than it assumes, which costs blocking time. A loaded machine (other work on the same cores) falls there.
   */
  cpuIndex: number
  /** The page refuses indexing on purpose (why): its SEO score is reported, not required. */
  noindex?: string
}

export type LighthouseReport = {
  date: string
  seconds: number
  machine: Machine
  loadAfter: string
  lighthouseVersion: string
  chromiumVersion: string
  /** Runs per page; each row is the median one. */
  runs: number
  rows: LighthouseRow[]
}

export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium'
/** Headless as a person's browser renders (the new headless mode), without a sandbox (containers have none). */
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync'
const LIGHTHOUSE_CLI = join(ROOT, 'node_modules/lighthouse/cli/index.js')

export function pagesOf(seeded: Seeded): LighthousePage[] {
  const big = seeded.big
  const o = `/o/${big.slug}`
  // A cart that reached the summary: SimplySign units for the big org (no subscription stands in the way).
  const cart = encodeURIComponent(JSON.stringify({ item: { product: 'simplysign', variant: 'signature-1y', quantity: 2 }, org: big.slug }))
  return [
    { label: 'sign-in', path: '/login', signedIn: false, shows: 'name="password"' },
    { label: 'dashboard', path: o, signedIn: true, shows: `id="product-${big.products[0]!.key}"` },
    { label: 'members (Users)', path: `${o}/settings/users`, signedIn: true, shows: 'bench-big-04@example.com' },
    { label: 'history', path: `${o}/history`, signedIn: true, shows: 'cursor=' },
    { label: 'e-codes', path: `${o}/ecodes`, signedIn: true, shows: 'cursor=' },
    { label: '/buy', path: '/buy', signedIn: false, shows: 'href="/buy/sekretariat"' },
    { label: 'plan page', path: `${o}/products/sekretariat/plan`, signedIn: true, shows: '/scheduled-change' },
    { label: 'checkout summary', path: '/checkout/summary', signedIn: true, cart, shows: 'name="paymentMethod"' },
    { label: '/r/<code>', path: `/r/${seeded.ecodes.plainCode}`, signedIn: false, shows: '/redemption', noindex: 'a code’s page is for its holder: X-Robots-Tag noindex, src/routes/redeem.tsx' },
  ]
}

function cookieOf(page: LighthousePage, token: string): string | null {
  const parts = [page.signedIn ? `${SESSION_COOKIE}=${token}` : null, page.cart ? `cart=${page.cart}` : null].filter((p) => p !== null)
  return parts.length ? parts.join('; ') : null
}

/** Runs the Lighthouse CLI on one URL; resolves with its JSON result (the LHR). */
function runLighthouse(url: string, headers: Record<string, string>): Promise<LHR> {
  return new Promise((ok, fail) => {
    const args = [
      LIGHTHOUSE_CLI,
      url,
      '--output=json',
      '--output-path=stdout',
      `--only-categories=${CATEGORIES.join(',')}`,
      `--chrome-flags=${CHROME_FLAGS}`,
      '--quiet',
      ...(Object.keys(headers).length ? [`--extra-headers=${JSON.stringify(headers)}`] : []),
    ]
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CHROME_PATH }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const forget = trackProcessGroup(child.pid!)
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', fail)
    child.on('exit', (code) => {
      forget()
      if (code !== 0) return fail(new Error(`lighthouse ${url} exited with ${code}:\n${err.slice(-3000)}`))
      try {
        const lhr = JSON.parse(out) as LHR
        if (lhr.runtimeError) return fail(new Error(`lighthouse ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`))
        ok(lhr)
      } catch (e) {
        fail(new Error(`lighthouse ${url} wrote no JSON (${(e as Error).message}):\n${err.slice(-3000)}`))
      }
    })
  })
}

/**
 * Chromium now and then records no navigation start in a loaded machine's trace (NO_NAVSTART, also
 * with 13.5.0): a failed run is tried again, twice at most; the third failure stops the bench.
 */
async function withRetries(run: () => Promise<LHR>, log: (message: string) => void): Promise<LHR> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (e) {
      if (attempt >= 3) throw e
      log(`    run failed (${(e as Error).message.split('\n').find((l) => l.includes('(')) ?? 'see above'}), trying again`)
    }
  }
}

/** The parts of Lighthouse's result (LHR) this report reads. */
type LHR = {
  lighthouseVersion: string
  environment: { hostUserAgent: string; benchmarkIndex: number }
  runtimeError?: { code: string; message: string }
  runWarnings: string[]
  categories: Record<Category, { score: number | null; auditRefs: { id: string; weight: number }[] }>
  audits: Record<string, { title: string; score: number | null; scoreDisplayMode: string; numericValue?: number; displayValue?: string }>
}

/** Lighthouse's SEO audit of a page that search engines may not index. */
export const NOT_INDEXED = 'is-crawlable'

/** The audits that cost a category points (weighted, scored below 1), most costly first; not a noindex page's own refusal. */
function failingAudits(lhr: LHR, page: LighthousePage): string[] {
  const out: { text: string; lost: number }[] = []
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category].auditRefs) {
      const audit = lhr.audits[ref.id]
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue
      if (ref.id === NOT_INDEXED && page.noindex) continue
      if (audit.scoreDisplayMode === 'notApplicable' || audit.scoreDisplayMode === 'informative' || audit.scoreDisplayMode === 'manual') continue
      out.push({ text: `${category}: ${audit.title} (${audit.displayValue ?? audit.score.toFixed(2)})`, lost: ref.weight * (1 - audit.score) })
    }
  }
  return out.sort((a, b) => b.lost - a.lost).map((o) => o.text)
}

function rowOf(page: LighthousePage, lhr: LHR): LighthouseRow {
  const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN
  return {
    page: page.label,
    path: page.path,
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])) as Record<Category, number>,
    metrics: { fcp: value(METRICS.fcp), lcp: value(METRICS.lcp), tbt: value(METRICS.tbt), cls: value(METRICS.cls), si: value(METRICS.si) },
    failing: failingAudits(lhr, page),
    noindex: page.noindex,
    cpuIndex: Math.round(lhr.environment.benchmarkIndex),
  }
}

/**
 * Of several runs of one page, the middle one by performance score (then by blocking time): one run's
 * simulated timings move with whatever else the machine is doing, so Lighthouse's own advice is the
 * median of several.
 */
function medianRun(runs: LighthouseRow[]): LighthouseRow {
  const sorted = [...runs].sort((a, b) => a.scores.performance - b.scores.performance || b.metrics.tbt - a.metrics.tbt)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

export async function measureLighthouse(o: { tmp: string; log: (message: string) => void; only?: string[]; runs?: number; reportsDir?: string }): Promise<LighthouseReport> {
  const started = performance.now()
  const runs = Math.max(1, o.runs ?? 5)
  if (o.reportsDir) mkdirSync(o.reportsDir, { recursive: true })
  const startedAt = new Date()
  const host = machine()
  const databasePath = join(o.tmp, 'lighthouse.db')
  o.log(`lighthouse: seeding a small database (the big org with ${LIGHTHOUSE_SCALE.bigHistory} history rows and ${LIGHTHOUSE_SCALE.bigECodes} e-codes)…`)
  const seeded = await seedBenchDatabase(databasePath, LIGHTHOUSE_SCALE)
  const server = await startServer({ databasePath, tmpDir: o.tmp })
  try {
    const token = seeded.big.adminTokens[0]!
    const pages = pagesOf(seeded).filter((p) => !o.only || o.only.some((label) => p.label.includes(label)))
    const rows: LighthouseRow[] = []
    let version = ''
    let chromium = ''
    for (const page of pages) {
      const url = `${server.baseUrl}${page.path}`
      const cookie = cookieOf(page, token)
      const headers: Record<string, string> = cookie ? { Cookie: cookie } : {}
      // The page answers as the bench claims before Lighthouse judges it.
      const res = await send(url, { headers })
      if (res.status !== 200 || !res.body.includes(page.shows)) throw new Error(`GET ${page.path} answered ${res.status}${res.status === 200 ? ` without "${page.shows}"` : ''}:\n${res.body.slice(0, 800)}`)
      o.log(`  lighthouse ${page.label} (${page.path}), ${runs} run${runs > 1 ? 's' : ''}…`)
      const results: LighthouseRow[] = []
      const reports = new Map<LighthouseRow, LHR>()
      for (let i = 0; i < runs; i++) {
        const lhr = await withRetries(() => runLighthouse(url, headers), o.log)
        version = lhr.lighthouseVersion
        chromium = /Chrome\/([\d.]+)/.exec(lhr.environment.hostUserAgent)?.[1] ?? '?'
        const result = rowOf(page, lhr)
        results.push(result)
        reports.set(result, lhr)
      }
      const median = medianRun(results)
      const row = { ...median, runs: results.map((r) => r.scores.performance) }
      rows.push(row)
      // The median run's whole report, for a look at why a page loses points (Lighthouse's viewer opens it).
      if (o.reportsDir) writeFileSync(join(o.reportsDir, `${page.label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.json`), JSON.stringify(reports.get(median)))
      o.log(`    ${CATEGORIES.map((c) => `${c} ${row.scores[c]}`).join(', ')} (performance of each run: ${row.runs!.join(', ')}); CLS ${row.metrics.cls.toFixed(3)}${row.failing.length ? `; costs points: ${row.failing.join('; ')}` : ''}`)
    }
    return { date: startedAt.toISOString(), seconds: (performance.now() - started) / 1000, machine: host, loadAfter: loadAverage(), lighthouseVersion: version, chromiumVersion: chromium, runs, rows }
  } finally {
    await stopServer(server.child)
  }
}
