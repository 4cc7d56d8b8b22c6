// The Worker part of the bench's report (bench/worker.ts): a table on the console, and the section
// "Worker + libSQL over HTTP" of docs/performance.md, which `npm run bench -- --only worker` replaces
// on its own in the page the last full run wrote.
import type { WorkerReport, WorkerRow } from './worker'
import { int, mdTable, ms, table } from './format'
import { withHeadedSection } from './sections'

export const WORKER_TARGETS = { latencyMs: 50, customerPageP50Ms: 150, dashboardCpuMs: 10 }
export const WORKER_HEADING = '## Worker + libSQL over HTTP'
/** Where the section goes in a page that has none yet. */
const BEFORE_HEADING = '## Cold start'

const mark = (met: boolean) => (met ? '✓' : '✗')
const isDashboard = (row: WorkerRow) => row.page.includes('(dashboard')
const perRequest = (s: WorkerRow['roundTrips']) => (s.min === s.max ? String(s.median) : `${s.median} (${s.min}–${s.max})`)

/** The p50 of the same page next to the database. */
function atZero(report: WorkerReport, row: WorkerRow) {
  return report.rows.find((r) => r.page === row.page && r.latencyMs === 0)
}

/** How many of the distance's round trips the page waited for one after another: (p50 − p50 at 0 ms) ÷ distance. */
function waited(report: WorkerReport, row: WorkerRow): string {
  const zero = atZero(report, row)
  return row.latencyMs && zero && row.roundTrips.max > 0 ? ((row.p50 - zero.p50) / row.latencyMs).toFixed(1) : '–'
}

function targetCell(row: WorkerRow): string {
  const cells: string[] = []
  if (row.customer && row.latencyMs === WORKER_TARGETS.latencyMs) cells.push(`p50 ≤ ${WORKER_TARGETS.customerPageP50Ms} ms ${mark(row.p50 <= WORKER_TARGETS.customerPageP50Ms)}`)
  if (isDashboard(row)) cells.push(`CPU ≤ ${WORKER_TARGETS.dashboardCpuMs} ms ${mark(row.cpuMs <= WORKER_TARGETS.dashboardCpuMs)}`)
  return cells.join(', ')
}

export function workerVerdicts(report: WorkerReport) {
  const far = report.rows.filter((r) => r.customer && r.latencyMs === WORKER_TARGETS.latencyMs)
  const slow = far.filter((r) => r.p50 > WORKER_TARGETS.customerPageP50Ms)
  const worst = far.reduce<WorkerRow | undefined>((w, r) => (!w || r.p50 > w.p50 ? r : w), undefined)
  const dashboards = report.rows.filter(isDashboard)
  return {
    far,
    slow,
    worst,
    pagesMet: far.length > 0 && slow.length === 0,
    dashboards,
    cpuMet: dashboards.length > 0 && dashboards.every((r) => r.cpuMs <= WORKER_TARGETS.dashboardCpuMs),
  }
}

/** Each page's rows together, nearest database first. */
function byPage(report: WorkerReport): WorkerRow[] {
  const pages = [...new Set(report.rows.map((r) => r.page))]
  return [...report.rows].sort((a, b) => pages.indexOf(a.page) - pages.indexOf(b.page) || a.latencyMs - b.latencyMs)
}

function rowCells(report: WorkerReport, row: WorkerRow): string[] {
  return [row.page, `${row.latencyMs} ms`, ms(row.p50), ms(row.p95), ms(row.cpuMs), ms(row.proxyCpuMs), perRequest(row.roundTrips), perRequest(row.statements), waited(report, row), targetCell(row)]
}

const HEADERS = ['page', 'database', 'p50 ms', 'p95 ms', 'CPU ms (Worker)', 'CPU ms (proxy)', 'round trips', 'statements', 'waited trips', 'target']
const ALIGN: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']

export function workerConsole(report: WorkerReport): string[] {
  const v = workerVerdicts(report)
  const t = WORKER_TARGETS
  return [
    '',
    `Worker in workerd (wrangler dev, production configuration) on the dev libSQL server, ${report.requests} requests a row after ${report.warmup} untimed, per request:`,
    ...table(HEADERS, byPage(report).map((row) => rowCells(report, row)), ALIGN),
    `Target: at ${t.latencyMs} ms every customer page p50 ≤ ${t.customerPageP50Ms} ms → ${v.pagesMet ? '✓' : `✗ (${v.slow.length} of ${v.far.length} over: ${v.slow.map((r) => `${r.page} ${ms(r.p50)} ms`).join('; ')})`}`,
    `Target: dashboard CPU in workerd ≤ ${t.dashboardCpuMs} ms → ${v.dashboards.map((r) => `${ms(r.cpuMs)} ms at ${r.latencyMs} ms`).join(', ')} ${mark(v.cpuMet)}`,
    `Worker part: ${report.seconds.toFixed(0)} s (seeding ${report.seedSeconds.toFixed(1)} s, wrangler dev start ${(report.wranglerStartMs / 1000).toFixed(1)} s); load average ${report.machine.load} before, ${report.loadAfter} after`,
  ]
}

export function workerMarkdown(report: WorkerReport): string {
  const v = workerVerdicts(report)
  const t = WORKER_TARGETS
  const m = report.machine
  const s = report.scale
  const busy = Number(m.load) > m.cpus / 4 || Number(report.loadAfter) > m.cpus / 4
  const tick = 1000 / report.clockTicks
  return `${WORKER_HEADING}

Production runs the Worker on Cloudflare and its database on Turso, over HTTP: every round trip to the
database costs the distance between them. Measured on ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC (${report.seconds.toFixed(0)} s) by
\`npm run bench\`, or \`npm run bench -- --only worker\`, which measures and rewrites only this section.
Machine: ${m.cpus} × ${m.cpuModel}, ${m.ramGiB.toFixed(1)} GiB, Node ${m.node}; load average ${m.load} at the start, ${report.loadAfter} at the end${busy ? ' — **the machine was busy with other work, so these figures are noisy**' : ''}.

| target (issue 14) | measured | |
| --- | --- | --- |
| at ${t.latencyMs} ms from the database, every customer page answers in ≤ ${t.customerPageP50Ms} ms at p50 | ${v.pagesMet ? `all ${v.far.length} within; the slowest` : `${v.slow.length} of ${v.far.length} over; the slowest`} ${v.worst ? `\`${v.worst.page}\` **${ms(v.worst.p50)} ms**` : '–'} | ${v.pagesMet ? '✓ met' : '✗ not met'} |
| the org dashboard takes ≤ ${t.dashboardCpuMs} ms of CPU in workerd | ${v.dashboards.map((r) => `**${ms(r.cpuMs)} ms** at ${r.latencyMs} ms`).join(', ')} | ${v.cpuMet ? '✓ met' : '✗ not met'} |

How: the Worker (\`src/worker.ts\`) runs in workerd under \`wrangler dev\` (wrangler ${report.wranglerVersion}) in the production
configuration a customer gets (\`workerVars\` in \`bench/production-env.ts\`: \`KONTOR_ENV=production\`,
\`BASE_URL=https://kontor.bench.example\`, so the session cookie is \`__Host-\` and Secure; throwaway Stripe keys;
e-code keys random for the run; Resend pointed at a closed local port). Requests go to wrangler's local
address. Its database is the development libSQL server (\`scripts/dev-libsql-server.ts\`) in the bench's
process, on a file migrated and seeded through it (${int(s.users)} users, ${int(s.sessions)} sessions, ${int(s.outbox)} outbox rows,
${int(s.historyRows)} history rows, ${int(s.usageEvents)} usage events, ${int(report.scale.bigECodes)} e-codes; ${report.seedSeconds.toFixed(1)} s), first with no
added latency, then with ${t.latencyMs} ms added to every HTTP round trip (\`LIBSQL_DEV_LATENCY_MS\`). The bench signs
in once as the big org's administrator and replays the cookie; \`/login\` and \`/r/<code>\` are requested
without it, \`POST /api/v1/usage\` with the org's API key and a new idempotency key each time. Each row:
${report.requests} requests one after another, after ${report.warmup} untimed.

${mdTable(HEADERS, byPage(report).map((row) => rowCells(report, row).map((c) => c.replace(/\|/g, '\\|'))), ALIGN)}

- **p50, p95**: wall time per request at the bench's client, until the whole body has arrived.
- **CPU ms**: user + system time of the workerd process (\`/proc/<pid>/stat\`) over the timed requests, divided
  by their number; counted in ticks of ${ms(tick)} ms, so ±${ms(tick / report.requests)} ms here. "Worker" is the workerd the Worker's code
  runs in, the column to hold against Cloudflare's CPU limit (it also holds miniflare's small entry workers and
  the HTTP work, which Cloudflare's limit does not count, so it errs high); "proxy" is the second workerd \`wrangler dev\`
  starts, which listens on the port and forwards requests: it has no counterpart on Cloudflare.
- **round trips, statements**: HTTP requests and SQL statements the database served per request (the dev
  server's counters; a \`db.batch()\` counts its \`BEGIN\` and \`COMMIT\`), median, with the range when requests differed.
  Each round trip is a subrequest of the Worker's invocation (50 allowed on the Free plan).
- **waited trips**: (p50 − p50 next to the database) ÷ the distance: how many round trips the page waited
  for one after another. Fewer than its round trips means some ran side by side (\`Promise.all\`).
- Local workerd is the same runtime as Cloudflare's, but \`wrangler dev\` runs it with the inspector on and
  an unminified bundle, on ${m.cpus} cores shared with the bench's client and the database server: compare rows
  within a run, and re-run after a change rather than comparing with another machine.
`
}

/** The page with this section in place of the previous one, or inserted before "Cold start" (or at the end). */
export function withWorkerSection(page: string, section: string): string {
  return withHeadedSection(page, WORKER_HEADING, section, BEFORE_HEADING)
}
