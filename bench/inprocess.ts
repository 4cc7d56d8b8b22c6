// Server time without HTTP: the same app `src/node.ts` serves, built in this process on the seeded
// file and called through `app.request()`. It also records the SQL each page runs (through a
// client that notes every statement), and asks SQLite how it plans each read.
import type { Client, InStatement } from '@libsql/client'
import { loadConfig } from '../src/config'
import { systemClock } from '../src/clock'
import { databaseFrom } from '../src/db/client'
import { openLocalDatabase } from '../src/db/local'
import type { Deps } from '../src/deps'
import { nodeServer } from '../src/server'
import { percentile } from './load'

export type Timing = { label: string; iterations: number; warmup: number; p50: number; p90: number; p99: number; mean: number; rssGrowthMiB: number }
export type StatementSeen = { sql: string; plan: string[] }
export type InProcessResult = {
  timings: Timing[]
  /** Statements run by one GET /account (session already fresh: the steady state). */
  accountStatements: StatementSeen[]
  accountWrites: number
}

function sqlOf(statement: InStatement): string {
  return typeof statement === 'string' ? statement : statement.sql
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

/** "sessions ⋈ users by sessions.id" style short name of a SELECT. */
export function describe(sql: string): string {
  const from = /from\s+"?(\w+)"?/i.exec(sql)?.[1] ?? '?'
  const joins = [...sql.matchAll(/join\s+"?(\w+)"?/gi)].map((m) => m[1])
  const where = /where\s+(.+?)(?:\s+order by|\s+limit|$)/is.exec(sql)?.[1]?.replace(/"/g, '').replace(/\s+/g, ' ') ?? ''
  return `${[from, ...joins].join(' ⋈ ')}${where ? ` where ${where.slice(0, 70)}` : ''}`
}

/** Replaces Intl.DateTimeFormat with a constructor that hands out one shared instance per arguments. */
function reuseDateTimeFormats(): () => void {
  const original = Intl.DateTimeFormat
  const cache = new Map<string, Intl.DateTimeFormat>()
  const reused = function (locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    const key = JSON.stringify([locales, options])
    let f = cache.get(key)
    if (!f) cache.set(key, (f = new original(locales, options)))
    return f
  } as unknown as typeof Intl.DateTimeFormat
  Object.assign(reused, { supportedLocalesOf: original.supportedLocalesOf })
  ;(Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = reused
  return () => {
    ;(Intl as { DateTimeFormat: typeof Intl.DateTimeFormat }).DateTimeFormat = original
  }
}

async function time(label: string, iterations: number, warmup: number, fn: (i: number) => Promise<unknown>): Promise<Timing> {
  const rssBefore = process.memoryUsage.rss()
  for (let i = 0; i < warmup; i++) await fn(i)
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const t = performance.now()
    await fn(warmup + i)
    samples[i] = performance.now() - t
  }
  const rssGrowthMiB = (process.memoryUsage.rss() - rssBefore) / 2 ** 20
  samples.sort()
  const mean = samples.reduce((a, b) => a + b, 0) / iterations
  return { label, iterations, warmup, p50: percentile(samples, 50), p90: percentile(samples, 90), p99: percentile(samples, 99), mean, rssGrowthMiB }
}

export async function measureInProcess(opts: { databasePath: string; baseUrl: string; tokens: string[]; iterations: number }): Promise<InProcessResult> {
  const { client } = await openLocalDatabase(opts.databasePath)
  let log: InStatement[] | null = null
  const db = databaseFrom(recording(client, (statement) => log?.push(statement)))
  const config = loadConfig({ KONTOR_ENV: 'production', BASE_URL: opts.baseUrl })
  const deps: Deps = { db, clock: systemClock, config, mailer: null }
  const app = nodeServer(deps)
  const { tokens } = opts
  const cookie = (i: number) => ({ cookie: `kontor_session=${tokens[i % tokens.length]}` })
  try {
    const check = await app.request('/account', { headers: cookie(0) })
    if (check.status !== 200) throw new Error(`in-process GET /account answered ${check.status}`)
    await check.text()

    // Which statements one authenticated page runs, and how SQLite plans the reads.
    log = []
    await (await app.request('/account', { headers: cookie(1) })).text()
    const seen = log
    log = null
    const accountStatements: StatementSeen[] = []
    for (const statement of seen) {
      const sql = sqlOf(statement)
      const isRead = /^\s*select/i.test(sql)
      let plan: string[] = []
      if (isRead) {
        // EXPLAIN QUERY PLAN needs values for the placeholders; NULLs plan the same.
        const count = (sql.match(/\?/g) ?? []).length
        const rows = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: Array(count).fill(null) })
        plan = rows.rows.map((r) => String(r.detail ?? r[3]))
      }
      accountStatements.push({ sql, plan })
    }
    const accountWrites = seen.filter((s) => !/^\s*select/i.test(sqlOf(s))).length

    const n = opts.iterations
    const warm = Math.min(500, n)
    const timings: Timing[] = []
    timings.push(
      await time('GET /login (app.request)', n, warm, async () => {
        await (await app.request('/login')).text()
      }),
    )
    // What-if: the same page with Intl.DateTimeFormat instances reused per (locale, options)
    // instead of built for every date shown (src/i18n formatDateTime builds one per call).
    const asIs = await (await app.request('/account', { headers: cookie(2) })).text()
    const restore = reuseDateTimeFormats()
    let whatIf: Timing
    try {
      const reusedPage = await (await app.request('/account', { headers: cookie(2) })).text()
      if (reusedPage !== asIs) throw new Error('the what-if (reused date formatters) rendered a different /account page')
      whatIf = await time('GET /account (app.request), what-if: date formatters reused', n, warm, async (i) => {
        const res = await app.request('/account', { headers: cookie(i) })
        await res.text()
      })
    } finally {
      restore()
    }
    // As the app is (after the what-if, so that the native memory the per-call formatters leave
    // for the garbage collector shows in this row's RSS growth, not in the what-if's).
    timings.push(
      await time('GET /account (app.request)', n, warm, async (i) => {
        const res = await app.request('/account', { headers: cookie(i) })
        await res.text()
        if (res.status !== 200) throw new Error(`GET /account answered ${res.status}`)
      }),
    )
    timings.push(whatIf)
    // The statements of that page, one at a time, straight on the libSQL client (no drizzle).
    for (const statement of seen) {
      const sql = sqlOf(statement)
      if (!/^\s*select/i.test(sql)) continue
      timings.push(
        await time(`  SQL ${describe(sql)}`, n, warm, async () => {
          await client.execute(statement)
        }),
      )
    }
    return { timings, accountStatements, accountWrites }
  } finally {
    client.close()
  }
}
