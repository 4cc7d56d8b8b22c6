// The warehouse (SPEC §9): units of virtual products an org holds, per variant, and the two things a
// unit can become — a licence (activation, §6) or an e-code (src/services/ecodes.ts). Who may act
// on a product's units: the org's administrators and members with permission on the product (§2).
import { and, eq, gte, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Executor } from '../db/client'
import { licences, memberPermissions, products, variants, warehouseStock, type Localized } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { generateLicenceNumber } from '../domain/licence-number'
import { addLocalMonths } from '../domain/time'
import type { Org, Role } from './orgs'
import { guard, guardAborted } from '../db/guard'

/** Whether this person may use and hand on the product's units and codes: admins always, members with permission. */
export async function canManageProduct(deps: Deps, org: Org, user: { id: string }, role: Role, productId: string): Promise<boolean> {
  if (role === 'admin') return true
  const row = await deps.db
    .select({ productId: memberPermissions.productId })
    .from(memberPermissions)
    .where(and(eq(memberPermissions.orgId, org.id), eq(memberPermissions.userId, user.id), eq(memberPermissions.productId, productId)))
    .get()
  return row !== undefined
}

/**
 * The products whose units and codes this person sees: null means all (administrators). A member
 * sees only the products they may manage — an e-code on the page is a bearer token, so showing one
 * is as good as handing it on.
 */
export async function manageableProducts(deps: Deps, org: Org, user: { id: string }, role: Role): Promise<string[] | null> {
  if (role === 'admin') return null
  const rows = await deps.db
    .select({ productId: memberPermissions.productId })
    .from(memberPermissions)
    .where(and(eq(memberPermissions.orgId, org.id), eq(memberPermissions.userId, user.id)))
  return rows.map((r) => r.productId)
}

export type VariantInfo = {
  variantId: string
  variantName: Localized
  termMonths: number
  ecodeValidityMonths: number
  productId: string
  productName: string
}

export const VARIANT_COLUMNS = {
  variantId: variants.id,
  variantName: variants.name,
  termMonths: variants.termMonths,
  ecodeValidityMonths: variants.ecodeValidityMonths,
  productId: products.id,
  productName: products.name,
}

/** A variant of a virtual product, with its product, or undefined. */
export function findVirtualVariant(db: Executor, variantId: string): Promise<VariantInfo | undefined> {
  return db
    .select(VARIANT_COLUMNS)
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(variants.id, variantId), eq(products.kind, 'virtual')))
    .get()
}

export type StockLine = VariantInfo & { units: number }

export type ActivationResult =
  | { ok: true; licenceNumber: string; validUntil: Date }
  | { ok: false; error: 'not_found' | 'forbidden' | 'no_units' }

/**
 * Turns one unit into a licence for the org (SPEC §6): the term starts now and runs the variant's
 * months in the org's zone. The unit leaves in one batch with the licence and its history row,
 * guarded on a unit being there, so two clicks on the last unit give one licence.
 */
export async function activateUnit(deps: Deps, org: Org, user: User, role: Role, variantId: string, now: Date): Promise<ActivationResult> {
  const variant = await findVirtualVariant(deps.db, variantId)
  if (!variant) return { ok: false, error: 'not_found' }
  if (!(await canManageProduct(deps, org, user, role, variant.productId))) return { ok: false, error: 'forbidden' }
  const validUntil = addLocalMonths(now, variant.termMonths, org.timeZone)
  const number = generateLicenceNumber()
  const licenceId = generateId()
  const { db } = deps
  try {
    await db.batch([
      guard(db, unitsAtLeast(org.id, variantId, 1)),
      takeUnits(db, org.id, variantId, 1),
      db.insert(licences).values({ id: licenceId, number, orgId: org.id, productId: variant.productId, variantId, validFrom: now, validUntil, createdAt: now }),
      recordHistory(db, {
        orgId: org.id,
        actor: userActor(user),
        kind: 'warehouse.activated',
        subject: { type: 'licence', id: licenceId },
        details: { product: variant.productName, variant: variant.variantName.en, licence: number, until: validUntil.toISOString() },
        at: now,
      }),
    ])
  } catch (e) {
    if (guardAborted(e)) return { ok: false, error: 'no_units' }
    throw e
  }
  return { ok: true, licenceNumber: number, validUntil }
}

/** The org holds at least `count` units of the variant (a guard's condition, src/db/guard.ts). */
export function unitsAtLeast(orgId: string, variantId: string, count: number) {
  return sql`exists (select 1 from ${warehouseStock} where ${warehouseStock.orgId} = ${orgId} and ${warehouseStock.variantId} = ${variantId} and ${warehouseStock.units} >= ${count})`
}

/**
 * Takes `count` units if at least that many are there, else nothing: one conditional UPDATE, so
 * concurrent takers can never drive the stock below zero (the CHECK would refuse that too). The
 * returned row (with the units left) is missing when nothing was taken.
 */
export function takeUnits(tx: Executor, orgId: string, variantId: string, count: number) {
  return tx
    .update(warehouseStock)
    .set({ units: sql`${warehouseStock.units} - ${count}` })
    .where(and(eq(warehouseStock.orgId, orgId), eq(warehouseStock.variantId, variantId), gte(warehouseStock.units, count)))
    .returning({ units: warehouseStock.units })
}
