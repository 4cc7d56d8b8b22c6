// Saved cards and PayPal accounts of an org (SPEC §8): listed on the transaction history, removable
// — and then detached at the provider, so nothing can charge them any more; with the test provider a
// saved "card" can be told to decline renewals (to try dunning).
import { and, asc, desc, eq, gt, isNotNull, isNull, or } from 'drizzle-orm'
import type { Deps } from '../deps'
import { orgs, savedMethods, subscriptions } from '../db/schema'
import { recordHistoryIfChanged, userActor } from '../db/history'
import type { User } from '../auth/session'
import { always, type Unit } from './steps'

export function listSavedMethods(deps: Deps, orgId: string) {
  return deps.db
    .select()
    .from(savedMethods)
    .where(and(eq(savedMethods.orgId, orgId), isNull(savedMethods.removedAt)))
    .orderBy(desc(savedMethods.createdAt))
}

/**
 * Removes a saved method; with none left, automatic renewal is off (nothing could be charged). Then
 * it is detached at the provider right away; if the provider can't be asked now, the daily purge
 * does it (detachRemovedMethods).
 */
export async function removeSavedMethod(deps: Deps, orgId: string, id: string, user: User, now: Date): Promise<boolean> {
  const { db } = deps
  const [removed] = await db.batch([
    db
      .update(savedMethods)
      .set({ removedAt: now })
      .where(and(eq(savedMethods.orgId, orgId), eq(savedMethods.id, id), isNull(savedMethods.removedAt)))
      .returning({ id: savedMethods.id, provider: savedMethods.provider, methodRef: savedMethods.methodRef }),
    recordHistoryIfChanged(db, { orgId, actor: userActor(user), kind: 'payment_method.removed', subject: { type: 'saved_method', id }, at: now }),
  ])
  const method = removed[0]
  if (!method) return false
  const left = await listSavedMethods(deps, orgId)
  if (left.length === 0) await db.update(subscriptions).set({ autoRenew: false }).where(eq(subscriptions.orgId, orgId))
  if (method.provider === deps.payments?.name) {
    // The removal stands either way; a provider that can't be asked now is asked again by the purge.
    await detach(deps, { ...method, orgDeleted: false }, now).catch((e) => console.error('detaching a removed payment method failed:', e))
  }
  return true
}

type ToDetach = { id: string; methodRef: string; orgDeleted: boolean }

/** One method at the provider; recorded as detached when it is. A deleted org's row then goes: nothing needs it. */
async function detach(deps: Deps, m: ToDetach, now: Date): Promise<'detached' | 'unavailable'> {
  if (!deps.payments) return 'unavailable'
  const answer = await deps.payments.detachMethod(m.methodRef)
  if (answer === 'unavailable') return answer
  const owed = and(eq(savedMethods.id, m.id), isNull(savedMethods.detachedAt))
  if (m.orgDeleted) await deps.db.delete(savedMethods).where(owed)
  else await deps.db.update(savedMethods).set({ detachedAt: now }).where(owed)
  return answer
}

/**
 * For the daily purge: every removed method of the provider in use not yet detached (removed by a
 * person, or with a deleted org), a page at a time in removal order. It stops at the first the
 * provider can't be asked about (the next run tries again), or when a `unit` of the run's work
 * (one method) is refused because its budget is spent; a method of another provider (the panel
 * changed providers) waits for that one.
 */
export async function detachRemovedMethods(deps: Deps, now: Date, page: number, unit: Unit = always): Promise<{ detached: number; unavailable: number }> {
  const s = savedMethods
  const done = { detached: 0, unavailable: 0 }
  const provider = deps.payments
  // Methods saved while another provider was configured wait for it (see above).
  if (!provider) return done
  let cursor: { at: Date; id: string } | null = null
  for (;;) {
    const rows = await deps.db
      .select({ id: s.id, methodRef: s.methodRef, removedAt: s.removedAt, deletedAt: orgs.deletedAt })
      .from(s)
      .innerJoin(orgs, eq(orgs.id, s.orgId))
      .where(
        and(
          eq(s.provider, provider.name),
          isNotNull(s.removedAt),
          isNull(s.detachedAt),
          cursor ? or(gt(s.removedAt, cursor.at), and(eq(s.removedAt, cursor.at), gt(s.id, cursor.id))) : undefined,
        ),
      )
      .orderBy(asc(s.removedAt), asc(s.id))
      .limit(page)
    for (const row of rows) {
      let answer: 'detached' | 'unavailable' = 'unavailable'
      if (!(await unit(async () => void (answer = await detach(deps, { id: row.id, methodRef: row.methodRef, orgDeleted: row.deletedAt !== null }, now))))) return done
      if (answer === 'unavailable') {
        done.unavailable++
        return done
      }
      done.detached++
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) return done
    cursor = { at: last.removedAt!, id: last.id }
  }
}

/** Test provider only: the saved "card" declines (or accepts again) every charge. */
export async function setTestDeclines(deps: Deps, orgId: string, id: string, declines: boolean): Promise<boolean> {
  if (deps.payments?.name !== 'test') return false
  const r = await deps.db
    .update(savedMethods)
    .set({ declines })
    .where(and(eq(savedMethods.orgId, orgId), eq(savedMethods.id, id), eq(savedMethods.provider, 'test'), isNull(savedMethods.removedAt)))
  return r.rowsAffected === 1
}
