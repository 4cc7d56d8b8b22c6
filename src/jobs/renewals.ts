// The renewals job (SPEC §8, §13), daily. It runs its steps in order, each finding its due work in
// pages with a cursor (so one run holds few rows at a time) and counting what it did; a failed item
// is counted and recorded and never stops the others, nor the steps after it:
//   1. card renewals: charged 7 days before the period end, retries after 1 and 3 days, reconciliation
//      of charges that got no answer (src/services/renewals.ts);
//   then the steps listed in RENEWAL_STEPS below.
import { and, eq, gt, lte, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { subscriptions } from '../db/schema'
import { cachedCatalog } from '../db/catalog-cache'
import { renewalWindow } from '../domain/renewals'
import { renewByCard } from '../services/renewals'
import { manualRenewals } from '../services/manual-renewals'
import { lapseAtPeriodEnd } from '../services/lapses'
import { lapseIdleFreePlans } from '../services/free-lapse'
import { cancelUnpaidOrders } from '../services/unpaid-orders'
import { count, eachSubscription, RUN_BUDGET, type Budget, type StepContext, type StepFn } from '../services/steps'
import { NO_LEASE, type JobReport, type RunContext } from './runner'

export const RENEWALS_PAGE = 100
/**
 * The work one run does before it leaves the rest to the next tick (RUN_BUDGET, 20 s of items' time).
 * A card renewal takes about 10 ms (two transactions, ~27 statements), so about 2,000 renewals a run.
 */
export const RENEWALS_BUDGET: Budget = RUN_BUDGET

/** Steps after the card renewals, in order (each file says what it does). */
export const RENEWAL_STEPS: StepFn[] = [manualRenewals, lapseAtPeriodEnd, lapseIdleFreePlans, cancelUnpaidOrders]

export async function runRenewals(deps: Deps, now: Date, page = RENEWALS_PAGE, budget: Budget = RENEWALS_BUDGET, run: RunContext = NO_LEASE): Promise<JobReport> {
  const catalog = await cachedCatalog(deps.db)
  const counts: Record<string, number> = { due: 0, renewed: 0, declined: 0, unknown: 0, waiting: 0, exhausted: 0, in_progress: 0, settled: 0, no_method: 0, skipped: 0, failed: 0 }
  const x: StepContext = { deps, now, catalog, page, counts, errors: [], budget: { ...budget }, heartbeat: run.heartbeat }
  await cardRenewals(x)
  for (const step of RENEWAL_STEPS) await step(x)
  // Items left to a run that may still be at them (a charge awaiting its answer) are looked at again
  // by the next ticks, like items past the budget: within minutes, not tomorrow.
  if (x.unfinished || counts.in_progress! > 0) counts.unfinished = 1
  return { counts, errors: x.errors }
}

/** Subscriptions with automatic renewal on whose period ends within 7 days (or ended up to 7 days ago, for a late run). */
function cardRenewals(x: StepContext): Promise<void> {
  const { deps, now } = x
  const { from, to } = renewalWindow(now)
  const s = subscriptions
  return eachSubscription(
    x,
    {
      where: and(eq(s.status, 'active'), eq(s.autoRenew, true), gt(s.periodEnd, from), lte(s.periodEnd, to))!,
      order: [s.periodEnd, s.id],
      after: ({ sub }) => sql`(${s.periodEnd}, ${s.id}) > (${sub.periodEnd!.getTime()}, ${sub.id})`,
      label: 'renewal of subscription',
    },
    async ({ sub, org }, product) => {
      count(x, 'due')
      const { periodEnd, periodMonths } = sub
      if (sub.snapshot.isFree || periodEnd === null || periodMonths === null) return count(x, 'skipped')
      count(x, await renewByCard(deps, { ...sub, periodEnd, periodMonths }, org, product, now))
    },
  )
}
