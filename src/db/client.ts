// The database handle every part of the app receives. Built from a libSQL client by the entry point:
// a local file on Node (src/db/local.ts), Turso over HTTP on Workers (src/worker.ts).
import type { Client, ResultSet } from '@libsql/client'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import { drizzle } from 'drizzle-orm/libsql/web'
import type { LibSQLDatabase } from 'drizzle-orm/libsql'
import * as schema from './schema'
import { countingClient, type DbCounter } from './counting'

/** `$client`: the (counting) libSQL client itself, for the few statements held as plain SQL (src/db/usage-report.ts). */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client }

/**
 * The app's database handle. It refuses interactive transactions: over HTTP each of their statements
 * is a round trip with Turso's one write lock held throughout; a write reads first, then sends one
 * guarded batch (src/db/guard.ts).
 */
export function databaseFrom(client: Client, counter?: DbCounter): Db {
  // Every call is counted into the current request's counter (its log line), and into `counter` (a test's).
  const db = drizzle(countingClient(client, counter), { schema }) as unknown as Db
  db.transaction = () => {
    throw new Error('Kontor holds no interactive transactions: read, then write one batch guarded on what was read (src/db/guard.ts)')
  }
  return db
}

/** A statement that can go into `db.batch([...])` (atomic) — the usual way to write a change and its outbox row together. */
export type BatchItem = Parameters<Db['batch']>[0][number]

/** The database or an open transaction: what a function needs to build statements. */
export type Executor = BaseSQLiteDatabase<'async', ResultSet, typeof schema>

/**
 * Runs independent reads (query builders, not awaited) as one batch — one round trip to Turso —
 * and returns each result under its name: `const { subs, usage } = await readTogether(db, { subs: q1, usage: q2 })`.
 */
export async function readTogether<T extends Record<string, BatchItem>>(db: Db, reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const keys = Object.keys(reads) as (keyof T)[]
  if (keys.length === 0) return {} as { [K in keyof T]: Awaited<T[K]> }
  const results = (await db.batch(keys.map((k) => reads[k]) as unknown as [BatchItem, ...BatchItem[]])) as unknown[]
  return Object.fromEntries(keys.map((k, i) => [k, results[i]])) as { [K in keyof T]: Awaited<T[K]> }
}
