// The options of `npm run bench`, and the parts that run alone (`--only worker`, `--only ecodes`):
// each measures one part and rewrites only its section of docs/performance.md, leaving the rest of
// the page the last full run wrote.
//
//   npm run bench                          8 s per scenario after a 2 s warm-up (~10 minutes)
//   npm run bench -- --duration 3 --warmup 1 --no-write   a quick look; docs untouched
//   npm run bench -- --only worker         the Worker part alone (~2 minutes)
//   npm run bench -- --only ecodes         the e-code list and history at 10k and 100k rows alone (~2 minutes)
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

export const PERFORMANCE_MD = resolve(ROOT, 'docs/performance.md')
const PARTS = ['worker', 'ecodes'] as const
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
  }
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
  const scale = await measureECodeScale({ tmp, scales: o.ecodeScales, log })
  console.log(scaleConsole(scale).join('\n'))
  if (o.write) rewrite((page) => withScaleSection(page, scaleMarkdown(scale)), 'The e-code list and the history at scale', log)
}
