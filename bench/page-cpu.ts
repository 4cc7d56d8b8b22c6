// CPU per page (issue 17 item 1): every signed-in page a customer opens, and the two public ones,
// called in-process through `app.request()` on the bench's seeded database, the process's CPU time
// (user + system) per call at p50 held against the issue's targets: ≤ 2 ms signed in, ≤ 1 ms for
// /login and /r/<code>. The pages take their calls in rounds (bench/interleaved.ts), so a busy moment
// of the shared machine slows them all alike. Part of `npm run bench`, or alone: `--only pages`.
import { join } from 'node:path'
import { seedBenchDatabase, type Seeded } from './seed'
import { timeInterleaved, type Variant } from './interleaved'
import { appOn } from './ecode-scale'
import { loadAverage, machine, type Machine } from './machine'
import { SESSION_COOKIE } from './production-env'

export type CpuPage = Variant & { label: string; targetMs: number; shows: string }
export type PageCpuRow = { label: string; path: string; targetMs: number; cpuP50: number; p50: number }
export type PageCpuReport = { rows: PageCpuRow[]; samples: number; machine: Machine; loadAtEnd: string; date: Date; seeded: string }

/** The pages and their targets, on the bench's big org (5 products, its history and e-codes) as its administrator. */
export function cpuPages(seeded: Seeded): CpuPage[] {
  const big = seeded.big
  const o = `/o/${big.slug}`
  const admin = (i: number) => ({ headers: { cookie: `${SESSION_COOKIE}=${big.adminTokens[i % big.adminTokens.length]}` } })
  const signedIn = (label: string, path: string, shows: string): CpuPage => ({ label, path, init: admin, targetMs: 2, shows })
  return [
    { label: 'GET /login', path: '/login', init: () => ({}), targetMs: 1, shows: 'name="password"' },
    { label: 'GET /r/<code>', path: `/r/${seeded.ecodes.plainCode}`, init: () => ({}), targetMs: 1, shows: '/redemption' },
    signedIn('account', '/account', 'name="name"'),
    signedIn('dashboard (5 products)', o, `id="product-${big.products[0]!.key}"`),
    signedIn('members', `${o}/settings/users`, 'bench-big-04@example.com'),
    signedIn('history (50 rows)', `${o}/history`, 'cursor='),
    signedIn('orders', `${o}/orders`, '<h1'),
    signedIn('e-codes (Active tab, 50 codes)', `${o}/ecodes`, 'cursor='),
    signedIn('requests', `${o}/requests`, '<h1'),
    signedIn('plan page', `${o}/products/sekretariat/plan`, '/scheduled-change'),
    signedIn('/buy', '/buy', 'href="/buy/sekretariat"'),
  ]
}

/** Each page checked (200 and what it must show), then timed on a database `seedBenchDatabase` seeded. */
export async function measurePageCpu(o: { databasePath: string; seeded: Seeded; seededWhat: string }): Promise<PageCpuReport> {
  const host = machine()
  const pages = cpuPages(o.seeded)
  const { app, close } = await appOn(o.databasePath)
  try {
    for (const page of pages) {
      const res = await app.request(page.path, page.init(0))
      const body = await res.text()
      if (res.status !== 200 || !body.includes(page.shows)) throw new Error(`page CPU: GET ${page.path} answered ${res.status}${res.status === 200 ? ` without "${page.shows}"` : ''}`)
    }
    const t = await timeInterleaved(app, pages, { minSamples: 300, maxSamples: 3000, budgetMs: 15_000, warmupRounds: 20 })
    const rows = pages.map((p, i) => ({ label: p.label, path: p.path, targetMs: p.targetMs, cpuP50: t.cpuP50[i]!, p50: t.p50[i]! }))
    return { rows, samples: t.samples, machine: host, loadAtEnd: loadAverage(), date: new Date(), seeded: o.seededWhat }
  } finally {
    close()
  }
}

/** `--only pages`: a database of the main run's scale, seeded for this part alone. */
export async function measurePageCpuAlone(o: { tmp: string; log: (m: string) => void }): Promise<PageCpuReport> {
  const databasePath = join(o.tmp, 'page-cpu.db')
  o.log("page CPU: seeding the main run's database…")
  const seeded = await seedBenchDatabase(databasePath)
  o.log(`  seeded in ${seeded.seconds.toFixed(1)} s; timing ${cpuPages(seeded).length} pages in rounds…`)
  return measurePageCpu({ databasePath, seeded, seededWhat: "the main run's seeding, done for this part alone" })
}

/** Pages over their target. */
export function overTarget(r: PageCpuReport): string[] {
  return r.rows.filter((row) => !(row.cpuP50 <= row.targetMs)).map((row) => row.label)
}
