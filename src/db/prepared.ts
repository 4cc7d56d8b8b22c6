// Node's file database: the few hottest statements run on a connection that keeps them prepared.
// @libsql/client prepares every statement on every call: the usage report's batch (the vendor API's
// hot write, src/db/usage-report.ts) took ~1 ms of CPU that way and ~0.15 ms kept prepared. So the
// statements registered as hot (keepPrepared, src/db/hot-statements.ts) are prepared once, on a
// second connection to the same file, and a batch made only of them runs there: BEGIN, the
// statements, COMMIT, synchronously, as the client's own batch does. Every other call goes to the client unchanged. Two connections in one
// process are safe here because neither ever holds a transaction across an await (the app holds no
// interactive transactions, src/db/client.ts): each batch runs to its COMMIT before anything else.
// On Workers (Turso over HTTP) there is no such connection and the batch goes to the client.
import Database from 'libsql'
import type { Client, InStatement, InValue, ResultSet, Row, TransactionMode } from '@libsql/client'
import { isKeptPrepared } from './hot-statements'

type Statement = Database.Statement
type Hot = { sql: string; args: InValue[] }

const BEGIN: Record<TransactionMode, string> = { write: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', deferred: 'BEGIN DEFERRED' }

function fromSql(value: unknown): unknown {
  if (typeof value !== 'bigint') return value
  // As the client's intMode "number": an integer past 2^53 is an error, never a silent rounding.
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number')
  return Number(value)
}

/** The client's ResultSet shape: rows readable by index and by column name. */
function resultSet(columns: string[], raw: unknown[][], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  const rows = raw.map((values) => {
    const row = {} as Row
    Object.defineProperty(row, 'length', { value: values.length })
    values.forEach((v, i) => {
      const value = fromSql(v)
      Object.defineProperty(row, i, { value })
      if (!Object.hasOwn(row, columns[i]!)) Object.defineProperty(row, columns[i]!, { value, enumerable: true, configurable: true, writable: true })
    })
    return row
  })
  return { columns, columnTypes: columns.map(() => ''), rows, rowsAffected, lastInsertRowid, toJSON: () => ({ columns, rows: raw, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null }) }
}

class PreparedConnection {
  #db: Database.Database
  #statements = new Map<string, { statement: Statement; columns: string[] | null }>()

  constructor(path: string, pragmas: string[]) {
    this.#db = new Database(path)
    for (const pragma of pragmas) this.#db.exec(pragma)
  }

  #prepared(sql: string) {
    let entry = this.#statements.get(sql)
    if (!entry) {
      const statement = this.#db.prepare(sql)
      statement.safeIntegers(true)
      const columns = statement.reader ? statement.columns().map((c) => c.name) : null
      if (columns) statement.raw(true)
      entry = { statement, columns }
      this.#statements.set(sql, entry)
    }
    return entry
  }

  batch(statements: Hot[], mode: TransactionMode): ResultSet[] {
    this.#prepared(BEGIN[mode]).statement.run()
    try {
      const results = statements.map(({ sql, args }) => {
        const { statement, columns } = this.#prepared(sql)
        if (columns) return resultSet(columns, statement.all(args) as unknown[][], 0, undefined)
        const info = statement.run(args)
        return resultSet([], [], info.changes, BigInt(info.lastInsertRowid))
      })
      this.#prepared('COMMIT').statement.run()
      return results
    } catch (e) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
      throw e
    }
  }

  close(): void {
    this.#db.close()
  }
}

const isRegistered = (s: InStatement): s is Hot => typeof s !== 'string' && Array.isArray(s.args) && isKeptPrepared(s.sql)

/**
 * The client of a local file, with the registered statements' batches run prepared on a connection
 * of their own (opened on first use, with the same pragmas as the client's, closed with it).
 */
export function withPreparedStatements(client: Client, path: string, pragmas: string[]): Client {
  let connection: PreparedConnection | null = null
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'batch') {
        return async (statements: InStatement[], mode: TransactionMode = 'deferred') => {
          const hot = statements.filter(isRegistered)
          if (hot.length === 0 || hot.length < statements.length) return target.batch(statements, mode)
          connection ??= new PreparedConnection(path, pragmas)
          return connection.batch(hot, mode)
        }
      }
      if (prop === 'close') {
        return () => {
          connection?.close()
          connection = null
          target.close()
        }
      }
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
