// The machinery: the mail outbox, job runs and leases, installation facts.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'

export type MailAttachment = { filename: string; contentType: string; contentBase64: string }

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
    /** Files sent with the mail (a voucher PDF), base64, kept with the row like the body. */
    attachments: text('attachments', { mode: 'json' }).$type<MailAttachment[]>(),
    /**
     * The mail carries a secret (a link token, an e-code): html, text and each attachment's name and
     * content are sealed (src/mail/sealed.ts), and erased once the mail is sent or given up.
     */
    sealed: integer('sealed', { mode: 'boolean' }).notNull().default(false),
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
  // By job, newest first: /ops/jobs filtered to one job, and the tick's look at a daily job's last run.
  (t) => [index('job_runs_started').on(t.startedAt), index('job_runs_job').on(t.job, t.id)],
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

/**
 * Never holds a row: a batch's guard inserts into it when the state it was planned on has changed,
 * and a trigger (migration 0020) aborts the insert — and with it the whole batch (src/db/guard.ts).
 */
export const batchGuards = sqliteTable('batch_guards', {
  reason: text('reason').notNull(),
})
