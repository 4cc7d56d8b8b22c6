// The e-code list and the history at scale (issue 17): one database with an org per scale (10k,
// 100k, … codes and as many history rows, bench/seed-scale.ts), every tab of the list with and
// without each filter, and the history with each of its filters, timed in-process page by page,
// the scales taking their calls in turn (bench/interleaved.ts: a slow moment of the machine hits all alike).
// Each page is checked first: 50 rows, the tab counts the seeding implies, the code searched for.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { Client } from '@libsql/client'
import { loadConfig } from '../src/config'
import { DAY } from '../src/clock'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { orgs } from '../src/db/schema'
import { hashPassword } from '../src/auth/password'
import { generateId } from '../src/auth/tokens'
import { DEMO_CATALOG, insertCatalog } from '../src/seed/catalog'
import { TABS, type Tab } from '../src/services/ecode-list'
import { measureInProcess, productionApp, type InProcessResult, type PageSpec } from './inprocess'
import { timeInterleaved } from './interleaved'
import { pageWeigher, type PageWeight } from './page-weight'
import { loadAverage, machine, type Machine } from './machine'
import { PRODUCTION_ENV, SESSION_COOKIE } from './production-env'
import { listPage, monthAYearAgo, TAB_NAME } from './ecodes'
import { BENCH_PASSWORD } from './seed-rows'
import { scaleName, seedScaleOrg, type ScaleOrg } from './seed-scale'

/** What `npm run bench` measures without `--ecodes`: a million codes take a few minutes more to seed (docs/performance.md says how long). */
export const DEFAULT_ECODE_SCALES = [10_000, 100_000]

/** 10k, 100k, 1M … up to `max`, and `max` itself. */
export function scalesUpTo(max: number): number[] {
  const out: number[] = []
  for (let s = 10_000; s < max; s *= 10) out.push(s)
  out.push(max)
  return out
}

export type ScaleSeeded = ScaleOrg & { seedSeconds: number }
export type ScalePage = { key: string; label: string; kind: 'ecodes' | 'history' }
export type ECodeScaleReport = {
  scales: ScaleSeeded[]
  databaseMiB: number
  seedSeconds: number
  /** The pages in order, each timed at every scale. */
  pages: ScalePage[]
  /** p50 ms by page key, one per scale in `scales` order: the clock's, and the process's CPU time. */
  p50: Record<string, number[]>
  cpuP50: Record<string, number[]>
  /** Samples behind each p50 (same shape). */
  samples: Record<string, number[]>
  /** The in-process run: timings and, for every page at every scale, its statements with their plans. */
  inProcess: InProcessResult
  month: string
  minSamples: number
  budgetMs: number
  /** What a browser downloads for the unfiltered tabs and the history at the largest scale. */
  weights: PageWeight[]
  /** The machine, its load average at the start and at the end, and the process's peak memory (seeding included). */
  machine: Machine
  loadAtEnd: string
  peakRssMiB: number
  date: Date
}

/** A fresh database: the demo catalog, an org that redeemed the codes, and one org per scale. */
async function seedScaleDatabase(path: string, scales: number[], log: (m: string) => void): Promise<ScaleSeeded[]> {
  const { db, client } = await openLocalDatabase(path)
  try {
    await migrateDatabase(db)
    const config = loadConfig({ ...PRODUCTION_ENV })
    const now = Date.now()
    await insertCatalog(db, DEMO_CATALOG, new Date(now))
    const receiverOrgId = generateId()
    await db.insert(orgs).values({
      id: receiverOrgId,
      slug: 'bench-scale-receiver',
      name: 'Scale Receiver sp. z o.o.',
      country: 'PL',
      legalForm: 'company',
      addressLine: 'ul. Krótka 2',
      postalCode: '00-002',
      city: 'Warszawa',
      billingEmail: 'receiver@example.com',
      timeZone: 'Europe/Warsaw',
      createdAt: new Date(now - 4 * 365 * DAY),
    })
    const passwordHash = await hashPassword(BENCH_PASSWORD, config.passwordCost)
    const seeded: ScaleSeeded[] = []
    for (const scale of scales) {
      const started = performance.now()
      const org = await seedScaleOrg(db, client, { scale, now, receiverOrgId, passwordHash, secrets: config.ecodeSecrets, termsVersion: config.termsVersion, privacyVersion: config.privacyVersion })
      await checkpoint(client)
      seeded.push({ ...org, seedSeconds: (performance.now() - started) / 1000 })
      log(`  ${org.slug}: ${scale.toLocaleString('en-US')} codes and history rows in ${seeded.at(-1)!.seedSeconds.toFixed(1)} s`)
    }
    return seeded
  } finally {
    client.close()
  }
}

/** Folds the WAL into the file, as a long-running installation's checkpoints would have (no ANALYZE: the app never runs it). */
async function checkpoint(client: Client) {
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
}

/** The cursor ("<created_at>-<id>") of the Used code half way down the tab, as the "older" link there carries it. */
async function halfWayCursor(client: Client, org: ScaleOrg): Promise<string> {
  const r = await client.execute({
    sql: "select created_at, id from ecodes where org_id = ? and status = 'used' order by created_at desc, id desc limit 1 offset ?",
    args: [org.id, Math.floor(org.byStatus.used / 2)],
  })
  return `${Number(r.rows[0]![0])}-${String(r.rows[0]![1])}`
}

async function halfWayHistoryCursor(client: Client, org: ScaleOrg): Promise<string> {
  const r = await client.execute({ sql: 'select at, id from history where org_id = ? order by at desc, id desc limit 1 offset ?', args: [org.id, Math.floor(org.historyRows / 2)] })
  return `${Number(r.rows[0]![0])}-${Number(r.rows[0]![1])}`
}

/**
 * The twelve whole months up to the one a year before `now` ("2025-01…2025-12"), the date filter of
 * the pages at scale: wide enough that at 10k codes too every tab's page fills its 50 rows.
 */
export function twelveMonthsAYearAgo(now: number) {
  const last = monthAYearAgo(now)
  const first = new Date(Date.parse(`${last.month}-01T00:00:00Z`))
  first.setUTCMonth(first.getUTCMonth() - 11)
  const from = first.toISOString().slice(0, 10)
  return { from, to: last.to, month: `${from.slice(0, 7)}…${last.month}` }
}

/** The pages of one org, keyed alike at every scale. */
async function pagesOf(client: Client, org: ScaleOrg, month: ReturnType<typeof twelveMonthsAYearAgo>) {
  const base = `/o/${org.slug}/ecodes`
  const dates = `from=${month.from}&to=${month.to}`
  const variant = `variant=${org.variantIds[1]}`
  const pages: (ScalePage & { path: string; member?: boolean })[] = []
  for (const tab of TABS) {
    const name = TAB_NAME[tab]
    pages.push({ key: `${tab}`, label: `${name}`, kind: 'ecodes', path: `${base}?tab=${tab}` })
    pages.push({ key: `${tab}-variant`, label: `${name}, one variant`, kind: 'ecodes', path: `${base}?tab=${tab}&${variant}` })
    pages.push({ key: `${tab}-month`, label: `${name}, created in ${month.month}`, kind: 'ecodes', path: `${base}?tab=${tab}&${dates}` })
    pages.push({ key: `${tab}-variant-month`, label: `${name}, one variant, created in ${month.month}`, kind: 'ecodes', path: `${base}?tab=${tab}&${variant}&${dates}` })
    pages.push({ key: `${tab}-search`, label: `${name}, search by code`, kind: 'ecodes', path: `${base}?tab=${tab}&q=${org.searchCode}` })
  }
  pages.push({ key: 'used-deep', label: 'Used, half way down (keyset page)', kind: 'ecodes', path: `${base}?tab=used&cursor=${await halfWayCursor(client, org)}` })
  pages.push({ key: 'active-member', label: 'Active, as a member (their products)', kind: 'ecodes', path: `${base}?tab=active`, member: true })
  const history = `/o/${org.slug}/history`
  pages.push({ key: 'history', label: 'History', kind: 'history', path: history })
  pages.push({ key: 'history-kind', label: 'History, one kind', kind: 'history', path: `${history}?kind=member.permissions_changed` })
  pages.push({ key: 'history-person', label: 'History, one person', kind: 'history', path: `${history}?actor=${org.actorIds[1]}` })
  pages.push({ key: 'history-month', label: `History, ${month.month}`, kind: 'history', path: `${history}?${dates}` })
  pages.push({ key: 'history-deep', label: 'History, half way down (keyset page)', kind: 'history', path: `${history}?cursor=${await halfWayHistoryCursor(client, org)}` })
  return pages
}

const expect = (what: string, got: unknown, want: unknown) => {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`)
}

/** The tab counts the page must show: an active code past its validity counts as expired. */
function shownCounts(org: ScaleOrg): Record<Tab, number> {
  return { active: org.byStatus.active - org.lapsed, used: org.byStatus.used, expired: org.byStatus.expired + org.lapsed, disposed: org.byStatus.disposed }
}

/** Before timing: each org's unfiltered tabs show 50 codes and the seeded counts, the search finds its code, the history pages are full. */
async function verify(app: ReturnType<typeof productionApp>, orgs: ScaleSeeded[], pages: Map<number, Awaited<ReturnType<typeof pagesOf>>>) {
  const rowsShown = new Map<string, number>()
  {
    for (const org of orgs) {
      for (const page of pages.get(org.scale)!) {
        const token = page.member ? org.memberTokens[0] : org.adminTokens[0]
        const res = await app.request(page.path, { headers: { cookie: `${SESSION_COOKIE}=${token}` } })
        const body = await res.text()
        expect(`GET ${page.path}`, res.status, 200)
        if (page.kind === 'history') {
          expect(`rows on ${page.path}`, (/<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1]?.match(/<tr>/g) ?? []).length, 50)
          continue
        }
        const p = listPage(body)
        if (page.key === 'active' || page.key === 'used' || page.key === 'expired' || page.key === 'disposed' || page.key === 'active-member') {
          expect(`rows on ${page.path}`, p.rows, 50)
          for (const tab of TABS) expect(`${tab} count on ${page.path}`, p.counts[tab], shownCounts(org)[tab])
        }
        if (page.key === 'active-search') {
          expect(`rows found by ${page.path}`, p.rows, 1)
          expect(`counts on ${page.path}`, JSON.stringify(p.counts), JSON.stringify({ active: 1, used: 0, expired: 0, disposed: 0 }))
        }
        rowsShown.set(`${page.key}@${org.scale}`, p.rows)
      }
    }
    // Scales are compared like with like: every page lists as many codes at every scale (a full page,
    // or none where a filter finds nothing at any scale), so a ratio is the query's, not the row count's.
    for (const page of pages.get(orgs[0]!.scale)!) {
      if (page.kind !== 'ecodes') continue
      for (const org of orgs) expect(`rows on "${page.label}" at ${org.scale} codes (as at ${orgs[0]!.scale})`, rowsShown.get(`${page.key}@${org.scale}`), rowsShown.get(`${page.key}@${orgs[0]!.scale}`))
    }
  }
}

/** The app on the database file, as the server runs it (production settings, the system clock). */
export async function appOn(databasePath: string) {
  const { db, client } = await openLocalDatabase(databasePath)
  return { app: productionApp(db), close: () => client.close() }
}

/** Seeds the orgs of `scales` into a database under `tmp`, checks their pages, and times each one. */
export async function measureECodeScale(o: { tmp: string; scales: number[]; log: (m: string) => void; budgetMs?: number; minSamples?: number }): Promise<ECodeScaleReport> {
  const budgetMs = o.budgetMs ?? 3000
  const minSamples = o.minSamples ?? 30
  const path = join(o.tmp, 'ecode-scale.db')
  const host = machine()
  const date = new Date()
  o.log(`e-code list at scale: seeding ${o.scales.map(scaleName).join(', ')} codes (and history rows), one org each…`)
  const started = performance.now()
  const orgs = await seedScaleDatabase(path, o.scales, o.log)
  const seedSeconds = (performance.now() - started) / 1000
  const month = twelveMonthsAYearAgo(Date.now())
  const pages = new Map<number, Awaited<ReturnType<typeof pagesOf>>>()
  const { client } = await openLocalDatabase(path)
  try {
    for (const org of orgs) pages.set(org.scale, await pagesOf(client, org, month))
  } finally {
    client.close()
  }
  const { app, close } = await appOn(path)
  const p50: Record<string, number[]> = {}
  const cpuP50: Record<string, number[]> = {}
  const samples: Record<string, number[]> = {}
  const order = pages.get(orgs[0]!.scale)!
  let inProcess: InProcessResult
  const weights: PageWeight[] = []
  try {
    await verify(app, orgs, pages)
    o.log(`  checked: every org's tabs show 50 codes and the seeded counts, the search finds its code, history pages hold 50 rows`)
    const request = (org: ScaleOrg, page: (typeof order)[number]) => {
      const tokens = page.member ? org.memberTokens : org.adminTokens
      return { path: page.path, init: (n: number) => ({ headers: { cookie: `${SESSION_COOKIE}=${tokens[n % tokens.length]}` } }) }
    }
    // The statements each page runs at each scale, with their plans (not timed there).
    const specs: PageSpec[] = order.flatMap((_, i) => orgs.map((org) => ({ label: `${scaleName(org.scale)} ${order[i]!.key}`, time: false, ...request(org, pages.get(org.scale)![i]!) })))
    inProcess = await measureInProcess({ databasePath: path, baseUrl: PRODUCTION_ENV.BASE_URL, pages: specs, iterations: 1, pageBudgetMs: 0, sqlBudgetMs: 0 })
    o.log(`  timing ${order.length} pages at ${orgs.length} scales in turn (in-process, at least ${minSamples} rounds or ${budgetMs} ms each)…`)
    for (const [i, page] of order.entries()) {
      const t = await timeInterleaved(app, orgs.map((org) => request(org, pages.get(org.scale)![i]!)), { minSamples, maxSamples: 2000, budgetMs, warmupRounds: 5 })
      p50[page.key] = t.p50
      cpuP50[page.key] = t.cpuP50
      samples[page.key] = orgs.map(() => t.samples)
    }
    const largest = orgs.at(-1)!
    const weigh = pageWeigher(app)
    for (const page of pages.get(largest.scale)!.filter((p) => ['active', 'used', 'expired', 'disposed', 'history'].includes(p.key))) {
      weights.push(await weigh(`${page.kind === 'ecodes' ? 'e-codes, ' : ''}${page.label} (${scaleName(largest.scale)})`, page.path, request(largest, page).init(0)))
    }
  } finally {
    close()
  }
  return {
    scales: orgs,
    databaseMiB: statSync(path).size / 2 ** 20,
    seedSeconds,
    pages: order.map(({ key, label, kind }) => ({ key, label, kind })),
    p50,
    cpuP50,
    samples,
    inProcess,
    month: month.month,
    minSamples,
    budgetMs,
    weights,
    machine: host,
    loadAtEnd: loadAverage(),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    date,
  }
}
