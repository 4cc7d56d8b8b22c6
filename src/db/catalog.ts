// Reading the catalog (SPEC §4) as one nested structure: products with their quotas, plans (prices
// and limits), add-ons (prices) and variants. Seven small queries, grouped in memory.
import { asc } from 'drizzle-orm'
import type { Db } from './client'
import { addonPrices, addons, planLimits, planPrices, plans, products, quotaDefs, variants } from './schema'

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

export async function loadCatalog(db: Db): Promise<CatalogProduct[]> {
  const [ps, qs, pls, prices, limits, ads, adPrices, vs] = await Promise.all([
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
  return ps.map((p) => ({
    ...p,
    quotas: quotasByProduct.get(p.id) ?? [],
    plans: plansByProduct.get(p.id) ?? [],
    addons: addonsByProduct.get(p.id) ?? [],
    variants: variantsByProduct.get(p.id) ?? [],
  }))
}
