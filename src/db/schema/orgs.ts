// Organizations (SPEC §2): orgs, memberships, invitations, product permissions, API keys,
// and the append-only operation history (SPEC §11).
import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { products } from './catalog'

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
    /** An Italian private person's codice fiscale, asked at checkout when the seller is Italian (src/domain/codice-fiscale.ts). */
    codiceFiscale: text('codice_fiscale'),
    timeZone: text('time_zone').notNull(),
    /** The last sign-in of any member: a free plan is valid 12 months from it (SPEC §8). */
    lastLoginAt: integer('last_login_at', { mode: 'timestamp_ms' }),
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
  (t) => [
    index('history_org_at').on(t.orgId, t.at, t.id),
    index('history_org_kind_at').on(t.orgId, t.kind, t.at),
    // The person filter, and the list of people for its menu (a skip scan, see historyFacets).
    index('history_org_actor_at').on(t.orgId, t.actorId, t.at),
  ],
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
