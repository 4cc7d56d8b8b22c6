// What the steps of the daily lifecycle jobs share (SPEC §13): the run's context (the catalog read
// once, counts, errors), a guard that records a failing item without stopping the others, the run's
// budget (a run stops at it and the next tick goes on) with its lease's heartbeat, and the paged scan
// over subscriptions of live orgs that every step uses to find its due work.
import { and, eq, isNull, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Deps } from '../deps'
import { orgs, subscriptions } from '../db/schema'
import type { CatalogProduct } from '../db/catalog'
import type { RunContext } from '../jobs/runner'
import type { Subscription } from './subscriptions'
import type { Org } from './orgs'

/** How much a run may still do: milliseconds of work (production) or items (tests, for exact cut-offs). */
export type Budget = { left: number; unit: 'ms' | 'items' }

/**
 * The work one run of a daily or frequent job does before it stops and leaves the rest to the next
 * tick (`unfinished`): 20 s of items' time, inside a Cron Trigger's limits (wrangler.toml [limits]).
 * Time rather than a count, so items that cost nothing (a retry not yet due) can't use it up and
 * starve the ones after them.
 */
export const RUN_BUDGET: Budget = { left: 20_000, unit: 'ms' }

/** What the budget helpers need of a run: its budget, whether it ran out, and its lease's heartbeat. */
export type Budgeted = { budget?: Budget; unfinished?: boolean; heartbeat?: RunContext['heartbeat'] }

/**
 * What each step gets: the catalog read once per run, the run's counts and errors to add to, and an
 * optional budget of items for the run: once spent, the steps stop where they are and the run is
 * marked `unfinished` (the next tick continues it, src/jobs/index.ts), so one run stays within a
 * Cron Trigger's CPU limit however much is due on one day.
 */
export type StepContext = {
  deps: Deps
  now: Date
  catalog: CatalogProduct[]
  page: number
  counts: Record<string, number>
  errors: string[]
  budget?: Budget
  unfinished?: boolean
  /** Keeps the run's lease while it works (src/jobs/runner.ts); called after every item. */
  heartbeat?: RunContext['heartbeat']
}
export type StepFn = (x: StepContext) => Promise<void>

/** Runs one item, counting a throw as `failed` with its message kept for the run's record. */
export async function guarded(x: StepContext, label: string, fn: () => Promise<void>): Promise<void> {
  const started = performance.now()
  try {
    await fn()
  } catch (e) {
    failed(x, label, e)
  } finally {
    charge(x, started)
  }
  await x.heartbeat?.()
}

/** Counts a failed item and keeps its message for the run's record; the run goes on. */
export function failed(x: StepContext, label: string, e: unknown): void {
  count(x, 'failed')
  const message = e instanceof Error ? e.message : String(e)
  x.errors.push(`${label}: ${message}`)
  console.error(`${label} failed:`, e)
}

/** Runs a unit of work if the run may (`charged`), or always: answers whether it ran. */
export type Unit = (work: () => Promise<void>) => Promise<boolean>
export const always: Unit = async (work) => {
  await work()
  return true
}

/**
 * Runs one unit of bulk work (a page of a statement, one batch) charged to the budget like an item,
 * unless the budget is spent: then it runs nothing and answers false. A throw stops the run.
 */
export async function charged(x: Budgeted, fn: () => Promise<void>): Promise<boolean> {
  if (spent(x)) return false
  const started = performance.now()
  try {
    await fn()
  } finally {
    charge(x, started)
  }
  await x.heartbeat?.()
  return true
}

/** Takes the work that started at `started` (performance.now()) off the budget: its time, or one item. */
function charge(x: Budgeted, started: number): void {
  if (x.budget) x.budget.left -= x.budget.unit === 'items' ? 1 : performance.now() - started
}

/** Whether the run's item budget is spent (and so the run unfinished): a step checks it before each item. */
export function spent(x: Budgeted): boolean {
  if (x.budget && x.budget.left <= 0) x.unfinished = true
  return x.unfinished === true
}

export function count(x: StepContext, key: string, n = 1): void {
  x.counts[key] = (x.counts[key] ?? 0) + n
}

export type LiveRow = { sub: Subscription; org: Org }
type Scan = { where: SQL; order: SQLiteColumn[]; after: (last: LiveRow) => SQL; label: string }

/**
 * Subscriptions of live orgs matching `where`, a page at a time in `order` (so one run holds few rows
 * at once; `after` makes a page's last row the start of the next), each handled with its product
 * under `guarded`: one failing never stops the others.
 */
export async function eachSubscription(x: StepContext, q: Scan, each: (row: LiveRow, product: CatalogProduct) => Promise<void>): Promise<void> {
  let after: SQL | undefined
  for (;;) {
    const rows = await x.deps.db
      .select({ sub: subscriptions, org: orgs })
      .from(subscriptions)
      .innerJoin(orgs, eq(orgs.id, subscriptions.orgId))
      .where(and(q.where, isNull(orgs.deletedAt), after))
      .orderBy(...q.order)
      .limit(x.page)
    for (const row of rows) {
      if (spent(x)) return
      const product = x.catalog.find((p) => p.id === row.sub.productId)
      if (!product) count(x, 'skipped')
      else await guarded(x, `${q.label} ${row.sub.id}`, () => each(row, product))
    }
    const last = rows.at(-1)
    if (rows.length < x.page || !last) return
    after = q.after(last)
  }
}
