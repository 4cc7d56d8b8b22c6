// Opens the embedded libSQL file database used on Node (npm start, tests, benchmarks) and applies
// the migrations from migrations/.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { databaseFrom, type Db } from './client'

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations')

export type LocalDatabase = { db: Db; client: Client }

export async function openLocalDatabase(path: string): Promise<LocalDatabase> {
  mkdirSync(dirname(resolve(path)), { recursive: true })
  // `timeout` is SQLite's busy timeout: a writer waits for another connection's transaction
  // instead of failing at once with SQLITE_BUSY.
  const client = createClient({ url: `file:${resolve(path)}`, timeout: 5000 })
  // WAL is a property of the file; synchronous=NORMAL is per connection and applies to the pooled
  // connection the client reuses for every statement and batch. A second connection only opens
  // while an interactive transaction is held, and then runs with SQLite's safe default (FULL).
  await client.execute('PRAGMA journal_mode=WAL')
  await client.execute('PRAGMA synchronous=NORMAL')
  return { db: databaseFrom(client), client }
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
}
