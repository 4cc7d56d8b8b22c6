// The renewals job (SPEC §8, §13), daily. It runs its steps in order, each finding its due work in
// pages with a cursor (so one run holds few rows at a time) and counting what it did; a failed item
// is counted and recorded and never stops the others, nor the steps after it:
//   1. card renewals: charged 7 days before the period end, retries after 1 and 3 days, reconciliation
//      of charges that got no answer (src/services/renewals.ts);
//   then the steps listed in RENEWAL_STEPS below.
import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm'
import type { Deps } from '../deps'
import { orgs, subscriptions } from '../db/schema'
import { loadCatalog, type CatalogProduct } from '../db/catalog'
import { renewalWindow } from '../domain/renewals'
import { renewByCard } from '../services/renewals'
import type { JobReport } from './runner'

export const RENEWALS_PAGE = 100

/** What each step gets: the catalog read once per run, the run's counts and errors to add to. */
export type StepContext = { deps: Deps; now: Date; catalog: CatalogProduct[]; page: number; counts: Record<string, number>; errors: string[] }
export type RenewalStepFn = (x: StepContext) => Promise<void>

/** Runs one item, counting a throw as `failed` with its message kept for the run's record. */
export async function guarded(x: StepContext, label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    count(x, 'failed')
    const message = e instanceof Error ? e.message : String(e)
    x.errors.push(`${label}: ${message}`)
    console.error(`renewals: ${label} failed:`, e)
  }
}

export function count(x: StepContext, key: string, n = 1): void {
  x.counts[key] = (x.counts[key] ?? 0) + n
}

/** Steps after the card renewals, in order (each file says what it does). */
export const RENEWAL_STEPS: RenewalStepFn[] = []

export async function runRenewals(deps: Deps, now: Date, page = RENEWALS_PAGE): Promise<JobReport> {
  const catalog = await loadCatalog(deps.db)
  const counts: Record<string, number> = { due: 0, renewed: 0, declined: 0, unknown: 0, waiting: 0, exhausted: 0, in_progress: 0, settled: 0, no_method: 0, skipped: 0, failed: 0 }
  const x: StepContext = { deps, now, catalog, page, counts, errors: [] }
  await cardRenewals(x)
  for (const step of RENEWAL_STEPS) await step(x)
  return { counts, errors: x.errors }
}

/** Subscriptions with automatic renewal on whose period ends within 7 days (or ended up to 7 days ago, for a late run). */
async function cardRenewals(x: StepContext): Promise<void> {
  const { deps, now, catalog, page } = x
  const { from, to } = renewalWindow(now)
  let cursor: { end: Date; id: string } | null = null
  for (;;) {
    const s = subscriptions
    const after: SQL | undefined = cursor ? or(gt(s.periodEnd, cursor.end), and(eq(s.periodEnd, cursor.end), gt(s.id, cursor.id))) : undefined
    const rows = await deps.db
      .select({ sub: s, org: orgs })
      .from(s)
      .innerJoin(orgs, eq(orgs.id, s.orgId))
      .where(and(eq(s.status, 'active'), eq(s.autoRenew, true), gt(s.periodEnd, from), lte(s.periodEnd, to), isNull(orgs.deletedAt), after))
      .orderBy(s.periodEnd, s.id)
      .limit(page)
    for (const { sub, org } of rows) {
      count(x, 'due')
      const product = catalog.find((p) => p.id === sub.productId)
      const { periodEnd, periodMonths } = sub
      if (!product || sub.snapshot.isFree || periodEnd === null || periodMonths === null) {
        count(x, 'skipped')
        continue
      }
      await guarded(x, `subscription ${sub.id}`, async () => count(x, await renewByCard(deps, { ...sub, periodEnd, periodMonths }, org, product, now)))
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) break
    cursor = { end: last.sub.periodEnd!, id: last.sub.id }
  }
}
