// Reading the catalog (SPEC §4) as one nested structure: products with their quotas, plans (prices
// and limits), add-ons (prices) and variants. Eight small queries in one batch (one round trip),
// with the catalog's version read in the same snapshot; grouped in memory. Pages and jobs read it
// through the per-isolate cache (src/db/catalog-cache.ts).
import { asc, eq } from 'drizzle-orm'
import type { Db } from './client'
import { addonPrices, addons, catalogVersion, planLimits, planPrices, plans, products, quotaDefs, variants } from './schema'

export type Product = typeof products.$inferSelect
export type QuotaDef = typeof quotaDefs.$inferSelect
export type Plan = typeof plans.$inferSelect & { prices: Record<number, number>; limits: Record<string, number | null> }
export type Addon = typeof addons.$inferSelect & { prices: Record<number, number> }
export type Variant = typeof variants.$inferSelect
export type CatalogProduct = Product & { quotas: QuotaDef[]; plans: Plan[]; addons: Addon[]; variants: Variant[] }

function groupBy<T, K extends string>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = map.get(k)
    if (list) list.push(row)
    else map.set(k, [row])
  }
  return map
}

/** The statement reading the catalog's version (raised by every change to its tables). */
export function catalogVersionQuery(db: Db) {
  return db.select({ version: catalogVersion.version }).from(catalogVersion).where(eq(catalogVersion.id, 1))
}

/** The whole catalog and its version, from one snapshot of the database. */
export async function readCatalog(db: Db): Promise<{ version: number; products: CatalogProduct[] }> {
  const [version, ps, qs, pls, prices, limits, ads, adPrices, vs] = await db.batch([
    catalogVersionQuery(db),
    db.select().from(products).orderBy(asc(products.name)),
    db.select().from(quotaDefs).orderBy(asc(quotaDefs.position)),
    db.select().from(plans).orderBy(asc(plans.rank)),
    db.select().from(planPrices),
    db.select().from(planLimits),
    db.select().from(addons),
    db.select().from(addonPrices),
    db.select().from(variants).orderBy(asc(variants.termMonths)),
  ])
  const pricesByPlan = groupBy(prices, (p) => p.planId)
  const limitsByPlan = groupBy(limits, (l) => l.planId)
  const pricesByAddon = groupBy(adPrices, (p) => p.addonId)
  const quotasByProduct = groupBy(qs, (q) => q.productId)
  const plansByProduct = groupBy(
    pls.map((p) => ({
      ...p,
      prices: Object.fromEntries((pricesByPlan.get(p.id) ?? []).map((x) => [x.periodMonths, x.netMinor])),
      limits: Object.fromEntries((limitsByPlan.get(p.id) ?? []).map((x) => [x.quotaKey, x.limit])),
    })),
    (p) => p.productId,
  )
  const addonsByProduct = groupBy(
    ads.map((a) => ({ ...a, prices: Object.fromEntries((pricesByAddon.get(a.id) ?? []).map((x) => [x.periodMonths, x.netMinor])) })),
    (a) => a.productId,
  )
  const variantsByProduct = groupBy(vs, (v) => v.productId)
  const catalog = ps.map((p) => ({
    ...p,
    quotas: quotasByProduct.get(p.id) ?? [],
    plans: plansByProduct.get(p.id) ?? [],
    addons: addonsByProduct.get(p.id) ?? [],
    variants: variantsByProduct.get(p.id) ?? [],
  }))
  return { version: version[0]?.version ?? 0, products: catalog }
}

/** The catalog read now, bypassing the cache: for tests and seeding scripts that must see the database as it is. */
export async function loadCatalog(db: Db): Promise<CatalogProduct[]> {
  return (await readCatalog(db)).products
}
