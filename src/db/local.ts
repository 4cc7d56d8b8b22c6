// Opens the embedded libSQL file database used on Node (npm start, tests, benchmarks) and applies
// the migrations from migrations/.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { databaseFrom, type Db } from './client'
import { withPreparedStatements } from './prepared'

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations')

export type LocalDatabase = { db: Db; client: Client }

export async function openLocalDatabase(path: string): Promise<LocalDatabase> {
  mkdirSync(dirname(resolve(path)), { recursive: true })
  // One connection: `timeout` is SQLite's busy timeout for other processes (a script, the bench).
  // The app holds no interactive transactions (src/db/guard.ts), and the driver runs each statement
  // and each batch synchronously, so one connection is all it needs. A pool would open more
  // connections whenever two statements start at once, and each new one would run with SQLite's
  // defaults (synchronous=FULL: an fsync per commit) and could keep a stale read snapshot
  // (SQLITE_BUSY_SNAPSHOT on its next write).
  const file = resolve(path)
  const base = createClient({ url: `file:${file}`, timeout: 5000, concurrency: 1 })
  // WAL is a property of the file; synchronous=NORMAL is per connection: the one connection, and the
  // one that keeps the hottest statements prepared (src/db/prepared.ts), which never holds a
  // transaction across an await either.
  await base.execute('PRAGMA journal_mode=WAL')
  await base.execute('PRAGMA synchronous=NORMAL')
  const client = withPreparedStatements(base, file, ['PRAGMA synchronous=NORMAL', 'PRAGMA busy_timeout=5000'])
  return { db: databaseFrom(client), client }
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
}
