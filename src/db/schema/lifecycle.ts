// What the lifecycle jobs have already told an org (SPEC §8, §13): one row per notice under a key
// naming the occasion (a reminder for one period, a warning before one deletion date…). The row is
// written in the same batch as its e-mails and only a first insert mails, so a job run twice, or two
// runs at once, send each notice once.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const lifecycleNotices = sqliteTable(
  'lifecycle_notices',
  {
    /** e.g. `manual-renewal:<subscription>:<period end ms>:7`; see src/domain/notices.ts. */
    key: text('key').primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('lifecycle_notices_org').on(t.orgId, t.sentAt)],
)
