// The daily renewals job at scale (issue 7), in this process on its own temporary database with the
// demo catalog: a day on which 2,000 card subscriptions are due (each charged through the test
// provider, invoiced and mailed), the same job again once nothing is due, and a day on which 2,000
// unpaid periods lapse to read-only. Wall and CPU time of each run, and per subscription — what
// decides how much one Cron Trigger run gets through (the job's time budget, src/jobs/renewals.ts).
import { join } from 'node:path'
import { eq, inArray } from 'drizzle-orm'
import { ManualClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { savedMethods, subscriptions } from '../src/db/schema'
import type { Deps } from '../src/deps'
import { runRenewals } from '../src/jobs/renewals'
import { paymentProviderFor } from '../src/payments'
import { DEMO_CATALOG, insertCatalog } from '../src/seed/catalog'
import { bulkCardSubscribers } from './seed-subscribers'

export const RENEWAL_SUBSCRIBERS = 2_000

export type JobTiming = { label: string; items: number; wallMs: number; cpuMs: number; counts: Record<string, number> }
export type RenewalsReport = { subscribers: number; runs: JobTiming[] }

const DAY = 86_400_000
/** No budget: the benchmark measures a whole day's work in one run. */
const UNLIMITED = { left: Number.POSITIVE_INFINITY, unit: 'ms' as const }

async function timed(label: string, items: number, run: () => Promise<{ counts: Record<string, number>; errors: string[] }>): Promise<JobTiming> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const r = await run()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  if (r.errors.length > 0) throw new Error(`${label}: ${r.errors.slice(0, 3).join('; ')}`)
  return { label, items, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, counts: r.counts }
}

export async function measureRenewals(dir: string, log: (m: string) => void): Promise<RenewalsReport> {
  const { db, client } = await openLocalDatabase(join(dir, 'renewals.db'))
  try {
    await migrateDatabase(db)
    const clock = new ManualClock('2027-11-13T03:15:00Z')
    const config = loadConfig({ KONTOR_ENV: 'development', BASE_URL: 'http://localhost' })
    const deps: Deps = { db, clock, config, mailer: null, payments: paymentProviderFor(config, db) }
    await insertCatalog(db, DEMO_CATALOG, clock.now())
    const n = RENEWAL_SUBSCRIBERS
    log(`  renewals: ${n} card subscriptions due, then ${n} unpaid periods lapsing…`)
    // Due today: the period ends in a little under 7 days.
    const due = await bulkCardSubscribers(deps, n, { periodEnd: new Date(clock.now().getTime() + 7 * DAY - 3_600_000), prefix: 'due' })
    const runs: JobTiming[] = []
    runs.push(await timed(`card renewals (${n.toLocaleString('en-US')} due)`, n, () => runRenewals(deps, clock.now(), 100, UNLIMITED)))
    runs.push(await timed('the same day again (nothing due)', n, () => runRenewals(deps, clock.now(), 100, UNLIMITED)))
    // Unpaid periods that ended an hour ago, without a saved method: Sekretariat lapses to read-only.
    const lapsing = await bulkCardSubscribers(deps, n, { periodEnd: new Date(clock.now().getTime() - 3_600_000), prefix: 'lapse' })
    const orgIds = lapsing.map((s) => s.orgId)
    for (let i = 0; i < orgIds.length; i += 500) {
      const chunk = orgIds.slice(i, i + 500)
      await db.batch([
        db.delete(savedMethods).where(inArray(savedMethods.orgId, chunk)),
        db.update(subscriptions).set({ autoRenew: false }).where(inArray(subscriptions.orgId, chunk)),
      ])
    }
    runs.push(await timed(`lapses to read-only (${n.toLocaleString('en-US')} due)`, n, () => runRenewals(deps, clock.now(), 100, UNLIMITED)))
    const renewed = await db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.periodStart, new Date(clock.now().getTime() + 7 * DAY - 3_600_000)))
    if (renewed.length !== due.length) throw new Error(`renewals: ${renewed.length} of ${due.length} renewed`)
    return { subscribers: n, runs }
  } finally {
    client.close()
  }
}
