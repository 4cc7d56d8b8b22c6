// The benchmark's table on the console and docs/performance.md.
import type { LoadResult } from './load'
import type { InProcessResult } from './inprocess'
import type { Machine } from './machine'
import type { Seeded } from './seed'

export type Report = {
  date: Date
  seconds: number
  machine: Machine
  loadAfter: string
  scale: Seeded['scale']
  seedSeconds: number
  databaseMiB: number
  duration: number
  warmup: number
  /** [empty tsx cache, warm, warm, …] in ms. */
  coldStarts: number[]
  /** The what-if: the same server bundled by esbuild, started by plain node. */
  bundledStarts: number[]
  bundleError: string | null
  memory: {
    idle: { peakMiB: number; rssMiB: number } | null
    peak: { peakMiB: number; rssMiB: number } | null
    /** VmHWM after each scenario, by label. */
    peakAfter: Record<string, number>
  }
  results: LoadResult[]
  yardstick: LoadResult
  account50: LoadResult
  /** Seen from another connection during the GET /account load at 50 connections. */
  writesDuringAccount: { commits: boolean; sessionsTouched: number }
  signInsUsed: number
  inProcess: InProcessResult
}

export const TARGETS = { accountP50Ms: 5, coldStartMs: 1500 }

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–')
const int = (v: number) => Math.round(v).toLocaleString('en-US')

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function statuses(r: LoadResult): string {
  const parts = Object.entries(r.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${int(n)}×${code}`)
  if (r.errors) parts.push(`${int(r.errors)} errors`)
  if (r.timeouts) parts.push(`${int(r.timeouts)} timeouts`)
  return parts.join(', ') || 'none'
}

function byLabel(report: Report, prefix: string): LoadResult | undefined {
  return report.results.find((r) => r.label.startsWith(prefix))
}

/** The figures the targets are judged on. */
export function verdicts(report: Report) {
  const account1 = byLabel(report, 'GET /account (signed in), 1 conn.')
  const inProcess = report.inProcess.timings.find((t) => t.label.startsWith('GET /account'))
  const warm = report.coldStarts.slice(1)
  const coldest = report.coldStarts[0]!
  return {
    accountP50Http: account1?.p50 ?? NaN,
    accountP50InProcess: inProcess?.p50 ?? NaN,
    accountMet: (account1?.p50 ?? Infinity) < TARGETS.accountP50Ms,
    warmStartMedian: median(warm.length ? warm : report.coldStarts),
    coldestStart: coldest,
    startMet: median(warm.length ? warm : report.coldStarts) < TARGETS.coldStartMs,
    coldestMet: coldest < TARGETS.coldStartMs,
  }
}

function table(headers: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)]
}

export function printReport(report: Report) {
  const v = verdicts(report)
  const out: string[] = ['']
  out.push(`Kontor bench — ${report.date.toISOString()} — ${report.machine.cpus} CPUs, ${report.machine.cpuModel}, Node ${report.machine.node}`)
  out.push(
    `Seeded: ${int(report.scale.users)} users, ${int(report.scale.orgs)} orgs, ${int(report.scale.sessions)} sessions, ${int(report.scale.outbox)} outbox rows, ${int(report.scale.jobRuns)} job runs (${report.databaseMiB.toFixed(0)} MiB, ${report.seedSeconds.toFixed(1)} s)`,
  )
  out.push('')
  out.push(
    ...table(
      ['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'responses'],
      report.results.map((r) => [r.label, int(r.rps), ms(r.p50), ms(r.p90), ms(r.p99), statuses(r)]),
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
  )
  out.push('')
  out.push(
    ...table(
      ['in-process (app.request, no HTTP)', 'p50 ms', 'p90 ms', 'p99 ms', 'RSS Δ MiB'],
      report.inProcess.timings.map((t) => [t.label, ms(t.p50), ms(t.p90), ms(t.p99), t.label.trim().startsWith('SQL') ? '–' : t.rssGrowthMiB.toFixed(0)]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  )
  out.push('')
  const w = report.writesDuringAccount
  out.push(`GET /account runs ${report.inProcess.accountStatements.length} statements (${report.inProcess.accountWrites} writes); during ${int(report.account50.requests)} signed-in requests at 50 conn. the server ${w.commits ? 'committed writes' : 'committed nothing'} (${int(w.sessionsTouched)} sessions' last_seen_at updated)`)
  out.push(`Cold start (spawn → first 200 on GET /login): ${report.coldStarts.map((c, i) => `${ms(c)}${i === 0 ? ' (empty tsx cache)' : ''}`).join(', ')} ms; warm median ${ms(v.warmStartMedian)} ms`)
  const m = report.memory
  if (report.bundledStarts.length) out.push(`What-if, bundled by esbuild and started by plain node: ${report.bundledStarts.map(ms).join(', ')} ms; median ${ms(median(report.bundledStarts))} ms`)
  out.push(`Server memory: RSS ${m.idle ? m.idle.rssMiB.toFixed(0) : '?'} MiB idle after start, peak (VmHWM) ${m.peak ? m.peak.peakMiB.toFixed(0) : '?'} MiB at the end`)
  out.push('  peak (VmHWM) after each scenario:')
  for (const [label, peak] of Object.entries(m.peakAfter)) out.push(`    ${label}: ${peak.toFixed(0)} MiB`)
  out.push('')
  out.push(`Target: signed-in page p50 < ${TARGETS.accountP50Ms} ms server time → ${ms(v.accountP50Http)} ms over HTTP at 1 conn. (${ms(v.accountP50InProcess)} ms in-process): ${v.accountMet ? 'MET' : 'NOT MET'}`)
  out.push(`Target: cold start < ${TARGETS.coldStartMs} ms → warm median ${ms(v.warmStartMedian)} ms: ${v.startMet ? 'MET' : 'NOT MET'}; empty tsx cache ${ms(v.coldestStart)} ms: ${v.coldestMet ? 'met' : 'not met'}`)
  out.push(`Load average ${report.machine.load} before, ${report.loadAfter} after; ${report.seconds.toFixed(0)} s in all`)
  console.log(out.join('\n'))
}

const yes = (met: boolean) => (met ? '**met**' : '**not met**')
const mib = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '?' : `${v.toFixed(0)} MiB`)

function mdTable(headers: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const sep = align.map((a) => (a === 'r' ? '---:' : '---'))
  return [headers, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

export function renderMarkdown(report: Report): string {
  const v = verdicts(report)
  const m = report.machine
  const y = report.yardstick
  const find = (prefix: string) => byLabel(report, prefix)
  const account1 = find('GET /account (signed in), 1 conn.')
  const login1 = find('GET /login, 1 conn.')
  const duringSignIns = find('GET /account, 1 conn., during')
  const wrong1 = find('POST /login wrong password, 1 conn.')
  const wrong10 = find('POST /login wrong password, 10 conn.')
  const login50 = find('GET /login, 50 conn.')
  const inAccount = report.inProcess.timings.find((t) => t.label === 'GET /account (app.request)')
  const inReused = report.inProcess.timings.find((t) => t.label.includes('what-if'))
  const inLogin = report.inProcess.timings.find((t) => t.label === 'GET /login (app.request)')
  const peakAfter = report.memory.peakAfter
  const all401 = report.results
    .filter((r) => r.label.startsWith('POST /login'))
    .every((r) => Object.keys(r.statuses).every((c) => c === '401') && Object.keys(r.warmupStatuses).every((c) => c === '401'))
  const throttled = report.results.reduce((n, r) => n + (r.statuses['429'] ?? 0) + (r.warmupStatuses['429'] ?? 0), 0)

  const loadRows = report.results.map((r) => [
    r.label,
    int(r.rps),
    r === y ? '100 %' : `${((r.rps / y.rps) * 100).toFixed(r.rps / y.rps < 0.01 ? 2 : 1)} %`,
    ms(r.p50),
    ms(r.p90),
    ms(r.p99),
    statuses(r),
  ])
  // RSS only for whole pages: a tight loop of one statement makes little JS garbage, so the native memory
  // of the statements libSQL prepares waits longer for a collection than it does in the app.
  const rssOf = (t: { label: string; rssGrowthMiB: number }) => (t.label.trim().startsWith('SQL') ? '–' : `${t.rssGrowthMiB >= 0 ? '+' : ''}${t.rssGrowthMiB.toFixed(0)} MiB`)
  const inRows = report.inProcess.timings.map((t) => [t.label.trim().replace(/\|/g, '\\|'), ms(t.p50), ms(t.p90), ms(t.p99), rssOf(t)])
  const statementRows = report.inProcess.accountStatements.map((s, i) => [
    String(i + 1),
    `\`${s.sql.length > 160 ? `${s.sql.slice(0, 157)}…` : s.sql}\``.replace(/\|/g, '\\|'),
    s.plan.join('; ') || '(write)',
  ])

  return `# Performance

Written by \`npm run bench\` (\`bench/run.ts\`) on ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC; run it again to
refresh this page rather than editing it. The run took ${report.seconds.toFixed(0)} s.

## Targets

| target (from the issue) | measured | |
| --- | --- | --- |
| a signed-in page renders in under ${TARGETS.accountP50Ms} ms of server time at p50 | \`GET /account\` p50 **${ms(v.accountP50Http)} ms** over HTTP at 1 connection (${ms(v.accountP50InProcess)} ms in-process, no HTTP) | ${yes(v.accountMet)} |
| cold start under ${TARGETS.coldStartMs / 1000} s | \`tsx src/node.ts\` spawn → first 200 on \`GET /login\`: median **${ms(v.warmStartMedian)} ms** of ${report.coldStarts.length - 1} starts; ${ms(v.coldestStart)} ms with tsx's transform cache empty | ${yes(v.startMet)} (empty cache: ${v.coldestMet ? 'met' : 'not met'}) |

## Machine

| | |
| --- | --- |
| CPUs (\`nproc\`) | ${m.cpus} |
| CPU | ${m.cpuModel} |
| RAM | ${m.ramGiB.toFixed(1)} GiB |
| Node | ${m.node} |
| kernel | ${m.kernel} |
| load average (1 min) | ${m.load} at the start, ${report.loadAfter} at the end${Number(m.load) > m.cpus / 4 ? ' — the machine was busy with other work, so every figure is lower and noisier than on an idle machine' : ''} |

## Seeded data

A fresh temporary database, migrated, with the demo data of \`npm start\` and then, in batched inserts
(${report.seedSeconds.toFixed(1)} s, ${report.databaseMiB.toFixed(0)} MiB file):

| table | rows |
| --- | ---: |
| users (activated; one scrypt hash shared by all) | ${int(report.scale.users)} + 2 demo |
| orgs / memberships | ${int(report.scale.orgs)} / ${int(report.scale.users)} (${report.scale.usersPerOrg} members each) |
| consents | ${int(report.scale.consents)} |
| sessions | ${int(report.scale.sessions)}: ${int(report.scale.freshSessions)} fresh (seen in the last 30 min), the rest older, renewable or expired |
| outbox | ${int(report.scale.outbox)} (~1.5 KB of HTML each; sent, failed, pending) |
| job runs | ${int(report.scale.jobRuns)} (the mail job every 2 minutes for 30 days, purges daily) |

## Throughput and latency over HTTP

The server runs as \`npm start\` runs it (\`tsx src/node.ts\`, \`KONTOR_ENV=production\`, scheduler off) in a
child process; autocannon ${report.warmup} s warm-up + ${report.duration} s per row, on the same connections, only
requests sent after the warm-up counted. "% of yardstick" compares with a trivial Hono app
(\`bench/baseline-server.ts\`) measured the same way in the same run. Signed-in requests rotate over
the ${int(report.scale.freshSessions)} fresh sessions; every wrong-password sign-in uses another seeded account, since the
throttle allows 5 attempts a minute per e-mail and IP.

${mdTable(['scenario', 'req/s', '% of yardstick', 'p50 ms', 'p90 ms', 'p99 ms', 'responses in the timed window'], loadRows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])}

${all401 ? `Every wrong-password sign-in (warm-up included, ${int(report.signInsUsed)} in all) was answered 401: none throttled.` : `Not every wrong-password sign-in was answered 401: ${int(throttled)} were throttled (429), so those rows are not pure hashing cost.`}

## Server time of the signed-in page (in-process)

The same app built in the bench process on the same file and called through \`app.request()\`:
no sockets, no HTTP parsing, no load generator. Each row: ${int(report.inProcess.timings[0]?.iterations ?? 0)} timed sequential calls after ${int(report.inProcess.timings[0]?.warmup ?? 0)} untimed ones
(the RSS column spans both).

${mdTable(['what', 'p50 ms', 'p90 ms', 'p99 ms', 'RSS of the bench process'], inRows, ['l', 'r', 'r', 'r', 'r'])}

The what-if row replaces \`Intl.DateTimeFormat\` with one that hands out a shared instance per locale and options
(the page it renders is checked to be identical); it runs before the as-is row, so each row's RSS change
is its own.

What one \`GET /account\` runs against the database (a fresh session: the steady state), with SQLite's plan:

${mdTable(['#', 'statement', 'plan'], statementRows, ['r', 'l', 'l'])}

## Cold start

Spawn → first 200 on \`GET /login\`, polled every 5 ms, on the seeded database (migrations already applied,
demo data present).

| how | starts (ms) | median |
| --- | --- | ---: |
| \`tsx src/node.ts\` (\`npm start\`) | ${report.coldStarts.map((c, i) => `${ms(c)}${i === 0 ? ' (empty tsx cache)' : ''}`).join(', ')} | ${ms(v.warmStartMedian)} |
| what-if: \`src/node.ts\` bundled by esbuild, \`node bundle.mjs\` | ${report.bundledStarts.length ? report.bundledStarts.map(ms).join(', ') : `— (${report.bundleError})`} | ${report.bundledStarts.length ? ms(median(report.bundledStarts)) : '—'} |

## Memory of the server process

| when | |
| --- | ---: |
| idle after start (VmRSS) | ${mib(report.memory.idle?.rssMiB)} |
${Object.entries(peakAfter)
  .map(([label, peak]) => `| peak (VmHWM) after: ${label} | ${mib(peak)} |`)
  .join('\n')}
| peak (VmHWM) at the end | ${mib(report.memory.peak?.peakMiB)} |

## What this run shows

- **Writes per signed-in request:** \`GET /account\` ran ${report.inProcess.accountStatements.length} statements, ${report.inProcess.accountWrites} of them writes. Watched from another
  connection (\`PRAGMA data_version\`), the server ${report.writesDuringAccount.commits ? '**committed writes**' : 'committed no write'} during the ${int(report.account50.requests)} signed-in requests at
  50 connections, and ${int(report.writesDuringAccount.sessionsTouched)} sessions had \`last_seen_at\` updated: ${
    report.writesDuringAccount.commits ? 'some requests write' : 'session validation does not write per request (at most once an hour per session, or once a day for a remembered one)'
  }.
- **The signed-in page versus the sign-in page:** in-process ${ms(inAccount?.p50 ?? NaN)} ms against ${ms(inLogin?.p50 ?? NaN)} ms at p50${
    inReused && inAccount ? `; reusing \`Intl.DateTimeFormat\` instances instead of building one per date shown brings \`/account\` to ${ms(inReused.p50)} ms (${(((inAccount.p50 - inReused.p50) / inAccount.p50) * 100).toFixed(0)} % less)` : ''
  }. Over HTTP at 1 connection: ${ms(account1?.p50 ?? NaN)} ms against ${ms(login1?.p50 ?? NaN)} ms.
- **Memory:** the server's peak RSS went from ${mib(peakAfter[login50?.label ?? ''])} after the sign-in page load to ${mib(peakAfter[report.account50.label])} after the signed-in page load.
  In-process, ${int((inAccount?.iterations ?? 0) + (inAccount?.warmup ?? 0))} signed-in pages as the app is grew RSS by ${mib(inAccount?.rssGrowthMiB)}, with date formatters reused by ${mib(inReused?.rssGrowthMiB)}:
  each \`Intl.DateTimeFormat\` holds ICU memory outside the JS heap until a full garbage collection, which a small heap rarely triggers.
- **Password hashing shares the event loop:** a wrong-password sign-in takes ${ms(wrong1?.p50 ?? NaN)} ms at p50 alone (≈ ${ms(wrong1 ? 1000 / wrong1.rps : NaN)} ms of
  the one JS thread each: ${int(wrong10?.rps ?? NaN)} per second at most, however many connections). While 10 connections sign in with wrong
  passwords, the signed-in page's p50 at 1 connection goes from ${ms(account1?.p50 ?? NaN)} ms to ${ms(duringSignIns?.p50 ?? NaN)} ms (p99 ${ms(duringSignIns?.p99 ?? NaN)} ms).
- **Cold start** is mostly module loading: ${ms(v.warmStartMedian)} ms as \`npm start\` runs it (tsx resolving and loading every file through its
  loader hooks) against ${report.bundledStarts.length ? `${ms(median(report.bundledStarts))} ms` : '— (not measured)'} for the same code bundled into one file and run by plain \`node\`.

## How to read these figures

- **Compare ratios within one run, not absolute numbers across runs or machines.** The load generator
  (autocannon) runs on the same ${m.cpus} cores as the server and competes with it for CPU; the yardstick row
  shows what "a server that does nothing" reaches here, and other work on the machine (tests, builds)
  lowers everything. Absolute figures depend on the machine.
- **req/s at 50 connections** is the server saturated: the throughput of its one JS thread for that page.
  p50 there is mostly queueing (≈ connections ÷ req/s); the figure to judge a page's own cost by is the
  p50 at 1 connection, or the in-process time.
- **p50 at 1 connection on loopback** is server time plus a loopback round trip and HTTP parsing on both
  ends (compare the yardstick and \`GET /login\`); the in-process table removes those.
- **Latencies** are taken per response from \`process.hrtime\` (float ms). Requests sent during the warm-up
  don't count: under CPU saturation Node admits new keep-alive connections slowly, and a fresh
  connection's first request can wait seconds — a trait of the harness, also seen with a trivial handler.
- **Wrong-password sign-ins** are dominated by scrypt (N=2^14, r=8, p=1): their req/s is the hashing
  budget of the one JS thread, and their latency at 10 connections is mostly waiting for other hashes.

Run it: \`npm run bench\` (about ${Math.max(1, Math.round(report.seconds / 60))} minutes; works offline). \`npm run bench -- --duration 3 --warmup 1 --no-write\`
is a quick look that leaves this page alone. The bench cleans up its temporary directory and child processes
even when it fails.
`
}
