// Hrana 3 stream requests (libSQL's docs/HRANA_3_SPEC.md, JSON encoding) executed on one `libsql`
// connection. DEVELOPMENT ONLY: scripts/dev-libsql-server.ts puts this behind HTTP for `wrangler dev`.
import Database from 'libsql'

// ---- The JSON structures of the spec (only the fields this server reads or writes) ----

export type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string }
export type HranaError = { message: string; code: string }
export type Stmt = {
  sql?: string | null
  sql_id?: number | null
  args?: Value[]
  named_args?: { name: string; value: Value }[]
  want_rows?: boolean
}
export type Col = { name: string | null; decltype: string | null }
export type StmtResult = { cols: Col[]; rows: Value[][]; affected_row_count: number; last_insert_rowid: string | null }
export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' }
export type Batch = { steps: { condition?: BatchCond | null; stmt: Stmt }[] }
export type BatchResult = { step_results: (StmtResult | null)[]; step_errors: (HranaError | null)[] }
export type StreamRequest =
  | { type: 'close' | 'get_autocommit' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: Batch }
  | { type: 'sequence' | 'describe'; sql?: string | null; sql_id?: number | null }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
export type StreamResult = { type: 'ok'; response: { type: string } & Record<string, unknown> } | { type: 'error'; error: HranaError }
export type CursorEntry =
  | { type: 'step_begin'; step: number; cols: Col[] }
  | { type: 'row'; row: Value[] }
  | { type: 'step_end'; affected_row_count: number; last_insert_rowid: string | null }
  | { type: 'step_error'; step: number; error: HranaError }

/** A mistake in the request itself (not in its SQL); reported like an SQL error, with its own code. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code = 'HRANA_PROTO_ERROR',
  ) {
    super(message)
  }
}

// ---- Values ----

type SqlValue = null | bigint | number | string | Buffer

function toSql(v: Value): SqlValue {
  switch (v.type) {
    case 'null':
      return null
    case 'integer': {
      const n = BigInt(v.value)
      if (BigInt.asIntN(64, n) !== n) throw new RequestError(`integer out of 64-bit range: ${v.value}`, 'ARGS_INVALID')
      return n
    }
    case 'float':
      return Number(v.value)
    case 'text':
      return v.value
    case 'blob':
      return Buffer.from(v.base64, 'base64')
    default:
      throw new RequestError(`unknown value type ${JSON.stringify((v as { type: unknown }).type)}`)
  }
}

/** With safeIntegers on, SQLite INTEGERs arrive as bigint and REALs as number, so the two stay apart. */
function fromSql(v: unknown): Value {
  if (v === null || v === undefined) return { type: 'null' }
  if (typeof v === 'bigint') return { type: 'integer', value: v.toString() }
  if (typeof v === 'number') return { type: 'float', value: v }
  if (typeof v === 'string') return { type: 'text', value: v }
  if (v instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(v).toString('base64') }
  throw new RequestError(`cannot encode a ${typeof v} from SQLite`, 'INTERNAL_ERROR')
}

// ---- Parameters ----

/**
 * SQLite's numbering of the parameters in `sql`: entry i is parameter i+1, named with its prefix
 * (`:a`, `@a`, `$a`, `?3`) or null for a bare `?`. Skips strings, quoted names and comments.
 * Needed because the `libsql` package binds an object of names by looking up every parameter's
 * name, and aborts the whole process (a Rust panic) when one of them is a bare `?`: named
 * arguments are therefore turned into positions here and always bound as an array.
 */
export function parameterNames(sql: string): (string | null)[] {
  const names: (string | null)[] = []
  const skipTo = (end: string, from: number) => {
    const at = sql.indexOf(end, from)
    return at < 0 ? sql.length : at + end.length
  }
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i]!
    if (ch === "'" || ch === '"' || ch === '`') i = skipTo(ch, i + 1)
    else if (ch === '[') i = skipTo(']', i + 1)
    else if (sql.startsWith('--', i)) i = skipTo('\n', i)
    else if (sql.startsWith('/*', i)) i = skipTo('*/', i + 2)
    else {
      const m = /^(?:\?(\d*)|[:@$][\p{L}\p{N}_]+)/u.exec(sql.slice(i))
      // `$` and `@` may also sit inside an identifier (a$b), where they start no parameter.
      if (m && !(ch !== '?' && i > 0 && /[\p{L}\p{N}_$]/u.test(sql[i - 1]!))) {
        const token = m[0]
        if (token === '?') names.push(null)
        else if (m[1] !== undefined) {
          const index = Number(m[1])
          while (names.length < index) names.push(null)
          names[index - 1] = token
        } else if (!names.includes(token)) names.push(token)
        i += token.length
      } else i += 1
    }
  }
  return names
}

function bindArgs(sql: string, stmt: Stmt): SqlValue[] {
  const args = (stmt.args ?? []).map(toSql)
  if (!stmt.named_args?.length) return args
  const names = parameterNames(sql)
  for (const { name, value } of stmt.named_args) {
    // The spec lets the client leave out the prefix; the server then guesses it.
    const candidates = /^[:@$?]/.test(name) ? [name] : [':', '@', '$'].map((p) => p + name)
    const index = names.findIndex((n) => n !== null && candidates.includes(n))
    if (index < 0) throw new RequestError(`the statement has no parameter named ${name}`, 'ARGS_INVALID')
    while (args.length <= index) args.push(null)
    args[index] = toSql(value)
  }
  return args
}

// ---- Errors ----

type SqliteError = Error & { code: string; rawCode?: number }
function isSqliteError(e: unknown): e is SqliteError {
  const code: unknown = e instanceof Error ? (e as { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('SQLITE_')
}

/** The base code (SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE), as @libsql/client's file client reports it too. */
export function errorOf(e: unknown): HranaError {
  if (e instanceof RequestError) return { message: e.message, code: e.code }
  if (isSqliteError(e)) return { message: e.message, code: e.code.split('_').slice(0, 2).join('_') }
  return { message: e instanceof Error ? e.message : String(e), code: 'INTERNAL_ERROR' }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- A stream ----

/** One Hrana stream: one connection, its stored SQL texts, and the requests executed on it in order. */
export class HranaStream {
  closed = false
  private db: Database.Database
  private readonly sqls = new Map<number, string>()
  /** After each statement: changes() counts only the last INSERT/UPDATE/DELETE, total_changes() tells whether this one was one. */
  private counters: Database.Statement

  constructor(
    private readonly open: () => Database.Database,
    /** How long a statement keeps trying while another stream holds the write lock (SQLite's busy timeout, in effect). */
    private readonly busyWaitMs = 5_000,
    /** Called for each SQL statement run (an execute, a batch step whose condition held, a sequence): the server's counters. */
    private readonly onStatement: () => void = () => {},
  ) {
    this.db = open()
    this.counters = this.prepareCounters()
  }

  private prepareCounters() {
    return this.db.prepare('select changes(), total_changes(), last_insert_rowid()').safeIntegers(true).raw(true)
  }

  get isAutocommit(): boolean {
    return !this.db.inTransaction
  }

  /** Executes one request; failures become an error result, never an exception. */
  async handle(req: StreamRequest): Promise<StreamResult> {
    try {
      if (this.closed) throw new RequestError('the stream is closed', 'STREAM_CLOSED')
      return { type: 'ok', response: { type: req.type, ...(await this.respond(req)) } }
    } catch (e) {
      return { type: 'error', error: errorOf(e) }
    }
  }

  private async respond(req: StreamRequest): Promise<Record<string, unknown>> {
    switch (req.type) {
      case 'execute':
        return { result: await this.execute(req.stmt) }
      case 'batch':
        return { result: await this.batch(req.batch) }
      case 'sequence': {
        const sql = this.sqlOf(req)
        this.onStatement()
        // Not retried when busy: the statements before the one that found the lock have run.
        this.db.exec(sql)
        return {}
      }
      case 'describe':
        return { result: this.describe(this.sqlOf(req)) }
      case 'store_sql':
        this.sqls.set(req.sql_id, req.sql)
        return {}
      case 'close_sql':
        this.sqls.delete(req.sql_id)
        return {}
      case 'get_autocommit':
        return { is_autocommit: this.isAutocommit }
      case 'close':
        this.close()
        return {}
      default:
        throw new RequestError(`unknown request type ${JSON.stringify((req as { type: unknown }).type)}`)
    }
  }

  /** Rolls back what the client left open (as a server must when a stream ends) and releases the connection. */
  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
    } finally {
      this.db.close()
    }
  }

  private sqlOf(ref: { sql?: string | null; sql_id?: number | null }): string {
    if (typeof ref.sql === 'string') return ref.sql
    const stored = ref.sql_id == null ? undefined : this.sqls.get(ref.sql_id)
    if (stored === undefined) throw new RequestError(`no SQL text with id ${ref.sql_id}`, 'SQL_NOT_FOUND')
    return stored
  }

  async execute(stmt: Stmt): Promise<StmtResult> {
    const sql = this.sqlOf(stmt)
    this.onStatement()
    const args = bindArgs(sql, stmt)
    const prepared = this.db.prepare(sql).safeIntegers(true)
    const reader = prepared.reader
    if (reader) prepared.raw(true)
    const cols = reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : []
    const [, totalBefore] = this.counters.get() as bigint[]
    const rows = await this.whileBusy(() => (reader ? (prepared.all(args) as unknown[][]) : (prepared.run(args), [])))
    const [changes, totalAfter, rowid] = this.counters.get() as bigint[]
    // A statement that wrote nothing (SELECT, DDL, an UPDATE matching no row) reports no changes
    // of its own; changes() alone would still show the previous INSERT/UPDATE/DELETE's count.
    const wrote = totalAfter !== totalBefore
    return {
      cols,
      rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(fromSql)),
      affected_row_count: wrote ? Number(changes) : 0,
      last_insert_rowid: wrote ? String(rowid) : null,
    }
  }

  /**
   * Connections here have no busy timeout: a blocking wait would stop the whole (single-threaded)
   * server, including the stream whose transaction holds the lock. A statement that finds the
   * database locked is run again after a pause instead, so the holder can finish meanwhile.
   * It must be the same prepared statement: one left at SQLITE_BUSY stays active, and while it
   * does, nothing later on its connection commits. So a connection in autocommit mode that gives
   * up is replaced. SQLITE_BUSY_SNAPSHOT is not retried: a stale snapshot can never succeed.
   */
  private async whileBusy<T>(run: () => T): Promise<T> {
    const deadline = Date.now() + this.busyWaitMs
    for (;;) {
      try {
        return run()
      } catch (e) {
        const busy = isSqliteError(e) && (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_BUSY_RECOVERY')
        if (busy && Date.now() < deadline) {
          await sleep(5)
          continue
        }
        if (busy && this.isAutocommit) {
          this.db.close()
          this.db = this.open()
          this.counters = this.prepareCounters()
        }
        throw e
      }
    }
  }

  /** Steps run in order; a step whose condition is false is skipped (null result and error). */
  async batch(batch: Batch): Promise<BatchResult> {
    const result: BatchResult = { step_results: [], step_errors: [] }
    for (const [i, step] of batch.steps.entries()) {
      result.step_results.push(null)
      result.step_errors.push(null)
      if (step.condition && !this.holds(step.condition, result)) continue
      try {
        result.step_results[i] = await this.execute(step.stmt)
      } catch (e) {
        result.step_errors[i] = errorOf(e)
      }
    }
    return result
  }

  private holds(cond: BatchCond, done: BatchResult): boolean {
    switch (cond.type) {
      case 'ok':
        return done.step_results[cond.step] != null
      case 'error':
        return done.step_errors[cond.step] != null
      case 'not':
        return !this.holds(cond.cond, done)
      case 'and':
        return cond.conds.every((c) => this.holds(c, done))
      case 'or':
        return cond.conds.some((c) => this.holds(c, done))
      case 'is_autocommit':
        return this.isAutocommit
      default:
        throw new RequestError(`unknown condition ${JSON.stringify((cond as { type: unknown }).type)}`)
    }
  }

  /**
   * The `libsql` package tells neither parameter names nor whether a statement writes, so the names
   * come from parameterNames() and "read-only" from the statement's bytecode: a write transaction
   * (`Transaction` with p2 ≠ 0) means it writes.
   */
  private describe(sql: string) {
    const prepared = this.db.prepare(sql)
    const isExplain = /^\s*explain\b/i.test(sql)
    const program = isExplain ? [] : (this.db.prepare(`explain ${sql}`).raw(true).all() as unknown[][])
    return {
      params: parameterNames(sql).map((name) => ({ name })),
      cols: prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [],
      is_explain: isExplain,
      is_readonly: !program.some((op) => op[1] === 'Transaction' && op[3] !== 0),
    }
  }
}

/** The entries of the cursor endpoint (v3/cursor) for a batch already executed: same information, one line each. */
export function cursorEntries(result: BatchResult): CursorEntry[] {
  return result.step_results.flatMap((r, step): CursorEntry[] => {
    const error = result.step_errors[step]
    if (error) return [{ type: 'step_error', step, error }]
    if (!r) return []
    return [
      { type: 'step_begin', step, cols: r.cols },
      ...r.rows.map((row) => ({ type: 'row' as const, row })),
      { type: 'step_end', affected_row_count: r.affected_row_count, last_insert_rowid: r.last_insert_rowid },
    ]
  })
}
