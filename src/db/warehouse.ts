// Units in an org's warehouse (SPEC §9): added by grants, paid orders and redeemed e-codes.
import { and, eq, sql } from 'drizzle-orm'
import type { Executor } from './client'
import { warehouseStock } from './schema'

/** Adds units to the org's stock of a variant (an upsert, for the caller's batch or transaction). */
export function addStock(db: Executor, orgId: string, variantId: string, units: number) {
  return db
    .insert(warehouseStock)
    .values({ orgId, variantId, units })
    .onConflictDoUpdate({ target: [warehouseStock.orgId, warehouseStock.variantId], set: { units: sql`${warehouseStock.units} + ${units}` } })
}

/**
 * The same upsert for a batch whose previous statement was a conditional change: the units are
 * added only if that statement changed a row (SQLite's changes()), like recordHistoryIfChanged.
 * (The WHERE also tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.)
 */
export function addStockIfChanged(db: Executor, orgId: string, variantId: string, units: number) {
  return db.run(sql`insert into ${warehouseStock} (org_id, variant_id, units) select ${orgId}, ${variantId}, ${units} where changes() > 0
    on conflict (org_id, variant_id) do update set units = units + ${units}`)
}

/** The org's units per variant. */
export function stockOf(db: Executor, orgId: string) {
  return db.select({ variantId: warehouseStock.variantId, units: warehouseStock.units }).from(warehouseStock).where(eq(warehouseStock.orgId, orgId))
}

export function unitsOf(db: Executor, orgId: string, variantId: string) {
  return db
    .select({ units: warehouseStock.units })
    .from(warehouseStock)
    .where(and(eq(warehouseStock.orgId, orgId), eq(warehouseStock.variantId, variantId)))
    .get()
    .then((r) => r?.units ?? 0)
}
