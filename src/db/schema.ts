// The database schema. Times are UTC, stored as integer milliseconds (mode 'timestamp_ms').
import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull()

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    language: text('language', { enum: ['en', 'pl', 'it'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    activatedAt: integer('activated_at', { mode: 'timestamp_ms' }),
    isOperator: integer('is_operator', { mode: 'boolean' }).notNull().default(false),
    // TOTP for operators (SPEC §15): the raw key, and the SHA-256 of the one recovery code.
    totpKey: text('totp_key'),
    totpRecoveryHash: text('totp_recovery_hash'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_unactivated').on(t.activatedAt, t.createdAt)],
)

// Accepted versions of the terms of service, privacy notice and marketing consent (SPEC §1).
export const consents = sqliteTable(
  'consents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['terms', 'privacy', 'marketing'] }).notNull(),
    version: text('version').notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('consents_user').on(t.userId)],
)

// Lucia-style sessions: the id is the SHA-256 (hex) of the token in the cookie; the token itself is never stored.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    remember: integer('remember', { mode: 'boolean' }).notNull(),
    // An operator's session counts only after the second factor (SPEC §15).
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(false),
    userAgent: text('user_agent').notNull().default(''),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expiry').on(t.expiresAt)],
)

// Single-use links sent by e-mail; the id is the SHA-256 (hex) of the token in the link.
export const emailTokens = sqliteTable(
  'email_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['activation', 'password_reset'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('email_tokens_user').on(t.userId, t.purpose), index('email_tokens_expiry').on(t.expiresAt)],
)

// Fixed-window counters for throttling (SPEC §16), incremented with one upsert.
export const throttleHits = sqliteTable(
  'throttle_hits',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key, t.windowStart] }), index('throttle_expiry').on(t.expiresAt)],
)

// Every e-mail, written in the same batch as the change that causes it (SPEC §14).
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    to: text('to').notNull(),
    template: text('template').notNull(),
    language: text('language').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    // pending → sending → sent | local (kept for /dev/mail, no provider) | failed (gave up)
    status: text('status', { enum: ['pending', 'sending', 'sent', 'local', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('outbox_due').on(t.status, t.nextAttemptAt), index('outbox_created').on(t.createdAt)],
)

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    // The time the job worked as of (may be simulated with --now).
    asOf: integer('as_of', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    status: text('status', { enum: ['running', 'ok', 'error', 'skipped'] }).notNull(),
    counts: text('counts', { mode: 'json' }).$type<Record<string, number>>(),
    error: text('error'),
  },
  (t) => [index('job_runs_started').on(t.startedAt)],
)

// One row per job while a run holds it, so overlapping runs of one job don't both work.
export const jobLeases = sqliteTable('job_leases', {
  job: text('job').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
})

// Small key/value facts about the installation (e.g. when the demo data was seeded).
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
})

// Customer organizations (SPEC §2). The tax id is unique among live orgs (a partial index), so a
// deleted org's number can be claimed again.
export const orgs = sqliteTable(
  'orgs',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    country: text('country').notNull(),
    legalForm: text('legal_form', { enum: ['company', 'sole_trader', 'person'] }).notNull(),
    taxId: text('tax_id'),
    addressLine: text('address_line').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    billingEmail: text('billing_email').notNull(),
    /** Italy: the SDI recipient code (7 characters) or a PEC address. */
    einvoiceId: text('einvoice_id'),
    timeZone: text('time_zone').notNull(),
    createdAt: createdAt(),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('orgs_slug_unique').on(t.slug),
    uniqueIndex('orgs_live_tax_id_unique').on(t.taxId).where(sql`${t.deletedAt} is null and ${t.taxId} is not null`),
  ],
)

export const memberships = sqliteTable(
  'memberships',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['admin', 'member'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user').on(t.userId)],
)

// The append-only operation history (SPEC §11), written in the same batch as each change.
// Triggers in the migration refuse UPDATE and DELETE.
export const history = sqliteTable(
  'history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorType: text('actor_type', { enum: ['user', 'operator', 'system', 'api_key'] }).notNull(),
    actorId: text('actor_id'),
    /** Who it was, as shown then (a user's name and e-mail); kept if the account goes. */
    actorLabel: text('actor_label').notNull(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('history_org_at').on(t.orgId, t.at, t.id), index('history_org_kind_at').on(t.orgId, t.kind, t.at)],
)

/** Orgs whose history the purge may rewrite (see the triggers in migrations/0001_organizations.sql). */
export const historyErasures = sqliteTable('history_erasures', {
  orgId: text('org_id').primaryKey(),
  erasedAt: integer('erased_at', { mode: 'timestamp_ms' }).notNull(),
})

// Invitations to join an org, for addresses without an account yet (SPEC §2). Accepted at the
// invitee's first sign-in after registering with that address.
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('invitations_email').on(t.email), uniqueIndex('invitations_org_email').on(t.orgId, t.email)],
)

// ── Catalog (SPEC §4), edited by operators ─────────────────────────────────────────────────────
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

export const addons = sqliteTable('addons', {
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
})

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

// ── Subscriptions, licences and usage (SPEC §5, §6, §8) ────────────────────────────────────────
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
    createdAt: createdAt(),
  },
  (t) => [
    // One live subscription per product per org.
    uniqueIndex('subscriptions_live_product').on(t.orgId, t.productId).where(sql`${t.status} <> 'ended'`),
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

/** Usage of monthly and total quotas reported by vendor apps; the idempotency key is unique per org. */
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
  },
  (t) => [
    uniqueIndex('usage_idempotency').on(t.orgId, t.idempotencyKey),
    index('usage_org_quota_at').on(t.orgId, t.productId, t.quotaKey, t.at),
  ],
)

// Vendor API keys (SPEC §12): shown once, stored as the SHA-256 of the key, revocable.
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, to tell keys apart on the page. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('api_keys_hash_unique').on(t.hash), index('api_keys_org').on(t.orgId)],
)

/** Products a member (not an admin: admins may do everything) may use and manage (SPEC §2). */
export const memberPermissions = sqliteTable(
  'member_permissions',
  {
    orgId: text('org_id').notNull(),
    userId: text('user_id').notNull(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.productId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [memberships.orgId, memberships.userId] }).onDelete('cascade'),
  ],
)
