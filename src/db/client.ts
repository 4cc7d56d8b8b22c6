// The database handle every part of the app receives. Built from a libSQL client by the entry point:
// a local file on Node (src/db/local.ts), Turso over HTTP on Workers (src/worker.ts).
import type { Client, ResultSet } from '@libsql/client'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import { drizzle } from 'drizzle-orm/libsql/web'
import type { LibSQLDatabase } from 'drizzle-orm/libsql'
import * as schema from './schema'

export type Db = LibSQLDatabase<typeof schema>

export function databaseFrom(client: Client): Db {
  return drizzle(client, { schema }) as unknown as Db
}

/** A statement that can go into `db.batch([...])` (atomic) — the usual way to write a change and its outbox row together. */
export type BatchItem = Parameters<Db['batch']>[0][number]

/** The database or an open transaction: what a function needs to build statements. */
export type Executor = BaseSQLiteDatabase<'async', ResultSet, typeof schema>
