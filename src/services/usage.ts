// Usage reported by vendor apps (SPEC §5, §12). The check against the limit and the insert are one
// SQL statement, so concurrent calls can never together exceed a limit; the idempotency key is a
// unique index, so a retried call never counts twice.
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { products, quotaDefs, subscriptions, usageEvents } from '../db/schema'
import { effectiveLimit } from '../domain/quotas'
import { localMonth } from '../domain/time'
import type { Org } from './orgs'

export type UsageInput = { product?: string; quota: string; quantity: number; idempotencyKey: string }

export type UsageState = { product: string; quota: string; used: number; limit: number | null; resetsAt: Date | null }

export type UsageResult =
  | { ok: true; replayed: boolean; state: UsageState }
  | { ok: false; error: 'unknown_quota' | 'product_required' | 'seats_not_reported' | 'negative_monthly' | 'below_zero' }
  | { ok: false; error: 'read_only' }
  | { ok: false; error: 'quota_exceeded'; state: UsageState }

export async function recordUsage(deps: Deps, org: Org, input: UsageInput, now: Date): Promise<UsageResult> {
  const { db } = deps
  const candidates = await db
    .select({ sub: subscriptions, productKey: products.key, kind: quotaDefs.kind })
    .from(subscriptions)
    .innerJoin(products, eq(products.id, subscriptions.productId))
    .innerJoin(quotaDefs, and(eq(quotaDefs.productId, subscriptions.productId), eq(quotaDefs.key, input.quota)))
    .where(and(eq(subscriptions.orgId, org.id), ne(subscriptions.status, 'ended'), input.product ? eq(products.key, input.product) : undefined))
  if (candidates.length === 0) return { ok: false, error: 'unknown_quota' }
  if (candidates.length > 1) return { ok: false, error: 'product_required' }
  const { sub, productKey, kind } = candidates[0]!
  if (kind === 'seats') return { ok: false, error: 'seats_not_reported' }
  if (kind === 'monthly' && input.quantity < 0) return { ok: false, error: 'negative_monthly' }
  if (sub.status === 'read_only') return { ok: false, error: 'read_only' }

  const limit = effectiveLimit(sub.snapshot.limits[input.quota], sub.addonPacks[input.quota] ?? 0, sub.snapshot.addonPackSizes[input.quota] ?? 0)
  const window = kind === 'monthly' ? localMonth(now, org.timeZone) : { start: new Date(0), end: new Date(8.64e15) }
  const usedSql = sql`(select coalesce(sum(${usageEvents.quantity}), 0) from ${usageEvents}
    where ${usageEvents.orgId} = ${org.id} and ${usageEvents.productId} = ${sub.productId} and ${usageEvents.quotaKey} = ${input.quota}
      and ${usageEvents.at} >= ${window.start.getTime()} and ${usageEvents.at} < ${window.end.getTime()})`
  const state = async (): Promise<UsageState> => {
    const [row] = await db.all<{ used: number }>(sql`select ${usedSql} as used`)
    return { product: productKey, quota: input.quota, used: Number(row?.used ?? 0), limit, resetsAt: kind === 'monthly' ? window.end : null }
  }

  const inserted = await db.all<{ id: number }>(sql`insert into ${usageEvents} (org_id, product_id, quota_key, quantity, at, idempotency_key)
    select ${org.id}, ${sub.productId}, ${input.quota}, ${input.quantity}, ${now.getTime()}, ${input.idempotencyKey}
    where ${usedSql} + ${input.quantity} >= 0
      and (${limit} is null or ${input.quantity} <= 0 or ${usedSql} + ${input.quantity} <= ${limit})
    on conflict (org_id, idempotency_key) do nothing
    returning id`)
  if (inserted.length === 1) return { ok: true, replayed: false, state: await state() }

  const earlier = await db
    .select({ id: usageEvents.id })
    .from(usageEvents)
    .where(and(eq(usageEvents.orgId, org.id), eq(usageEvents.idempotencyKey, input.idempotencyKey)))
    .get()
  if (earlier) return { ok: true, replayed: true, state: await state() }
  if (input.quantity < 0) return { ok: false, error: 'below_zero' }
  return { ok: false, error: 'quota_exceeded', state: await state() }
}
