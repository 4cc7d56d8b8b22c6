// Opens the embedded libSQL file database used on Node (npm start, tests, benchmarks) and applies
// the migrations from migrations/.
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client, type Transaction, type TransactionMode } from '@libsql/client'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { databaseFrom, type Db } from './client'

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations')

export type LocalDatabase = { db: Db; client: Client }

export async function openLocalDatabase(path: string): Promise<LocalDatabase> {
  mkdirSync(dirname(resolve(path)), { recursive: true })
  // One connection: `timeout` is SQLite's busy timeout for other processes (a script, the bench);
  // within this process gateTransactions below queues statements behind an open transaction, so
  // one connection is all it needs. A pool would open more connections whenever two statements
  // start at once, and each new one would run with SQLite's defaults (synchronous=FULL: an fsync
  // per commit) and could keep a stale read snapshot (SQLITE_BUSY_SNAPSHOT on its next write).
  const client = createClient({ url: `file:${resolve(path)}`, timeout: 5000, concurrency: 1 })
  // WAL is a property of the file; synchronous=NORMAL is per connection: the one connection.
  await client.execute('PRAGMA journal_mode=WAL')
  await client.execute('PRAGMA synchronous=NORMAL')
  gateTransactions(client)
  return { db: databaseFrom(client), client }
}

/**
 * The embedded driver is synchronous: a statement that finds the file locked waits for the busy
 * timeout *on the event loop*, so the interactive transaction holding the lock — which needs the
 * event loop to go on — cannot finish, and both give up with SQLITE_BUSY. So within this process,
 * an interactive transaction runs alone: later transactions queue behind it, and statements and
 * batches on the client wait until it has committed or rolled back. (A remote libSQL server
 * queues writers itself; this is only for the file database.) Inside a transaction's callback,
 * every query must go through `tx`: one through the client would wait for itself.
 */
export function gateTransactions(client: Client): void {
  let open: Promise<void> | null = null
  let queue: Promise<unknown> = Promise.resolve()
  const whenIdle = async () => {
    while (open) await open
  }
  const begin = client.transaction.bind(client)
  client.transaction = (mode?: TransactionMode): Promise<Transaction> => {
    const started = queue.then(async () => {
      await whenIdle()
      let release!: () => void
      open = new Promise<void>((resolve) => (release = resolve))
      const end = () => {
        open = null
        release()
      }
      try {
        const tx = await begin(mode)
        for (const method of ['commit', 'rollback'] as const) {
          const settle = tx[method].bind(tx)
          tx[method] = () => settle().finally(end)
        }
        const close = tx.close.bind(tx)
        tx.close = () => {
          close()
          end()
        }
        return tx
      } catch (e) {
        end()
        throw e
      }
    })
    queue = started.then(whenIdle, () => undefined)
    return started
  }
  for (const name of ['execute', 'batch', 'executeMultiple', 'migrate'] as const) {
    const run = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client)
    // Called at once when no transaction is open, so the statement takes the connection in this
    // same tick — a transaction starting in between would otherwise hold it first.
    const gated = (...args: unknown[]): Promise<unknown> => (open ? open.then(() => gated(...args)) : run(...args))
    ;(client as unknown as Record<string, unknown>)[name] = gated
  }
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
}
