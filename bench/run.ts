// npm run bench — seeds a temporary database at a realistic scale, starts the Node server as
// `npm start` does (`node scripts/start.mjs`: the esbuild bundle, rebuilt first when stale) in a child
// process, and measures cold start (stale bundle, then fresh; `tsx src/node.ts`, what `npm run dev`
// runs, for comparison), throughput and latency of the sign-in page, the account page, an org's
// dashboard with five products' meters, its history (first and a deep keyset page), the vendor API
// (usage and entitlements) and a failed sign-in, server time of those pages and their SQL plans, the
// server's peak memory, and the e-codes of issue 6 (bench/ecodes.ts: the list's tabs, /r/<code>,
// generating 1,000 codes, vouchers), the renewals job of issue 7 at scale (bench/renewals.ts), and
// the Worker in workerd against libSQL over HTTP, near and 50 ms away (issue 14, bench/worker.ts), and
// the e-code list and the history at 10k, 100k (and, asked, 1M) rows (issue 17, bench/ecode-scale.ts), and
// Lighthouse's mobile scores of the main pages (issue 16, bench/lighthouse.ts).
// Prints a table and rewrites docs/performance.md. Options: bench/cli.ts.
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { keptSections } from './sections'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_SCALE, seedBenchDatabase } from './seed'
import { BUNDLE, bundleTime, killAllSync, memoryOf, startServer, stopAll, stopServer, TSX, TSX_DEV, watchWrites, type RunningServer } from './server'
import { buildNodeBundle } from '../scripts/build-node.mjs'
import { measure, measureTogether, type LoadResult, type Scenario } from './load'
import { measureInProcess, type PageSpec } from './inprocess'
import { loadAverage, machine } from './machine'
import { printReport, renderMarkdown, type Report } from './report'
import { DEEP_HISTORY_OFFSET, verify, verifyBigOrg } from './verify'
import { measureUsage, usageMarkdown, USAGE_SECTION } from './usage'
import { httpScenarios } from './scenarios'
import { ecodeScenarios, measureECodePages, measureOneOffs, verifyECodes } from './ecodes'
import { measureRenewals } from './renewals'
import { SESSION_COOKIE } from './production-env'
import { measureWorker } from './worker'
import { withWorkerSection, workerConsole, workerMarkdown } from './report-worker'
import { benchOptions, PERFORMANCE_MD, runLighthouse, runPart, withLighthouse } from './cli'
import { lighthouseConsole } from './report-lighthouse'
import { measureECodeScale } from './ecode-scale'
import { scaleConsole, scaleMarkdown, withScaleSection } from './report-ecode-scale'
import { mainPageWeights } from './page-weight'
import { WEIGHT_HEADING, weightConsole, weightSection } from './report-weight'
import { withHeadedSection, withSection } from './sections'
import { measurePageCpu } from './page-cpu'
import { pageCpuConsole, withPageCpuSection } from './report-page-cpu'

const parsed = benchOptions()
if ('error' in parsed) {
  console.error(parsed.error)
  process.exit(2)
}
const options = parsed
const DURATION = options.duration
const WARMUP = options.warmup
const WARM_STARTS = options.warmStarts

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

async function main() {
  if (options.only) return runPart(options.only, options, tmp, log)
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
  log(`  checked: /o/${big.slug} → 200 with ${big.products.length} products and ${paths.meters} meters; entitlements → 200 with the seeded use; usage → 201, replay → 200, one row; history → 50 rows + older link, also ${DEEP_HISTORY_OFFSET.toLocaleString('en-US')} rows in`)
  const ec = await verifyECodes(baseUrl, big, ecodeData, databasePath)
  log(`  checked: e-code tabs → 50 codes + older link and the seeded counts, pages 2-3, ${ec.paths.deep.offset.toLocaleString('en-US')} in, ${ec.paths.dated.month}; /r/ active, personalized, used → 200`)

  // What a browser downloads for the pages a customer opens most (a page that does not answer 200 is left out, said in the log).
  const weights = await mainPageWeights(baseUrl, { seeded, firstHistoryPath: paths.firstPath, activeTab: ec.paths.tabs.active, personalizedCode: ecodeData.personalizedCode }, log)

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
  log('  CPU per page (in-process, the pages in rounds)…')
  const pageCpu = await measurePageCpu({ databasePath, seeded, seededWhat: "the main run's database (above)" })

  const { account, loginPage, wrongPassword, signedInAsAdmin, entitlements } = httpScenarios({ baseUrl, freshTokens: seeded.freshTokens, big, takeEmail })

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
  const worker = await measureWorker({ tmp, ...options.worker, log })
  const scale = await measureECodeScale({ tmp, scales: options.ecodeScales, log })
  const lighthouse = await runLighthouse(options, tmp, log)

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
  console.log(scaleConsole(scale).join('\n'))
  console.log(weightConsole(weights).join('\n'))
  console.log(pageCpuConsole(pageCpu).join('\n'))
  console.log(lighthouseConsole(lighthouse).join('\n'))
  if (options.write) {
    // The Worker's section goes before the cold start, the lists at scale before the renewals; sections
    // other tools wrote (bench/sections.ts) stay.
    const withWeights = withPageCpuSection(withHeadedSection(renderMarkdown(report), WEIGHT_HEADING, weightSection(weights), '## E-codes (issue 6)'), pageCpu)
    const page = withScaleSection(withWorkerSection(withWeights, workerMarkdown(worker)), scaleMarkdown(scale))
    // Lighthouse's section, kept the same way as other tools', is written anew.
    const usageHow = `by \`npm run bench\` (the full run, on its installation above)`
    const withUsage = withSection(page + keptSections(PERFORMANCE_MD), USAGE_SECTION, usageMarkdown(usage, { date: usageStarted, duration: DURATION, warmup: WARMUP, how: usageHow }))
    writeFileSync(PERFORMANCE_MD, withLighthouse(withUsage, options, lighthouse))
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
