// Signed statements (SPEC §3.2): a member without administrator rights uploads the scan of the
// statement they signed; an operator approves it (the member becomes an administrator) or rejects
// it with a reason. The scans themselves live in `blobs` (src/blob/), one row per file.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { orgs } from './orgs'

/**
 * Files kept in the database behind the BlobStore interface (src/blob/database.ts), in chunks of at
 * most 1 MiB: Turso refuses rows over 5 MB and answers at most 10 MB at once.
 */
export const blobs = sqliteTable('blobs', {
  key: text('key').primaryKey(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  chunks: integer('chunks').notNull(),
})

export const blobChunks = sqliteTable(
  'blob_chunks',
  {
    key: text('key')
      .notNull()
      .references(() => blobs.key, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.seq] })],
)

export const statements = sqliteTable(
  'statements',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    /** Who uploaded it and would become an administrator. A closed account takes its statements (and scans) along. */
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
    /** The scan's key in the blob store, its type as recognised from its bytes, and its size. */
    fileKey: text('file_key').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** The name the file had on the uploader's computer, shown to operators only. */
    fileName: text('file_name').notNull(),
    createdAt: createdAt(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
  },
  (t) => [
    // The operators' queue, oldest first.
    index('statements_status_created').on(t.status, t.createdAt),
    index('statements_org_user').on(t.orgId, t.userId, t.createdAt),
    // One statement waiting for review per person and org.
    uniqueIndex('statements_one_pending').on(t.orgId, t.userId).where(sql`${t.status} = 'pending'`),
  ],
)
