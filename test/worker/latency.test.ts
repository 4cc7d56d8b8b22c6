// The Worker in workerd far from its database, as on Cloudflare with Turso: the development libSQL
// server adds 50 ms to every round trip. The foundation flow must still work (its interactive
// transactions hold the write lock across the distance), and no request may need more round trips
// than Cloudflare's Free plan allows a Worker invocation subrequests (50).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { startDevLibsqlServer, type DevLibsqlServer } from '../../scripts/dev-libsql-server'
import { startWranglerDev, type WranglerDev } from '../../scripts/wrangler-dev'
import { databaseFrom } from '../../src/db/client'
import { migrateDatabase } from '../../src/db/local'
import { Browser } from '../helpers/app'
import { registerActivateSignIn } from './foundation'

const LATENCY_MS = 50
/** Subrequests a Worker invocation may make on the Free plan; each round trip to Turso is one. */
const FREE_PLAN_SUBREQUESTS = 50

const dir = mkdtempSync(join(tmpdir(), 'kontor-worker-latency-'))
/** The Worker's database, 50 ms away. */
let far: DevLibsqlServer
/** The same file without the distance, for migrating and for the test's own reads (not counted as the Worker's). */
let near: DevLibsqlServer
let client: Client
let worker: WranglerDev | undefined

beforeAll(async () => {
  const path = join(dir, 'worker.db')
  near = await startDevLibsqlServer({ path, port: 0 })
  far = await startDevLibsqlServer({ path, port: 0, latencyMs: LATENCY_MS })
  client = createClient({ url: near.url })
  await migrateDatabase(databaseFrom(client))
  worker = await startWranglerDev({ vars: { TURSO_DATABASE_URL: far.url, KONTOR_ENV: 'development', RESEND_API_KEY: '' }, persistTo: join(dir, 'wrangler') })
}, 60_000)

afterAll(async () => {
  await worker?.stop()
  client?.close()
  await near?.close()
  await far?.close()
  rmSync(dir, { recursive: true, force: true })
}, 15_000)

type Step = { request: string; status: number; ms: number; roundTrips: number }

describe(`the Worker ${LATENCY_MS} ms from its database`, () => {
  it('registers, activates and signs in, every request within the Free plan’s subrequests and slowed by the distance', async () => {
    const steps: Step[] = []
    // Each response is read to the end before the counters are, so a page's reads are all in.
    const b = new Browser(
      {
        request: async (url, init) => {
          const before = { ...far.stats }
          const t0 = performance.now()
          const res = await fetch(url, { ...init, redirect: 'manual' })
          const body = await res.arrayBuffer()
          const ms = performance.now() - t0
          const roundTrips = far.stats.httpRequests - before.httpRequests
          steps.push({ request: `${init?.method ?? 'GET'} ${new URL(url).pathname}`, status: res.status, ms, roundTrips })
          return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
        },
      },
      worker!.origin,
    )
    await registerActivateSignIn(b, databaseFrom(client), worker!.origin, { name: 'Fiona Far', email: 'far-away@example.com', password: 'pierogi across the ocean' })

    expect(steps.map((s) => `${s.request.replace(/\/activate\/.*/, '/activate/…')} ${s.status}`)).toEqual(['POST /register 200', 'POST /activate/… 303', 'POST /login 303', 'GET /account 200'])
    for (const step of steps) {
      expect(step.roundTrips, `${step.request}: round trips to the database`).toBeGreaterThan(0)
      expect(step.roundTrips, `${step.request}: round trips to the database`).toBeLessThan(FREE_PLAN_SUBREQUESTS)
      expect(step.ms, `${step.request}: at least one round trip's distance`).toBeGreaterThanOrEqual(LATENCY_MS)
    }
  })
})
