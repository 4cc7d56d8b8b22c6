// Subscriptions, licences and usage (SPEC §5, §6, §8).
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { orgs } from './orgs'
import { products, plans, variants } from './catalog'

/** What an org bought, frozen at the time: later catalog edits never change it (SPEC §4). */
export type PlanSnapshot = {
  planKey: string
  planName: string
  isFree: boolean
  limits: Record<string, number | null>
  addonPackSizes: Record<string, number>
}

export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    snapshot: text('snapshot', { mode: 'json' }).$type<PlanSnapshot>().notNull(),
    /** Add-on packs held, by quota key. */
    addonPacks: text('addon_packs', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    status: text('status', { enum: ['active', 'read_only', 'ended'] }).notNull(),
    /** Months per billing period; null for a free plan. */
    periodMonths: integer('period_months'),
    periodStart: integer('period_start', { mode: 'timestamp_ms' }).notNull(),
    /** End of the paid period; null for a free plan (valid while members sign in, SPEC §8). */
    periodEnd: integer('period_end', { mode: 'timestamp_ms' }),
    /** How it came to be: activated free plan, granted by an operator, or bought. */
    source: text('source', { enum: ['free', 'grant', 'order'] }).notNull(),
    /** Charge the saved method 7 days before the period ends (SPEC §8); on after paying by card or PayPal. */
    autoRenew: integer('auto_renew', { mode: 'boolean' }).notNull().default(false),
    /** The plan from the next period on: a downgrade, or the free plan (SPEC §8). Null: the same plan. */
    scheduledPlanId: text('scheduled_plan_id').references(() => plans.id),
    /** The billing period from the next renewal on (1 / 2 years). Null: the same period. */
    scheduledPeriodMonths: integer('scheduled_period_months'),
    createdAt: createdAt(),
  },
  (t) => [
    // One live subscription per product per org.
    uniqueIndex('subscriptions_live_product').on(t.orgId, t.productId).where(sql`${t.status} <> 'ended'`),
    // The daily jobs' scans: active subscriptions by period end (renewal, reminders, lapse), read-only by lapse.
    index('subscriptions_status_period_end').on(t.status, t.periodEnd),
  ],
)

export const licences = sqliteTable(
  'licences',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    subscriptionId: text('subscription_id').references(() => subscriptions.id),
    variantId: text('variant_id').references(() => variants.id),
    validFrom: integer('valid_from', { mode: 'timestamp_ms' }).notNull(),
    validUntil: integer('valid_until', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('licences_number_unique').on(t.number), index('licences_org').on(t.orgId), uniqueIndex('licences_subscription').on(t.subscriptionId)],
)

/**
 * Usage of monthly and total quotas reported by vendor apps. A report holds its idempotency key for
 * 24 hours, with the request's fingerprint and the answer it got (replayed byte for byte); released,
 * the key stays as a record and the other two are cleared. A held key is unique per org.
 */
export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quotaKey: text('quota_key').notNull(),
    quantity: integer('quantity').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the request (method, path, validated fields) while the key is held; null once released. */
    fingerprint: text('fingerprint'),
    /** The answer's body (JSON) while the key is held, sent again to a retry. */
    response: text('response'),
  },
  (t) => [
    uniqueIndex('usage_idempotency').on(t.orgId, t.idempotencyKey).where(sql`fingerprint is not null`),
    // The daily purge finds the keys to release; once released a row leaves this index.
    index('usage_keys_held').on(t.at).where(sql`fingerprint is not null`),
    // Covering: the sums of a quota's use (this month, or all time for totals) read only the index.
    index('usage_org_quota_at_qty').on(t.orgId, t.productId, t.quotaKey, t.at, t.quantity),
  ],
)

/**
 * A quota's use in one period (a month in the org's time zone, or all time for a total quota: 0 to
 * 8.64e15), so a usage report checks its limit by reading one row rather than summing the period's
 * events. A usage report creates its period's row from the sum of the events in it the first time
 * (src/services/usage.ts); from then on triggers on usage_events (migration 0026) add and take away
 * every event whose time falls in the period, whoever writes it, so the row always equals the sum.
 */
export const usageTotals = sqliteTable(
  'usage_totals',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quotaKey: text('quota_key').notNull(),
    periodStart: integer('period_start').notNull(),
    periodEnd: integer('period_end').notNull(),
    used: integer('used').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.productId, t.quotaKey, t.periodStart, t.periodEnd] })],
)
