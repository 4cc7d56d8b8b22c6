// npm run bench — seeds a temporary database at a realistic scale, starts the Node server as
// `npm start` does (`node scripts/start.mjs`: the esbuild bundle, rebuilt first when stale) in a child
// process, and measures cold start (stale bundle, then fresh; `tsx src/node.ts`, what `npm run dev`
// runs, for comparison), throughput and latency of the sign-in page, the account page, an org's
// dashboard with five products' meters, its history (first and a deep keyset page), the vendor API
// (usage and entitlements) and a failed sign-in, server time of those pages and their SQL plans, and
// the server's peak memory. Prints a table and rewrites docs/performance.md.
//
//   npm run bench                          8 s per scenario after a 2 s warm-up (~3.5 minutes)
//   npm run bench -- --duration 3 --warmup 1 --no-write   a quick look; docs untouched
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { DEFAULT_SCALE, seedBenchDatabase, type BigOrg } from './seed'
import { BUNDLE, getStatus, killAllSync, memoryOf, ROOT, startServer, stopAll, stopServer, TSX, TSX_DEV, type RunningServer } from './server'
import { buildNodeBundle } from '../scripts/build-node.mjs'
import { measure, measureTogether, type LoadResult, type Scenario } from './load'
import { measureInProcess, type PageSpec } from './inprocess'
import { loadAverage, machine } from './machine'
import { printReport, renderMarkdown, type Report } from './report'
import { DEMO_CUSTOMER } from '../src/seed/index'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    starts: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
})
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
const WARM_STARTS = Math.max(1, Number(args.starts))
const WRONG_PASSWORD = 'not-the-password-123'
/** Where the deep history page starts: this many rows in, newest first. */
const DEEP_HISTORY_OFFSET = 80_000

const tmp = mkdtempSync(join(tmpdir(), 'kontor-bench-'))
let cleaned = false
function cleanupSync() {
  if (cleaned) return
  cleaned = true
  killAllSync()
  rmSync(tmp, { recursive: true, force: true })
}
process.on('exit', cleanupSync)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the server and removing ${tmp}`)
    void stopAll().finally(() => {
      cleanupSync()
      process.exit(130)
    })
  })
}

function log(message: string) {
  process.stderr.write(`${message}\n`)
}

/** One request on a fresh connection, with its status, headers and body. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((ok, fail) => {
    const req = request(url, { method: init.method ?? 'GET', agent: false, headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end(init.body)
  })
}

function formPost(baseUrl: string, body: string): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, 'content-length': String(Buffer.byteLength(body)) }
}

function loginBody(email: string, password: string) {
  return new URLSearchParams({ email, password }).toString()
}

const expect = (what: string, got: unknown, want: unknown) => {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`)
}

/** Checks the scenarios measure what they claim before timing them. */
async function verify(server: RunningServer, freshToken: string, unusedEmail: string) {
  const { baseUrl } = server
  const account = await send(`${baseUrl}/account`, { headers: { cookie: `kontor_session=${freshToken}` } })
  expect('GET /account with a seeded session', account.status, 200)
  if (!account.body.includes('Bench User')) throw new Error('GET /account did not show the seeded user')
  expect('GET /account without a session (redirect to sign-in)', (await send(`${baseUrl}/account`)).status, 303)

  const body = loginBody(DEMO_CUSTOMER.email, DEMO_CUSTOMER.password)
  const signIn = await send(`${baseUrl}/login`, { method: 'POST', headers: formPost(baseUrl, body), body })
  expect('POST /login as the demo customer', signIn.status, 303)
  const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('kontor_session='))
  if (!cookie) throw new Error('POST /login set no kontor_session cookie')
  expect('GET /account with the cookie from POST /login', (await getStatus(`${baseUrl}/account`, { cookie: cookie.split(';')[0]! })) ?? 0, 200)

  const wrong = loginBody(unusedEmail, WRONG_PASSWORD)
  expect('POST /login with a wrong password', (await send(`${baseUrl}/login`, { method: 'POST', headers: formPost(baseUrl, wrong), body: wrong })).status, 401)
}

/** Rows of a history page's table, and the "older" link under it. */
function historyPage(body: string) {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? ''
  const rows = (tbody.match(/<tr>/g) ?? []).length
  const next = /href="([^"]*\/history\?[^"]*cursor=[^"]*)"/.exec(body)?.[1]?.replace(/&amp;/g, '&') ?? null
  const firstRow = /<tr>([\s\S]*?)<\/tr>/.exec(tbody)?.[1] ?? ''
  return { rows, next, firstRow }
}

/** Checks the dashboard, vendor API and history scenarios; returns the history URLs to time. */
async function verifyBigOrg(server: RunningServer, big: BigOrg, databasePath: string) {
  const { baseUrl } = server
  const cookie = { cookie: `kontor_session=${big.adminTokens[0]}` }
  const bearer = { authorization: `Bearer ${big.apiKey}` }

  // The dashboard: five products, each with its plan, licence and one meter per quota.
  const dash = await send(`${baseUrl}/o/${big.slug}`, { headers: cookie })
  expect(`GET /o/${big.slug} as its administrator`, dash.status, 200)
  for (const p of big.products) if (!dash.body.includes(`id="product-${p.key}"`)) throw new Error(`the dashboard does not show ${p.name}`)
  const meters = (dash.body.match(/<li class="meter( over)?">/g) ?? []).length
  const quotas = big.products.reduce((n, p) => n + p.quotas.length, 0)
  expect('meters on the dashboard (one per quota of the five products)', meters, quotas)
  expect('licence numbers on the dashboard', (dash.body.match(/<code class="key">KT-/g) ?? []).length, big.products.length)
  expect(`GET /o/${big.slug} without a session`, (await send(`${baseUrl}/o/${big.slug}`)).status, 303)

  // Entitlements: the same five products, with the seeded use of this month and in all.
  const ent = await send(`${baseUrl}/api/v1/entitlements`, { headers: bearer })
  expect('GET /api/v1/entitlements with the API key', ent.status, 200)
  const entitlements = JSON.parse(ent.body) as { products: { product: string; quotas: { key: string; kind: string; used: number }[] }[] }
  expect('products in the entitlements', entitlements.products.length, big.products.length)
  for (const p of entitlements.products) {
    for (const q of p.quotas) {
      const want = q.kind === 'seats' ? big.members : big.used[`${p.product}/${q.key}`]
      expect(`entitlements: used of ${p.product}/${q.key}`, q.used, want)
    }
  }
  expect('GET /api/v1/entitlements without a key', (await send(`${baseUrl}/api/v1/entitlements`)).status, 401)

  // Usage: counted (201), replayed under the same key (200), and the row is in the database.
  const t = big.usageTarget
  const before = await countUsage(databasePath, big.id)
  const body = JSON.stringify({ product: t.product, quota: t.quota, quantity: 1, idempotency_key: `bench-verify-${Date.now()}` })
  const usageInit = { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body }
  const first = await send(`${baseUrl}/api/v1/usage`, usageInit)
  expect('POST /api/v1/usage', first.status, 201)
  const counted = JSON.parse(first.body) as { used: number; limit: number }
  expect(`used of ${t.quota} after one POST /api/v1/usage`, counted.used, big.used[`${t.product}/${t.quota}`]! + 1)
  expect('POST /api/v1/usage again with the same idempotency key', (await send(`${baseUrl}/api/v1/usage`, usageInit)).status, 200)
  expect('usage rows added by one request and its replay', (await countUsage(databasePath, big.id)) - before, 1)

  // History: 50 rows a page; the first page links to older rows, and so does a page deep in.
  const firstPage = await send(`${baseUrl}/o/${big.slug}/history`, { headers: cookie })
  expect(`GET /o/${big.slug}/history`, firstPage.status, 200)
  const p1 = historyPage(firstPage.body)
  expect('rows on the first history page', p1.rows, 50)
  if (!p1.next) throw new Error('the first history page links to no older rows')
  const second = await send(`${baseUrl}${p1.next}`, { headers: cookie })
  expect('GET the "older" link of the first history page', second.status, 200)
  const p2 = historyPage(second.body)
  expect('rows on the second history page', p2.rows, 50)
  if (p2.firstRow === p1.firstRow) throw new Error('the second history page starts with the first page\'s row')
  // A page deep in: the cursor of the row DEEP_HISTORY_OFFSET rows in (as the "older" link of the
  // page before it carries), then the link that page gives, which is the URL timed.
  const client = createClient({ url: `file:${databasePath}` })
  let cursorRow: { at: number; id: number }
  try {
    const r = await client.execute({ sql: 'select at, id from history where org_id = ? order by at desc, id desc limit 1 offset ?', args: [big.id, DEEP_HISTORY_OFFSET - 1] })
    cursorRow = { at: Number(r.rows[0]![0]), id: Number(r.rows[0]![1]) }
  } finally {
    client.close()
  }
  const deepEntry = await send(`${baseUrl}/o/${big.slug}/history?cursor=${cursorRow.at}-${cursorRow.id}`, { headers: cookie })
  expect(`GET a history page ${DEEP_HISTORY_OFFSET.toLocaleString('en-US')} rows in`, deepEntry.status, 200)
  const pd = historyPage(deepEntry.body)
  expect('rows on the deep history page', pd.rows, 50)
  if (!pd.next) throw new Error('the deep history page links to no older rows')
  const deep = await send(`${baseUrl}${pd.next}`, { headers: cookie })
  expect('GET the "older" link of the deep history page', deep.status, 200)
  expect('rows on the page after it', historyPage(deep.body).rows, 50)
  return { firstPath: `/o/${big.slug}/history`, deepPath: pd.next, secondPath: p1.next, meters, quotas }
}

async function countUsage(databasePath: string, orgId: string): Promise<number> {
  const client = createClient({ url: `file:${databasePath}` })
  try {
    return Number((await client.execute({ sql: 'select count(*) from usage_events where org_id = ?', args: [orgId] })).rows[0]![0])
  } finally {
    client.close()
  }
}

/** The modification time of the bundle `npm start` runs, or 0 when there is none. */
function bundleTime(): number {
  return statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0
}

/**
 * Watches the file from a connection of its own: PRAGMA data_version changes when another
 * connection (the server) commits, and sessions' last_seen_at says which rows session validation wrote.
 */
async function watchWrites(databasePath: string) {
  const client = createClient({ url: `file:${databasePath}` })
  const version = async () => Number((await client.execute('PRAGMA data_version')).rows[0]![0])
  const since = Date.now()
  const before = await version()
  return {
    async stop() {
      try {
        const commits = (await version()) !== before
        const touched = Number((await client.execute({ sql: 'select count(*) from sessions where last_seen_at >= ?', args: [since] })).rows[0]![0])
        return { commits, sessionsTouched: touched }
      } finally {
        client.close()
      }
    },
  }
}

async function main() {
  const startedAt = new Date()
  const started = performance.now()
  const host = machine()
  log(`kontor bench: ${host.cpus} CPUs (${host.cpuModel}), Node ${host.node}, load average ${host.load}; temp dir ${tmp}`)
  if (Number(host.load) > host.cpus / 4) log(`  note: the machine is busy (load average ${host.load}); figures will be lower and noisier than on an idle machine`)

  const databasePath = join(tmp, 'kontor.db')
  log(
    `seeding ${DEFAULT_SCALE.users} users, ${DEFAULT_SCALE.sessions} sessions, ${DEFAULT_SCALE.outbox} outbox rows, an org with 5 products, ${DEFAULT_SCALE.bigUsagePerMonth * DEFAULT_SCALE.bigUsageMonths} usage events and ${DEFAULT_SCALE.bigHistory} history rows…`,
  )
  const seeded = await seedBenchDatabase(databasePath)
  const databaseMiB = statSync(databasePath).size / 2 ** 20
  log(`  seeded in ${seeded.seconds.toFixed(1)} s (${databaseMiB.toFixed(0)} MiB)`)

  // tsx keeps its transform cache under TMPDIR: the bench's own, empty at the first start.
  const tsxTmp = join(tmp, 'tmp')
  mkdirSync(tsxTmp)

  // The bundle build on its own (esbuild, into the temp dir), as start.mjs runs it when stale.
  const buildMs = await buildNodeBundle(join(tmp, 'kontor-build-check.mjs'))
  log(`  bundle build (scripts/build-node.mjs): ${buildMs.toFixed(0)} ms`)

  // For comparison: `tsx src/node.ts` (what `npm run dev` runs, without the watcher), the first with
  // tsx's transform cache empty, then warm.
  const tsxStarts: number[] = []
  for (let i = 0; i <= WARM_STARTS; i++) {
    const s = await startServer({ databasePath, tmpDir: tsxTmp, command: TSX_DEV })
    tsxStarts.push(s.coldStartMs)
    await stopServer(s.child)
  }
  log(`  tsx src/node.ts starts: ${tsxStarts.map((c, i) => `${c.toFixed(0)}${i === 0 ? ' (empty tsx cache)' : ''}`).join(', ')} ms`)

  // Cold starts as `npm start` runs: first with the bundle stale (its time set back to 1970, so
  // start.mjs rebuilds it, as after a pull or an edit), then with it fresh; the last server started
  // stays up for the load. A rebuild during the fresh starts (someone edited src/ meanwhile) is noted.
  if (bundleTime()) utimesSync(BUNDLE, new Date(0), new Date(0))
  const coldStarts: number[] = []
  const rebuiltAt: number[] = []
  let server: RunningServer | null = null
  for (let i = 0; i <= WARM_STARTS; i++) {
    const before = bundleTime()
    const s = await startServer({ databasePath, tmpDir: tsxTmp })
    coldStarts.push(s.coldStartMs)
    if (bundleTime() !== before) rebuiltAt.push(i)
    log(`  npm start ${i + 1}${i === 0 ? ' (stale bundle)' : ''}: ${s.coldStartMs.toFixed(0)} ms to the first 200 from GET /login${bundleTime() !== before ? ' (rebuilt the bundle)' : ''}`)
    if (i < WARM_STARTS) await stopServer(s.child)
    else server = s
  }
  if (!server) throw new Error('no server')
  if (!rebuiltAt.includes(0)) throw new Error('the first npm start did not rebuild the stale bundle')
  if (rebuiltAt.length > 1) log(`  note: the bundle was rebuilt during start(s) ${rebuiltAt.slice(1).map((i) => i + 1).join(', ')} too (src/ changed meanwhile)`)
  const kontor = server
  const idle = memoryOf(kontor.serverPid)
  const { baseUrl } = kontor

  let nextEmail = 0
  const takeEmail = () => seeded.emails[nextEmail++ % seeded.emails.length]!
  await verify(kontor, seeded.freshTokens[0]!, takeEmail())
  log('  checked: seeded session → 200, demo sign-in → 303 + cookie → 200, wrong password → 401')
  const big = seeded.big
  const paths = await verifyBigOrg(kontor, big, databasePath)
  log(`  checked: /o/${big.slug} → 200 with ${big.products.length} products and ${paths.meters} meters; entitlements → 200 with the seeded use; usage → 201, replay → 200, one row; history → 50 rows + older link, also ${DEEP_HISTORY_OFFSET.toLocaleString('en-US')} rows in`)

  // Server time in-process while the server idles (before the usage load adds rows to the org).
  log('  in-process server time (app.request, no HTTP)…')
  const adminCookie = (i: number) => ({ cookie: `kontor_session=${big.adminTokens[i % big.adminTokens.length]}` })
  const bearer = { authorization: `Bearer ${big.apiKey}` }
  const inProcessPages: PageSpec[] = [
    { label: 'GET /login', path: '/login' },
    { label: 'GET /account', path: '/account', init: (i) => ({ headers: { cookie: `kontor_session=${seeded.freshTokens[i % seeded.freshTokens.length]}` } }), timeStatements: true },
    // The dashboard's reads one by one, except the catalog's eight small ones and the session's.
    { label: `GET /o/${big.slug} (5 products)`, path: `/o/${big.slug}`, init: (i) => ({ headers: adminCookie(i) }), timeStatements: /from "(usage_events|subscriptions|licences)"|from "memberships" where/ },
    { label: 'GET /api/v1/entitlements', path: '/api/v1/entitlements', init: () => ({ headers: bearer }) },
    // The keyset query on the first page; on the deep one, every read of the history table.
    { label: `GET /o/${big.slug}/history (first page)`, path: paths.firstPath, init: (i) => ({ headers: adminCookie(i) }), timeStatements: /order by "history"\."at" desc/ },
    { label: `GET /o/${big.slug}/history (deep page)`, path: paths.deepPath, init: (i) => ({ headers: adminCookie(i) }), timeStatements: /from "history"/ },
    {
      label: 'POST /api/v1/usage',
      path: '/api/v1/usage',
      status: 201,
      time: false,
      init: (i) => ({
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ product: big.usageTarget.product, quota: big.usageTarget.quota, quantity: 1, idempotency_key: `bench-inprocess-${Date.now()}-${i}` }),
      }),
    },
  ]
  const inProcess = await measureInProcess({ databasePath, baseUrl, pages: inProcessPages, iterations: 3000, pageBudgetMs: 1500, sqlBudgetMs: 400 })

  let tokenIndex = 0
  const rotateSession = (req: Record<string, unknown>) => ({
    ...req,
    headers: { ...(req.headers as Record<string, string>), cookie: `kontor_session=${seeded.freshTokens[tokenIndex++ % seeded.freshTokens.length]}` },
  })
  const account = (connections: number): Scenario => ({
    label: `GET /account (signed in), ${connections} conn.`,
    url: `${baseUrl}/account`,
    connections,
    requests: [{ method: 'GET', path: '/account', setupRequest: rotateSession }],
  })
  const loginPage = (connections: number): Scenario => ({ label: `GET /login, ${connections} conn.`, url: `${baseUrl}/login`, connections })
  const wrongPassword = (connections: number): Scenario => ({
    label: `POST /login wrong password, ${connections} conn.`,
    url: `${baseUrl}/login`,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
        // A different seeded account every time: the throttle allows 5 attempts a minute per
        // e-mail and IP, and every request here comes from 127.0.0.1.
        setupRequest: (req) => ({ ...req, body: loginBody(takeEmail(), WRONG_PASSWORD) }),
      },
    ],
  })

  let adminIndex = 0
  const rotateAdmin = (req: Record<string, unknown>) => ({
    ...req,
    headers: { ...(req.headers as Record<string, string>), cookie: `kontor_session=${big.adminTokens[adminIndex++ % big.adminTokens.length]}` },
  })
  const signedInAsAdmin = (label: string, path: string, connections: number): Scenario => ({
    label: `${label}, ${connections} conn.`,
    url: `${baseUrl}${path}`,
    connections,
    requests: [{ method: 'GET', path, setupRequest: rotateAdmin }],
  })
  const entitlements = (connections: number): Scenario => ({
    label: `GET /api/v1/entitlements, ${connections} conn.`,
    url: `${baseUrl}/api/v1/entitlements`,
    connections,
    headers: bearer,
  })
  // Every request a unique idempotency key, so each one is counted (201), not replayed.
  const runId = Date.now().toString(36)
  let usageIndex = 0
  const usage = (connections: number): Scenario => ({
    label: `POST /api/v1/usage, ${connections} conn.`,
    url: `${baseUrl}/api/v1/usage`,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/usage',
        headers: { ...bearer, 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ product: big.usageTarget.product, quota: big.usageTarget.quota, quantity: 1, idempotency_key: `bench-${runId}-${usageIndex++}` }),
        }),
      },
    ],
  })

  const results: LoadResult[] = []
  const peakAfter: Record<string, number> = {}
  const record = (r: LoadResult) => {
    results.push(r)
    const m = memoryOf(kontor.serverPid)
    if (m) peakAfter[r.label] = m.peakMiB
  }
  const run = async (scenario: Scenario) => {
    log(`  ${scenario.label}: ${WARMUP} s warm-up + ${DURATION} s…`)
    const r = await measure(scenario, DURATION, WARMUP)
    record(r)
    return r
  }

  // The yardstick, on its own server, while Kontor's sits idle.
  const baseline = await startServer({ databasePath, tmpDir: tsxTmp, command: [TSX, 'bench/baseline-server.ts'], readyPath: '/' })
  log(`  trivial Hono server (yardstick), 50 conn.: ${WARMUP} s warm-up + ${DURATION} s…`)
  const yardstick = await measure({ label: 'trivial Hono app (yardstick), 50 conn.', url: `${baseline.baseUrl}/`, connections: 50 }, DURATION, WARMUP)
  await stopServer(baseline.child)
  results.push(yardstick)

  await run(loginPage(50))
  const watch = await watchWrites(databasePath)
  const account50 = await run(account(50))
  const writesDuringAccount = await watch.stop()
  await run(loginPage(1))
  await run(account(1))
  const dashboardLabel = `GET /o/${big.slug} (5 products)`
  await run(signedInAsAdmin(dashboardLabel, `/o/${big.slug}`, 1))
  await run(signedInAsAdmin(dashboardLabel, `/o/${big.slug}`, 50))
  await run(entitlements(1))
  await run(signedInAsAdmin(`GET /o/${big.slug}/history (first page)`, paths.firstPath, 1))
  await run(signedInAsAdmin(`GET /o/${big.slug}/history (${DEEP_HISTORY_OFFSET / 1000}k rows in)`, paths.deepPath, 1))
  // Usage last but the sign-ins: it adds rows to the org the pages above read.
  const usageBefore = await countUsage(databasePath, big.id)
  const usage1 = await run(usage(1))
  const usage50 = await run(usage(50))
  const usageAdded = (await countUsage(databasePath, big.id)) - usageBefore
  const counted = [usage1, usage50].reduce((n, r) => n + (r.statuses['201'] ?? 0) + (r.warmupStatuses['201'] ?? 0), 0)
  log(`  usage: ${usageAdded} rows added, ${counted} answers 201 received`)
  // Requests still in flight when autocannon stops are recorded by the server but not counted here:
  // at most one per connection.
  if (usageAdded < counted || usageAdded > counted + 51) throw new Error(`POST /api/v1/usage answered 201 ${counted} times but added ${usageAdded} rows`)
  await run(wrongPassword(10))
  await run(wrongPassword(1))
  log(`  GET /account 1 conn. while POST /login wrong password 10 conn.: ${WARMUP} s warm-up + ${DURATION} s…`)
  const together = await measureTogether(
    [
      { ...account(1), label: 'GET /account, 1 conn., during 10 conn. of wrong-password sign-ins' },
      { ...wrongPassword(10), label: 'POST /login wrong password, 10 conn., alongside' },
    ],
    DURATION,
    WARMUP,
  )
  together.forEach(record)
  if (nextEmail > seeded.emails.length) log(`  note: the e-mails wrapped around (${nextEmail} sign-ins for ${seeded.emails.length} accounts); 429s may follow`)

  const peak = memoryOf(kontor.serverPid)
  await stopServer(kontor.child)

  const report: Report = {
    date: startedAt,
    seconds: (performance.now() - started) / 1000,
    machine: host,
    loadAfter: loadAverage(),
    scale: seeded.scale,
    seedSeconds: seeded.seconds,
    databaseMiB,
    duration: DURATION,
    warmup: WARMUP,
    coldStarts,
    buildMs,
    rebuiltAt,
    tsxStarts,
    big: { ...big, deepOffset: DEEP_HISTORY_OFFSET, deepPath: paths.deepPath },
    usage: { added: usageAdded, counted, limit: big.usageTarget.limit, quota: `${big.usageTarget.product}/${big.usageTarget.quota}` },
    memory: { idle, peak, peakAfter },
    results,
    yardstick,
    account50,
    writesDuringAccount,
    signInsUsed: nextEmail,
    inProcess,
  }
  printReport(report)
  if (!args['no-write']) {
    const path = resolve(ROOT, 'docs/performance.md')
    writeFileSync(path, renderMarkdown(report))
    log(`wrote ${path}`)
  }
}

main()
  .catch(async (e) => {
    console.error(e)
    process.exitCode = 1
  })
  .finally(async () => {
    await stopAll()
    cleanupSync()
  })
