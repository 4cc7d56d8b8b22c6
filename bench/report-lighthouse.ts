// The Lighthouse part of the bench's report (bench/lighthouse.ts): a table on the console, and the
// section "Lighthouse mobile" of docs/performance.md, kept between `<!-- lighthouse -->` markers
// (bench/sections.ts) so that `npm run bench -- --only lighthouse` replaces it alone and a full run
// writes it again.
import { CATEGORIES, type LighthouseReport, type LighthouseRow } from './lighthouse'
import { mdTable, ms, table } from './format'

export const LIGHTHOUSE_SECTION = 'lighthouse'
/** Issue 16: every listed page scores 100 in each category, with no layout shift. */
export const LIGHTHOUSE_TARGET = 100

const NAMES: Record<(typeof CATEGORIES)[number], string> = { performance: 'Performance', accessibility: 'Accessibility', 'best-practices': 'Best practices', seo: 'SEO' }

/**
 * Whether a page meets the target: 100 in every category, and CLS 0. A page that refuses search engines
 * on purpose (/r/<code>) can't score 100 in SEO: its SEO counts when it loses points on anything else.
 */
export function meetsTarget(row: LighthouseRow): boolean {
  const required = CATEGORIES.filter((c) => c !== 'seo' || !row.noindex || row.failing.some((f) => f.startsWith('seo:')))
  return required.every((c) => row.scores[c] >= LIGHTHOUSE_TARGET) && row.metrics.cls === 0
}

/** The median run's score, with every run's when they differ ("99 (98, 99, 100)"). */
const performanceCell = (row: LighthouseRow) => (row.runs && new Set(row.runs).size > 1 ? `${row.scores.performance} (${row.runs.join(', ')})` : String(row.scores.performance))

const cells = (row: LighthouseRow, markdown = false) => [
  // "/r/<code>" would be read as an HTML tag in Markdown.
  markdown && row.page.includes('<') ? `\`${row.page}\`` : row.page,
  ...CATEGORIES.map((c) => (c === 'performance' ? performanceCell(row) : c === 'seo' && row.noindex ? `${row.scores.seo} (noindex)` : String(row.scores[c]))),
  ms(row.metrics.fcp),
  ms(row.metrics.lcp),
  ms(row.metrics.tbt),
  row.metrics.cls === 0 ? '0' : row.metrics.cls.toFixed(3),
  String(row.cpuIndex),
  meetsTarget(row) ? '✓' : '✗',
]
const HEADERS = ['page', ...CATEGORIES.map((c) => NAMES[c]), 'FCP ms', 'LCP ms', 'TBT ms', 'CLS', 'CPU index', 'target']
const ALIGN: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']

export function lighthouseConsole(report: LighthouseReport): string[] {
  const missed = report.rows.filter((r) => !meetsTarget(r))
  return [
    '',
    `Lighthouse ${report.lighthouseVersion} mobile (simulated slow 4G, 4× CPU slowdown), Chromium ${report.chromiumVersion}, median of ${report.runs} runs per page:`,
    ...table(HEADERS, report.rows.map((r) => cells(r)), ALIGN),
    `Target: ${LIGHTHOUSE_TARGET} in every category, CLS 0, on every page → ${missed.length === 0 ? '✓' : `✗ (${missed.map((r) => r.page).join(', ')})`}`,
    ...report.rows.filter((r) => r.failing.length).map((r) => `  ${r.page} loses points on: ${r.failing.join('; ')}`),
    `Lighthouse part: ${report.seconds.toFixed(0)} s; load average ${report.machine.load} before, ${report.loadAfter} after`,
  ]
}

export function lighthouseMarkdown(report: LighthouseReport): string {
  const m = report.machine
  const missed = report.rows.filter((r) => !meetsTarget(r))
  const busy = Number(m.load) > m.cpus / 4 || Number(report.loadAfter) > m.cpus / 4
  const losses = report.rows.filter((r) => r.failing.length)
  return [
    '## Lighthouse mobile (issue 16)',
    '',
    `Written by \`npm run bench\` (or \`npm run bench -- --only lighthouse\`, \`bench/lighthouse.ts\`) on ${report.date.slice(0, 16).replace('T', ' ')} UTC,`,
    `Lighthouse ${report.lighthouseVersion} with Debian's Chromium ${report.chromiumVersion} (headless), its mobile run: a mid-range phone`,
    `on a slow 4G line (simulated throttling), a fresh browser per run, the median of ${report.runs} runs per page (by performance`,
    'score; the others\' scores in brackets when they differ). The server is `npm start`\'s bundle in the',
    'production configuration on a small seeded database (the bench\'s big org: 5 products, 500 history rows, 400',
    'e-codes); signed-in pages carry its administrator\'s session cookie, the checkout summary a cart of two',
    'SimplySign units for it. Milliseconds are Lighthouse\'s simulated ones.',
    '',
    mdTable(HEADERS, report.rows.map((r) => cells(r, true)), ALIGN),
    '',
    `Target (issue 16): ${LIGHTHOUSE_TARGET} in every category and CLS 0 on every page: ${missed.length === 0 ? '**met**' : `**not met** on ${missed.map((r) => cells(r, true)[0]).join(', ')}`}.`,
    ...report.rows.filter((r) => r.noindex).map((r) => `${cells(r, true)[0]} refuses indexing on purpose (${r.noindex}): Lighthouse's SEO audit "Page is blocked from indexing" costs it ${100 - r.scores.seo} SEO points, not counted.`),
    '"CPU index" is Lighthouse\'s benchmark index of the host during the reported run; below 1000 Lighthouse warns that',
    'the CPU is slower than it assumes, and the blocking time it simulates (4× the observed main-thread work) grows with it.',
    ...(losses.length
      ? ['', 'Where points are lost:', '', ...losses.map((r) => `- ${cells(r, true)[0]}: ${r.failing.join('; ')}`)]
      : []),
    '',
    `${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}; load average ${m.load} before, ${report.loadAfter} after${busy ? ' — the machine was busy, which slows the simulated CPU work Lighthouse measures' : ''}; ${report.seconds.toFixed(0)} s.`,
  ].join('\n')
}
