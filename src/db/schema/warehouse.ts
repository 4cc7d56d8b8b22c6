// The warehouse of virtual products (SPEC §9). Until the warehouse itself lands, what is stored is
// where units come from: operator grants, one row per grant (orders and redeemed e-codes follow).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { variants } from './catalog'
import { orgs } from './orgs'

export const warehouseGrants = sqliteTable(
  'warehouse_grants',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    variantId: text('variant_id')
      .notNull()
      .references(() => variants.id),
    units: integer('units').notNull(),
    /** Why the units were granted (shown to operators and in the org's history). */
    note: text('note').notNull(),
    grantedBy: text('granted_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('warehouse_grants_org').on(t.orgId, t.createdAt)],
)
