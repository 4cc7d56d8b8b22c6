// The pages' weight in the bench's report (bench/page-weight.ts): what a browser downloads for each
// page, htmx on its own column, plain and as gzip and brotli would send it.
import type { PageWeight, Sizes } from './page-weight'
import { int, mdTable, table } from './format'

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`
const cell = (s: Sizes) => `${int(s.bytes)} / ${int(s.gzip)} / ${int(s.brotli)}`
const HEADERS = ['page', 'HTML', 'CSS', 'htmx', 'other JS', 'total', 'total gzip', 'total brotli']

function rows(weights: PageWeight[]) {
  return weights.map((w) => [w.label, cell(w.html), cell(w.css), cell(w.htmx), cell(w.otherJs), kb(w.total.bytes), kb(w.total.gzip), kb(w.total.brotli)])
}

export function weightConsole(weights: PageWeight[]): string[] {
  return ['', 'Page weight (bytes: plain / gzip -6 / brotli 11; totals in KB)', ...table(HEADERS, rows(weights), ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'])]
}

export function weightMarkdown(weights: PageWeight[]): string {
  return `What a browser downloads for each page on a first visit: the HTML as served, and the stylesheet and scripts it links,
htmx in its own column. Each cell is bytes plain / gzip (level 6) / brotli (quality 11), computed here from what the server
sent uncompressed; the totals are HTML + CSS + htmx + other scripts. On later pages the browser has the stylesheet and htmx
cached (fingerprinted file names), so only the HTML travels.

${mdTable(HEADERS, rows(weights), ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'])}
`
}

export const WEIGHT_HEADING = '## Page weight (issue 17)'

/** The main run's section: the pages a customer opens most, signed in or not. */
export function weightSection(weights: PageWeight[]): string {
  return `${WEIGHT_HEADING}\n\n${weightMarkdown(weights)}`
}
