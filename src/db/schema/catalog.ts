// The catalog (SPEC §4), edited by operators.
import { sql } from 'drizzle-orm'
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'

/** Text shown to customers in each language. */
export type Localized = { en: string; pl: string; it: string }

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['subscription', 'virtual'] }).notNull(),
    currency: text('currency', { enum: ['PLN', 'EUR'] }).notNull(),
    description: text('description', { mode: 'json' }).$type<Localized>().notNull(),
    /** Billing periods offered, in months (e.g. [1, 12] or [12, 24]); empty for virtual products. */
    billingPeriods: text('billing_periods', { mode: 'json' }).$type<number[]>().notNull(),
    lapsePolicy: text('lapse_policy', { enum: ['downgrade_to_free', 'read_only_then_delete'] }).notNull(),
    graceDays: integer('grace_days').notNull().default(30),
    freeValidityMonths: integer('free_validity_months').notNull().default(12),
    businessOnly: integer('business_only', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('products_key_unique').on(t.key)],
)

export const quotaDefs = sqliteTable(
  'quota_defs',
  {
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    label: text('label', { mode: 'json' }).$type<Localized>().notNull(),
    kind: text('kind', { enum: ['monthly', 'total', 'seats'] }).notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.productId, t.key] })],
)

export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    rank: integer('rank').notNull(),
    isFree: integer('is_free', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    uniqueIndex('plans_product_key_unique').on(t.productId, t.key),
    // At most one free plan per product (SPEC §4).
    uniqueIndex('plans_one_free_per_product').on(t.productId).where(sql`${t.isFree} = 1`),
  ],
)

export const planPrices = sqliteTable(
  'plan_prices',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    periodMonths: integer('period_months').notNull(),
    netMinor: integer('net_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.periodMonths] })],
)

/** A plan's limit for a quota; null means unlimited. */
export const planLimits = sqliteTable(
  'plan_limits',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    quotaKey: text('quota_key').notNull(),
    limit: integer('limit'),
  },
  (t) => [primaryKey({ columns: [t.planId, t.quotaKey] })],
)

export const addons = sqliteTable(
  'addons',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    quotaKey: text('quota_key').notNull(),
    name: text('name', { mode: 'json' }).$type<Localized>().notNull(),
    packSize: integer('pack_size').notNull(),
    /** Null: no maximum. */
    maxPacks: integer('max_packs'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  // One add-on per quota of a product: subscriptions hold packs and pack sizes by quota key.
  (t) => [uniqueIndex('addons_product_quota_unique').on(t.productId, t.quotaKey)],
)

export const addonPrices = sqliteTable(
  'addon_prices',
  {
    addonId: text('addon_id')
      .notNull()
      .references(() => addons.id, { onDelete: 'cascade' }),
    periodMonths: integer('period_months').notNull(),
    netMinor: integer('net_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.addonId, t.periodMonths] })],
)

export const variants = sqliteTable(
  'variants',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name', { mode: 'json' }).$type<Localized>().notNull(),
    termMonths: integer('term_months').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    ecodeValidityMonths: integer('ecode_validity_months').notNull().default(24),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('variants_product_key_unique').on(t.productId, t.key)],
)

/**
 * One row: a number every change to the catalog tables above raises (triggers of migration 0019, so
 * any writer counts, a script or a test included). Each isolate caches the catalog and reads only
 * this to know its copy is current (src/db/catalog-cache.ts).
 */
export const catalogVersion = sqliteTable('catalog_version', {
  id: integer('id').primaryKey(),
  version: integer('version').notNull(),
})
