// The catalog, cached per isolate (per database handle): every page and job needs it, and it changes
// only when an operator edits it. A copy younger than FRESH_MS is used as it is; an older one is
// checked against the version row (one cheap statement, which a page's first batch carries, see
// src/routes/request-context.ts) and reloaded in one batch only when the version moved. Triggers
// raise the version on every write to the catalog tables (migration 0019), whoever writes; this
// process's own edits also drop its copy at once (invalidateCatalog), so an operator sees an edit
// on the next page, and other isolates within FRESH_MS.
import type { Db } from './client'
import { catalogVersionQuery, readCatalog, type CatalogProduct } from './catalog'

/** How long a checked copy is used without asking the database again. */
export const FRESH_MS = 5_000

type Entry = { version: number; products: CatalogProduct[]; checkedAt: number }
const entries = new WeakMap<Db, Entry>()
/** Another freshness for one database handle (tests that count statements must not see a check come due mid-test on a slow machine). */
const freshness = new WeakMap<Db, number>()

export function setCatalogFreshness(db: Db, ms: number): void {
  freshness.set(db, ms)
}

const freshFor = (db: Db) => freshness.get(db) ?? FRESH_MS

/**
 * Whether the cached copy must be checked against the version before its next use (so a page's
 * first batch should read the version). Without a copy there is nothing to check: the first use
 * loads the catalog and its version in one batch.
 */
export function catalogCheckDue(db: Db, realNow = Date.now()): boolean {
  const entry = entries.get(db)
  return entry !== undefined && realNow - entry.checkedAt >= freshFor(db)
}

/** The version read in a page's first batch: the copy stays fresh if current, else it is dropped. */
export function noteCatalogVersion(db: Db, version: number | undefined, realNow = Date.now()): void {
  const entry = entries.get(db)
  if (!entry) return
  if (entry.version === version) entry.checkedAt = realNow
  else entries.delete(db)
}

export { catalogVersionQuery }

/** The catalog: the cached copy while fresh, else checked (one statement) or reloaded (one batch). */
export async function cachedCatalog(db: Db): Promise<CatalogProduct[]> {
  const realNow = Date.now()
  const entry = entries.get(db)
  if (entry && realNow - entry.checkedAt < freshFor(db)) return entry.products
  if (entry) {
    const [row] = await catalogVersionQuery(db)
    if (row?.version === entry.version) {
      entry.checkedAt = realNow
      return entry.products
    }
  }
  const loaded = await readCatalog(db)
  entries.set(db, { ...loaded, checkedAt: realNow })
  return loaded.products
}

/** Drops this isolate's copy: after a catalog edit here, the next read loads the edited catalog. */
export function invalidateCatalog(db: Db): void {
  entries.delete(db)
}
