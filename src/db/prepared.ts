// Hot statements built once per database handle. Drizzle builds a query's SQL text and parameter
// list anew at every call: for the reads every request makes (the session, the user's orgs) that
// building cost more CPU than SQLite running them (docs/performance.md). A query written with
// `sql.placeholder('name')` is built and prepared at its first use on a handle, then only bound.
import { fillPlaceholders } from 'drizzle-orm'
import type { Db } from './client'

/** What drizzle's prepared query offers that binding needs (its `db.batch` reads `_prepare`). */
type PreparedQuery = {
  getQuery(): { sql: string; params: unknown[] }
  mapResult(response: unknown, isFromBatch?: boolean): unknown
  all(values?: Record<string, unknown>): Promise<unknown>
  get(values?: Record<string, unknown>): Promise<unknown>
  execute(values?: Record<string, unknown>): Promise<unknown>
}

type Builder = PromiseLike<unknown> & { prepare(): unknown }

const built = new WeakMap<Db, Map<(db: Db) => Builder, PreparedQuery>>()

/**
 * `build`'s query, prepared once for `db`, bound to `values`: awaited (or `.all()`, `.get()`) it runs
 * alone; passed to `db.batch` or `readTogether` it joins the batch. It is typed as the builder, but
 * only those uses are supported: nothing can be chained onto it. `build` must be a module-level
 * function (it is the cache's key) whose query depends on nothing but `db` and its placeholders.
 */
export function bindPrepared<B extends Builder>(db: Db, build: (db: Db) => B, values: Record<string, unknown>): B {
  let perDb = built.get(db)
  if (!perDb) built.set(db, (perDb = new Map()))
  let prepared = perDb.get(build)
  if (!prepared) perDb.set(build, (prepared = build(db).prepare() as PreparedQuery))
  const query = prepared
  const bound = {
    // As drizzle's own batch calls it: the statement with its arguments, and how to read its result.
    _prepare: () => ({
      getQuery: () => {
        const { sql, params } = query.getQuery()
        return { sql, params: fillPlaceholders(params, values) }
      },
      mapResult: (response: unknown, isFromBatch?: boolean) => query.mapResult(response, isFromBatch),
    }),
    all: () => query.all(values),
    get: () => query.get(values),
    then: (resolve?: (value: unknown) => unknown, reject?: (reason: unknown) => unknown) => query.execute(values).then(resolve, reject),
  }
  return bound as unknown as B
}
