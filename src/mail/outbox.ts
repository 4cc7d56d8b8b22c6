// The outbox (SPEC §14): mail is written as a row in the same batch as the change that causes it,
// and the mail job delivers it later with retries. Nothing here talks to a provider inside a write.
import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm'
import type { Db, Executor } from '../db/client'
import { outbox, type MailAttachment } from '../db/schema'
import { generateId } from '../auth/tokens'
import { MINUTE } from '../clock'
import type { Mailer } from './mailer'
import type { RenderedMail } from './templates/layout'

export type OutboxRow = typeof outbox.$inferSelect

/** The insert to put into the same `db.batch([...])` as the change that causes the mail. */
export function enqueueMail(
  db: Executor,
  args: { to: string; language: string; template: string; mail: RenderedMail; now: Date; attachments?: MailAttachment[] },
) {
  return db.insert(outbox).values({
    id: generateId(),
    to: args.to,
    template: args.template,
    language: args.language,
    subject: args.mail.subject,
    html: args.mail.html,
    text: args.mail.text,
    status: 'pending',
    nextAttemptAt: args.now,
    createdAt: args.now,
    attachments: args.attachments ?? null,
  })
}

/**
 * The same insert, for a batch whose previous statement was a conditional change: the mail is
 * queued only if that statement changed a row (SQLite's changes()), like recordHistoryIfChanged.
 */
export function enqueueMailIfChanged(db: Executor, args: { to: string; language: string; template: string; mail: RenderedMail; now: Date }) {
  return db.run(sql`insert into ${outbox} (id, "to", template, language, subject, html, text, status, attempts, next_attempt_at, created_at)
    select ${generateId()}, ${args.to}, ${args.template}, ${args.language}, ${args.mail.subject}, ${args.mail.html}, ${args.mail.text},
      'pending', 0, ${args.now.getTime()}, ${args.now.getTime()}
    where changes() > 0`)
}

/** Waits between attempts: 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h; give up after 10 attempts. */
export const MAX_ATTEMPTS = 10
export function retryDelay(attempts: number): number {
  const steps = [1, 5, 30, 120, 360]
  return (steps[attempts - 1] ?? 720) * MINUTE
}
/** A row claimed by a run that died is claimable again after this long. */
const CLAIM_FOR = 10 * MINUTE

export type DeliveryCounts = { sent: number; failed: number; retried: number; kept: number }

/**
 * Delivers due rows. Each row is claimed with a conditional update first, so two overlapping runs
 * never send the same row; the provider's idempotency key (the row id) covers a crash after sending.
 */
export async function deliverDueMail(
  db: Db,
  mailer: Mailer | null,
  from: string,
  now: Date,
  limit = 50,
): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { sent: 0, failed: 0, retried: 0, kept: 0 }
  const due = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      or(
        and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)),
        and(eq(outbox.status, 'sending'), lte(outbox.lockedUntil, now)),
      ),
    )
    .orderBy(outbox.nextAttemptAt)
    .limit(limit)
  if (!mailer) {
    // No provider configured: the mail stays local, readable on /dev/mail.
    if (due.length > 0) {
      await db
        .update(outbox)
        .set({ status: 'local', sentAt: now })
        .where(and(inArray(outbox.id, due.map((r) => r.id)), inArray(outbox.status, ['pending', 'sending'])))
      counts.kept = due.length
    }
    return counts
  }
  for (const { id } of due) {
    const claimed = await db
      .update(outbox)
      .set({ status: 'sending', lockedUntil: new Date(now.getTime() + CLAIM_FOR), attempts: sql`${outbox.attempts} + 1` })
      .where(
        and(
          eq(outbox.id, id),
          or(
            and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)),
            and(eq(outbox.status, 'sending'), lte(outbox.lockedUntil, now)),
          ),
        ),
      )
      .returning()
    const row = claimed[0]
    if (!row) continue
    const result = await mailer.send({
      idempotencyKey: `outbox-${row.id}`,
      from,
      to: row.to,
      subject: row.subject,
      html: row.html,
      text: row.text,
      ...(row.attachments?.length ? { attachments: row.attachments } : {}),
    })
    if (result.ok) {
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: now, providerId: result.providerId, lockedUntil: null, lastError: null })
        .where(eq(outbox.id, row.id))
      counts.sent++
    } else if (row.attempts >= MAX_ATTEMPTS) {
      await db.update(outbox).set({ status: 'failed', lockedUntil: null, lastError: result.error }).where(eq(outbox.id, row.id))
      counts.failed++
    } else {
      await db
        .update(outbox)
        .set({
          status: 'pending',
          lockedUntil: null,
          lastError: result.error,
          nextAttemptAt: new Date(now.getTime() + retryDelay(row.attempts)),
        })
        .where(eq(outbox.id, row.id))
      counts.retried++
    }
  }
  return counts
}

export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit)
}

export function getOutboxRow(db: Db, id: string) {
  return db.select().from(outbox).where(eq(outbox.id, id)).get()
}
