// E-codes (SPEC §9): units of a virtual product handed on as codes. The code itself is stored only
// encrypted (for re-printing vouchers) and as a keyed hash (for look-ups), so a copy of the database
// alone reveals no usable code. A code past its validity counts as expired everywhere, even before
// the purge job marks it so.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { products, variants } from './catalog'
import { orgs } from './orgs'

export const ECODE_STATUSES = ['active', 'used', 'expired', 'disposed'] as const
export type ECodeStatus = (typeof ECODE_STATUSES)[number]

export const ecodes = sqliteTable(
  'ecodes',
  {
    id: text('id').primaryKey(),
    /** The issuing org. */
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => variants.id),
    /** HMAC of the normalized code with the look-up key (src/auth/ecode-crypto.ts). */
    lookupHash: text('lookup_hash').notNull(),
    /** The code, AES-GCM encrypted with the encryption key. */
    sealed: text('sealed').notNull(),
    status: text('status', { enum: ECODE_STATUSES }).notNull(),
    createdAt: createdAt(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    usedByOrgId: text('used_by_org_id').references(() => orgs.id),
    usedByUserId: text('used_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    disposedAt: integer('disposed_at', { mode: 'timestamp_ms' }),
    /** The voucher's personalization: who it is for and a message (both optional). */
    recipientName: text('recipient_name'),
    message: text('message'),
  },
  (t) => [
    uniqueIndex('ecodes_lookup_hash').on(t.lookupHash),
    // The list's tabs, newest first, paged by (created_at, id); a date filter is a range of it.
    index('ecodes_org_status_created').on(t.orgId, t.status, t.createdAt, t.id),
    // Active codes past their validity that the daily purge has not marked yet: a range as short as
    // that backlog (the tabs' counts and the Expired tab read it), however many codes the org holds.
    index('ecodes_org_status_expires').on(t.orgId, t.status, t.expiresAt),
    // The daily purge: active codes past their validity, and those 30 days from it, across orgs.
    index('ecodes_status_expires').on(t.status, t.expiresAt),
    // The variant filter, tab by tab.
    index('ecodes_org_variant_status_created').on(t.orgId, t.variantId, t.status, t.createdAt, t.id),
    // What a recipient org has redeemed.
    index('ecodes_used_by').on(t.usedByOrgId, t.usedAt),
  ],
)

/**
 * How many codes an org holds per variant and status: the tabs' counts, read without walking the
 * codes (SPEC §9; issue 17). Triggers on `ecodes` (migration 0025) keep it exact in the statement
 * that inserts, moves or deletes a code, whoever writes — a service, a job, a script. An active code
 * past its validity is still counted as active here; the list takes those few off (ecode-list.ts).
 */
export const ecodeCounts = sqliteTable(
  'ecode_counts',
  {
    orgId: text('org_id').notNull(),
    variantId: text('variant_id').notNull(),
    status: text('status', { enum: ECODE_STATUSES }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.variantId, t.status] })],
)

/**
 * The same per UTC day of creation (`created_at` ÷ 86,400,000), for the counts under a date filter:
 * whole days are summed from here, and only the hours between a filter's local midnight and the
 * nearest UTC midnight are counted from the codes. Kept by the same triggers.
 */
export const ecodeDayCounts = sqliteTable(
  'ecode_day_counts',
  {
    orgId: text('org_id').notNull(),
    day: integer('day').notNull(),
    variantId: text('variant_id').notNull(),
    status: text('status', { enum: ECODE_STATUSES }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.variantId, t.status] })],
)
