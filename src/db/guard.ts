// Writes planned on what was read, without an interactive transaction: Turso has one writer, and a
// transaction held across round trips holds its write lock for every one of them. Instead a write
// reads first, then sends ONE batch (one request, the lock held for that request alone) that starts
// with guards — conditions on the state it read — and aborts whole if any no longer holds; then it
// is planned again from a fresh read (CONVENTIONS §5: state changes are conditional).
import { sql, type SQL } from 'drizzle-orm'
import type { BatchItem, Db, Executor } from './client'
import { batchGuards } from './schema'

const ABORTED = 'kontor batch guard'

/** A statement that aborts its batch unless `holds` is true when the batch runs (migration 0020's trigger). */
export function guard(db: Executor, holds: SQL): BatchItem {
  return db.run(sql`insert into ${batchGuards} (reason) select 'changed' where not (${holds})`)
}

/** Whether an error is a batch aborted by one of its guards. */
export function guardAborted(e: unknown): boolean {
  for (let x: unknown = e; x; x = (x as { cause?: unknown }).cause) {
    if ((x instanceof Error ? x.message : String(x)).includes(ABORTED)) return true
    if (!(x instanceof Error)) break
  }
  return false
}

/** What a planned write does: nothing more to write (its answer), or a batch and what its results mean. */
export type Planned<T> = { done: T } | { batch: BatchItem[]; after: (results: unknown[]) => T | Promise<T> }

/**
 * How many times a write is planned again after its guards found the state changed under it: each
 * time another writer got there first, so N writers racing for one counter need up to N attempts.
 */
export const PLAN_ATTEMPTS = 50

/**
 * Plans the write (reads, then statements), runs its batch, and plans again from a fresh read when
 * a guard aborted it, after a short random pause that spreads writers racing for the same rows.
 */
export async function writePlanned<T>(db: Db, plan: () => Promise<Planned<T>>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const p = await plan()
    if (!('batch' in p)) return p.done
    try {
      const results = (await db.batch(p.batch as [BatchItem, ...BatchItem[]])) as unknown[]
      return await p.after(results)
    } catch (e) {
      if (!guardAborted(e) || attempt >= PLAN_ATTEMPTS) throw e
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)))
  }
}
