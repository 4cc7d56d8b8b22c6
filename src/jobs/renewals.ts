// The renewals job (SPEC §8, §13), daily: subscriptions with automatic renewal on whose period ends
// within 7 days (or ended up to 7 days ago, for a late run) are charged on their saved method,
// declined charges retried after 1 and 3 days, and charges that got no answer reconciled. It reads
// the due subscriptions in pages ordered by (period end, id) with a cursor, so one run holds few
// rows at a time; a failed item is counted and recorded and never stops the others.
// Not here yet (issue 7): manual renewal orders and reminders, lapse, free-plan lapse, cancelling
// unpaid orders.
import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm'
import type { Deps } from '../deps'
import { orgs, subscriptions } from '../db/schema'
import { loadCatalog } from '../db/catalog'
import { renewalWindow } from '../domain/renewals'
import { renewByCard, type RenewalStep } from '../services/renewals'
import type { JobReport } from './runner'

export const RENEWALS_PAGE = 100

type Counts = Record<RenewalStep | 'due' | 'skipped' | 'failed', number>

export async function runRenewals(deps: Deps, now: Date, page = RENEWALS_PAGE): Promise<JobReport> {
  const { db } = deps
  const catalog = await loadCatalog(db)
  const { from, to } = renewalWindow(now)
  const counts: Counts = { due: 0, renewed: 0, declined: 0, unknown: 0, waiting: 0, exhausted: 0, in_progress: 0, settled: 0, no_method: 0, skipped: 0, failed: 0 }
  const errors: string[] = []
  let cursor: { end: Date; id: string } | null = null
  for (;;) {
    const s = subscriptions
    const after: SQL | undefined = cursor ? or(gt(s.periodEnd, cursor.end), and(eq(s.periodEnd, cursor.end), gt(s.id, cursor.id))) : undefined
    const rows = await db
      .select({ sub: s, org: orgs })
      .from(s)
      .innerJoin(orgs, eq(orgs.id, s.orgId))
      .where(and(eq(s.status, 'active'), eq(s.autoRenew, true), gt(s.periodEnd, from), lte(s.periodEnd, to), isNull(orgs.deletedAt), after))
      .orderBy(s.periodEnd, s.id)
      .limit(page)
    for (const { sub, org } of rows) {
      counts.due++
      const product = catalog.find((p) => p.id === sub.productId)
      const { periodEnd, periodMonths } = sub
      if (!product || sub.snapshot.isFree || periodEnd === null || periodMonths === null) {
        counts.skipped++
        continue
      }
      try {
        counts[await renewByCard(deps, { ...sub, periodEnd, periodMonths }, org, product, now)]++
      } catch (e) {
        counts.failed++
        const message = e instanceof Error ? e.message : String(e)
        errors.push(`subscription ${sub.id}: ${message}`)
        console.error(`renewals: subscription ${sub.id} failed:`, e)
      }
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) break
    cursor = { end: last.sub.periodEnd!, id: last.sub.id }
  }
  return { counts, errors }
}
