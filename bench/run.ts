// npm run bench — seeds a temporary database at a realistic scale, starts the Node server as
// `npm start` does (a child process), and measures cold start, throughput and latency of the
// sign-in page, an authenticated page and a failed sign-in, server time of the authenticated page,
// and the server's peak memory. Prints a table and rewrites docs/performance.md.
//
//   npm run bench                          10 s per scenario after a 2 s warm-up (~2 minutes)
//   npm run bench -- --duration 3 --warmup 1 --no-write   a quick look; docs untouched
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { DEFAULT_SCALE, seedBenchDatabase } from './seed'
import { getStatus, killAllSync, memoryOf, NPM_START, ROOT, startServer, stopAll, stopServer, type RunningServer } from './server'
import { buildNodeBundle } from './bundle'
import { measure, measureTogether, type LoadResult, type Scenario } from './load'
import { measureInProcess } from './inprocess'
import { loadAverage, machine } from './machine'
import { printReport, renderMarkdown, type Report } from './report'
import { DEMO_CUSTOMER } from '../src/seed/index'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    starts: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
})
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
const WARM_STARTS = Math.max(1, Number(args.starts))
const WRONG_PASSWORD = 'not-the-password-123'

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

/** Checks the scenarios measure what they claim before timing them. */
async function verify(server: RunningServer, freshToken: string, unusedEmail: string) {
  const { baseUrl } = server
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new Error(`${what}: expected ${want}, got ${got}`)
  }
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
  log(`seeding ${DEFAULT_SCALE.users} users, ${DEFAULT_SCALE.sessions} sessions, ${DEFAULT_SCALE.outbox} outbox rows…`)
  const seeded = await seedBenchDatabase(databasePath)
  const databaseMiB = statSync(databasePath).size / 2 ** 20
  log(`  seeded in ${seeded.seconds.toFixed(1)} s (${databaseMiB.toFixed(0)} MiB)`)

  // tsx keeps its transform cache under TMPDIR: the bench's own, empty at the first start.
  const tsxTmp = join(tmp, 'tmp')
  mkdirSync(tsxTmp)

  // What-if: the same server bundled into one file and started by plain node.
  const bundleDir = join(tmp, 'bundle')
  mkdirSync(bundleDir)
  const bundle = await buildNodeBundle(bundleDir)
  const bundledStarts: number[] = []
  if ('path' in bundle) {
    for (let i = 0; i < WARM_STARTS; i++) {
      const s = await startServer({ databasePath, tmpDir: tsxTmp, command: [process.execPath, bundle.path] })
      bundledStarts.push(s.coldStartMs)
      await stopServer(s.child)
    }
    log(`  bundled (node bundle.mjs) starts: ${bundledStarts.map((c) => c.toFixed(0)).join(', ')} ms`)
  } else log(`  no bundled start: ${bundle.error}`)

  // Cold starts as `npm start` runs: the first with tsx's transform cache empty (a fresh checkout
  // or deploy), then warm ones; the last server started stays up for the load.
  const coldStarts: number[] = []
  let server: RunningServer | null = null
  for (let i = 0; i <= WARM_STARTS; i++) {
    const s = await startServer({ databasePath, tmpDir: tsxTmp })
    coldStarts.push(s.coldStartMs)
    log(`  start ${i + 1}${i === 0 ? ' (empty tsx cache)' : ''}: ${s.coldStartMs.toFixed(0)} ms to the first 200 from GET /login`)
    if (i < WARM_STARTS) await stopServer(s.child)
    else server = s
  }
  if (!server) throw new Error('no server')
  const kontor = server
  const idle = memoryOf(kontor.serverPid)
  const { baseUrl } = kontor

  let nextEmail = 0
  const takeEmail = () => seeded.emails[nextEmail++ % seeded.emails.length]!
  await verify(kontor, seeded.freshTokens[0]!, takeEmail())
  log('  checked: seeded session → 200, demo sign-in → 303 + cookie → 200, wrong password → 401')

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
  const baseline = await startServer({ databasePath, tmpDir: tsxTmp, command: [NPM_START[0]!, 'bench/baseline-server.ts'], readyPath: '/' })
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

  log('  in-process server time (app.request, no HTTP)…')
  const inProcess = await measureInProcess({ databasePath, baseUrl, tokens: seeded.freshTokens, iterations: 3000 })

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
    bundledStarts,
    bundleError: 'error' in bundle ? bundle.error : null,
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
