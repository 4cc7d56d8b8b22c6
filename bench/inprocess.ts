// Server time without HTTP: the same app `src/node.ts` serves, built in this process on the seeded
// file and called through `app.request()`. It also records the SQL each page runs (through a
// client that notes every statement), and asks SQLite how it plans each read, with the arguments
// the page used.
import { createClient, type Client, type InStatement } from '@libsql/client'
import { loadConfig } from '../src/config'
import { systemClock } from '../src/clock'
import { databaseFrom, type Db } from '../src/db/client'
import { openLocalDatabase } from '../src/db/local'
import type { Deps } from '../src/deps'
import { nodeServer } from '../src/server'
import { percentile } from './load'
import { paymentProviderFor } from '../src/payments'
import { PRODUCTION_ENV } from './production-env'

export type Timing = {
  label: string
  iterations: number
  warmup: number
  p50: number
  p90: number
  p99: number
  mean: number
  rssGrowthMiB: number
  /** The process's CPU time (user + system, every thread) per call, p50: on a busy machine, unlike the clock, it leaves out waiting for a core. */
  cpuP50: number
}
export type StatementSeen = { sql: string; plan: string[] }
/**
 * A page to call: the request of the i-th call (e.g. a different session each time) and, when it
 * varies, its path (e.g. a different code each time), the status it must answer, whether to time it
 * (false: only record its statements) and its reads one by one (all, or those whose SQL matches).
 */
export type PageSpec = {
  label: string
  path: string
  pathOf?: (i: number) => string
  init?: (i: number) => RequestInit
  status?: number
  time?: boolean
  timeStatements?: boolean | RegExp
}
export type PageStatements = { label: string; path: string; statements: StatementSeen[]; writes: number }
export type InProcessResult = {
  timings: Timing[]
  /** Statements one call of each page runs (sessions already fresh: the steady state), with plans. */
  pages: PageStatements[]
  /** Calls per row at most, and the time a page's row (and a single statement's) stops after. */
  limits: { iterations: number; pageBudgetMs: number; sqlBudgetMs: number }
}

function sqlOf(statement: InStatement): string {
  return typeof statement === 'string' ? statement : statement.sql
}

/**
 * Whether a statement only reads: a SELECT, or a WITH whose main statement (after its common table
 * expressions) is one — `WITH RECURSIVE … SELECT` reads, `WITH … INSERT` writes.
 */
export function isRead(statement: InStatement | string): boolean {
  const sql = (typeof statement === 'string' ? statement : sqlOf(statement)).replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '')
  if (/^select\b/i.test(sql)) return true
  if (!/^with\b/i.test(sql)) return false
  return /^select\b/i.test(afterCommonTableExpressions(sql))
}

/** The text after a WITH clause's last common table expression: each one's body is skipped by its parentheses (strings and quoted names aside). */
function afterCommonTableExpressions(sql: string): string {
  let i = /^with\s+(recursive\s+)?/i.exec(sql)![0].length
  for (;;) {
    // name [(columns)] as [not] [materialized] ( body )
    const head = /^\s*("[^"]*"|`[^`]*`|\[[^\]]*\]|\w+)\s*(\([^)]*\))?\s*as\s+(not\s+)?(materialized\s*)?\(/i.exec(sql.slice(i))
    if (!head) return ''
    i += head[0].length
    for (let depth = 1; depth > 0 && i < sql.length; i++) {
      const c = sql[i]
      if (c === "'" || c === '"' || c === '`') i = sql.indexOf(c, i + 1)
      else if (c === '(') depth++
      else if (c === ')') depth--
      if (i < 0) return ''
    }
    const rest = sql.slice(i).replace(/^\s+/, '')
    if (!rest.startsWith(',')) return rest
    i = sql.length - rest.length + 1
  }
}

/** A libSQL client that reports each statement it runs (and otherwise is the client). */
function recording(client: Client, seen: (statement: InStatement) => void): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (prop === 'execute') {
        return (stmt: InStatement, args?: unknown) => {
          seen(args === undefined ? stmt : { sql: sqlOf(stmt), args: args as never })
          return (target.execute as (s: InStatement, a?: unknown) => unknown).call(target, stmt, args)
        }
      }
      if (prop === 'batch') {
        return (stmts: InStatement[], mode?: unknown) => {
          for (const s of stmts) seen(s)
          return (target.batch as (s: InStatement[], m?: unknown) => unknown).call(target, stmts, mode)
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** "sessions ⋈ users where sessions.id = ?" style short name of a SELECT. */
export function describe(sql: string): string {
  const clean = (text: string) => text.replace(/"(\w+)"\./g, '').replace(/"/g, '').replace(/\s+/g, ' ').trim()
  const from = /from\s+"?(\w+)"?/i.exec(sql)?.[1] ?? '?'
  const joins = [...sql.matchAll(/join\s+"?(\w+)"?/gi)].map((m) => m[1])
  const distinct = /^\s*select\s+distinct\s+(.+?)\s+from/is.exec(sql)?.[1]
  const where = clean(/where\s+(.+?)(?:\s+group by|\s+order by|\s+limit|$)/is.exec(sql)?.[1] ?? '')
  const groupBy = /group by\s+(.+?)(?:\s+order by|\s+limit|$)/is.exec(sql)?.[1]
  const orderBy = /order by\s+(.+?)(?:\s+limit|$)/is.exec(sql)?.[1]
  return [
    distinct ? `distinct ${clean(distinct)} of` : '',
    [from, ...joins].join(' ⋈ '),
    where ? `where ${where.length > 64 ? `${where.slice(0, 63)}…` : where}` : '',
    groupBy ? `group by ${clean(groupBy)}` : '',
    orderBy ? `order by ${clean(orderBy)}` : '',
  ]
    .filter(Boolean)
    .join(' ')
}

/**
 * Sequential calls after untimed warm-up ones: up to `iterations`, but stopping once `budgetMs` is
 * spent (at least 100 calls), so a slow page doesn't stretch the run.
 */
async function time(label: string, iterations: number, budgetMs: number, fn: (i: number) => Promise<unknown>): Promise<Timing> {
  const rssBefore = process.memoryUsage.rss()
  const warmUntil = performance.now() + budgetMs / 6
  let warmup = 0
  while (warmup < Math.min(500, iterations) && (warmup < 20 || performance.now() < warmUntil)) await fn(warmup++)
  const samples: number[] = []
  const cpu: number[] = []
  const until = performance.now() + budgetMs
  while (samples.length < iterations && (samples.length < 100 || performance.now() < until)) {
    const t = performance.now()
    const c = process.cpuUsage()
    await fn(warmup + samples.length)
    const used = process.cpuUsage(c)
    samples.push(performance.now() - t)
    cpu.push((used.user + used.system) / 1000)
  }
  const rssGrowthMiB = (process.memoryUsage.rss() - rssBefore) / 2 ** 20
  const sorted = Float64Array.from(samples).sort()
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  const cpuP50 = percentile(Float64Array.from(cpu).sort(), 50)
  return { label, iterations: samples.length, warmup, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), mean, rssGrowthMiB, cpuP50 }
}

/** The app `src/node.ts` serves, configured as the bench's production (plus `env`), on `db`. */
export function productionApp(db: Db, env: Record<string, string> = {}) {
  const config = loadConfig({ ...PRODUCTION_ENV, ...env })
  const deps: Deps = { db, clock: systemClock, config, mailer: null, payments: paymentProviderFor(config, db) }
  return nodeServer(deps)
}

export async function measureInProcess(opts: {
  databasePath: string
  baseUrl: string
  pages: PageSpec[]
  iterations: number
  pageBudgetMs: number
  sqlBudgetMs: number
  /** Configuration on top of the production environment's (e.g. CLIENT_IP_HEADER). */
  env?: Record<string, string>
}): Promise<InProcessResult> {
  const { client } = await openLocalDatabase(opts.databasePath)
  let log: InStatement[] | null = null
  const app = productionApp(databaseFrom(recording(client, (statement) => log?.push(statement))), opts.env)
  const call = async (page: PageSpec, i: number) => {
    const res = await app.request(page.pathOf?.(i) ?? page.path, page.init?.(i) ?? {})
    // Read whole as the server would send it: bytes (decoding them to text is the client's work, not the page's).
    await res.arrayBuffer()
    if (res.status !== (page.status ?? 200)) throw new Error(`in-process ${page.label} answered ${res.status}`)
  }
  try {
    const timings: Timing[] = []
    const pages: PageStatements[] = []
    for (const page of opts.pages) {
      await call(page, 0)
      // Which statements one call runs, and how SQLite plans the reads (with the call's own arguments).
      log = []
      await call(page, 1)
      const seen = log
      log = null
      const statements: StatementSeen[] = []
      // EXPLAIN on the app's client would leave the pooled connection it ran on holding a read
      // snapshot, and that connection's next write fails with SQLITE_BUSY_SNAPSHOT once another
      // has committed (seen with /r/, which writes on every call): plans come from a client of their own.
      const planner = createClient({ url: `file:${opts.databasePath}` })
      try {
        for (const statement of seen) {
          let plan: string[] = []
          if (isRead(statement)) {
            const sql = sqlOf(statement)
            const args = typeof statement === 'object' && statement.args !== undefined ? statement.args : Array((sql.match(/\?/g) ?? []).length).fill(null)
            const rows = await planner.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })
            plan = rows.rows.map((r) => String(r.detail ?? r[3]))
          }
          statements.push({ sql: sqlOf(statement), plan })
        }
      } finally {
        planner.close()
      }
      pages.push({ label: page.label, path: page.path, statements, writes: seen.filter((s) => !isRead(s)).length })

      if (page.time === false) continue
      timings.push(await time(`${page.label} (app.request)`, opts.iterations, opts.pageBudgetMs, (i) => call(page, i)))
      // The page's reads one at a time, straight on the libSQL client (no drizzle).
      if (page.timeStatements) {
        for (const statement of seen) {
          if (!isRead(statement)) continue
          if (page.timeStatements instanceof RegExp && !page.timeStatements.test(sqlOf(statement))) continue
          timings.push(await time(`  SQL ${describe(sqlOf(statement))}`, opts.iterations, opts.sqlBudgetMs, () => client.execute(statement)))
        }
      }
    }
    return { timings, pages, limits: { iterations: opts.iterations, pageBudgetMs: opts.pageBudgetMs, sqlBudgetMs: opts.sqlBudgetMs } }
  } finally {
    client.close()
  }
}
