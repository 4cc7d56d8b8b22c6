// An org's history page (SPEC §11), for its administrators and for operators: the filter menus and
// one page of entries, read in one batch (one round trip).
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { facetsOf, historyFacetReads, historyPage, historyPageQuery, historyRowOf, type HistoryCursor, type HistoryFilter } from '../db/history'

/** The menus, and the page the filter asks for; a filter that did not validate (null) reads no page. */
export async function readHistoryPage(deps: Deps, orgId: string, asked: { filter: HistoryFilter; cursor: HistoryCursor | null } | null, limit: number) {
  const { db } = deps
  const read = await readTogether(db, {
    ...historyFacetReads(db, orgId),
    ...(asked ? { rows: historyPageQuery(db, orgId, asked.filter, asked.cursor, limit) } : {}),
  })
  return { facets: facetsOf(read), ...historyPage((read.rows ?? []).map(historyRowOf), limit) }
}
