// Ad-hoc CPU probe (not committed): CPU per signed-in page, in-process.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedBenchDatabase, DEFAULT_SCALE } from './bench/seed'
import { loadConfig } from './src/config'
import { systemClock } from './src/clock'
import { databaseFrom } from './src/db/client'
import { openLocalDatabase } from './src/db/local'
import { nodeServer } from './src/server'
import { paymentProviderFor } from './src/payments'
import { PRODUCTION_ENV } from './bench/production-env'
import { SESSION_COOKIE } from './bench/production-env'

const dir = mkdtempSync(join(tmpdir(), 'probe-'))
const path = join(dir, 'k.db')
const seeded = await seedBenchDatabase(path, { ...DEFAULT_SCALE, users: 300, sessions: 600, outbox: 500, jobRuns: 100, bigHistory: 5000, bigUsagePerMonth: 300, bigECodes: 3000 })
const { client } = await openLocalDatabase(path)
const db = databaseFrom(client)
const config = loadConfig({ ...PRODUCTION_ENV })
const app = nodeServer({ db, clock: systemClock, config, mailer: null, payments: paymentProviderFor(config, db) })
const big = seeded.big
const ck = (i: number) => ({ headers: { cookie: `${SESSION_COOKIE}=${big.adminTokens[i % big.adminTokens.length]}` } })
const p0 = big.products[0]!.key
const pages: [string, string][] = [
  ['account', '/account'], ['dashboard', `/o/${big.slug}`], ['members', `/o/${big.slug}/members`], ['history', `/o/${big.slug}/history`],
  ['orders', `/o/${big.slug}/orders`], ['ecodes', `/o/${big.slug}/ecodes`], ['requests', `/o/${big.slug}/requests`], ['plan', `/o/${big.slug}/products/${p0}/plan`], ['buy', '/buy'],
]
const only = process.env.ONLY
for (const [label, url] of pages) {
  if (only && only !== label) continue
  const r = await app.request(url, ck(0)); await r.text()
  if (r.status !== 200) { console.log(label, url, r.status); continue }
  for (let i = 0; i < 100; i++) await (await app.request(url, ck(i))).text()
  const n = Number(process.env.N ?? 400)
  const c0 = process.cpuUsage(); const t0 = performance.now()
  for (let i = 0; i < n; i++) await (await app.request(url, ck(i))).text()
  const c = process.cpuUsage(c0)
  console.log(label.padEnd(10), ((c.user + c.system) / 1000 / n).toFixed(2), 'ms CPU', ((performance.now() - t0) / n).toFixed(2), 'ms wall')
}
