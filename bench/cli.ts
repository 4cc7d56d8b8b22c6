// The options of `npm run bench`, and the parts that run alone (`--only worker`, `--only ecodes`):
// each measures one part and rewrites only its section of docs/performance.md, leaving the rest of
// the page the last full run wrote.
//
//   npm run bench                          8 s per scenario after a 2 s warm-up (~10 minutes)
//   npm run bench -- --duration 3 --warmup 1 --no-write   a quick look; docs untouched
//   npm run bench -- --only worker         the Worker part alone (~2 minutes)
//   npm run bench -- --only ecodes         the e-code list and history at 10k and 100k rows alone (~2 minutes)
//   npm run bench -- --only usage          POST /api/v1/usage alone at 1, 10 and 50 connections with exact accounting
//                                          (~1 minute, bench/usage-only.ts)
//   npm run bench -- --only lighthouse     Lighthouse mobile on nine pages alone (~11 minutes on a busy 2-core machine,
//                                          bench/lighthouse.ts); --pages plan,sign-in narrows it to some pages (the docs
//                                          untouched), --lighthouse-runs N (5) runs per page, --lighthouse-reports DIR
//                                          keeps each page's median report (JSON)
//   npm run bench -- --only pages          CPU per page in-process, every signed-in page and the two public ones,
//                                          against issue 17's targets (~1 minute, bench/page-cpu.ts)
//   --ecodes N                             the largest org of that part (10k, 100k, … up to N; 1000000 for 1M)
//   --worker-requests N, --worker-warmup N   timed and untimed requests per Worker row (30, 3)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ROOT } from './server'
import { DEFAULT_ECODE_SCALES, measureECodeScale, scalesUpTo } from './ecode-scale'
import { scaleConsole, scaleMarkdown, withScaleSection } from './report-ecode-scale'
import { measureWorker } from './worker'
import { withWorkerSection, workerConsole, workerMarkdown } from './report-worker'
import { measureLighthouse } from './lighthouse'
import { LIGHTHOUSE_SECTION, lighthouseConsole, lighthouseMarkdown } from './report-lighthouse'
import { withSection } from './sections'
import { usageOnly } from './usage-only'
import { measurePageCpuAlone } from './page-cpu'
import { pageCpuConsole, withPageCpuSection } from './report-page-cpu'

export const PERFORMANCE_MD = resolve(ROOT, 'docs/performance.md')
const PARTS = ['worker', 'ecodes', 'lighthouse', 'usage', 'pages'] as const
export type Part = (typeof PARTS)[number]

export type BenchOptions = {
  duration: number
  warmup: number
  warmStarts: number
  write: boolean
  only: Part | undefined
  worker: { requests: number; warmup: number }
  /** The e-code orgs of the scale part, smallest first. */
  ecodeScales: number[]
  /** Lighthouse: only the pages whose label contains one of these (`--pages a,b`; the docs then untouched), runs per page, where to keep reports. */
  lighthouse: { pages: string[] | undefined; runs: number; reportsDir: string | undefined }
}

/** The command line, checked: a wrong value stops the bench before anything runs (exit 2). */
export function benchOptions(argv = process.argv.slice(2)): BenchOptions | { error: string } {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      starts: { type: 'string', default: '3' },
      'no-write': { type: 'boolean', default: false },
      only: { type: 'string' },
      ecodes: { type: 'string' },
      'worker-requests': { type: 'string', default: '30' },
      'worker-warmup': { type: 'string', default: '3' },
      pages: { type: 'string' },
      'lighthouse-runs': { type: 'string', default: '5' },
      'lighthouse-reports': { type: 'string' },
    },
  })
  if (a.only !== undefined && !(PARTS as readonly string[]).includes(a.only)) return { error: `--only takes ${PARTS.map((p) => `"${p}"`).join(' or ')}, not "${a.only}"` }
  let ecodeScales = DEFAULT_ECODE_SCALES
  if (a.ecodes !== undefined) {
    const n = Number(a.ecodes.replace(/_/g, ''))
    if (!Number.isInteger(n) || n < 1000 || n > 10_000_000) return { error: `--ecodes takes a whole number of codes from 1000 to 10000000, not "${a.ecodes}"` }
    ecodeScales = scalesUpTo(n)
  }
  return {
    duration: Number(a.duration),
    warmup: Number(a.warmup),
    warmStarts: Math.max(1, Number(a.starts)),
    write: !a['no-write'],
    only: a.only as Part | undefined,
    worker: { requests: Math.max(1, Number(a['worker-requests'])), warmup: Math.max(0, Number(a['worker-warmup'])) },
    ecodeScales,
    lighthouse: {
      pages: a.pages?.split(',').map((p) => p.trim()).filter(Boolean),
      runs: Math.max(1, Number(a['lighthouse-runs'])),
      reportsDir: a['lighthouse-reports'],
    },
  }
}

/** Lighthouse mobile on the main pages, as `o` asks. */
export function runLighthouse(o: BenchOptions, tmp: string, log: (m: string) => void) {
  return measureLighthouse({ tmp, log, only: o.lighthouse.pages, runs: o.lighthouse.runs, reportsDir: o.lighthouse.reportsDir })
}

/** The page with Lighthouse's section replaced (unless only some pages were measured). */
export function withLighthouse(page: string, o: BenchOptions, report: Awaited<ReturnType<typeof measureLighthouse>>): string {
  return o.lighthouse.pages ? page : withSection(page, LIGHTHOUSE_SECTION, lighthouseMarkdown(report))
}

function rewrite(section: (page: string) => string, what: string, log: (m: string) => void) {
  const page = existsSync(PERFORMANCE_MD) ? readFileSync(PERFORMANCE_MD, 'utf8') : '# Performance\n'
  writeFileSync(PERFORMANCE_MD, section(page))
  log(`rewrote the section "${what}" of ${PERFORMANCE_MD}`)
}

/** One part alone, its section replaced in the page the last full run wrote. */
export async function runPart(part: Part, o: BenchOptions, tmp: string, log: (m: string) => void) {
  if (part === 'worker') {
    const worker = await measureWorker({ tmp, ...o.worker, log })
    console.log(workerConsole(worker).join('\n'))
    if (o.write) rewrite((page) => withWorkerSection(page, workerMarkdown(worker)), 'Worker + libSQL over HTTP', log)
    return
  }
  if (part === 'pages') {
    const cpu = await measurePageCpuAlone({ tmp, log })
    console.log(pageCpuConsole(cpu).join('\n'))
    if (o.write) rewrite((page) => withPageCpuSection(page, cpu), 'CPU per page', log)
    return
  }
  if (part === 'usage') return usageOnly({ tmp, duration: o.duration, warmup: o.warmup, write: o.write, page: PERFORMANCE_MD, log })
  if (part === 'lighthouse') {
    const lighthouse = await runLighthouse(o, tmp, log)
    console.log(lighthouseConsole(lighthouse).join('\n'))
    if (o.write && !o.lighthouse.pages) rewrite((page) => withLighthouse(page, o, lighthouse), 'Lighthouse mobile', log)
    return
  }
  const scale = await measureECodeScale({ tmp, scales: o.ecodeScales, log })
  console.log(scaleConsole(scale).join('\n'))
  if (o.write) rewrite((page) => withScaleSection(page, scaleMarkdown(scale)), 'The e-code list and the history at scale', log)
}
