// Every list an org's pages read holds its work to what it shows, however many rows the org has
// (issue 17): SQLite's plan (EXPLAIN QUERY PLAN, the app never runs ANALYZE, so plans don't depend
// on the data) reads the org's rows through an index range — never a SCAN of a table, nor the org's
// whole part of an index where a filter could bound it — and returns them in index order, never
// sorted in a temporary B-tree. The few sorts left are of sets bounded by something else than the
// org's rows, each named below with its bound.
import { describe, expect, it } from 'vitest'
import { sql, type SQL } from 'drizzle-orm'
import { testApp } from '../helpers/app'
import { listQuery, TABS, type ECodeFilter } from '../../src/services/ecode-list'
import { countQuery } from '../../src/services/ecode-counts'
import { historyFacetQueries, historyPageQuery, type HistoryFilter } from '../../src/db/history'
import { listOrders, listPayments } from '../../src/services/orders'
import { listPendingRequests } from '../../src/services/requests'
import { listMembers, listPendingInvitations } from '../../src/services/members'
import { listSavedMethods } from '../../src/services/saved-methods'
import { listWarehouseGrants } from '../../src/services/grants'

const t = await testApp()
const NOW = new Date('2026-11-20T10:00:00Z')

type Line = { id: number; parent: number; detail: string }
type Query = SQL | { getSQL(): SQL }

async function planOf(q: Query): Promise<Line[]> {
  return t.db.all<Line>(sql`explain query plan ${'getSQL' in q ? q.getSQL() : q}`)
}

const text = (plan: Line[]) => plan.map((l) => l.detail).join(' | ')
/** A SCAN of a table: the subqueries and common table expressions a statement builds itself are not tables. */
const tableScans = (plan: Line[]) => plan.filter((l) => /^SCAN /.test(l.detail) && !/^SCAN (\(subquery-\d+\)|k|a)$/.test(l.detail))
const sorts = (plan: Line[]) => plan.filter((l) => /USE TEMP B-TREE FOR (.* )?ORDER BY/.test(l.detail))
/** The lines beside `line` (same parent). */
const siblings = (plan: Line[], line: Line) => plan.filter((l) => l.parent === line.parent && l !== line)

/** No table scanned, and every sort only beside a range that `bounded` recognises (none allowed by default). */
function expectIndexOrder(plan: Line[], label: string, bounded?: RegExp) {
  expect(tableScans(plan), `${label}: ${text(plan)}`).toEqual([])
  for (const sort of sorts(plan)) {
    expect(bounded && siblings(plan, sort).some((l) => bounded.test(l.detail)), `${label} sorts outside a bounded range: ${text(plan)}`).toBe(true)
  }
}

const day = (iso: string) => new Date(`${iso}T23:00:00Z`)
const ECODE_FILTERS: Omit<ECodeFilter, 'tab'>[] = [
  {},
  { variantId: 'v1' },
  { from: day('2025-11-30'), to: day('2025-12-31') },
  { from: day('2025-11-30') },
  { to: day('2025-12-31') },
  { variantId: 'v1', from: day('2025-11-30'), to: day('2025-12-31') },
  { member: 'u1' },
  { member: 'u1', from: day('2025-11-30'), to: day('2025-12-31') },
  { lookupHash: 'h1' },
  { lookupHash: 'h1', variantId: 'v1' },
]
/** The Expired tab's second arm: active codes past their validity, as many as the daily purge has not marked yet. */
const LAPSED_RANGE = /^SEARCH e USING (COVERING )?INDEX ecodes_org_status_expires \(org_id=\? AND status=\? AND expires_at<\?\)$/

describe('the e-code list', () => {
  it('reads every tab, with every filter and past the first page, from an index range in the order it shows', async () => {
    for (const tab of TABS) {
      for (const f of ECODE_FILTERS) {
        for (const cursor of [null, { at: NOW.getTime(), id: 'zzzz' }]) {
          const label = `${tab} ${JSON.stringify(f)}${cursor ? ' cursor' : ''}`
          const plan = await planOf(listQuery('o1', { tab, ...f }, cursor, NOW, 51))
          expectIndexOrder(plan, label, LAPSED_RANGE)
          // Each arm reads the codes of one status (and variant) of the org, or one code by its hash.
          const reads = plan.filter((l) => /^SEARCH e /.test(l.detail))
          expect(reads.length, label).toBe(tab === 'expired' ? 2 : 1)
          for (const r of reads) {
            expect(r.detail, label).toMatch(
              f.lookupHash
                ? /USING INDEX ecodes_lookup_hash \(lookup_hash=\?\)/
                : /USING (COVERING )?INDEX (ecodes_org_status_created \(org_id=\? AND status=\?|ecodes_org_variant_status_created \(org_id=\? AND variant_id=\? AND status=\?|ecodes_org_status_expires \(org_id=\? AND status=\? AND expires_at<\?\))/,
            )
            if (f.variantId && !f.lookupHash && !LAPSED_RANGE.test(r.detail)) expect(r.detail, label).toContain('ecodes_org_variant_status_created')
            if (f.from && !f.lookupHash && !LAPSED_RANGE.test(r.detail)) expect(r.detail, label).toMatch(/created_at>\?/)
          }
          // The Expired tab's active codes past their validity: the short range up to now, not every active code.
          if (tab === 'expired' && !f.lookupHash) expect(reads.filter((r) => LAPSED_RANGE.test(r.detail)), label).toHaveLength(1)
          // Sorting, if at all, only the lapsed arm of the Expired tab.
          if (tab !== 'expired' || f.lookupHash) expect(sorts(plan), label).toEqual([])
        }
      }
    }
  })

  it('counts the tabs from the counters, bounded stretches of codes and the lapsed range only', async () => {
    for (const f of ECODE_FILTERS) {
      const label = JSON.stringify(f)
      const plan = await planOf(countQuery('o1', { tab: 'active', ...f }, NOW))
      expectIndexOrder(plan, label)
      for (const r of plan.filter((l) => /^SEARCH e /.test(l.detail))) {
        // A code by its hash, the lapsed active codes, or the codes created in a stretch of at most
        // a day or two at a date filter's ends — never a status's whole range of the org.
        expect(r.detail, label).toMatch(/ecodes_lookup_hash \(lookup_hash=\?\)|status=\? AND expires_at<\?\)$|created_at>\? AND created_at<\?\)$/)
      }
      const counters = plan.filter((l) => /^SEARCH c /.test(l.detail))
      if (f.lookupHash) expect(counters, label).toEqual([])
      else expect(counters.map((l) => l.detail).join(' | '), label).toMatch(f.from || f.to ? /^SEARCH c USING PRIMARY KEY \(org_id=\? AND day[<>]\?/ : /^SEARCH c USING PRIMARY KEY \(org_id=\?/)
    }
  })
})

describe('the history', () => {
  const FILTERS: HistoryFilter[] = [{}, { kind: 'member.added' }, { actorId: 'u1' }, { from: day('2025-11-30'), to: day('2025-12-31') }, { kind: 'member.added', from: day('2025-11-30') }, { actorId: 'u1', to: day('2025-12-31') }]

  it('reads every filter, and every page after the first, from an index range in the order it shows', async () => {
    for (const f of FILTERS) {
      for (const cursor of [null, { at: NOW.getTime(), id: 1000 }]) {
        const label = `${JSON.stringify(f)}${cursor ? ' cursor' : ''}`
        const plan = await planOf(historyPageQuery(t.db, 'o1', f, cursor, 51))
        expectIndexOrder(plan, label)
        const index = f.kind ? 'history_org_kind_at \\(org_id=\\? AND kind=\\?' : f.actorId ? 'history_org_actor_at \\(org_id=\\? AND actor_id=\\?' : 'history_org_at \\(org_id=\\?'
        expect(text(plan), label).toMatch(new RegExp(`^SEARCH history USING INDEX ${index}`))
        if (f.from || cursor) expect(text(plan), label).toMatch(/at[<>]\?/)
      }
    }
  })

  it('lists the kinds and people of the filter menus by jumping from one value to the next, sorting only those values', async () => {
    const { kinds, actors } = historyFacetQueries('o1')
    for (const [label, q] of [['kinds', kinds], ['actors', actors]] as const) {
      const plan = await planOf(q)
      // The sort is of the distinct values the recursion found (a few dozen kinds and people), at the top level.
      expectIndexOrder(plan, label, /^SCAN (k|a)$/)
      for (const r of plan.filter((l) => /^SEARCH history/.test(l.detail))) expect(r.detail, label).toMatch(/\(org_id=\? AND (kind|actor_id)[>=]\?\)$|\(org_id=\?\)$/)
    }
  })
})

describe("an org's other lists", () => {
  const lists: [string, Query, RegExp][] = [
    ['orders', listOrders(t.db, 'o1'), /^SEARCH orders USING INDEX orders_org_created \(org_id=\?\)/],
    ['payments', listPayments(t.db, 'o1'), /^SEARCH payments USING INDEX payments_org_created \(org_id=\?\)/],
    ['saved methods', listSavedMethods(t.deps, 'o1'), /^SEARCH saved_methods USING INDEX saved_methods_org \(org_id=\?\)/],
    ['requests inbox', listPendingRequests(t.deps, 'o1'), /^SEARCH org_requests USING INDEX org_requests_org_status \(org_id=\? AND status=\?\)/],
    ['invitations', listPendingInvitations(t.deps, 'o1', NOW), /^SEARCH invitations USING INDEX invitations_org_email \(org_id=\?\)/],
    ['warehouse grants', listWarehouseGrants(t.deps, 'o1'), /^SEARCH warehouse_grants USING INDEX warehouse_grants_org \(org_id=\?\)/],
  ]

  it.each(lists)('reads the %s from an index range of the org in the order shown', async (label, q, read) => {
    const plan = await planOf(q)
    expectIndexOrder(plan, label)
    expect(text(plan), label).toMatch(read)
  })

  it('reads the members from the org’s memberships, sorting them by name: no more than the plan’s seats', async () => {
    // Names live in users, so no index of memberships can give their order; the set is the org's
    // members, which its plan's seats limit (SPEC §2), not its history or codes.
    const plan = await planOf(listMembers(t.deps, 'o1'))
    expectIndexOrder(plan, 'members', /^SEARCH memberships USING INDEX sqlite_autoindex_memberships_1 \(org_id=\?\)$/)
  })
})
