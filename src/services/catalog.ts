// Editing the catalog (SPEC §4, §15): operators create and change products, plans, quotas, add-ons
// and variants. Every change is one batch with its history row (no org: the catalog belongs to the
// vendor). Keys are unique by database constraints; a clash comes back as a result, not a throw.
// Nothing here touches subscriptions: they carry a snapshot of what was bought (PlanSnapshot).
import { and, eq } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { BatchItem, Db } from '../db/client'
import { addonPrices, addons, planLimits, planPrices, plans, products, quotaDefs, variants } from '../db/schema'
import { recordHistory, recordHistoryIfChanged, type Actor } from '../db/history'
import type { HistoryKind } from '../domain/history-kinds'
import { cachedCatalog, invalidateCatalog } from '../db/catalog-cache'
import type { CatalogProduct } from '../db/catalog'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import type { AddonInput, NewProductInput, NewQuotaInput, NewVariantInput, PlanInput, ProductInput, QuotaInput, VariantInput } from '../forms/catalog'

export type Created<E extends string> = { ok: true; id: string } | { ok: false; error: E }
export type Saved<E extends string> = { ok: true } | { ok: false; error: E }

type Part = 'plans' | 'addons' | 'variants'

export async function productById(db: Db, id: string): Promise<CatalogProduct | null> {
  return (await cachedCatalog(db)).find((p) => p.id === id) ?? null
}

/** A plan, add-on or variant by its id, with the product it belongs to. */
export async function partById<K extends Part>(db: Db, part: K, id: string): Promise<{ product: CatalogProduct; part: CatalogProduct[K][number] } | null> {
  for (const product of await cachedCatalog(db)) {
    const found = (product[part] as CatalogProduct[K][number][]).find((x) => x.id === id)
    if (found) return { product, part: found }
  }
  return null
}

/** Writes catalog rows; this isolate's cached catalog goes with it (others see the new version within seconds). */
async function catalogBatch(db: Db, items: BatchItem[]) {
  try {
    return await db.batch(items as [BatchItem, ...BatchItem[]])
  } finally {
    invalidateCatalog(db)
  }
}

/** Runs the batch; a UNIQUE failure on one of `clashes`' column lists becomes its error. */
async function write<E extends string>(db: Db, items: BatchItem[], clashes: Record<string, E>): Promise<{ ok: true } | { ok: false; error: E }> {
  try {
    await catalogBatch(db, items)
    return { ok: true }
  } catch (e) {
    const columns = uniqueViolation(e)
    const error = columns ? clashes[columns] : undefined
    if (error) return { ok: false, error }
    throw e
  }
}

const history = (db: Db, actor: Actor, kind: HistoryKind, subject: { type: string; id: string }, details: Record<string, unknown>, at: Date) =>
  recordHistory(db, { orgId: null, actor, kind, subject, details, at })

/** Rows of a price table for one plan or add-on; none when there is nothing to insert. */
function priceRows<T>(prices: Record<number, number>, row: (periodMonths: number, netMinor: number) => T): T[] {
  return Object.entries(prices).map(([m, minor]) => row(Number(m), minor))
}

// ---- Products -----------------------------------------------------------------------------------

export async function createProduct(deps: Deps, actor: Actor, input: NewProductInput, now: Date): Promise<Created<'key_taken'>> {
  const { db } = deps
  const id = generateId()
  const r = await write(
    db,
    [
      db.insert(products).values({ id, ...input, createdAt: now }),
      history(db, actor, 'catalog.product.created', { type: 'product', id }, { key: input.key, name: input.name }, now),
    ],
    { 'products.key': 'key_taken' },
  )
  return r.ok ? { ok: true, id } : r
}

export async function updateProduct(deps: Deps, actor: Actor, product: CatalogProduct, input: ProductInput, now: Date): Promise<Saved<never>> {
  const { db } = deps
  await catalogBatch(db, [
    db.update(products).set(input).where(eq(products.id, product.id)),
    recordHistoryIfChanged(db, { orgId: null, actor, kind: 'catalog.product.updated', subject: { type: 'product', id: product.id }, details: { key: product.key, ...input }, at: now }),
  ])
  return { ok: true }
}

// ---- Plans: the plan row, its prices and its limits always change together ---------------------

const PLAN_CLASHES = { 'plans.product_id, plans.key': 'key_taken', 'plans.product_id': 'free_taken' } as const

function planRows(db: Db, planId: string, input: PlanInput) {
  const prices = priceRows(input.prices, (periodMonths, netMinor) => ({ planId, periodMonths, netMinor }))
  const limits = Object.entries(input.limits).map(([quotaKey, limit]) => ({ planId, quotaKey, limit }))
  return [...(prices.length ? [db.insert(planPrices).values(prices)] : []), ...(limits.length ? [db.insert(planLimits).values(limits)] : [])]
}

const planDetails = (product: CatalogProduct, input: PlanInput) => ({ product: product.key, plan: input.key, name: input.name, isFree: input.isFree, prices: input.prices, limits: input.limits })

export async function createPlan(deps: Deps, actor: Actor, product: CatalogProduct, input: PlanInput, now: Date): Promise<Created<'key_taken' | 'free_taken'>> {
  const { db } = deps
  const id = generateId()
  const { key, name, rank, isFree, active } = input
  const r = await write(
    db,
    [
      db.insert(plans).values({ id, productId: product.id, key, name, rank, isFree, active }),
      ...planRows(db, id, input),
      history(db, actor, 'catalog.plan.created', { type: 'plan', id }, planDetails(product, input), now),
    ],
    PLAN_CLASHES,
  )
  return r.ok ? { ok: true, id } : r
}

/** The plan's key stays (subscriptions and the API name plans by it); prices and limits are replaced as a whole. */
export async function updatePlan(deps: Deps, actor: Actor, product: CatalogProduct, planId: string, input: PlanInput, now: Date): Promise<Saved<'free_taken'>> {
  const { db } = deps
  const { name, rank, isFree, active } = input
  return write(
    db,
    [
      db.update(plans).set({ name, rank, isFree, active }).where(eq(plans.id, planId)),
      db.delete(planPrices).where(eq(planPrices.planId, planId)),
      db.delete(planLimits).where(eq(planLimits.planId, planId)),
      ...planRows(db, planId, input),
      history(db, actor, 'catalog.plan.updated', { type: 'plan', id: planId }, planDetails(product, input), now),
    ],
    { 'plans.product_id': 'free_taken' },
  )
}

// ---- Quotas -------------------------------------------------------------------------------------

export async function createQuota(deps: Deps, actor: Actor, product: CatalogProduct, input: NewQuotaInput, now: Date): Promise<Saved<'key_taken'>> {
  const { db } = deps
  return write(
    db,
    [
      db.insert(quotaDefs).values({ productId: product.id, ...input }),
      history(db, actor, 'catalog.quota.created', { type: 'product', id: product.id }, { product: product.key, quota: input.key, kind: input.kind }, now),
    ],
    { 'quota_defs.product_id, quota_defs.key': 'key_taken' },
  )
}

/** Key and kind stay: limits, usage and snapshots are keyed by the quota, and the kind gives limits their meaning. */
export async function updateQuota(deps: Deps, actor: Actor, product: CatalogProduct, quotaKey: string, input: QuotaInput, now: Date): Promise<Saved<never>> {
  const { db } = deps
  await catalogBatch(db, [
    db.update(quotaDefs).set(input).where(and(eq(quotaDefs.productId, product.id), eq(quotaDefs.key, quotaKey))),
    recordHistoryIfChanged(db, { orgId: null, actor, kind: 'catalog.quota.updated', subject: { type: 'product', id: product.id }, details: { product: product.key, quota: quotaKey, ...input }, at: now }),
  ])
  return { ok: true }
}

// ---- Add-ons ------------------------------------------------------------------------------------

const addonPriceRows = (db: Db, addonId: string, prices: Record<number, number>) => {
  const rows = priceRows(prices, (periodMonths, netMinor) => ({ addonId, periodMonths, netMinor }))
  return rows.length ? [db.insert(addonPrices).values(rows)] : []
}

/**
 * One add-on per quota of a product: snapshots and subscriptions hold pack sizes and packs by
 * quota key, so a second add-on for the same quota could not be told apart.
 */
export async function createAddon(deps: Deps, actor: Actor, product: CatalogProduct, input: AddonInput, now: Date): Promise<Created<'quota_taken'>> {
  const { db } = deps
  if (product.addons.some((a) => a.quotaKey === input.quotaKey)) return { ok: false, error: 'quota_taken' }
  const id = generateId()
  const { quotaKey, name, packSize, maxPacks, active } = input
  // The check above gives the common case its message; the unique index settles two saves at once.
  const r = await write(
    db,
    [
      db.insert(addons).values({ id, productId: product.id, quotaKey, name, packSize, maxPacks, active }),
      ...addonPriceRows(db, id, input.prices),
      history(db, actor, 'catalog.addon.created', { type: 'addon', id }, { product: product.key, quota: quotaKey, packSize, maxPacks, prices: input.prices }, now),
    ],
    { 'addons.product_id, addons.quota_key': 'quota_taken' },
  )
  return r.ok ? { ok: true, id } : r
}

/** The quota stays; name, pack size, maximum, prices and the active flag change. */
export async function updateAddon(deps: Deps, actor: Actor, product: CatalogProduct, addonId: string, input: AddonInput, now: Date): Promise<Saved<never>> {
  const { db } = deps
  const { name, packSize, maxPacks, active } = input
  await catalogBatch(db, [
    db.update(addons).set({ name, packSize, maxPacks, active }).where(eq(addons.id, addonId)),
    db.delete(addonPrices).where(eq(addonPrices.addonId, addonId)),
    ...addonPriceRows(db, addonId, input.prices),
    history(db, actor, 'catalog.addon.updated', { type: 'addon', id: addonId }, { product: product.key, packSize, maxPacks, active, prices: input.prices }, now),
  ])
  return { ok: true }
}

// ---- Variants -----------------------------------------------------------------------------------

export async function createVariant(deps: Deps, actor: Actor, product: CatalogProduct, input: NewVariantInput, now: Date): Promise<Created<'key_taken'>> {
  const { db } = deps
  const id = generateId()
  const r = await write(
    db,
    [
      db.insert(variants).values({ id, productId: product.id, ...input }),
      history(db, actor, 'catalog.variant.created', { type: 'variant', id }, { product: product.key, ...input }, now),
    ],
    { 'variants.product_id, variants.key': 'key_taken' },
  )
  return r.ok ? { ok: true, id } : r
}

export async function updateVariant(deps: Deps, actor: Actor, product: CatalogProduct, variantId: string, input: VariantInput, now: Date): Promise<Saved<never>> {
  const { db } = deps
  await catalogBatch(db, [
    db.update(variants).set(input).where(eq(variants.id, variantId)),
    recordHistoryIfChanged(db, { orgId: null, actor, kind: 'catalog.variant.updated', subject: { type: 'variant', id: variantId }, details: { product: product.key, ...input }, at: now }),
  ])
  return { ok: true }
}
