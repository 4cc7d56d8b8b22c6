// CPU per page (bench/page-cpu.ts) in the bench's report: console and docs/performance.md.
import { overTarget, type PageCpuReport } from './page-cpu'
import { int, mdTable, ms, table } from './format'
import { withHeadedSection } from './sections'

export const PAGE_CPU_HEADING = '## CPU per page (issue 17)'
/** The section goes before this one when a page written earlier has none. */
const BEFORE_HEADING = '## Page weight (issue 17)'

const HEADERS = ['page', 'path', 'CPU p50 ms', 'clock p50 ms', 'target', '']

function rows(r: PageCpuReport) {
  return r.rows.map((row) => [row.label, `\`${row.path.replace(/\/r\/[^/]+$/, '/r/<code>')}\``, ms(row.cpuP50), ms(row.p50), `≤ ${row.targetMs} ms`, row.cpuP50 <= row.targetMs ? '✓' : '✗'])
}

function verdict(r: PageCpuReport): string {
  const over = overTarget(r)
  return over.length === 0 ? 'every page within its target' : `over: ${over.join(', ')}`
}

export function pageCpuConsole(r: PageCpuReport): string[] {
  return ['', `CPU per page, in-process (${int(r.samples)} rounds)`, ...table(HEADERS, rows(r), ['l', 'l', 'r', 'r', 'r', 'l']), `Target: ≤ 2 ms signed in, ≤ 1 ms /login and /r/<code> → ${verdict(r)}`]
}

export function pageCpuSection(r: PageCpuReport): string {
  const m = r.machine
  return `${PAGE_CPU_HEADING}

Written by \`npm run bench\`, or \`npm run bench -- --only pages\` (\`bench/page-cpu.ts\`), which measures and rewrites only
this section; on ${r.seeded}. Run ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node};
load average ${m.load} at the start, ${r.loadAtEnd} at the end.

Each page as its customer opens it — the big org's administrator (5 products, a year of usage, 100,000 history rows and
100,000 e-codes), the sign-in page and a code's page anonymous — called in-process through \`app.request()\` (the app
\`src/node.ts\` serves, production settings, no HTTP), its answer checked first (200 and what it must show). The pages
take their calls in rounds, one call each a round, the order turned every round, so a busy moment of the shared machine
slows them all alike: ${int(r.samples)} rounds after 20 untimed ones. **CPU** is the process's user + system time of a call
(on a busy machine it leaves out waiting for a core, which the clock counts); the issue's target is on it.

${mdTable(HEADERS, rows(r), ['l', 'l', 'r', 'r', 'r', 'l'])}

Target: every signed-in page ≤ 2 ms of CPU, \`/login\` and \`/r/<code>\` ≤ 1 ms: **${overTarget(r).length === 0 ? 'met' : 'not met'}** (${verdict(r)}).
`
}

export function withPageCpuSection(page: string, r: PageCpuReport): string {
  return withHeadedSection(page, PAGE_CPU_HEADING, pageCpuSection(r), BEFORE_HEADING)
}
