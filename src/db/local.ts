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
  // `timeout` is SQLite's busy timeout: a writer waits for another connection's transaction
  // instead of failing at once with SQLITE_BUSY.
  const client = createClient({ url: `file:${resolve(path)}`, timeout: 5000 })
  // WAL is a property of the file; synchronous=NORMAL is per connection and applies to the pooled
  // connection the client reuses for every statement and batch. A second connection only opens
  // while an interactive transaction is held, and then runs with SQLite's safe default (FULL).
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
    ;(client as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await whenIdle()
      return run(...args)
    }
  }
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
}
