// The requests inbox (SPEC §10): items that need an org administrator's attention. Several kinds
// share one table so the inbox, the yellow dot and the digest read one place: a claim by tax id
// and licence number now, admin-rights requests and voucher mistake reports later.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { orgs } from './orgs'

export const orgRequests = sqliteTable(
  'org_requests',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['member_claimed', 'admin_rights', 'ecode_report'] }).notNull(),
    /** Who the item is about (the person who claimed or asks); null once their account is gone. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['pending', 'approved', 'declined', 'dismissed', 'resolved'] }).notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
  },
  (t) => [
    index('org_requests_org_status').on(t.orgId, t.status, t.createdAt),
    // One open request of a kind per person and org (a second click finds the first).
    uniqueIndex('org_requests_one_open').on(t.orgId, t.userId, t.kind).where(sql`${t.status} = 'pending'`),
    // The digest job's scan of what is pending across all orgs, however many resolved items pile up.
    index('org_requests_pending').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
)
