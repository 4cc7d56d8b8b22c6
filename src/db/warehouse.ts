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
