// Issue 6's figures in the bench's report (console and docs/performance.md): the e-code list and
// /r/<code> in-process and over HTTP with their SQL plans, generating 1,000 codes, vouchers, and the
// weight of the /r/ page, judged against the issue's targets.
import type { LoadResult } from './load'
import type { PageStatements, Timing } from './inprocess'
import type { Report } from './report'
import { int, mdTable, ms, sqlCell, statuses, table, yes } from './format'

export const ECODE_TARGETS = { redeemMs: 5, redeemBytes: 15_000, generationMs: 1000 }

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`
const bytes = (n: number) => `${int(n)} B`
const isList = (s: { sql: string }) => /from "ecodes" e(?: indexed by \w+)? join/.test(s.sql)
/** The tabs' counts: from the counters (src/services/ecode-counts.ts), or counted from the codes for a search. */
const isCount = (s: { sql: string }) => /"ecode_(day_)?counts" c|count\(\*\) as n/.test(s.sql)

/** Each timed page with the SQL rows timed after it. */
function pages(timings: Timing[]) {
  const out: { page: Timing; sql: Timing[] }[] = []
  for (const t of timings) {
    if (t.label.trim().startsWith('SQL')) out[out.length - 1]?.sql.push(t)
    else out.push({ page: t, sql: [] })
  }
  return out
}

/** The figures the e-code targets are judged on. */
export function ecodeVerdicts(report: Report) {
  const e = report.ecodes
  const http = (connections: number): LoadResult | undefined => report.results.find((r) => r.label === `GET /r/<active code>, ${connections} conn.`)
  const timing = (prefix: string) => e.inProcess.timings.find((t) => t.label.startsWith(prefix))
  const http1 = http(1)
  return {
    http1,
    http10: http(10),
    activeTab: report.results.find((r) => r.label.includes('/ecodes (Active tab), 1 conn.')),
    inActive: timing('GET /r/<active code>'),
    inUnknown: timing('GET /r/<unknown code>'),
    redeemMet: (http1?.p50 ?? Infinity) < ECODE_TARGETS.redeemMs,
    redeemP99Met: (http1?.p99 ?? Infinity) < ECODE_TARGETS.redeemMs,
    weightMet: e.weight.totalBytes < ECODE_TARGETS.redeemBytes,
    generationMet: e.oneOffs.generation.medianMs < ECODE_TARGETS.generationMs,
  }
}

export function ecodeConsole(report: Report): string[] {
  const e = report.ecodes
  const v = ecodeVerdicts(report)
  const s = e.seeded
  const { generation: g, pdf } = e.oneOffs
  const w = e.weight
  return [
    '',
    `E-codes (issue 6): ${int(s.total)} of ${report.big.slug} (${Object.entries(s.byStatus).map(([k, n]) => `${k} ${int(n)}`).join(', ')}), seeded in ${s.seconds.toFixed(1)} s (${s.cryptoSeconds.toFixed(1)} s HMAC + AES-GCM)`,
    ...table(
      ['in-process (app.request, no HTTP)', 'p50 ms', 'p90 ms', 'p99 ms'],
      e.inProcess.timings.map((t) => [t.label, ms(t.p50), ms(t.p90), ms(t.p99)]),
      ['l', 'r', 'r', 'r'],
    ),
    ...e.inProcess.pages.map((p) => `  ${p.label}: ${p.statements.length} statements, ${p.writes} writes`),
    `generateECodes(1,000): ${g.runsMs.map((x) => ms(x)).join(', ')} ms, median ${ms(g.medianMs)} ms (their HMAC + AES-GCM alone: median ${ms(g.cryptoMedianMs)} ms)`,
    `Vouchers: 1 in ${ms(pdf.oneMedianMs)} ms (median of ${pdf.oneMs.length} warm; first in the process ${ms(pdf.firstMs)} ms; ${int(pdf.oneBytes)} B), ${pdf.many} in ${ms(pdf.manyMedianMs)} ms (${int(pdf.manyBytes)} B)`,
    `/r/ page: HTML ${int(w.htmlBytes)} B (personalized ${int(w.personalizedHtmlBytes)} B) + ${w.css.map((c) => `${c.href} ${int(c.bytes)} B`).join(' + ')} = ${int(w.totalBytes)} B (gzip ${int(w.totalGzipBytes)} B); scripts not counted: ${w.scripts.map((x) => `${x.src} ${int(x.bytes)} B`).join(', ') || 'none'}`,
    `Target: /r/<code> < ${ECODE_TARGETS.redeemMs} ms server time → p50 ${ms(v.http1?.p50 ?? NaN)} ms over HTTP at 1 conn. (${ms(v.inActive?.p50 ?? NaN)} ms in-process): ${v.redeemMet ? 'MET' : 'NOT MET'}; p99 ${ms(v.http1?.p99 ?? NaN)} ms (${ms(v.inActive?.p99 ?? NaN)} ms in-process): ${v.redeemP99Met ? 'met' : 'not met'}`,
    `Target: /r/ page < ${int(ECODE_TARGETS.redeemBytes)} B of HTML + CSS → ${int(w.totalBytes)} B: ${v.weightMet ? 'MET' : 'NOT MET'}`,
    `Target: 1,000 codes generated < ${ECODE_TARGETS.generationMs} ms → median ${ms(g.medianMs)} ms: ${v.generationMet ? 'MET' : 'NOT MET'}`,
  ]
}

/** Rows for the Targets table at the top of docs/performance.md. */
export function ecodeTargetRows(report: Report): string {
  const v = ecodeVerdicts(report)
  const w = report.ecodes.weight
  const g = report.ecodes.oneOffs.generation
  return [
    `| issue 6: \`/r/<code>\` in under ${ECODE_TARGETS.redeemMs} ms of server time | p50 **${ms(v.http1?.p50 ?? NaN)} ms** over HTTP at 1 connection (${ms(v.inActive?.p50 ?? NaN)} ms in-process); p99 ${ms(v.http1?.p99 ?? NaN)} ms (${ms(v.inActive?.p99 ?? NaN)} ms in-process) | ${yes(v.redeemMet)} (p99: ${v.redeemP99Met ? 'met' : 'not met'}) |`,
    `| issue 6: the \`/r/<code>\` page under 15 KB of HTML + CSS | **${kb(w.totalBytes)}** (${int(w.totalBytes)} B): the HTML (${int(w.personalizedHtmlBytes)} B personalized, ${int(w.htmlBytes)} B not) and ${w.css.map((c) => `\`${c.href}\` (${int(c.bytes)} B)`).join(', ')}; ${kb(w.totalGzipBytes)} gzipped | ${yes(v.weightMet)} |`,
    `| issue 6: generating 1,000 e-codes in under ${ECODE_TARGETS.generationMs / 1000} s | median **${ms(g.medianMs)} ms** of ${g.runsMs.length} runs, each from 1,000 units in stock | ${yes(v.generationMet)} |`,
  ].join('\n')
}

function statementTable(page: PageStatements): string {
  const rows = page.statements.map((s, i) => [String(i + 1), sqlCell(s.sql), (s.plan.join('; ') || '(write)').replace(/\|/g, '\\|')])
  return mdTable(['#', 'statement', 'plan'], rows, ['r', 'l', 'l'])
}

export function ecodeMarkdown(report: Report): string {
  const e = report.ecodes
  const s = e.seeded
  const v = ecodeVerdicts(report)
  const big = report.big
  const { generation: g, pdf } = e.oneOffs
  const w = e.weight
  const grouped = pages(e.inProcess.timings)
  const listPages = e.inProcess.pages.filter((p) => p.label.includes('/ecodes'))
  const redeemPage = e.inProcess.pages.find((p) => p.label === 'GET /r/<active code>')
  const unknownPage = e.inProcess.pages.find((p) => p.label === 'GET /r/<unknown code>')
  const firstList = listPages[0]?.statements.find(isList)
  const firstCount = listPages[0]?.statements.find(isCount)
  // Only the steps on ecodes (and a compound's markers): the joins to products, variants and orgs are one primary-key seek each.
  const planOf = (p: PageStatements, pick: (s: { sql: string }) => boolean) =>
    (p.statements.find(pick)?.plan.filter((l) => !/^SEARCH [pvu] USING/.test(l)).join('; ') ?? '–').replace(/\|/g, '\\|')

  const inRows = grouped.flatMap(({ page, sql }) => [page, ...sql]).map((t) => [t.label.trim().replace(/\|/g, '\\|'), int(t.iterations), ms(t.p50), ms(t.p90), ms(t.p99)])
  const httpRows = report.results
    .filter((r) => r.label.startsWith('GET /r/') || r.label.includes('/ecodes'))
    .map((r) => [r.label, int(r.rps), ms(r.p50), ms(r.p90), ms(r.p99), statuses(r)])
  const planRows = listPages.map((p) => [p.label.replace(`GET /o/${big.slug}/ecodes `, ''), planOf(p, isList), planOf(p, isCount)])
  // Each list page's own time, its list statement and its counts statement, for the closing remarks.
  const listed = (match: string) => {
    const x = grouped.find((g) => g.page.label.includes(match))
    const page = listPages.find((p) => p.label.includes(match))
    return {
      page: x?.page.p50 ?? NaN,
      list: x?.sql.find((t) => / ⋈ /.test(t.label))?.p50 ?? NaN,
      count: x?.sql.find((t) => /group by/.test(t.label))?.p50 ?? NaN,
      listPlan: page?.statements.find(isList)?.plan ?? [],
      countPlan: page?.statements.find(isCount)?.plan.join('; ') ?? '?',
    }
  }
  const [activeTab, usedTab, expiredTab, disposedTab, dated, deep] = ['(Active tab)', '(Used tab)', '(Expired tab)', '(Disposed tab)', '(Used, created in', 'codes in)'].map(listed) as [
    ReturnType<typeof listed>,
    ReturnType<typeof listed>,
    ReturnType<typeof listed>,
    ReturnType<typeof listed>,
    ReturnType<typeof listed>,
    ReturnType<typeof listed>,
  ]
  const others = [activeTab, usedTab, disposedTab, dated, deep].map((x) => x.list)
  const redeemReads = grouped.find((x) => x.page.label.startsWith('GET /r/<active code>'))?.sql.reduce((n, t) => n + t.p50, 0) ?? NaN
  // The lapsed-active arm of the Expired tab read from the (org, status, created) range: it filters on expires_at row by row.
  const expiredArmByCreated = expiredTab.listPlan.filter((l) => /ecodes_org_status_created \(org_id=\? AND status=\?\)$/.test(l)).length === 2

  return `## E-codes (issue 6)

${big.slug} holds **${int(s.total)} e-codes** of SimplySign's two variants, created over three years (valid 24 months), stored as the
app stores them: the HMAC-SHA-256 look-up hash under its unique index and the code AES-256-GCM-encrypted. The used ones were
redeemed by another bench org (${s.receiverOrg.name}). Seeding them took ${s.seconds.toFixed(1)} s, ${s.cryptoSeconds.toFixed(1)} s of it the hashing and encryption (100 codes at a time, on libuv's thread pool).

| status | codes | tab count shown |
| --- | ---: | ---: |
${(['active', 'used', 'expired', 'disposed'] as const).map((k) => `| ${k} | ${int(s.byStatus[k])} | ${int(e.paths.counts[k])} |`).join('\n')}

### Server time (in-process)

As above: the app built in the bench process on the same file, called through \`app.request()\`. The list pages are
${big.slug}'s administrator's (50 codes a page, each decrypted for display, and the four tabs' counts); the search is the Used
tab for codes created in ${e.paths.dated.month} (\`from\`/\`to\`, whole days in the org's zone: ${int(e.paths.dated.used)} codes), and the deep page is the
one the "older" link of the Used tab's page ${int(e.paths.deep.offset)} codes in leads to. \`/r/<active code>\` asks for another of ${s.activeCodes.length} active codes
each call, without a cookie. \`/r/<unknown code>\` asks for a random code, each call from an address of its own: the throttle counts
failed look-ups per address (10 an hour), so this run's app reads the address from \`x-forwarded-for\` (as behind a proxy with
\`CLIENT_IP_HEADER\` set) and each call sends another one from 198.18.0.0/15. \`SQL\` rows run one of the page's e-code statements
straight on the libSQL client.

${mdTable(['what', 'calls', 'p50 ms', 'p90 ms', 'p99 ms'], inRows, ['l', 'r', 'r', 'r', 'r'])}

### Over HTTP

Measured as the table above (autocannon, ${report.warmup} s warm-up + ${report.duration} s); \`/r/\` asks for another active code each request.

${mdTable(['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'responses in the timed window'], httpRows, ['l', 'r', 'r', 'r', 'r', 'l'])}

### The list's queries and their plans

A page runs two statements on \`ecodes\`: the page (\`listQuery\`, \`src/services/ecode-list.ts\`; the Expired tab is a UNION ALL of two
index ranges) and the tabs' counts (\`countQuery\`, \`src/services/ecode-counts.ts\`: the counters of migration 0024 and the
lapsed codes' short range). As the Active tab's first page runs them:

\`\`\`sql
${firstList?.sql ?? '(not recorded)'}
\`\`\`

\`\`\`sql
${firstCount?.sql.trim().replace(/\n\s+/g, '\n') ?? '(not recorded)'}
\`\`\`

SQLite's plans (EXPLAIN QUERY PLAN with each page's own arguments):

${mdTable(['page', 'list (the steps on \`ecodes e\`)', 'counts'], planRows, ['l', 'l', 'l'])}

**\`/r/<active code>\`**: ${redeemPage?.statements.length ?? '?'} statements, ${redeemPage?.writes ?? '?'} of them writes (the throttle: a failure counted before the look-up, taken back when the code is found)

${redeemPage ? statementTable(redeemPage) : ''}

**\`/r/<unknown code>\`**: ${unknownPage?.statements.length ?? '?'} statements, ${unknownPage?.writes ?? '?'} of them writes

### Generating 1,000 codes

\`generateECodes\` for ${g.org} with 1,000 units of one variant in stock, ${g.runsMs.length} runs, the stock set back to 1,000 before each; in the bench
process on the bench database (${int(s.total)} codes of ${big.slug} in the table), the server stopped: ${g.runsMs.map((x) => `${ms(x)}`).join(', ')} ms,
median **${ms(g.medianMs)} ms**. Each run took all 1,000 units and added 1,000 codes. The same HMAC + AES-GCM of 1,000 codes alone
(all at once, as \`generateECodes\` starts them): median ${ms(g.cryptoMedianMs)} ms (${g.cryptoMs.map((x) => ms(x)).join(', ')}).

### Vouchers

\`renderVouchersPdf\` in Polish, from ${big.slug}'s newest active codes (in the bench process, after the load):

| what | ms | size |
| --- | ---: | ---: |
| 1 voucher with a recipient's name and a message, the first in the process (pdf-lib loaded, the font read and cut) | ${ms(pdf.firstMs)} | ${bytes(pdf.oneBytes)} |
| 1 voucher, median of ${pdf.oneMs.length} after it | ${ms(pdf.oneMedianMs)} | ${bytes(pdf.oneBytes)} |
| ${pdf.many} vouchers in one PDF (two list pages' selection), median of ${pdf.manyMs.length} | ${ms(pdf.manyMedianMs)} (${ms(pdf.manyMedianMs / pdf.many)} a page) | ${bytes(pdf.manyBytes)} |

### Weight of the \`/r/\` page

What a phone downloads for the page, as the server sends it (no compression on Node; a proxy may add it):

| part | bytes |
| --- | ---: |
| HTML, an active code | ${int(w.htmlBytes)} |
| HTML, an active personalized code (name and the "Report a mistake" form) | ${int(w.personalizedHtmlBytes)} |
${w.css.map((c) => `| CSS \`${c.href}\` | ${int(c.bytes)} |`).join('\n')}
| **the larger HTML + CSS** | **${int(w.totalBytes)}** (${kb(w.totalGzipBytes)} gzipped) |
${w.scripts.map((x) => `| not counted: \`${x.src}\` (deferred; the page works without it) | ${int(x.bytes)} |`).join('\n')}

### What the e-code figures show

- **\`/r/<code>\`:** p50 ${ms(v.http1?.p50 ?? NaN)} ms over HTTP at 1 connection, ${ms(v.inActive?.p50 ?? NaN)} ms in-process (p99 ${ms(v.http1?.p99 ?? NaN)} / ${ms(v.inActive?.p99 ?? NaN)} ms): ${v.redeemMet ? 'under' : '**over**'} the ${ECODE_TARGETS.redeemMs} ms target at p50, ${v.redeemP99Met ? 'under' : '**over**'} it at p99.
  Its three reads take ${ms(redeemReads)} ms together at p50 (the \`SQL\` rows); the rest is the throttle's ${redeemPage?.writes ?? '?'} writes in two transactions
  (a failure counted before the look-up, taken back once the code is found), the HMAC and the page. ${int(v.http10?.rps ?? NaN)} req/s at 10 connections
  (p99 ${ms(v.http10?.p99 ?? NaN)} ms): the writes queue for SQLite's one writer. An unknown code: ${ms(v.inUnknown?.p50 ?? NaN)} ms in-process at p50 (one write transaction: its count stays).
- **The tabs' counts on every list page:** ${ms(activeTab.count)} ms of the Active tab's ${ms(activeTab.page)} ms at p50, planned as \`${activeTab.countPlan}\`: a walk over the org's
  whole range of the index (${int(s.total)} entries), on every page, deep ones included (${ms(deep.count)} of ${ms(deep.page)} ms there). With the date filter: ${ms(dated.count)} of
  ${ms(dated.page)} ms, planned as \`${dated.countPlan}\`${/COVERING/.test(dated.countPlan) ? '' : ' — not covering: every one of the org\'s rows is read from the table to test its creation date'}.
- **The page of codes itself:** ${ms(Math.min(...others))}–${ms(Math.max(...others))} ms at p50 for the list statement on the Active, Used and Disposed tabs, the search and the deep page (keyset
  ranges; the Used tab ${int(e.paths.deep.offset)} codes in: ${ms(deep.page)} ms for the whole page against ${ms(usedTab.page)} ms for its first). The Expired tab's takes ${ms(expiredTab.list)} ms${
    expiredArmByCreated
      ? `: its second arm (active codes past their validity, which the purge job hasn't marked yet) is the range (org, 'active') of
  \`ecodes_org_status_created\`, filtered on \`expires_at\` row by row — it reads all ${int(s.byStatus.active)} active codes to find those that lapsed`
      : ''
  }.
- **Generation:** 1,000 codes in ${ms(g.medianMs)} ms at the median (${v.generationMet ? 'under' : '**over**'} the 1 s target); the HMAC and AES-GCM alone take ${ms(g.cryptoMedianMs)} ms of it.
- **Vouchers:** ${ms(pdf.oneMedianMs)} ms for one (warm), ${ms(pdf.manyMedianMs / 1000)} s for ${pdf.many}; pdf-lib works on the event loop, so a large selection holds up other requests meanwhile.
- **Weight:** ${int(w.totalBytes)} B of HTML + CSS (${v.weightMet ? 'under' : '**over**'} 15 KB), ${kb(w.totalGzipBytes)} if a proxy gzips it; ${kb(w.css.reduce((n, c) => n + c.bytes, 0))} of it is the frame's stylesheet (\`app.css\`), shared by every page; the panel's lists and tables (\`panel.css\`) are not loaded here.
`
}
