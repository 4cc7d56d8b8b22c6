// The benchmark's table on the console and docs/performance.md.
import type { LoadResult } from './load'
import type { InProcessResult } from './inprocess'
import type { Machine } from './machine'
import type { BigOrg, Seeded } from './seed'
import type { ECodeReport } from './ecodes'
import { ecodeConsole, ecodeMarkdown, ecodeTargetRows } from './report-ecodes'
import type { RenewalsReport } from './renewals'
import { renewalsConsole, renewalsMarkdown } from './report-renewals'
import { PASSWORD_COST } from '../src/auth/password'
import { int, mdTable, median, mib, ms, sqlCell, statuses, table, yes } from './format'
import { usageConsole, type UsageReport } from './usage'

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
  /** `npm start` (node scripts/start.mjs): [stale bundle (rebuilt first), fresh, fresh, …] in ms. */
  coldStarts: number[]
  /** scripts/build-node.mjs on its own, in ms. */
  buildMs: number
  /** Which of coldStarts rebuilt the bundle (0 always; others only if src/ changed meanwhile). */
  rebuiltAt: number[]
  /** `tsx src/node.ts` (what `npm run dev` runs): [empty tsx cache, warm, …] in ms. */
  tsxStarts: number[]
  big: BigOrg & { deepOffset: number; deepPath: string }
  /** POST /api/v1/usage at 1, 10 and 50 connections, accounted for (bench/usage.ts; its own section of the page). */
  usage: UsageReport
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
  /** Issue 6: the big org's e-codes (bench/ecodes.ts). */
  ecodes: ECodeReport
  /** Issue 7: the renewals job at scale (bench/renewals.ts). */
  renewals: RenewalsReport
}

export const TARGETS = { accountP50Ms: 5, coldStartMs: 1500 }

function byLabel(report: Report, prefix: string): LoadResult | undefined {
  return report.results.find((r) => r.label.startsWith(prefix))
}

/** The figures the targets are judged on. */
export function verdicts(report: Report) {
  const account1 = byLabel(report, 'GET /account (signed in), 1 conn.')
  const inProcess = report.inProcess.timings.find((t) => t.label.startsWith('GET /account'))
  const warm = report.coldStarts.slice(1)
  const stale = report.coldStarts[0]!
  const warmMedian = median(warm.length ? warm : report.coldStarts)
  return {
    accountP50Http: account1?.p50 ?? NaN,
    accountP50InProcess: inProcess?.p50 ?? NaN,
    accountMet: (account1?.p50 ?? Infinity) < TARGETS.accountP50Ms,
    warmStartMedian: warmMedian,
    staleStart: stale,
    startMet: warmMedian < TARGETS.coldStartMs,
    staleMet: stale < TARGETS.coldStartMs,
    tsxMedian: median(report.tsxStarts.slice(1).length ? report.tsxStarts.slice(1) : report.tsxStarts),
  }
}

export function printReport(report: Report) {
  const v = verdicts(report)
  const out: string[] = ['']
  out.push(`Kontor bench — ${report.date.toISOString()} — ${report.machine.cpus} CPUs, ${report.machine.cpuModel}, Node ${report.machine.node}`)
  out.push(
    `Seeded: ${int(report.scale.users)} users, ${int(report.scale.orgs)} orgs, ${int(report.scale.sessions)} sessions, ${int(report.scale.outbox)} outbox rows, ${int(report.scale.jobRuns)} job runs, ${int(report.scale.historyRows)} history rows (${int(report.big.historyRows)} of ${report.big.slug}), ${int(report.scale.usageEvents)} usage events (${report.databaseMiB.toFixed(0)} MiB, ${report.seedSeconds.toFixed(1)} s)`,
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
  const accountPage = report.inProcess.pages.find((p) => p.label === 'GET /account')
  out.push(`GET /account runs ${accountPage?.statements.length ?? '?'} statements (${accountPage?.writes ?? '?'} writes); during ${int(report.account50.requests)} signed-in requests at 50 conn. the server ${w.commits ? 'committed writes' : 'committed nothing'} (${int(w.sessionsTouched)} sessions' last_seen_at updated)`)
  for (const page of report.inProcess.pages) out.push(`  ${page.label}: ${page.statements.length} statements, ${page.writes} writes`)
  out.push(...usageConsole(report.usage))
  const h = historyStatement(report)
  if (h) out.push(`History query plan (${report.big.deepOffset.toLocaleString('en-US')} rows in): ${h.plan.join('; ')}`)
  out.push(`Bundle build (scripts/build-node.mjs): ${ms(report.buildMs)} ms`)
  out.push(`npm start (spawn → first 200 on GET /login): ${startsText(report)} ms; fresh-bundle median ${ms(v.warmStartMedian)} ms`)
  out.push(`tsx src/node.ts (npm run dev): ${report.tsxStarts.map((c, i) => `${ms(c)}${i === 0 ? ' (empty tsx cache)' : ''}`).join(', ')} ms; median ${ms(v.tsxMedian)} ms`)
  const m = report.memory
  out.push(`Server memory: RSS ${m.idle ? m.idle.rssMiB.toFixed(0) : '?'} MiB idle after start, peak (VmHWM) ${m.peak ? m.peak.peakMiB.toFixed(0) : '?'} MiB at the end`)
  out.push('  peak (VmHWM) after each scenario:')
  for (const [label, peak] of Object.entries(m.peakAfter)) out.push(`    ${label}: ${peak.toFixed(0)} MiB`)
  out.push('')
  out.push(`Target: signed-in page p50 < ${TARGETS.accountP50Ms} ms server time → ${ms(v.accountP50Http)} ms over HTTP at 1 conn. (${ms(v.accountP50InProcess)} ms in-process): ${v.accountMet ? 'MET' : 'NOT MET'}`)
  out.push(`Target: cold start < ${TARGETS.coldStartMs} ms → npm start, bundle fresh: median ${ms(v.warmStartMedian)} ms: ${v.startMet ? 'MET' : 'NOT MET'}; bundle stale (rebuilt first): ${ms(v.staleStart)} ms: ${v.staleMet ? 'met' : 'not met'}`)
  out.push(...ecodeConsole(report))
  out.push(...renewalsConsole(report.renewals))
  out.push(`Load average ${report.machine.load} before, ${report.loadAfter} after; ${report.seconds.toFixed(0)} s in all`)
  console.log(out.join('\n'))
}

function startsText(report: Report): string {
  return report.coldStarts
    .map((c, i) => `${ms(c)}${i === 0 ? ' (stale bundle, rebuilt)' : report.rebuiltAt.includes(i) ? ' (rebuilt: src/ changed meanwhile)' : ''}`)
    .join(', ')
}

/** listHistory's SELECT as the deep history page ran it. */
export function historyStatement(report: Report) {
  const page = report.inProcess.pages.find((p) => p.label.includes('history (deep page)'))
  return page?.statements.find((s) => /from "history"/.test(s.sql) && /order by "history"\."at" desc/.test(s.sql))
}

export function renderMarkdown(report: Report): string {
  const v = verdicts(report)
  const m = report.machine
  const y = report.yardstick
  const big = report.big
  const find = (prefix: string) => byLabel(report, prefix)
  const account1 = find('GET /account (signed in), 1 conn.')
  const login1 = find('GET /login, 1 conn.')
  const duringSignIns = find('GET /account, 1 conn., during')
  const wrong1 = find('POST /login wrong password, 1 conn.')
  const wrong10 = find('POST /login wrong password, 10 conn.')
  const login50 = find('GET /login, 50 conn.')
  const dash1 = find(`GET /o/${big.slug} (5 products), 1 conn.`)
  const dash50 = find(`GET /o/${big.slug} (5 products), 50 conn.`)
  const ent1 = find('GET /api/v1/entitlements, 1 conn.')
  const hist1 = find(`GET /o/${big.slug}/history (first page)`)
  const histDeep = find(`GET /o/${big.slug}/history (${big.deepOffset / 1000}k rows in)`)
  const usageAt = (connections: number) => report.usage.rows.find((r) => r.connections === connections)
  const [usage1, usage10, usage50] = [usageAt(1), usageAt(10), usageAt(50)]
  const timing = (prefix: string) => report.inProcess.timings.find((t) => t.label.startsWith(prefix))
  const inAccount = timing('GET /account (app.request)')
  const inLogin = timing('GET /login (app.request)')
  const inDash = timing(`GET /o/${big.slug} (5 products)`)
  const inHist = timing(`GET /o/${big.slug}/history (first page)`)
  const inDeep = timing(`GET /o/${big.slug}/history (deep page)`)
  const peakAfter = report.memory.peakAfter
  const all401 = report.results
    .filter((r) => r.label.startsWith('POST /login'))
    .every((r) => Object.keys(r.statuses).every((c) => c === '401') && Object.keys(r.warmupStatuses).every((c) => c === '401'))
  const throttled = report.results.reduce((n, r) => n + (r.statuses['429'] ?? 0) + (r.warmupStatuses['429'] ?? 0), 0)
  const pageOf = (prefix: string) => report.inProcess.pages.find((p) => p.label.startsWith(prefix))
  const dashPage = pageOf(`GET /o/${big.slug} (5 products)`)
  const usagePage = pageOf('POST /api/v1/usage')
  const hist = historyStatement(report)
  const monthUsed = big.usageThisMonth
  // The usage sums of the dashboard and of a usage call, with SQLite's plan for them.
  const usagePlan = dashPage?.statements.find((s) => /usage_events/.test(s.sql))?.plan.join('; ')

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
  const inRows = report.inProcess.timings.map((t) => [t.label.trim().replace(/\|/g, '\\|'), int(t.iterations), ms(t.p50), ms(t.p90), ms(t.p99), rssOf(t)])
  const statementTables = report.inProcess.pages
    .map((page) => {
      const rows = page.statements.map((s, i) => [String(i + 1), sqlCell(s.sql), (s.plan.join('; ') || '(write)').replace(/\|/g, '\\|')])
      const head = `**${page.label}** (\`${page.path.replace(/cursor=[^&]*/, 'cursor=…')}\`): ${page.statements.length} statements, ${page.writes} writes`
      return rows.length ? `${head}\n\n${mdTable(['#', 'statement', 'plan'], rows, ['r', 'l', 'l'])}` : `${head} (no database access)`
    })
    .join('\n\n')
  const staleNote = report.rebuiltAt.length > 1 ? ` (start${report.rebuiltAt.length > 2 ? 's' : ''} ${report.rebuiltAt.slice(1).map((i) => i + 1).join(', ')} rebuilt it too: src/ changed meanwhile)` : ''

  return `# Performance

Written by \`npm run bench\` (\`bench/run.ts\`) on ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC; run it again to
refresh this page rather than editing it. The run took ${report.seconds.toFixed(0)} s.

## Targets

| target (from the issue) | measured | |
| --- | --- | --- |
| a signed-in page renders in under ${TARGETS.accountP50Ms} ms of server time at p50 | \`GET /account\` p50 **${ms(v.accountP50Http)} ms** over HTTP at 1 connection (${ms(v.accountP50InProcess)} ms in-process, no HTTP) | ${yes(v.accountMet)} |
| cold start under ${TARGETS.coldStartMs / 1000} s | \`npm start\` (\`node scripts/start.mjs\`) spawn → first 200 on \`GET /login\`, bundle fresh: median **${ms(v.warmStartMedian)} ms** of ${report.coldStarts.length - 1} starts; ${ms(v.staleStart)} ms with the bundle stale (rebuilt first) | ${yes(v.startMet)} (stale bundle: ${v.staleMet ? 'met' : 'not met'}) |
${ecodeTargetRows(report)}

## Machine

| | |
| --- | --- |
| CPUs (\`nproc\`) | ${m.cpus} |
| CPU | ${m.cpuModel} |
| RAM | ${m.ramGiB.toFixed(1)} GiB |
| Node | ${m.node} |
| kernel | ${m.kernel} |
| load average (1 min) | ${m.load} at the start, ${report.loadAfter} at the end${Number(m.load) > m.cpus / 4 || Number(report.loadAfter) > m.cpus ? ' — the machine was busy with other work (or the bench itself, at the end), so figures are lower and noisier than on an idle machine' : ''} |

## Seeded data

A fresh temporary database, migrated, with the demo catalog (no demo accounts: production refuses them) and then, in batched inserts
(${report.seedSeconds.toFixed(1)} s, ${report.databaseMiB.toFixed(0)} MiB file):

| table | rows |
| --- | ---: |
| users (activated; one scrypt hash shared by all) | ${int(report.scale.users)} + ${report.scale.bigMembers} of ${big.slug} |
| orgs / memberships | ${int(report.scale.orgs)} / ${int(report.scale.users + report.scale.bigMembers)} (${report.scale.usersPerOrg} members each; ${big.slug}: ${big.members}) |
| consents | ${int(report.scale.consents)} + ${report.scale.bigMembers * 2} |
| sessions | ${int(report.scale.sessions)}: ${int(report.scale.freshSessions)} fresh (seen in the last 30 min), the rest older, renewable or expired; + ${big.adminTokens.length} fresh of ${big.slug}'s administrator |
| outbox | ${int(report.scale.outbox)} (~1.5 KB of HTML each; sent, failed, pending) |
| job runs | ${int(report.scale.jobRuns)} (the mail job every 2 minutes for 30 days, purges daily) |
| history | ${int(report.scale.historyRows)}: ${report.scale.historyPerOrg} for each bench org, **${int(big.historyRows)}** for ${big.slug} (two years, 10 kinds, ${big.members} members, 15 former members and the system) |
| products | the demo catalog (4) + 2 bench subscription products (\`bench-archive\`, \`bench-forms\`: three quotas, a free and a paid plan with limits each) |
| subscriptions / licences | 5 / 5, all of ${big.slug}: ${big.products.map((p) => p.name).join(', ')} (paid plans, ${big.products.reduce((n, p) => n + p.quotas.length, 0)} quotas) |
| usage events | ${int(big.usageEvents)}, all of ${big.slug}: ${int(report.scale.bigUsagePerMonth)} a month for ${report.scale.bigUsageMonths} months over its 5 monthly quotas (**${int(monthUsed)} this month**), and +/- changes of its total quotas |
| API keys | 1, of ${big.slug} |
| e-codes | ${int(report.ecodes.seeded.total)}, all of ${big.slug} (three years of SimplySign codes across the four statuses; see [E-codes](#e-codes-issue-6)) |

The demo catalog has four products, but SimplySign is virtual (activated from e-codes, never
subscribed), so the bench adds two subscription products to reach five subscriptions with meters.

## Throughput and latency over HTTP

The server runs as \`npm start\` runs it (\`node scripts/start.mjs\`: the esbuild bundle \`dist/node/kontor.mjs\`,
\`KONTOR_ENV=production\`, scheduler off) in a child process; autocannon ${report.warmup} s warm-up + ${report.duration} s per row, on
the same connections, only requests sent after the warm-up counted. "% of yardstick" compares with a
trivial Hono app (\`bench/baseline-server.ts\`) measured the same way in the same run. Signed-in requests
rotate over the ${int(report.scale.freshSessions)} fresh sessions (${big.slug}'s pages over its administrator's ${big.adminTokens.length}); every wrong-password
sign-in uses another seeded account, since the throttle allows 5 attempts a minute per e-mail and IP.
The ${big.slug} rows run before the usage load adds rows to that org. The deep history page is the one the
"older" link of the page ${int(big.deepOffset)} rows in leads to (each page links to the next by an \`at-id\` keyset cursor).

${mdTable(['scenario', 'req/s', '% of yardstick', 'p50 ms', 'p90 ms', 'p99 ms', 'responses in the timed window'], loadRows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])}

${all401 ? `Every wrong-password sign-in (warm-up included, ${int(report.signInsUsed)} in all) was answered 401: none throttled.` : `Not every wrong-password sign-in was answered 401: ${int(throttled)} were throttled (429), so those rows are not pure hashing cost.`}
\`POST /api/v1/usage\` has its own section, [The usage API](#the-usage-api-issue-17), with its accounting of every request.

## Server time per page (in-process)

The same app built in the bench process on the same file and called through \`app.request()\`:
no sockets, no HTTP parsing, no load generator; run after the checks, before the load (the server idle).
Each row: sequential calls after untimed ones, up to ${int(report.inProcess.limits.iterations)} or about ${(report.inProcess.limits.pageBudgetMs / 1000).toFixed(1)} s (${(report.inProcess.limits.sqlBudgetMs / 1000).toFixed(1)} s for a single statement);
the RSS column spans both. \`SQL\` rows run one statement of the page above straight on the libSQL client.

${mdTable(['what', 'calls', 'p50 ms', 'p90 ms', 'p99 ms', 'RSS of the bench process'], inRows, ['l', 'r', 'r', 'r', 'r', 'r'])}

### The history query

\`listHistory\` (\`src/db/history.ts\`) as the deep page (${int(big.deepOffset)} rows in) runs it, and SQLite's plan for it with those arguments:

\`\`\`sql
${hist?.sql ?? '(not recorded)'}
\`\`\`

\`\`\`
${hist ? hist.plan.join('\n') : '(not recorded)'}
\`\`\`

### What each page runs

Each page's statements (sessions fresh: the steady state), with SQLite's plan (EXPLAIN QUERY PLAN, with the
arguments the page used):

${statementTables}

${ecodeMarkdown(report)}

${renewalsMarkdown(report.renewals)}
## Cold start

Spawn → first 200 on \`GET /login\`, polled every 5 ms, on the seeded database (migrations already applied,
the catalog present). For the first \`npm start\` the bundle's time is set back to 1970, so \`scripts/start.mjs\`
rebuilds it first, as after a pull or an edit under \`src/\`${staleNote}.

| how | starts (ms) | median |
| --- | --- | ---: |
| \`npm start\` (\`node scripts/start.mjs\`) | ${startsText(report)} | ${ms(v.warmStartMedian)} (bundle fresh) |
| bundle build alone (\`scripts/build-node.mjs\`, esbuild) | ${ms(report.buildMs)} | |
| \`tsx src/node.ts\` (what \`npm run dev\` runs, without the watcher) | ${report.tsxStarts.map((c, i) => `${ms(c)}${i === 0 ? ' (empty tsx cache)' : ''}`).join(', ')} | ${ms(v.tsxMedian)} |

## Memory of the server process

| when | |
| --- | ---: |
| idle after start (VmRSS) | ${mib(report.memory.idle?.rssMiB)} |
${Object.entries(peakAfter)
  .map(([label, peak]) => `| peak (VmHWM) after: ${label} | ${mib(peak)} |`)
  .join('\n')}
| peak (VmHWM) at the end | ${mib(report.memory.peak?.peakMiB)} |

## What this run shows

- **Cold start:** \`npm start\` answers in ${ms(v.warmStartMedian)} ms with the bundle fresh and ${ms(v.staleStart)} ms when it must rebuild it first (the build alone: ${ms(report.buildMs)} ms),
  against ${ms(v.tsxMedian)} ms for \`tsx src/node.ts\` (${ms(report.tsxStarts[0] ?? NaN)} ms with tsx's cache empty).
- **Writes per signed-in request:** \`GET /account\` ran ${pageOf('GET /account')?.statements.length ?? '?'} statements, ${pageOf('GET /account')?.writes ?? '?'} of them writes. Watched from another
  connection (\`PRAGMA data_version\`), the server ${report.writesDuringAccount.commits ? '**committed writes**' : 'committed no write'} during the ${int(report.account50.requests)} signed-in requests at
  50 connections, and ${int(report.writesDuringAccount.sessionsTouched)} sessions had \`last_seen_at\` updated: ${
    report.writesDuringAccount.commits ? 'some requests write' : 'session validation does not write per request (at most once an hour per session)'
  }.
- **The signed-in page versus the sign-in page:** in-process ${ms(inAccount?.p50 ?? NaN)} ms against ${ms(inLogin?.p50 ?? NaN)} ms at p50; over HTTP at 1 connection
  ${ms(account1?.p50 ?? NaN)} ms against ${ms(login1?.p50 ?? NaN)} ms.
- **The org dashboard with five products:** ${ms(dash1?.p50 ?? NaN)} ms at p50 over HTTP at 1 connection (${ms(inDash?.p50 ?? NaN)} ms in-process), ${int(dash50?.rps ?? NaN)} req/s saturated;
  it runs ${dashPage?.statements.length ?? '?'} statements (the session, the user's orgs with this one's state, then the subscriptions with their licences and seats and the quotas' use in one batch; the catalog comes from the isolate's cache).
  The use of each monthly or total quota is one sum over a range of the covering index (org, product, quota, at, quantity) — this month's
  rows for a monthly quota (${int(monthUsed)} this month of ${int(big.usageEvents)} in all here), all rows of the quota for a total — planned as
  \`${usagePlan ?? '?'}\`.
- **The vendor API:** \`POST /api/v1/usage\` ${int(usage1?.rps ?? NaN)} req/s at p50 ${ms(usage1?.p50 ?? NaN)} ms (1 connection), ${int(usage10?.rps ?? NaN)} req/s at 10 connections, ${int(usage50?.rps ?? NaN)} req/s at p99 ${ms(usage50?.p99 ?? NaN)} ms (50 connections);
  one call is one round trip of ${usagePage?.statements.length ?? '?'} statements, ${usagePage?.writes ?? '?'} of them writes (SQLite has one writer: at 50 connections the calls queue for it). \`GET /api/v1/entitlements\`: p50 ${ms(ent1?.p50 ?? NaN)} ms at 1 connection.
- **History of ${int(big.historyRows)} rows:** first page p50 ${ms(hist1?.p50 ?? NaN)} ms, ${int(big.deepOffset)} rows in ${ms(histDeep?.p50 ?? NaN)} ms over HTTP (in-process ${ms(inHist?.p50 ?? NaN)} / ${ms(inDeep?.p50 ?? NaN)} ms):
  the filter menus come from skip scans (a few index seeks per distinct kind and person, not a read of every entry), and the keyset
  page is planned as \`${hist?.plan.join('; ') ?? '?'}\`: a range on the index, so a deep page costs what the first does.
- **Memory:** the server's peak RSS went from ${mib(peakAfter[login50?.label ?? ''])} after the sign-in page load to ${mib(peakAfter[report.account50.label])} after the signed-in page load;
  in-process, ${int((inAccount?.iterations ?? 0) + (inAccount?.warmup ?? 0))} signed-in pages grew the bench's RSS by ${mib(inAccount?.rssGrowthMiB)}.
- **Password hashing:** a wrong-password sign-in takes ${ms(wrong1?.p50 ?? NaN)} ms at p50 alone; ${int(wrong10?.rps ?? NaN)} per second at 10 connections (scrypt runs
  on libuv's thread pool, ${m.cpus} cores here). While 10 connections sign in with wrong passwords, the signed-in page's p50 at 1 connection
  goes from ${ms(account1?.p50 ?? NaN)} ms to ${ms(duringSignIns?.p50 ?? NaN)} ms (p99 ${ms(duringSignIns?.p99 ?? NaN)} ms).

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
- **Wrong-password sign-ins** are dominated by scrypt (N=2^${PASSWORD_COST.ln}, r=${PASSWORD_COST.r}, p=${PASSWORD_COST.p}), on Node through \`node:crypto\`
  off the event loop: their req/s is bounded by the cores, not by the JS thread.

Run it: \`npm run bench\` (about ${Math.max(1, Math.round(report.seconds / 60))} minutes; works offline). \`npm run bench -- --duration 3 --warmup 1 --no-write\`
is a quick look that leaves this page alone; \`npm run bench -- --only worker\` measures the Worker part alone and
rewrites only its section, as \`--only ecodes\` does for the e-code list and the history at scale (\`--ecodes 1000000\` adds the
org of a million codes). The bench cleans up its temporary directory and child processes
even when it fails. It sets the time of \`dist/node/kontor.mjs\` back so that the first \`npm start\` rebuilds
it; the run leaves a freshly built bundle there.
`
}
