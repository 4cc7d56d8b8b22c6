// Saved cards and PayPal accounts of an org (SPEC §8): listed on the transaction history, removable;
// with the test provider a saved "card" can be told to decline renewals (to try dunning).
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { savedMethods, subscriptions } from '../db/schema'
import { recordHistoryIfChanged, userActor } from '../db/history'
import type { User } from '../auth/session'

export function listSavedMethods(deps: Deps, orgId: string) {
  return deps.db
    .select()
    .from(savedMethods)
    .where(and(eq(savedMethods.orgId, orgId), isNull(savedMethods.removedAt)))
    .orderBy(desc(savedMethods.createdAt))
}

/** Removes a saved method; with none left, automatic renewal is off (nothing could be charged). */
export async function removeSavedMethod(deps: Deps, orgId: string, id: string, user: User, now: Date): Promise<boolean> {
  const { db } = deps
  const [removed] = await db.batch([
    db.update(savedMethods).set({ removedAt: now }).where(and(eq(savedMethods.orgId, orgId), eq(savedMethods.id, id), isNull(savedMethods.removedAt))),
    recordHistoryIfChanged(db, { orgId, actor: userActor(user), kind: 'payment_method.removed', subject: { type: 'saved_method', id }, at: now }),
  ])
  const left = await listSavedMethods(deps, orgId)
  if (left.length === 0) await db.update(subscriptions).set({ autoRenew: false }).where(eq(subscriptions.orgId, orgId))
  return removed.rowsAffected === 1
}

/** Test provider only: the saved "card" declines (or accepts again) every charge. */
export async function setTestDeclines(deps: Deps, orgId: string, id: string, declines: boolean): Promise<boolean> {
  if (deps.payments.name !== 'test') return false
  const r = await deps.db
    .update(savedMethods)
    .set({ declines })
    .where(and(eq(savedMethods.orgId, orgId), eq(savedMethods.id, id), eq(savedMethods.provider, 'test'), isNull(savedMethods.removedAt)))
  return r.rowsAffected === 1
}
