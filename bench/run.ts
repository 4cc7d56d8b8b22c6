// npm run bench — seeds a temporary database at a realistic scale, starts the Node server as
// `npm start` does (`node scripts/start.mjs`: the esbuild bundle, rebuilt first when stale) in a child
// process, and measures cold start (stale bundle, then fresh; `tsx src/node.ts`, what `npm run dev`
// runs, for comparison), throughput and latency of the sign-in page, the account page, an org's
// dashboard with five products' meters, its history (first and a deep keyset page), the vendor API
// (usage and entitlements) and a failed sign-in, server time of those pages and their SQL plans, the
// server's peak memory, and the e-codes of issue 6 (bench/ecodes.ts: the list's tabs, /r/<code>,
// generating 1,000 codes, vouchers), the renewals job of issue 7 at scale (bench/renewals.ts), and
// the Worker in workerd against libSQL over HTTP, near and 50 ms away (issue 14, bench/worker.ts).
// Prints a table and rewrites docs/performance.md.
//
//   npm run bench                          8 s per scenario after a 2 s warm-up (~8 minutes)
//   npm run bench -- --duration 3 --warmup 1 --no-write   a quick look; docs untouched
//   npm run bench -- --only worker         the Worker part alone (~2 minutes); rewrites only its section
//   npm run bench -- --only usage          POST /api/v1/usage alone (~1 minute, bench/usage-only.ts); rewrites only its section
//   --worker-requests N, --worker-warmup N   timed and untimed requests per Worker row (30, 3)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { keptSections } from './sections'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { DEFAULT_SCALE, seedBenchDatabase } from './seed'
import { BUNDLE, killAllSync, memoryOf, ROOT, startServer, stopAll, stopServer, TSX, TSX_DEV, type RunningServer } from './server'
import { buildNodeBundle } from '../scripts/build-node.mjs'
import { measure, measureTogether, type LoadResult, type Scenario } from './load'
import { measureInProcess, type PageSpec } from './inprocess'
import { loadAverage, machine } from './machine'
import { printReport, renderMarkdown, type Report } from './report'
import { DEEP_HISTORY_OFFSET, loginBody, verify, verifyBigOrg, WRONG_PASSWORD } from './verify'
import { ecodeScenarios, measureECodePages, measureOneOffs, verifyECodes } from './ecodes'
import { measureRenewals } from './renewals'
import { SESSION_COOKIE } from './production-env'
import { measureWorker } from './worker'
import { withWorkerSection, workerConsole, workerMarkdown } from './report-worker'
import { measureUsage, usageMarkdown, USAGE_SECTION } from './usage'
import { usageOnly } from './usage-only'
import { withSection } from './sections'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    starts: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
    only: { type: 'string' },
    'worker-requests': { type: 'string', default: '30' },
    'worker-warmup': { type: 'string', default: '3' },
  },
})
if (args.only !== undefined && args.only !== 'worker' && args.only !== 'usage') {
  console.error(`--only takes "worker" (the Worker part alone) or "usage" (POST /api/v1/usage alone), not "${args.only}"`)
  process.exit(2)
}
const WORKER_OPTIONS = { requests: Math.max(1, Number(args['worker-requests'])), warmup: Math.max(0, Number(args['worker-warmup'])) }
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
const WARM_STARTS = Math.max(1, Number(args.starts))

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

const PERFORMANCE_MD = resolve(ROOT, 'docs/performance.md')

/** `--only worker`: the Worker part, its section replaced in the page the last full run wrote. */
async function workerOnly() {
  const worker = await measureWorker({ tmp, ...WORKER_OPTIONS, log })
  console.log(workerConsole(worker).join('\n'))
  if (!args['no-write']) {
    const page = existsSync(PERFORMANCE_MD) ? readFileSync(PERFORMANCE_MD, 'utf8') : '# Performance\n'
    writeFileSync(PERFORMANCE_MD, withWorkerSection(page, workerMarkdown(worker)))
    log(`rewrote the section "Worker + libSQL over HTTP" of ${PERFORMANCE_MD}`)
  }
}

async function main() {
  if (args.only === 'worker') return workerOnly()
  if (args.only === 'usage') return usageOnly({ tmp, duration: DURATION, warmup: WARMUP, write: !args['no-write'], page: PERFORMANCE_MD, log })
  const startedAt = new Date()
  const started = performance.now()
  const host = machine()
  log(`kontor bench: ${host.cpus} CPUs (${host.cpuModel}), Node ${host.node}, load average ${host.load}; temp dir ${tmp}`)
  if (Number(host.load) > host.cpus / 4) log(`  note: the machine is busy (load average ${host.load}); figures will be lower and noisier than on an idle machine`)

  const databasePath = join(tmp, 'kontor.db')
  log(
    `seeding ${DEFAULT_SCALE.users} users, ${DEFAULT_SCALE.sessions} sessions, ${DEFAULT_SCALE.outbox} outbox rows, an org with 5 products, ${DEFAULT_SCALE.bigUsagePerMonth * DEFAULT_SCALE.bigUsageMonths} usage events, ${DEFAULT_SCALE.bigHistory} history rows and ${DEFAULT_SCALE.bigECodes} e-codes…`,
  )
  const seeded = await seedBenchDatabase(databasePath)
  const databaseMiB = statSync(databasePath).size / 2 ** 20
  log(`  seeded in ${seeded.seconds.toFixed(1)} s (${databaseMiB.toFixed(0)} MiB; the e-codes ${seeded.ecodes.seconds.toFixed(1)} s, ${seeded.ecodes.cryptoSeconds.toFixed(1)} s of it HMAC + AES-GCM)`)
  const ecodeData = { ...seeded.ecodes, generator: seeded.generator }

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
  await verify(kontor, seeded.freshTokens[0]!, takeEmail(), takeEmail())
  log('  checked: seeded session → 200, sign-in → 303 + cookie → 200, wrong password → 401')
  const big = seeded.big
  const paths = await verifyBigOrg(kontor, big, databasePath)
  log(`  checked: /o/${big.slug} → 200 with ${big.products.length} products and ${paths.meters} meters; entitlements → 200 with the seeded use; usage → 201, replay → 201 Idempotent-Replayed, one row; history → 50 rows + older link, also ${DEEP_HISTORY_OFFSET.toLocaleString('en-US')} rows in`)
  const ec = await verifyECodes(baseUrl, big, ecodeData, databasePath)
  log(`  checked: e-code tabs → 50 codes + older link and the seeded counts, pages 2-3, ${ec.paths.deep.offset.toLocaleString('en-US')} in, ${ec.paths.dated.month}; /r/ active, personalized, used → 200`)

  // Server time in-process while the server idles (before the usage load adds rows to the org).
  log('  in-process server time (app.request, no HTTP)…')
  const adminCookie = (i: number) => ({ cookie: `${SESSION_COOKIE}=${big.adminTokens[i % big.adminTokens.length]}` })
  const bearer = { authorization: `Bearer ${big.apiKey}` }
  const inProcessPages: PageSpec[] = [
    { label: 'GET /login', path: '/login' },
    { label: 'GET /account', path: '/account', init: (i) => ({ headers: { cookie: `${SESSION_COOKIE}=${seeded.freshTokens[i % seeded.freshTokens.length]}` } }), timeStatements: true },
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
  const ecodeInProcess = await measureECodePages(databasePath, baseUrl, big, ecodeData, ec.paths)

  let tokenIndex = 0
  const rotateSession = (req: Record<string, unknown>) => ({
    ...req,
    headers: { ...(req.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${seeded.freshTokens[tokenIndex++ % seeded.freshTokens.length]}` },
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
    headers: { ...(req.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${big.adminTokens[adminIndex++ % big.adminTokens.length]}` },
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
  const ecodeLoad = ecodeScenarios(baseUrl, big, ecodeData, ec.paths)
  for (const scenario of [ecodeLoad.activeTab(1), ecodeLoad.redeem(1), ecodeLoad.redeem(10)]) await run(scenario)
  // Usage last but the sign-ins: it adds rows to the org the pages above read (bench/usage.ts
  // accounts for every request and fails the run on a count that is not exact).
  const usageStarted = new Date()
  const usage = await measureUsage({ server: kontor, big, databasePath, duration: DURATION, warmup: WARMUP, log })
  for (const r of usage.rows) {
    const m = memoryOf(kontor.serverPid)
    if (m) peakAfter[r.label] = m.peakMiB
  }
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
  log('  e-codes, one-off (in this process, the server stopped)…')
  const oneOffs = await measureOneOffs(databasePath, baseUrl, big, ecodeData, log)
  const renewals = await measureRenewals(tmp, log)
  const worker = await measureWorker({ tmp, ...WORKER_OPTIONS, log })

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
    usage,
    memory: { idle, peak, peakAfter },
    results,
    yardstick,
    account50,
    writesDuringAccount,
    signInsUsed: nextEmail,
    inProcess,
    ecodes: { seeded: ecodeData, ...ec, inProcess: ecodeInProcess, oneOffs },
    renewals,
  }
  printReport(report)
  console.log(workerConsole(worker).join('\n'))
  if (!args['no-write']) {
    // The Worker's section goes before the cold start; sections other tools wrote (bench/sections.ts) stay.
    const page = withWorkerSection(renderMarkdown(report), workerMarkdown(worker)) + keptSections(PERFORMANCE_MD)
    const usageHow = `by \`npm run bench\` (the full run, on its installation above)`
    writeFileSync(PERFORMANCE_MD, withSection(page, USAGE_SECTION, usageMarkdown(usage, { date: usageStarted, duration: DURATION, warmup: WARMUP, how: usageHow })))
    log(`wrote ${PERFORMANCE_MD}`)
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
