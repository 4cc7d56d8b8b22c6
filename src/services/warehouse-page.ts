// What the warehouse page lists (SPEC §9): every variant the org holds or has held units of (a row in
// warehouse_stock), grouped by product. A member sees the products they may manage, found inside the
// same statement (a subquery on their permissions) rather than read before it: one round trip.
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Deps } from '../deps'
import { memberPermissions, products, variants, warehouseStock } from '../db/schema'
import type { Role } from './orgs'
import { VARIANT_COLUMNS, type StockLine } from './warehouse'

export function warehouseLines(deps: Deps, orgId: string, user: { id: string }, role: Role): Promise<StockLine[]> {
  const { db } = deps
  const permitted =
    role === 'admin'
      ? undefined
      : inArray(products.id, db.select({ id: memberPermissions.productId }).from(memberPermissions).where(and(eq(memberPermissions.orgId, orgId), eq(memberPermissions.userId, user.id))))
  return db
    .select({ ...VARIANT_COLUMNS, units: warehouseStock.units })
    .from(warehouseStock)
    .innerJoin(variants, eq(variants.id, warehouseStock.variantId))
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(warehouseStock.orgId, orgId), eq(products.kind, 'virtual'), permitted))
    .orderBy(asc(products.name), asc(variants.termMonths), asc(variants.key))
}
