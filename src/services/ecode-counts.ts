// The e-code list's tab counts (SPEC §9) in one statement whose work does not grow with the org's
// codes (issue 17): the counters per variant and status (ecode_counts, kept by triggers in the
// statement that changes a code), per UTC day of creation under a date filter (ecode_day_counts, plus
// the few hours between the filter's local midnight and the nearest UTC one, src/domain/day-span.ts),
// and the active codes past their validity that the daily purge has not marked yet — a range of
// (org, 'active', expires_at) as short as that backlog — which count as expired, not active.
// A search by code counts its one row through the unique look-up index.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client'
import { ecodeCounts, ecodeDayCounts, ecodes, memberPermissions, variants, ECODE_STATUSES, type ECodeStatus } from '../db/schema'
import { splitByUtcDays } from '../domain/day-span'
import type { ECodeFilter, Tab } from './ecode-list'

type CountRow = { status: ECodeStatus | 'lapsed'; n: number }

const STATUSES = sql.raw(ECODE_STATUSES.map((s) => `'${s}'`).join(', '))

/** The variant and member filters on a counter table (aliased c): a member counts the variants of the products they may manage. */
function counterScope(orgId: string, f: ECodeFilter): SQL {
  const parts = [sql`c.org_id = ${orgId}`]
  if (f.variantId) parts.push(sql`c.variant_id = ${f.variantId}`)
  if (f.member) {
    parts.push(sql`c.variant_id in (select v.id from ${variants} v where v.product_id in (select mp.product_id from ${memberPermissions} mp where mp.org_id = ${orgId} and mp.user_id = ${f.member}))`)
  }
  return sql.join(parts, sql` and `)
}

/** The same filters on the codes (aliased e), and a creation range. */
function codeScope(orgId: string, f: ECodeFilter, created: { from?: number; to?: number }): SQL {
  const parts = [sql`e.org_id = ${orgId}`]
  if (f.lookupHash) parts.push(sql`e.lookup_hash = ${f.lookupHash}`)
  if (f.variantId) parts.push(sql`e.variant_id = ${f.variantId}`)
  if (f.member) parts.push(sql`e.product_id in (select mp.product_id from ${memberPermissions} mp where mp.org_id = ${orgId} and mp.user_id = ${f.member})`)
  if (created.from !== undefined) parts.push(sql`e.created_at >= ${created.from}`)
  if (created.to !== undefined) parts.push(sql`e.created_at < ${created.to}`)
  return sql.join(parts, sql` and `)
}

/** Codes per status created in [from, to), counted from the rows (a stretch of at most a day or two), each count times `sign`. */
function rowsCounted(orgId: string, f: ECodeFilter, from: number, to: number, sign: 1 | -1): SQL {
  const index = f.variantId ? sql.raw('ecodes_org_variant_status_created') : sql.raw('ecodes_org_status_created')
  // Every status named, so each is a range of the index rather than the whole org's part of it.
  return sql`select e.status as status, ${sign} * count(*) as n from ${ecodes} e indexed by ${index}
    where ${codeScope(orgId, f, { from, to })} and e.status in (${STATUSES}) group by e.status`
}

/** The statement behind the counts: rows (status, n) with the lapsed active codes as a row of their own. */
export function countQuery(orgId: string, f: ECodeFilter, now: Date): SQL {
  const at = now.getTime()
  const created = { from: f.from?.getTime(), to: f.to?.getTime() }
  if (f.lookupHash) {
    const where = codeScope(orgId, f, created)
    return sql`select e.status as status, count(*) as n from ${ecodes} e where ${where} group by e.status
      union all select 'lapsed', count(*) from ${ecodes} e where ${where} and e.status = 'active' and e.expires_at <= ${at}`
  }
  const lapsed = sql`select 'lapsed', count(*) from ${ecodes} e indexed by ecodes_org_status_expires
    where ${codeScope(orgId, f, created)} and e.status = 'active' and e.expires_at <= ${at}`
  if (created.from === undefined && created.to === undefined) {
    return sql`select c.status as status, sum(c.n) as n from ${ecodeCounts} c where ${counterScope(orgId, f)} group by c.status union all ${lapsed}`
  }
  const split = splitByUtcDays(created.from, created.to)
  const parts: SQL[] = split.edges.map((e) => rowsCounted(orgId, f, e.from, e.to, e.sign))
  if (split.days) {
    const days = [counterScope(orgId, f)]
    if (split.days.from !== undefined) days.push(sql`c.day >= ${split.days.from}`)
    if (split.days.to !== undefined) days.push(sql`c.day < ${split.days.to}`)
    parts.unshift(sql`select c.status as status, c.n as n from ${ecodeDayCounts} c where ${sql.join(days, sql` and `)}`)
  }
  if (parts.length === 0) return sql`${lapsed}`
  return sql`select status, sum(n) as n from (${sql.join(parts, sql` union all `)}) group by status union all ${lapsed}`
}

/** The read behind the tab counts, for the caller's batch; `tabCounts` turns it into the counts. */
export function countRead(db: Db, orgId: string, f: ECodeFilter, now: Date) {
  return db.all<CountRow>(countQuery(orgId, f, now))
}

/** How many codes each tab holds under the filter (the tab itself aside). */
export async function countECodes(db: Db, orgId: string, f: ECodeFilter, now: Date): Promise<Record<Tab, number>> {
  return tabCounts(await countRead(db, orgId, f, now))
}

/** The counts per tab: an active code past its validity is taken off Active and shown under Expired. */
export function tabCounts(rows: CountRow[]): Record<Tab, number> {
  const counts: Record<Tab, number> = { active: 0, used: 0, expired: 0, disposed: 0 }
  let lapsed = 0
  for (const r of rows) {
    if (r.status === 'lapsed') lapsed += Number(r.n)
    else counts[r.status] += Number(r.n ?? 0)
  }
  counts.active -= lapsed
  counts.expired += lapsed
  return counts
}
