// `npm run bench -- --only usage`: the usage API's rows alone (bench/usage.ts), in about a minute. The
// installation is smaller than the full run's — the endpoint reads none of the users, sessions, outbox,
// history or e-codes — but the big org is the same: its five subscriptions, its API key and its year
// of usage events. Rewrites only the section "The usage API" of docs/performance.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SCALE, seedBenchDatabase, type Scale } from './seed'
import { startServer, stopServer } from './server'
import { machine } from './machine'
import { withSection } from './sections'
import { measureUsage, usageConsole, usageMarkdown, USAGE_SECTION, verifyUsage } from './usage'

/** The full scale where the usage call reads (the big org's subscriptions and usage), small elsewhere. */
export const USAGE_ONLY_SCALE: Scale = { ...DEFAULT_SCALE, users: 200, sessions: 400, outbox: 100, jobRuns: 100, bigHistory: 1_000, bigECodes: 1_000 }

export async function usageOnly(o: { tmp: string; duration: number; warmup: number; write: boolean; page: string; log: (m: string) => void }) {
  const host = machine()
  o.log(`kontor bench, usage API only: ${host.cpus} CPUs (${host.cpuModel}), Node ${host.node}, load average ${host.load}`)
  const databasePath = join(o.tmp, 'kontor.db')
  const seeded = await seedBenchDatabase(databasePath, USAGE_ONLY_SCALE)
  o.log(`  seeded in ${seeded.seconds.toFixed(1)} s (${seeded.big.usageEvents} usage events of ${seeded.big.slug})`)
  const tmpDir = join(o.tmp, 'tmp')
  mkdirSync(tmpDir, { recursive: true })
  const server = await startServer({ databasePath, tmpDir })
  try {
    const used = await verifyUsage(server.baseUrl, seeded.big, databasePath)
    o.log(`  checked: usage → 201 (used ${used}), its replay → 201 Idempotent-Replayed, one row`)
    const date = new Date()
    const report = await measureUsage({ server, big: seeded.big, databasePath, duration: o.duration, warmup: o.warmup, log: o.log })
    console.log(usageConsole(report).join('\n'))
    if (o.write) {
      const page = existsSync(o.page) ? readFileSync(o.page, 'utf8') : '# Performance\n'
      const how = `by \`npm run bench -- --only usage\` (this section alone) on ${host.cpus} CPUs (${host.cpuModel}), ${host.ramGiB.toFixed(0)} GiB, Node ${host.node}, load average ${host.load} at the start`
      writeFileSync(o.page, withSection(page, USAGE_SECTION, usageMarkdown(report, { date, duration: o.duration, warmup: o.warmup, how })))
      o.log(`rewrote the section "The usage API" of ${o.page}`)
    }
  } finally {
    await stopServer(server.child)
  }
}
