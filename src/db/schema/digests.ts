// Digest e-mails sent to administrators about pending requests (SPEC §10, §13). The last row of a
// person says when they were last mailed; the window key is unique, so of two runs deciding to
// mail the same person at once only one row — and one e-mail — is written (src/domain/digest.ts).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { users } from './accounts'

export const digests = sqliteTable(
  'digests',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    windowKey: text('window_key').notNull(),
    /** The `now` of the run that wrote it (the rule's lastDigestAt), not the delivery time. */
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
    pending: integer('pending').notNull(),
    newSince: integer('new_since').notNull(),
  },
  (t) => [uniqueIndex('digests_window_key_unique').on(t.windowKey), index('digests_user_sent').on(t.userId, t.sentAt)],
)
