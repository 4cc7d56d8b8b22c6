// The Worker part of the bench (issue 14): the main pages in workerd (`wrangler dev`, the production
// configuration a customer gets, bench/production-env.ts) against the development libSQL server, first
// next to it (0 ms) and then 50 ms away, as a Worker from Turso's primary. Per page and distance:
// wall time per request (p50, p95; one request at a time), CPU of the Worker's workerd per request,
// and the round trips and statements the database served per request (the server's counters).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { startDevLibsqlServer, type DevLibsqlServer } from '../scripts/dev-libsql-server'
import { freePort, startWranglerDev, type WranglerDev } from '../scripts/wrangler-dev'
import { databaseFrom } from '../src/db/client'
import { migrateDatabase } from '../src/db/local'
import { percentile } from './load'
import { loadAverage, machine } from './machine'
import type { Report } from './report'
import { cpuMs, workerdProcesses, CLOCK_TICKS } from './proc'
import { workerVars, WORKER_BASE_URL } from './production-env'
import { seedBench, BENCH_PASSWORD, DEFAULT_SCALE, type Scale, type Seeded } from './seed'
import { ROOT, trackProcessGroup } from './server'
import { send } from './verify'
import { median } from './format'

/** The Node bench's scale (bench/seed-rows.ts) but for the outbox, which no page measured here reads and which would only make seeding through HTTP longer. */
export const WORKER_SCALE: Scale = { ...DEFAULT_SCALE, outbox: 5_000 }
/** Next to the database, and as far as a Worker from Turso's primary in another region. */
export const WORKER_LATENCIES = [0, 50]

export type WorkerPage = {
  label: string
  /** A page a customer opens in a browser (judged by the latency target); the vendor API is not. */
  customer: boolean
  method?: 'GET' | 'POST'
  path: (i: number) => string
  headers?: Record<string, string>
  body?: (i: number) => string
  status: number
  /** Something the page shows when it does what it claims. */
  shows: string
}

export type WorkerRow = {
  page: string
  customer: boolean
  latencyMs: number
  requests: number
  p50: number
  p95: number
  max: number
  /** CPU of the Worker's workerd, and of wrangler's proxy workerd, per request (over all timed requests). */
  cpuMs: number
  proxyCpuMs: number
  /** Per request: median, and the range when requests differed. */
  roundTrips: { median: number; min: number; max: number }
  statements: { median: number; min: number; max: number }
}

export type WorkerReport = Pick<Report, 'date' | 'seconds' | 'machine' | 'loadAfter' | 'scale' | 'seedSeconds'> & {
  wranglerVersion: string
  wranglerStartMs: number
  requests: number
  warmup: number
  clockTicks: number
  rows: WorkerRow[]
}

function pagesOf(seeded: Seeded, cookie: string): WorkerPage[] {
  const big = seeded.big
  const signedIn = { cookie }
  const codes = seeded.ecodes.activeCodes
  const runId = Date.now().toString(36)
  return [
    { label: 'GET /login', customer: true, path: () => '/login', status: 200, shows: 'name="password"' },
    { label: 'GET /account', customer: true, path: () => '/account', headers: signedIn, status: 200, shows: 'bench-big-00@example.com' },
    { label: `GET /o/${big.slug} (dashboard, 5 products)`, customer: true, path: () => `/o/${big.slug}`, headers: signedIn, status: 200, shows: `id="product-${big.products[4]!.key}"` },
    { label: `GET /o/${big.slug}/settings/users (members)`, customer: true, path: () => `/o/${big.slug}/settings/users`, headers: signedIn, status: 200, shows: 'bench-big-04@example.com' },
    { label: `GET /o/${big.slug}/history`, customer: true, path: () => `/o/${big.slug}/history`, headers: signedIn, status: 200, shows: 'cursor=' },
    { label: `GET /o/${big.slug}/ecodes (Active tab)`, customer: true, path: () => `/o/${big.slug}/ecodes`, headers: signedIn, status: 200, shows: 'cursor=' },
    { label: 'GET /buy', customer: true, path: () => '/buy', headers: signedIn, status: 200, shows: 'href="/buy/' },
    { label: 'GET /r/<active code>', customer: true, path: (i) => `/r/${codes[i % codes.length]}`, status: 200, shows: '/redemption' },
    {
      label: 'POST /api/v1/usage',
      customer: false,
      method: 'POST',
      path: () => '/api/v1/usage',
      headers: { authorization: `Bearer ${big.apiKey}`, 'content-type': 'application/json' },
      body: (i) => JSON.stringify({ product: big.usageTarget.product, quota: big.usageTarget.quota, quantity: 1, idempotency_key: `bench-worker-${runId}-${i}` }),
      status: 201,
      shows: '"used"',
    },
  ]
}

const spread = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) })

async function measurePage(worker: WranglerDev, libsql: DevLibsqlServer, page: WorkerPage, o: { requests: number; warmup: number; next: () => number }): Promise<Omit<WorkerRow, 'latencyMs'>> {
  const request = async () => {
    const i = o.next()
    const path = page.path(i)
    const res = await send(`${worker.origin}${path}`, { method: page.method ?? 'GET', headers: page.headers, body: page.body?.(i) })
    if (res.status !== page.status || !res.body.includes(page.shows)) {
      throw new Error(`${page.method ?? 'GET'} ${path} answered ${res.status}${res.status === page.status ? ` without "${page.shows}"` : ''}, not ${page.status}:\n${res.body.slice(0, 500)}\n${worker.log().slice(-2000)}`)
    }
  }
  for (let i = 0; i < o.warmup; i++) await request()
  const port = Number(new URL(worker.origin).port)
  const { runtime, proxy } = workerdProcesses(worker.pid, port)
  if (!runtime.length || !proxy.length) throw new Error(`found no workerd under wrangler (pid ${worker.pid}): runtime ${runtime}, proxy ${proxy}`)
  const wall: number[] = []
  const trips: number[] = []
  const statements: number[] = []
  const cpu0 = cpuMs(runtime)
  const proxy0 = cpuMs(proxy)
  for (let i = 0; i < o.requests; i++) {
    const before = { ...libsql.stats }
    const t0 = performance.now()
    await request()
    wall.push(performance.now() - t0)
    trips.push(libsql.stats.httpRequests - before.httpRequests)
    statements.push(libsql.stats.statements - before.statements)
  }
  const sorted = Float64Array.from(wall).sort()
  return {
    page: page.label,
    customer: page.customer,
    requests: o.requests,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1]!,
    cpuMs: (cpuMs(runtime) - cpu0) / o.requests,
    proxyCpuMs: (cpuMs(proxy) - proxy0) / o.requests,
    roundTrips: spread(trips),
    statements: spread(statements),
  }
}

/** Signs in as the big org's administrator once; the session cookie (`__Host-kontor_session`, Secure: BASE_URL is https) is replayed as it is. */
async function signIn(worker: WranglerDev): Promise<string> {
  const body = new URLSearchParams({ email: 'bench-big-00@example.com', password: BENCH_PASSWORD }).toString()
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: worker.origin }
  const res = await send(`${worker.origin}/login`, { method: 'POST', headers, body })
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-kontor_session='))
  if (res.status !== 303 || !cookie) throw new Error(`POST /login as bench-big-00 answered ${res.status} with no __Host-kontor_session cookie:\n${worker.log().slice(-2000)}`)
  if (!/;\s*Secure/i.test(cookie)) throw new Error(`the session cookie is not Secure under BASE_URL ${WORKER_BASE_URL}: ${cookie}`)
  return cookie.split(';')[0]!
}

export async function measureWorker(o: { tmp: string; requests: number; warmup: number; log: (message: string) => void }): Promise<WorkerReport> {
  const date = new Date()
  const started = performance.now()
  const host = machine()
  const libsql = await startDevLibsqlServer({ path: join(o.tmp, 'worker.db'), port: 0 })
  let worker: WranglerDev | undefined
  try {
    o.log(`Worker: seeding ${WORKER_SCALE.users} users, ${WORKER_SCALE.bigHistory} history rows and ${WORKER_SCALE.bigECodes} e-codes through the dev libSQL server…`)
    const client = createClient({ url: libsql.url })
    let seeded: Seeded
    try {
      const db = databaseFrom(client)
      await migrateDatabase(db) // over HTTP, as the deploy step migrates Turso
      seeded = await seedBench(db, WORKER_SCALE)
    } finally {
      client.close()
    }
    o.log(`  seeded in ${seeded.seconds.toFixed(1)} s`)
    const resendBaseUrl = `http://127.0.0.1:${await freePort()}` // nothing listens there
    const t0 = performance.now()
    worker = await startWranglerDev({ vars: workerVars({ databaseUrl: libsql.url, resendBaseUrl }), persistTo: join(o.tmp, 'wrangler') })
    const untrack = trackProcessGroup(worker.pid)
    const wranglerStartMs = performance.now() - t0
    o.log(`  wrangler dev answered in ${(wranglerStartMs / 1000).toFixed(1)} s (KONTOR_ENV=production, BASE_URL=${WORKER_BASE_URL})`)
    const pages = pagesOf(seeded, await signIn(worker))
    let i = 0
    const next = () => i++
    const rows: WorkerRow[] = []
    for (const latencyMs of WORKER_LATENCIES) {
      libsql.setLatencyMs(latencyMs)
      for (const page of pages) {
        const row = { ...(await measurePage(worker, libsql, page, { requests: o.requests, warmup: o.warmup, next })), latencyMs }
        o.log(`  ${latencyMs} ms, ${page.label}: p50 ${row.p50.toFixed(1)} ms, CPU ${row.cpuMs.toFixed(1)} ms, ${row.roundTrips.median} round trips, ${row.statements.median} statements`)
        rows.push(row)
      }
    }
    await worker.stop()
    untrack()
    const { version: wranglerVersion } = JSON.parse(readFileSync(join(ROOT, 'node_modules/wrangler/package.json'), 'utf8')) as { version: string }
    return { date, seconds: (performance.now() - started) / 1000, machine: host, loadAfter: loadAverage(), scale: seeded.scale, seedSeconds: seeded.seconds, wranglerVersion, wranglerStartMs, requests: o.requests, warmup: o.warmup, clockTicks: CLOCK_TICKS, rows }
  } finally {
    await worker?.stop()
    await libsql.close()
  }
}
