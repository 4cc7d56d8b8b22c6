// The vendor API's usage load (issue 17, item 4): POST /api/v1/usage against the Node server at 1,
// 10 and 50 connections, every request under a new idempotency key, with exact accounting — each
// request's key is known to the connection that sent it, so every 201 is matched to its row and every
// row to the request that made it (answered, or in flight when autocannon stopped). Also the server's
// CPU per request (/proc). `npm run bench -- --only usage` runs this part alone on a smaller
// installation (bench/usage-only.ts) and rewrites only its section of docs/performance.md.
import { createClient } from '@libsql/client'
import type { BigOrg } from './seed'
import { measure, type LoadResult, type Scenario } from './load'
import type { RunningServer } from './server'
import { send } from './verify'
import { cpuMs } from './proc'
import { int, mdTable, ms, statuses, table } from './format'

export const USAGE_SECTION = 'usage-api'
export const USAGE_CONNECTIONS = [1, 10, 50] as const
/** Issue 17's target: at 10 connections. */
export const USAGE_TARGET = { rps: 1000, connections: 10 }

/** What one scenario's requests were, by idempotency key. */
type Ledger = { sent: string[]; answered: Map<string, { status: number; used: number | null }> }

export type UsageAccount = {
  /** Requests sent, answered (any status) and answered 201, warm-up included. */
  sent: number
  answered: number
  counted: number
  /** Rows under this scenario's keys in usage_events. */
  rows: number
  /** Rows of requests that got no answer: in flight when autocannon stopped its connections. */
  inFlightRows: number
  inFlight: number
}

export type UsageRow = LoadResult & { account: UsageAccount; serverCpuMsPerRequest: number }
export type UsageReport = { rows: UsageRow[]; quota: string; limit: number; startedUsed: number; endedUsed: number }

const expect = (what: string, got: unknown, want: unknown) => {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`)
}

/** One report, its replay under the same key (201 again, marked, the same bytes), and one row for both. */
export async function verifyUsage(baseUrl: string, big: BigOrg, databasePath: string) {
  const t = big.usageTarget
  const before = await rowsOf(databasePath, big.id)
  const body = JSON.stringify({ product: t.product, quota: t.quota, quantity: 1, idempotency_key: `bench-verify-${Date.now()}` })
  const init = { method: 'POST', headers: { authorization: `Bearer ${big.apiKey}`, 'content-type': 'application/json' }, body }
  const first = await send(`${baseUrl}/api/v1/usage`, init)
  expect('POST /api/v1/usage', first.status, 201)
  const counted = JSON.parse(first.body) as { used: number }
  const replay = await send(`${baseUrl}/api/v1/usage`, init)
  expect('POST /api/v1/usage again with the same idempotency key', replay.status, 201)
  expect('its Idempotent-Replayed header', replay.headers['idempotent-replayed'], 'true')
  expect('its body (the first answer, byte for byte)', replay.body, first.body)
  expect('usage rows added by one request and its replay', (await rowsOf(databasePath, big.id)) - before, 1)
  return counted.used
}

async function rowsOf(databasePath: string, orgId: string): Promise<number> {
  return Number((await query(databasePath, 'select count(*) from usage_events where org_id = ?', [orgId]))[0]![0])
}

async function query(databasePath: string, sql: string, args: (string | number)[]) {
  const client = createClient({ url: `file:${databasePath}` })
  try {
    return (await client.execute({ sql, args })).rows
  } finally {
    client.close()
  }
}

function scenario(baseUrl: string, big: BigOrg, connections: number, prefix: string, ledger: Ledger): Scenario {
  const t = big.usageTarget
  return {
    label: `POST /api/v1/usage, ${connections} conn.`,
    url: `${baseUrl}/api/v1/usage`,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/usage',
        headers: { authorization: `Bearer ${big.apiKey}`, 'content-type': 'application/json' },
        // autocannon builds a request just before it writes it, and answers arrive in order on a
        // connection (no pipelining): the context it hands back with the answer names the key.
        setupRequest: (req, context) => {
          const key = `${prefix}${ledger.sent.length}`
          ledger.sent.push(key)
          context.key = key
          return { ...req, body: JSON.stringify({ product: t.product, quota: t.quota, quantity: 1, idempotency_key: key }) }
        },
        onResponse: (status, body, context) => {
          let used: number | null = null
          if (status === 201) used = (JSON.parse(body) as { used: number }).used
          ledger.answered.set(context.key as string, { status, used })
        },
      },
    ],
  }
}

/**
 * Matches the scenario's requests with the rows under its keys, and fails the bench on any mismatch:
 * a 201 without its row, a row of a request answered otherwise or never sent, two answers counting
 * the same unit.
 */
async function account(databasePath: string, orgId: string, prefix: string, ledger: Ledger): Promise<UsageAccount> {
  // Requests still running in the server when the connections closed finish on their own: the rows
  // are read once their number has held still for half a second.
  const read = async () => new Set((await query(databasePath, 'select idempotency_key from usage_events where org_id = ? and idempotency_key like ?', [orgId, `${prefix}%`])).map((r) => String(r[0])))
  let keys = await read()
  for (let settled = 0; settled < 5; ) {
    await new Promise((r) => setTimeout(r, 100))
    const again = await read()
    settled = again.size === keys.size ? settled + 1 : 0
    keys = again
  }
  const sent = new Set(ledger.sent)
  let counted = 0
  let inFlightRows = 0
  const used = new Set<number>()
  for (const [key, answer] of ledger.answered) {
    if (answer.status === 201) {
      counted++
      if (!keys.has(key)) throw new Error(`usage: ${key} was answered 201 but has no row`)
      if (used.has(answer.used!)) throw new Error(`usage: two 201 answers say used = ${answer.used}`)
      used.add(answer.used!)
    } else if (keys.has(key)) throw new Error(`usage: ${key} was answered ${answer.status} but has a row`)
  }
  for (const key of keys) {
    if (!sent.has(key)) throw new Error(`usage: a row under ${key}, which no request sent`)
    if (!ledger.answered.has(key)) inFlightRows++
  }
  return { sent: ledger.sent.length, answered: ledger.answered.size, counted, rows: keys.size, inFlightRows, inFlight: ledger.sent.length - ledger.answered.size }
}

/** The quota's use this month as the API reports it (GET /api/v1/entitlements). */
async function usedNow(baseUrl: string, big: BigOrg): Promise<number> {
  const res = await send(`${baseUrl}/api/v1/entitlements`, { headers: { authorization: `Bearer ${big.apiKey}` } })
  const body = JSON.parse(res.body) as { products: { product: string; quotas: { key: string; used: number }[] }[] }
  return body.products.find((p) => p.product === big.usageTarget.product)!.quotas.find((q) => q.key === big.usageTarget.quota)!.used
}

/** The three rows, one after another on the running server, each accounted for. */
export async function measureUsage(o: { server: RunningServer; big: BigOrg; databasePath: string; duration: number; warmup: number; log: (m: string) => void }): Promise<UsageReport> {
  const runId = Date.now().toString(36)
  const startedUsed = await usedNow(o.server.baseUrl, o.big)
  const rows: UsageRow[] = []
  for (const connections of USAGE_CONNECTIONS) {
    const ledger: Ledger = { sent: [], answered: new Map() }
    const prefix = `bench-${runId}-${connections}c-`
    const s = scenario(o.server.baseUrl, o.big, connections, prefix, ledger)
    o.log(`  ${s.label}: ${o.warmup} s warm-up + ${o.duration} s…`)
    const cpuBefore = cpuMs([o.server.serverPid])
    const r = await measure(s, o.duration, o.warmup)
    const cpu = cpuMs([o.server.serverPid]) - cpuBefore
    const a = await account(o.databasePath, o.big.id, prefix, ledger)
    const row = { ...r, account: a, serverCpuMsPerRequest: cpu / Math.max(1, a.answered) }
    o.log(`    ${int(r.rps)} req/s, server CPU ${ms(row.serverCpuMsPerRequest)} ms a request; ${int(a.counted)} answered 201, ${int(a.rows)} rows (${a.inFlightRows} of ${a.inFlight} unanswered requests in flight at the stop)`)
    rows.push(row)
  }
  const endedUsed = await usedNow(o.server.baseUrl, o.big)
  const added = rows.reduce((n, r) => n + r.account.rows, 0)
  expect('the quota’s use after the load (entitlements) minus before it', endedUsed - startedUsed, added)
  const t = o.big.usageTarget
  return { rows, quota: `${t.product}/${t.quota}`, limit: t.limit, startedUsed, endedUsed }
}

const HEADERS = ['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'server CPU ms / request', 'responses in the timed window', 'target']
const ALIGN: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'l', 'l']

function cells(r: UsageRow): string[] {
  const target = r.connections === USAGE_TARGET.connections ? `≥ ${int(USAGE_TARGET.rps)} req/s ${r.rps >= USAGE_TARGET.rps ? '✓' : '✗'}` : ''
  return [r.label, int(r.rps), ms(r.p50), ms(r.p90), ms(r.p99), ms(r.serverCpuMsPerRequest), statuses(r), target]
}

/** "every 201 is a row …": the accounting of all three rows together. */
export function usageAccounting(report: UsageReport): string {
  const sum = (f: (a: UsageAccount) => number) => report.rows.reduce((n, r) => n + f(r.account), 0)
  const refused = report.rows.reduce((n, r) => n + Object.entries(r.statuses).filter(([s]) => s !== '201').reduce((m, [, c]) => m + c, 0), 0)
  return (
    `${int(sum((a) => a.sent))} requests sent (warm-up included), ${int(sum((a) => a.counted))} answered 201 and ${int(sum((a) => a.rows))} rows added to \`usage_events\`: ` +
    `every 201 is a row, each answer's \`used\` a different count, and the ${int(sum((a) => a.inFlightRows))} rows more are requests in flight when autocannon closed its connections ` +
    `(${int(sum((a) => a.inFlight))} sent without an answer); no row without a request; ${refused ? `${int(refused)} answers were not 201` : 'no answer other than 201'}. ` +
    `The quota's use (GET /api/v1/entitlements) went from ${int(report.startedUsed)} to ${int(report.endedUsed)}, exactly the rows added.`
  )
}

export function usageConsole(report: UsageReport): string[] {
  return ['', `POST /api/v1/usage (${report.quota}, limit ${int(report.limit)}):`, ...table(HEADERS, report.rows.map(cells), ALIGN), usageAccounting(report).replace(/`/g, '')]
}

/** The section of docs/performance.md (between its markers, bench/sections.ts). */
export function usageMarkdown(report: UsageReport, o: { date: Date; duration: number; warmup: number; how: string }): string {
  const target = report.rows.find((r) => r.connections === USAGE_TARGET.connections)
  return `## The usage API (issue 17)

Measured on ${o.date.toISOString().slice(0, 16).replace('T', ' ')} UTC ${o.how}. \`POST /api/v1/usage\` with the bench org's
API key, a new idempotency key every request, quantity 1, to the monthly quota \`${report.quota}\` (limit ${int(report.limit)}),
on the Node server as \`npm start\` runs it; autocannon ${o.warmup} s warm-up + ${o.duration} s per row on the same connections.
**Server CPU** is the server process's user + system time (\`/proc/<pid>/stat\`) over the row, warm-up included, per
answer: the figure that does not depend on what else the machine runs at the time.

| target (issue 17) | measured | |
| --- | --- | --- |
| ≥ ${int(USAGE_TARGET.rps)} req/s at ${USAGE_TARGET.connections} connections, with exact counts | **${int(target?.rps ?? NaN)} req/s** | ${target && target.rps >= USAGE_TARGET.rps ? '✓ met' : '✗ not met'} |

${mdTable(HEADERS, report.rows.map(cells), ALIGN)}

${usageAccounting(report)}
`
}
