// The libSQL client for the local file on Node: the interface of @libsql/client's own file client,
// on the same native binding (the `libsql` package), but keeping each statement prepared. The stock
// client prepares every statement again at every call (BEGIN and COMMIT included), asks for its
// columns twice and builds each row with one defineProperty per value: together about a fifth of a
// page's CPU (docs/performance.md). One connection, run synchronously: see openLocalDatabase.
import Database from 'libsql'
import { LibsqlBatchError, LibsqlError, type Client, type InArgs, type InStatement, type InValue, type ResultSet, type Row, type TransactionMode } from '@libsql/client'

type NativeStatement = Database.Statement
type NativeError = Error & { code: string; rawCode?: number }

/** A prepared statement and, for one that returns rows, what its rows look like. */
type Prepared = { stmt: NativeStatement; shape: RowShape | null }

/** Statements kept prepared at once; the app has a few hundred distinct ones. */
const CACHE_LIMIT = 500

const VALUES = Symbol('values')

/**
 * Rows as @libsql/client builds them (each column by name, enumerable, the first of two alike
 * winning; by index and `length`, not enumerable), but with the by-index side on a prototype made
 * once per statement.
 */
class RowShape {
  readonly columns: string[]
  readonly columnTypes: string[]
  private readonly proto: object
  /** Names set as plain properties, and names the prototype also reads by index ("1"), which need one of their own over the getter. */
  private readonly named: [string, number][]
  private readonly shadowing: [string, number][]

  constructor(columns: { name: string; type: string | null }[]) {
    this.columns = columns.map((c) => c.name)
    this.columnTypes = columns.map((c) => c.type ?? '')
    // Which property each name ends up as, replaying @libsql/client's construction: "length" and
    // each index first-come, a column's name unless already taken (a column named "1" and the
    // second value share one enumerable property holding the second value).
    const final = new Map<string, { index: number; enumerable: boolean }>([['length', { index: -1, enumerable: false }]])
    this.columns.forEach((name, i) => {
      final.set(String(i), { index: i, enumerable: final.get(String(i))?.enumerable ?? false })
      if (!final.has(name)) final.set(name, { index: i, enumerable: true })
    })
    this.named = [...final].filter(([, p]) => p.enumerable).map(([name, p]) => [name, p.index])
    const props: PropertyDescriptorMap = {
      length: { get(this: { [VALUES]: unknown[] }) { return this[VALUES].length } },
    }
    this.columns.forEach((_, i) => {
      props[i] = { get(this: { [VALUES]: unknown[] }) { return this[VALUES][i] } }
    })
    this.proto = Object.create(Object.prototype, props)
    const all = this.named
    this.named = all.filter(([name]) => !(name in this.proto))
    this.shadowing = all.filter(([name]) => name in this.proto)
  }

  row(raw: unknown[]): Row {
    const values = raw.map(valueFromSql)
    const row = Object.create(this.proto) as Record<string | symbol, unknown>
    Object.defineProperty(row, VALUES, { value: values })
    for (const [name, i] of this.named) row[name] = values[i]
    for (const [name, i] of this.shadowing) Object.defineProperty(row, name, { value: values[i], enumerable: true, configurable: true, writable: true })
    return row as unknown as Row
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function valueFromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number')
    return Number(value)
  }
  // Blobs as @libsql/client returns them: an ArrayBuffer of exactly the value's bytes.
  if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)
  return value
}

function valueToSql(value: InValue | undefined): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments')
    return value
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  if (value instanceof Date) return value.valueOf()
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database')
  return value
}

function argsToSql(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return []
  if (Array.isArray(args)) return args.map(valueToSql)
  const named: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = valueToSql(value)
  return named
}

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
}

/** The error @libsql/client would throw: a LibsqlError with the base code first in its message. */
function mapError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e
  const native = e as NativeError
  const base = native.rawCode === undefined ? 'SQLITE_UNKNOWN' : (SQLITE_BASE_CODES[native.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${native.rawCode & 0xff}`)
  return new LibsqlError(native.message, base, native.code, native.rawCode, native)
}

function beginFor(mode: TransactionMode): string {
  if (mode === 'write') return 'BEGIN IMMEDIATE'
  if (mode === 'read') return 'BEGIN TRANSACTION READONLY'
  if (mode === 'deferred') return 'BEGIN DEFERRED'
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"')
}

class Result implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    return { columns: this.columns, columnTypes: this.columnTypes, rows: this.rows.map((r) => Array.prototype.slice.call(r)), rowsAffected: this.rowsAffected, lastInsertRowid: this.lastInsertRowid?.toString() ?? null }
  }
}

/** A Client on one connection to the file at `path`, keeping its statements prepared. */
export function localClient(path: string, options: { timeout: number }): Client {
  const db = new Database(path, { timeout: options.timeout })
  const cache = new Map<string, Prepared>()
  let closed = false

  function prepared(sql: string): Prepared {
    const hit = cache.get(sql)
    if (hit) {
      // Most recently used last, so the oldest is the first to go.
      cache.delete(sql)
      cache.set(sql, hit)
      return hit
    }
    const stmt = db.prepare(sql)
    stmt.safeIntegers(true)
    let shape: RowShape | null = null
    if (stmt.reader) {
      stmt.raw(true)
      shape = new RowShape(stmt.columns() as { name: string; type: string | null }[])
    }
    const entry = { stmt, shape }
    cache.set(sql, entry)
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    return entry
  }

  function reshape(sql: string, stmt: NativeStatement): RowShape {
    const shape = new RowShape(stmt.columns() as { name: string; type: string | null }[])
    cache.set(sql, { stmt, shape })
    return shape
  }

  function run(statement: InStatement, args?: InArgs): ResultSet {
    if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED')
    const sql = typeof statement === 'string' ? statement : statement.sql
    const bound = argsToSql(typeof statement === 'string' ? args : statement.args)
    try {
      const { stmt, shape } = prepared(sql)
      if (shape) {
        const raws = stmt.all(bound) as unknown[][]
        // SQLite prepares a statement again after a schema change; `select *` may then have more columns.
        const now = raws.length > 0 && raws[0]!.length !== shape.columns.length ? reshape(sql, stmt) : shape
        const rows = raws.map((raw) => now.row(raw))
        return new Result(now.columns, now.columnTypes, rows, 0, undefined)
      }
      const info = stmt.run(bound) as { changes: number; lastInsertRowid: number | bigint }
      return new Result([], [], [], info.changes, BigInt(info.lastInsertRowid))
    } catch (e) {
      throw mapError(e)
    }
  }

  /** Runs `statements` between `begin` and COMMIT; anything that fails rolls all of them back. */
  function inTransaction(begin: string, statements: InStatement[], before?: string, after?: string): ResultSet[] {
    if (before) run(before)
    try {
      run(begin)
      try {
        const results: ResultSet[] = []
        statements.forEach((statement, i) => {
          if (!db.inTransaction) throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED')
          try {
            results.push(run(statement))
          } catch (e) {
            if (e instanceof LibsqlError && !(e instanceof LibsqlBatchError)) throw new LibsqlBatchError(e.message, i, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined)
            throw e
          }
        })
        run('COMMIT')
        return results
      } finally {
        if (db.inTransaction) run('ROLLBACK')
      }
    } finally {
      if (after) run(after)
    }
  }

  const client = {
    protocol: 'file',
    get closed() {
      return closed
    },
    async execute(statement: InStatement | string, args?: InArgs) {
      return run(statement, args)
    },
    async batch(statements: (InStatement | [string, InArgs?])[], mode: TransactionMode = 'deferred') {
      const normalized = statements.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s))
      return inTransaction(beginFor(mode), normalized)
    },
    async migrate(statements: InStatement[]) {
      try {
        return inTransaction(beginFor('deferred'), statements, 'PRAGMA foreign_keys=off', 'PRAGMA foreign_keys=on')
      } finally {
        // What the statements kept know of their columns may have changed.
        cache.clear()
      }
    },
    async executeMultiple(sql: string) {
      if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED')
      try {
        db.exec(sql)
      } catch (e) {
        throw mapError(e)
      } finally {
        cache.clear()
      }
    },
    async transaction(): Promise<never> {
      throw new Error('Kontor holds no interactive transactions: read, then write one batch guarded on what was read (src/db/guard.ts)')
    },
    async sync() {
      return undefined
    },
    reconnect() {},
    close() {
      if (closed) return
      closed = true
      cache.clear()
      db.close()
    },
  }
  return client as unknown as Client
}
