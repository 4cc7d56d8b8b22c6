// The e-code part of the bench (issue 6), on the big org's 100,000 seeded codes: checks that the
// list's tabs, its keyset pages, a date-filtered search and /r/<code> answer as they claim; the pages
// to time in-process and under load; and the one-off measurements — generating 1,000 codes from
// stock, rendering vouchers, and the weight of the /r/ page (its HTML and the CSS it links).
import { gzipSync } from 'node:zlib'
import { and, count, eq } from 'drizzle-orm'
import { createClient } from '@libsql/client'
import { loadConfig } from '../src/config'
import { DAY, systemClock } from '../src/clock'
import { openLocalDatabase } from '../src/db/local'
import { ecodes, orgs, users, warehouseStock } from '../src/db/schema'
import type { Deps } from '../src/deps'
import { paymentProviderFor } from '../src/payments'
import { generateECodes, voucherInputs } from '../src/services/ecodes'
import { findECodes, listECodes, TABS, type Tab } from '../src/services/ecode-list'
import { ecodeLookupHash, encryptECode } from '../src/auth/ecode-crypto'
import { formatECode, generateECode } from '../src/domain/ecode'
import { startOfLocalDay, startOfNextLocalDay } from '../src/domain/time'
import { renderVouchersPdf } from '../src/pdf/voucher'
import { measureInProcess, type InProcessResult, type PageSpec } from './inprocess'
import type { Scenario } from './load'
import type { BigOrg, Seeded } from './seed'
import { PRODUCTION_ENV, SESSION_COOKIE } from './production-env'
import { send } from './verify'
import { median } from './format'

/** Where the deep page of the Used tab starts: this many codes in, newest first. */
export const DEEP_ECODE_OFFSET = 50_000
/** Timed generations of 1,000 codes, each from fresh stock. */
const GENERATION_RUNS = 5
const GENERATED = 1000
const PDF_WARM_RUNS = 20
const PDF_MANY_RUNS = 3
const PDF_MANY = 100
/** The in-process app takes the client's address from this header, so each unknown-code look-up comes from an address of its own. */
export const IP_HEADER = 'x-forwarded-for'
/** A message as people write them on a gift card, with the Polish letters the font must carry. */
const VOUCHER_MESSAGE = 'Wszystkiego najlepszego z okazji otwarcia biura! Podpis przyda się przy pierwszych umowach — Zespół Księgowości, Łódź.'

export type ECodeData = Seeded['ecodes'] & { generator: Seeded['generator'] }
export type ECodePaths = {
  tabs: Record<Tab, string>
  /** Tab counts the Active tab's page showed. */
  counts: Record<Tab, number>
  dated: { path: string; month: string; used: number }
  deep: { path: string; offset: number }
}
export type PageWeight = {
  /** The HTML of /r/<code> as served (bytes), plain and personalized (with the "Report a mistake" form). */
  htmlBytes: number
  personalizedHtmlBytes: number
  css: { href: string; bytes: number }[]
  scripts: { src: string; bytes: number }[]
  /** The larger page's HTML plus its CSS, as sent (no compression on Node) and gzipped for comparison. */
  totalBytes: number
  totalGzipBytes: number
}
export type OneOffs = {
  generation: { runsMs: number[]; medianMs: number; cryptoMs: number[]; cryptoMedianMs: number; variant: string; org: string }
  pdf: { firstMs: number; oneMs: number[]; oneMedianMs: number; oneBytes: number; manyMs: number[]; manyMedianMs: number; manyBytes: number; many: number }
}
export type ECodeReport = { seeded: ECodeData; paths: ECodePaths; weight: PageWeight; inProcess: InProcessResult; oneOffs: OneOffs }

export const TAB_NAME: Record<Tab, string> = { active: 'Active', used: 'Used', expired: 'Expired', disposed: 'Disposed' }

const expect = (what: string, got: unknown, want: unknown) => {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`)
}

/** A list page's rows (and the first, to tell pages apart), its "older" link and the tabs' counts. */
export function listPage(body: string) {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? ''
  const rows = (tbody.match(/<tr>/g) ?? []).length
  const firstRow = /<tr>([\s\S]*?)<\/tr>/.exec(tbody)?.[1] ?? ''
  const next = /href="([^"]*\/ecodes\?[^"]*cursor=[^"]*)"/.exec(body)?.[1]?.replace(/&amp;/g, '&') ?? null
  const counts = Object.fromEntries(TABS.map((tab) => [tab, Number(new RegExp(`>${TAB_NAME[tab]} \\((\\d+)\\)<`).exec(body)?.[1] ?? NaN)])) as Record<Tab, number>
  return { rows, firstRow, next, counts }
}

/** "2025-11-01" … "2025-11-30": the calendar month a year before `now`. */
export function monthAYearAgo(now: number) {
  const d = new Date(now - 365 * DAY)
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth() + 1]
  const pad = (n: number) => String(n).padStart(2, '0')
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}`, month: `${y}-${pad(m)}` }
}

/** Checks the list's tabs, pages, a search by dates and /r/<code> before anything is timed; returns the URLs to time and the page's weight. */
export async function verifyECodes(baseUrl: string, big: BigOrg, e: ECodeData, databasePath: string): Promise<{ paths: ECodePaths; weight: PageWeight }> {
  const cookie = { cookie: `${SESSION_COOKIE}=${big.adminTokens[0]}` }
  const base = `/o/${big.slug}/ecodes`
  const get = async (path: string, headers: Record<string, string> = cookie) => {
    const res = await send(`${baseUrl}${path}`, { headers })
    expect(`GET ${path}`, res.status, 200)
    return res.body
  }

  // Every tab: 50 codes and a link to older ones; the counts are the seeded ones (an active code
  // whose time ran out since the seeding counts as expired).
  const tabs = Object.fromEntries(TABS.map((tab) => [tab, `${base}?tab=${tab}`])) as Record<Tab, string>
  let counts: Record<Tab, number> | null = null
  for (const tab of TABS) {
    const p = listPage(await get(tabs[tab]))
    expect(`codes on the ${tab} tab`, p.rows, 50)
    if (!p.next) throw new Error(`the ${tab} tab links to no older codes`)
    counts ??= p.counts
  }
  const c = counts!
  expect('Used (count on the tab)', c.used, e.byStatus.used)
  expect('Disposed (count on the tab)', c.disposed, e.byStatus.disposed)
  expect('Active + Expired (counts on the tabs)', c.active + c.expired, e.byStatus.active + e.byStatus.expired)
  if (c.active > e.byStatus.active) throw new Error(`Active shows ${c.active}, more than the ${e.byStatus.active} seeded`)

  // The "older" link twice: new codes each time.
  let page = listPage(await get(tabs.active))
  for (let i = 2; i <= 3; i++) {
    const next = listPage(await get(page.next!))
    expect(`codes on page ${i} of the Active tab`, next.rows, 50)
    if (next.firstRow === page.firstRow) throw new Error(`page ${i} of the Active tab starts with the previous page's code`)
    page = next
  }

  // A deep page of the Used tab: the cursor of the code DEEP_ECODE_OFFSET in (as the "older" link
  // of the page before carries it), then the link that page gives, which is the URL timed.
  const offset = Math.min(DEEP_ECODE_OFFSET, Math.floor(e.byStatus.used * 0.8))
  const client = createClient({ url: `file:${databasePath}` })
  let cursor: string
  let datedUsed: number
  const dates = monthAYearAgo(Date.now())
  try {
    const r = await client.execute({ sql: "select created_at, id from ecodes where org_id = ? and status = 'used' order by created_at desc, id desc limit 1 offset ?", args: [big.id, offset - 1] })
    cursor = `${Number(r.rows[0]![0])}-${String(r.rows[0]![1])}`
    const from = startOfLocalDay(dates.from, big.timeZone)!.getTime()
    const to = startOfNextLocalDay(dates.to, big.timeZone)!.getTime()
    const n = await client.execute({ sql: "select count(*) from ecodes where org_id = ? and status = 'used' and created_at >= ? and created_at < ?", args: [big.id, from, to] })
    datedUsed = Number(n.rows[0]![0])
  } finally {
    client.close()
  }
  const entry = listPage(await get(`${base}?tab=used&cursor=${cursor}`))
  expect(`codes on the Used tab ${offset} in`, entry.rows, 50)
  if (!entry.next) throw new Error('the deep page of the Used tab links to no older codes')
  expect('codes on the page after it', listPage(await get(entry.next)).rows, 50)

  // Used codes created in one month a year ago, whole days in the org's zone.
  const datedPath = `${base}?tab=used&from=${dates.from}&to=${dates.to}`
  const dated = listPage(await get(datedPath))
  expect(`Used codes created in ${dates.month} (count on the tab)`, dated.counts.used, datedUsed)
  expect(`codes on the page of ${dates.month}`, dated.rows, Math.min(50, datedUsed))

  // /r/<code> without an account: an active code's page offers redemption, a used one says so.
  // (Unknown codes are left to the in-process run: each counts as a failed look-up for 127.0.0.1.)
  const html = await get(`/r/${e.plainCode}`, {})
  // The code is shown in its groups (one element each): read as text.
  if (!html.replace(/<[^>]*>/g, '').includes(formatECode(e.plainCode)) || !html.includes('/redemption')) throw new Error('GET /r/<active code> does not show the code and its redemption form')
  if (html.includes('/reports')) throw new Error('GET /r/<active code without a recipient> offers to report a mistake')
  const personalized = await get(`/r/${e.personalizedCode}`, {})
  if (!personalized.includes('Łucja Żółkiewska') || !personalized.includes('/reports')) throw new Error('GET /r/<personalized code> does not show the name and the report form')
  if (!(await get(`/r/${e.usedCodes[0]}`, {})).includes('role="alert"')) throw new Error('GET /r/<used code> does not say it was used')

  // What a phone downloads for the page: the HTML, the CSS it links (and, apart, its scripts).
  const asset = async (href: string) => {
    const text = await get(href, {})
    return { bytes: Buffer.byteLength(text), text }
  }
  const css = await Promise.all([...personalized.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map(async (m) => ({ href: m[1]!, ...(await asset(m[1]!)) })))
  const scripts = await Promise.all([...personalized.matchAll(/<script src="([^"]+)"/g)].map(async (m) => ({ src: m[1]!, bytes: (await asset(m[1]!)).bytes })))
  const heavier = Buffer.byteLength(personalized) > Buffer.byteLength(html) ? personalized : html
  const weight: PageWeight = {
    htmlBytes: Buffer.byteLength(html),
    personalizedHtmlBytes: Buffer.byteLength(personalized),
    css: css.map(({ href, bytes }) => ({ href, bytes })),
    scripts,
    totalBytes: Buffer.byteLength(heavier) + css.reduce((n, x) => n + x.bytes, 0),
    totalGzipBytes: gzipSync(heavier).length + css.reduce((n, x) => n + gzipSync(x.text).length, 0),
  }
  return { paths: { tabs, counts: c, dated: { path: datedPath, month: dates.month, used: datedUsed }, deep: { path: entry.next, offset } }, weight }
}

/**
 * What the in-process run times: each tab, the dated search, the deep page (with the list's and
 * counts' SQL on their own), and /r/ for an active code (a different one each call) and for unknown
 * codes — every unknown look-up counts against its address (10 an hour), so each call comes from an
 * address of its own in 198.18.0.0/15 (the benchmarking range) through IP_HEADER.
 */
export function ecodePages(big: BigOrg, e: ECodeData, paths: ECodePaths): PageSpec[] {
  const admin = (i: number) => ({ headers: { cookie: `${SESSION_COOKIE}=${big.adminTokens[i % big.adminTokens.length]}` } })
  const ecodeSql = /from "ecodes" e /
  let address = 0
  const nextAddress = () => {
    const n = address++
    return `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`
  }
  return [
    ...TABS.map((tab) => ({ label: `GET /o/${big.slug}/ecodes (${TAB_NAME[tab]} tab)`, path: paths.tabs[tab], init: admin, timeStatements: ecodeSql })),
    { label: `GET /o/${big.slug}/ecodes (Used, created in ${paths.dated.month})`, path: paths.dated.path, init: admin, timeStatements: ecodeSql },
    { label: `GET /o/${big.slug}/ecodes (Used, ${paths.deep.offset / 1000}k codes in)`, path: paths.deep.path, init: admin, timeStatements: ecodeSql },
    { label: 'GET /r/<active code>', path: `/r/${e.activeCodes[0]}`, pathOf: (i) => `/r/${e.activeCodes[i % e.activeCodes.length]}`, timeStatements: true },
    { label: 'GET /r/<unknown code>', path: '/r/<random>', pathOf: () => `/r/${generateECode()}`, init: () => ({ headers: { [IP_HEADER]: nextAddress() } }), status: 404 },
  ]
}

/** The pages above, timed in-process (with IP_HEADER configured, as behind a proxy). */
export function measureECodePages(databasePath: string, baseUrl: string, big: BigOrg, e: ECodeData, paths: ECodePaths): Promise<InProcessResult> {
  return measureInProcess({ databasePath, baseUrl, pages: ecodePages(big, e, paths), iterations: 3000, pageBudgetMs: 1500, sqlBudgetMs: 400, env: { CLIENT_IP_HEADER: IP_HEADER } })
}

/** HTTP load: /r/<active code> (a different code each request, no cookie) and the Active tab as the org's administrator. */
export function ecodeScenarios(baseUrl: string, big: BigOrg, e: ECodeData, paths: ECodePaths) {
  let code = 0
  let admin = 0
  return {
    redeem: (connections: number): Scenario => ({
      label: `GET /r/<active code>, ${connections} conn.`,
      url: `${baseUrl}/r/${e.activeCodes[0]}`,
      connections,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/r/${e.activeCodes[code++ % e.activeCodes.length]}` }) }],
    }),
    activeTab: (connections: number): Scenario => ({
      label: `GET /o/${big.slug}/ecodes (Active tab), ${connections} conn.`,
      url: `${baseUrl}${paths.tabs.active}`,
      connections,
      requests: [
        {
          method: 'GET',
          path: paths.tabs.active,
          setupRequest: (req) => ({ ...req, headers: { ...(req.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${big.adminTokens[admin++ % big.adminTokens.length]}` } }),
        },
      ],
    }),
  }
}

/**
 * Generating 1,000 codes from 1,000 units (each run on fresh stock, in a small bench org, in this
 * process on the bench database with the server stopped), the hashing and encryption of 1,000 codes
 * alone, and vouchers: one (warm) and a selection of 100 in one PDF.
 */
export async function measureOneOffs(databasePath: string, baseUrl: string, big: BigOrg, e: ECodeData, log: (m: string) => void): Promise<OneOffs> {
  const { db, client } = await openLocalDatabase(databasePath)
  const config = loadConfig({ ...PRODUCTION_ENV })
  const deps: Deps = { db, clock: systemClock, config, mailer: null, payments: paymentProviderFor(config, db) }
  try {
    const g = e.generator
    const org = (await db.select().from(orgs).where(eq(orgs.id, g.orgId)).get())!
    const user = (await db.select().from(users).where(eq(users.id, g.adminId)).get())!
    const variantId = e.variantIds[0]!
    const codesOf = async () => (await db.select({ n: count() }).from(ecodes).where(eq(ecodes.orgId, org.id)).get())!.n
    const runsMs: number[] = []
    for (let i = 0; i < GENERATION_RUNS; i++) {
      await db
        .insert(warehouseStock)
        .values({ orgId: org.id, variantId, units: GENERATED })
        .onConflictDoUpdate({ target: [warehouseStock.orgId, warehouseStock.variantId], set: { units: GENERATED } })
      const before = await codesOf()
      const t0 = performance.now()
      const r = await generateECodes(deps, org, user, 'admin', variantId, GENERATED, new Date())
      runsMs.push(performance.now() - t0)
      if (!r.ok || r.count !== GENERATED) throw new Error(`generateECodes(${GENERATED}) answered ${JSON.stringify(r)}`)
      expect('codes added by one generation', (await codesOf()) - before, GENERATED)
      const left = await db.select({ units: warehouseStock.units }).from(warehouseStock).where(and(eq(warehouseStock.orgId, org.id), eq(warehouseStock.variantId, variantId))).get()
      expect('units left after generating from all of them', left?.units, 0)
    }
    log(`  generateECodes(${GENERATED}): ${runsMs.map((x) => x.toFixed(0)).join(', ')} ms`)
    // The same crypto as generateECodes, alone: all codes' HMAC and AES-GCM at once.
    const cryptoMs: number[] = []
    for (let i = 0; i < GENERATION_RUNS; i++) {
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: GENERATED }, () => {
          const code = generateECode()
          return Promise.all([ecodeLookupHash(config.ecodeSecrets.lookupKey, code), encryptECode(config.ecodeSecrets.encryptionKey, code)])
        }),
      )
      cryptoMs.push(performance.now() - t0)
    }

    // Vouchers of the big org's newest active codes, in Polish (the letters a subset font must carry).
    const bigOrg = (await db.select().from(orgs).where(eq(orgs.id, big.id)).get())!
    const listed = await listECodes(deps, big.id, { tab: 'active' }, null, new Date(), PDF_MANY)
    const inputs = await voucherInputs(deps, bigOrg, await findECodes(db, big.id, listed.rows.map((r) => r.id)), 'pl')
    const one = { ...(inputs.find((v) => v.recipientName) ?? inputs[0]!), recipientName: 'Łucja Żółkiewska', message: VOUCHER_MESSAGE }
    const render = async (list: typeof inputs) => {
      const t0 = performance.now()
      const bytes = await renderVouchersPdf(list, { createdAt: new Date() })
      return { ms: performance.now() - t0, bytes: bytes.length }
    }
    const first = await render([one])
    const oneRuns = []
    for (let i = 0; i < PDF_WARM_RUNS; i++) oneRuns.push(await render([one]))
    const manyRuns = []
    for (let i = 0; i < PDF_MANY_RUNS; i++) manyRuns.push(await render(inputs))
    log(`  vouchers: 1 in ${median(oneRuns.map((r) => r.ms)).toFixed(1)} ms (first ${first.ms.toFixed(0)} ms), ${inputs.length} in ${median(manyRuns.map((r) => r.ms)).toFixed(0)} ms`)
    return {
      generation: { runsMs, medianMs: median(runsMs), cryptoMs, cryptoMedianMs: median(cryptoMs), variant: variantId, org: g.slug },
      pdf: {
        firstMs: first.ms,
        oneMs: oneRuns.map((r) => r.ms),
        oneMedianMs: median(oneRuns.map((r) => r.ms)),
        oneBytes: oneRuns[0]!.bytes,
        manyMs: manyRuns.map((r) => r.ms),
        manyMedianMs: median(manyRuns.map((r) => r.ms)),
        manyBytes: manyRuns[0]!.bytes,
        many: inputs.length,
      },
    }
  } finally {
    client.close()
  }
}
