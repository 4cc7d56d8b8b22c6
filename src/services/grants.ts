// What operators grant an org from the back office (SPEC §6, §15): a paid plan for a period (until
// checkout exists, and afterwards for deals made outside it) and units of a virtual product for the
// warehouse. Each grant writes its history row in the same batch.
import { and, desc, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { licences, subscriptions, variants, warehouseGrants } from '../db/schema'
import { addStock } from '../db/warehouse'
import { operatorActor, recordHistory, recordHistoryIfChanged } from '../db/history'
import { cachedCatalog } from '../db/catalog-cache'
import { generateId } from '../auth/tokens'
import { uniqueViolation } from '../db/errors'
import type { User } from '../auth/session'
import { addLocalMonths } from '../domain/time'
import { newSubscription, snapshotOf } from './subscriptions'
import type { Org } from './orgs'

export type PlanGrant = { planId: string; months: number }
export type PlanGrantResult =
  | { ok: true; planName: string; licenceNumber: string; periodEnd: Date }
  | { ok: false; error: 'plan_not_found' | 'free_plan' | 'business_only' | 'conflict' }

/**
 * Puts the org on a paid plan from now for whole calendar months (in the org's zone). An org that
 * already has a live subscription to the product keeps it, and its licence number, with the new
 * plan and period (SPEC §6: the number stays across plan changes); otherwise a subscription and a
 * licence are created.
 */
export async function grantPlan(deps: Deps, org: Org, operator: User, input: PlanGrant, now: Date): Promise<PlanGrantResult> {
  const { db } = deps
  const catalog = await cachedCatalog(db)
  const product = catalog.find((p) => p.kind === 'subscription' && p.plans.some((pl) => pl.id === input.planId))
  const plan = product?.plans.find((pl) => pl.id === input.planId)
  if (!product || !plan || !product.active || !plan.active) return { ok: false, error: 'plan_not_found' }
  if (plan.isFree) return { ok: false, error: 'free_plan' }
  if (product.businessOnly && org.legalForm === 'person') return { ok: false, error: 'business_only' }

  const periodEnd = addLocalMonths(now, input.months, org.timeZone)
  const values = {
    planId: plan.id,
    snapshot: snapshotOf(product, plan),
    status: 'active' as const,
    periodMonths: input.months,
    periodStart: now,
    periodEnd,
    source: 'grant' as const,
  }
  const details = { product: product.name, plan: plan.name, months: input.months, until: periodEnd.toISOString() }
  const live = await db
    .select({ subscription: subscriptions, licenceNumber: licences.number })
    .from(subscriptions)
    .leftJoin(licences, eq(licences.subscriptionId, subscriptions.id))
    .where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, product.id), ne(subscriptions.status, 'ended')))
    .get()

  if (live) {
    const { subscription } = live
    const [changed] = await db.batch([
      // Conditional on the row being as read: a concurrent change makes this grant a no-op, not a mix.
      db
        .update(subscriptions)
        .set(values)
        .where(and(eq(subscriptions.id, subscription.id), eq(subscriptions.planId, subscription.planId), ne(subscriptions.status, 'ended'))),
      recordHistoryIfChanged(db, {
        orgId: org.id,
        actor: operatorActor(operator),
        kind: 'plan.granted',
        subject: { type: 'subscription', id: subscription.id },
        details: { ...details, previousPlan: subscription.snapshot.planName, licence: live.licenceNumber },
        at: now,
      }),
    ])
    if (changed.rowsAffected !== 1) return { ok: false, error: 'conflict' }
    return { ok: true, planName: plan.name, licenceNumber: live.licenceNumber ?? '', periodEnd }
  }

  const { id: subscriptionId, number, statements } = newSubscription(db, org.id, product.id, values, now)
  try {
    await db.batch([
      ...statements,
      recordHistory(db, {
        orgId: org.id,
        actor: operatorActor(operator),
        kind: 'plan.granted',
        subject: { type: 'subscription', id: subscriptionId },
        details: { ...details, licence: number },
        at: now,
      }),
    ])
  } catch (e) {
    // Someone activated the product in the meantime: the one-live-subscription index decides.
    if (uniqueViolation(e)?.startsWith('subscriptions.')) return { ok: false, error: 'conflict' }
    throw e
  }
  return { ok: true, planName: plan.name, licenceNumber: number, periodEnd }
}

export type UnitsGrant = { variantId: string; units: number; note: string }
export type UnitsGrantResult = { ok: true } | { ok: false; error: 'variant_not_found' }

/** Adds units of a virtual product to the org's warehouse, with a grant row saying why. */
export async function grantUnits(deps: Deps, org: Org, operator: User, input: UnitsGrant, now: Date): Promise<UnitsGrantResult> {
  const { db } = deps
  const catalog = await cachedCatalog(db)
  const product = catalog.find((p) => p.kind === 'virtual' && p.active && p.variants.some((v) => v.id === input.variantId))
  const variant = product?.variants.find((v) => v.id === input.variantId)
  if (!product || !variant || !variant.active) return { ok: false, error: 'variant_not_found' }
  const id = generateId()
  await db.batch([
    db.insert(warehouseGrants).values({ id, orgId: org.id, variantId: variant.id, units: input.units, note: input.note, grantedBy: operator.id, createdAt: now }),
    addStock(db, org.id, variant.id, input.units),
    recordHistory(db, {
      orgId: org.id,
      actor: operatorActor(operator),
      kind: 'warehouse.granted',
      subject: { type: 'warehouse_grant', id },
      details: { product: product.name, variant: variant.name.en, units: input.units, note: input.note },
      at: now,
    }),
  ])
  return { ok: true }
}

/** The org's warehouse grants, newest first, with the variant's name (for the back office). */
export function listWarehouseGrants(deps: Deps, orgId: string) {
  return deps.db
    .select({ grant: warehouseGrants, variantName: variants.name, termMonths: variants.termMonths })
    .from(warehouseGrants)
    .innerJoin(variants, eq(variants.id, warehouseGrants.variantId))
    .where(eq(warehouseGrants.orgId, orgId))
    .orderBy(desc(warehouseGrants.createdAt))
}
