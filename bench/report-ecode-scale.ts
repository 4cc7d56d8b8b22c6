// Issue 17's lists at scale in the bench's report (console and docs/performance.md): each page of
// the e-code list and of the history at every scale side by side, the largest scale against the
// smallest (the target: within 2×), and the statements each page runs at the largest scale with
// SQLite's plans.
import type { ECodeScaleReport } from './ecode-scale'
import { scaleName } from './seed-scale'
import { int, mdTable, ms, sqlCell, table, yes } from './format'
import { withHeadedSection } from './sections'
import { weightConsole, weightMarkdown } from './report-weight'

export const SCALE_HEADING = '## The e-code list and the history at scale (issue 17)'
/** The section goes before this one when a page written earlier has none. */
const BEFORE_HEADING = '## Renewals and lapses (issue 7)'
/** The largest scale's p50 over the smallest's may be at most this. */
export const FLAT_RATIO = 2

type Measure = 'p50' | 'cpuP50'

/** The largest scale's p50 over the smallest's, per page, of the clock's time or of the CPU's. */
export function scaleRatios(r: ECodeScaleReport, m: Measure = 'p50'): Record<string, number> {
  return Object.fromEntries(Object.entries(r[m]).map(([key, values]) => [key, values[values.length - 1]! / values[0]!]))
}

/** Pages over the ratio (none when only one scale ran). */
export function notFlat(r: ECodeScaleReport, m: Measure = 'p50'): string[] {
  if (r.scales.length < 2) return []
  const ratios = scaleRatios(r, m)
  return r.pages.filter((p) => !(ratios[p.key]! <= FLAT_RATIO)).map((p) => p.label)
}

const ratioHeader = (r: ECodeScaleReport) => `${scaleName(r.scales.at(-1)!.scale)} / ${scaleName(r.scales[0]!.scale)}`

/** Per page: each scale's p50 with its CPU p50 in brackets, then both ratios. */
function rows(r: ECodeScaleReport) {
  const [wall, cpu] = [scaleRatios(r), scaleRatios(r, 'cpuP50')]
  const ratio = (x: number) => (r.scales.length > 1 ? `${x.toFixed(2)}×` : '–')
  return r.pages.map((p) => [
    `${p.kind === 'ecodes' ? 'e-codes: ' : ''}${p.label}`,
    ...r.p50[p.key]!.map((v, i) => `${ms(v)} (${ms(r.cpuP50[p.key]![i]!)})`),
    `${ratio(wall[p.key]!)} (${ratio(cpu[p.key]!)})`,
  ])
}

export function scaleConsole(r: ECodeScaleReport): string[] {
  const slow = notFlat(r)
  return [
    '',
    `E-code list and history at scale (issue 17): ${r.scales.map((s) => `${scaleName(s.scale)} in ${s.seedSeconds.toFixed(0)} s`).join(', ')} (${r.databaseMiB.toFixed(0)} MiB)`,
    ...table(['page (in-process p50 ms, CPU)', ...r.scales.map((s) => scaleName(s.scale)), ratioHeader(r)], rows(r), ['l', ...r.scales.map(() => 'r' as const), 'r']),
    `Target: every page within ${FLAT_RATIO}× from the smallest scale to the largest at p50: ${slow.length ? `NOT MET (${slow.join('; ')})` : 'MET'}; in CPU time: ${notFlat(r, 'cpuP50').length ? `not met (${notFlat(r, 'cpuP50').join('; ')})` : 'met'}`,
    ...weightConsole(r.weights),
  ]
}

/** The statements on e-codes and history a page runs, with their plans (sessions, memberships and the catalog aside). */
function statementRows(r: ECodeScaleReport): string[][] {
  const largest = scaleName(r.scales.at(-1)!.scale)
  const out: string[][] = []
  for (const p of r.pages) {
    const page = r.inProcess.pages.find((x) => x.label === `${largest} ${p.key}`)
    for (const s of page?.statements ?? []) {
      if (!/\b(ecodes|ecode_counts|ecode_day_counts|history)\b/.test(s.sql)) continue
      out.push([p.label, sqlCell(s.sql.replace(/\s+/g, ' '), 220), (s.plan.join('; ') || '(write)').replace(/\|/g, '\\|')])
    }
  }
  return out
}

export function scaleMarkdown(r: ECodeScaleReport): string {
  const slow = notFlat(r)
  const largest = r.scales.at(-1)!
  const without1M = largest.scale < 1_000_000
  return `${SCALE_HEADING}

Written by \`npm run bench\`, or \`npm run bench -- --only ecodes\`, which measures and rewrites only this section;
\`--ecodes <n>\` sets the largest org (\`--ecodes 1000000\`: 10k, 100k and 1M).${without1M ? ' This run stopped at ' + scaleName(largest.scale) + ': seeding a million codes and as many history rows takes a few minutes more.' : ''}
One database holds an org per scale, each with that many e-codes (SimplySign's two variants over three years: mostly used, a
share active, some expired or disposed, and the active ones that lapsed within the last day not yet marked, as the daily purge
leaves them) and as many history rows, stored as the app stores them (look-up hash and AES-GCM envelope), inserted
${'10,000'} rows at a time through the app's migrations and triggers: ${r.scales.map((s) => `${scaleName(s.scale)} in ${s.seedSeconds.toFixed(0)} s`).join(', ')}
(${r.databaseMiB.toFixed(0)} MiB in all; the bench process peaked at ${r.peakRssMiB.toFixed(0)} MiB of memory, seeding included).
Run ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.ramGiB.toFixed(1)} GiB RAM, Node ${r.machine.node}; load average
${r.machine.load} at the start, ${r.loadAtEnd} at the end (the machine is shared: other work's load slows the clock's figures, not the CPU's).

Each page is the administrator's (the member's where it says so), 50 rows, the e-code pages with the four tabs' counts; every page
was checked first (50 codes and the seeded counts on the unfiltered tabs, the code found by the search, 50 history rows). Timed
in-process through \`app.request()\`, page by page, the scales taking their calls in turn (one call each a round, the order
turned every round, so a busy moment of the shared machine slows all scales alike), at least ${r.minSamples} rounds or ${r.budgetMs / 1000} s a page
after 5 warm-up rounds: p50 in ms of the clock, and in brackets of the process's CPU (user + system; on a busy machine it leaves
out waiting for a core, which the clock counts). "Created in ${r.month}" is whole days in the org's zone; the search is by an active code's number.

${mdTable(['page', ...r.scales.map((s) => `${scaleName(s.scale)} p50 (CPU)`), ratioHeader(r)], rows(r), ['l', ...r.scales.map(() => 'r' as const), 'r'])}

Target: every page within ${FLAT_RATIO}× from ${scaleName(r.scales[0]!.scale)} to ${scaleName(largest.scale)} at p50: ${yes(slow.length === 0)}${slow.length ? ` (over it: ${slow.join('; ')})` : ''}; in CPU
time: ${notFlat(r, 'cpuP50').length ? `not met (${notFlat(r, 'cpuP50').join('; ')})` : 'met'}.

| org | active | used | expired | disposed | lapsed, not yet marked | history rows |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${r.scales.map((s) => `| ${s.slug} | ${int(s.byStatus.active)} | ${int(s.byStatus.used)} | ${int(s.byStatus.expired)} | ${int(s.byStatus.disposed)} | ${int(s.lapsed)} | ${int(s.historyRows)} |`).join('\n')}

### Weight of these pages

${weightMarkdown(r.weights)}
### What each page asks of e-codes and history (${largest.slug})

SQLite's plans (EXPLAIN QUERY PLAN with the page's own arguments):

${mdTable(['page', 'statement', 'plan'], statementRows(r), ['l', 'l', 'l'])}
`
}

/** `page` with the scale section replaced, or put before the renewals (or at the end) when it has none. */
export function withScaleSection(page: string, section: string): string {
  return withHeadedSection(page, SCALE_HEADING, section, BEFORE_HEADING)
}
