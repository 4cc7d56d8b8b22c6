// Lifecycle notices (SPEC §8, §13): an e-mail to an org's administrators about its subscription
// (a renewal reminder, a lapse warning, a deletion warning…), sent once per occasion. The notice row
// (src/db/schema/lifecycle.ts) and the e-mails go in one batch and the e-mails are inserted only if
// the notice row was (SQLite's changes()), so repeated or concurrent runs mail each occasion once.
import { and, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { BatchItem, Executor } from '../db/client'
import { lifecycleNotices, memberships, users } from '../db/schema'
import type { Language } from '../i18n'
import { enqueueMailIfChanged } from '../mail/outbox'
import type { RenderedMail } from '../mail/templates/layout'

export type Recipient = { email: string; language: Language }

/** The org's administrators, each with the language they chose. */
export function orgAdmins(db: Executor, orgId: string): Promise<Recipient[]> {
  return db
    .select({ email: users.email, language: users.language })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin')))
    .orderBy(users.email)
}

export type Notice = { key: string; orgId: string; kind: string }

/**
 * The statements of one notice: its row, then each recipient's e-mail (template `kind`) — each
 * inserted only if the statement before it inserted a row. Put them first in a batch, or right
 * after a conditional change whose success should gate them.
 */
export function noticeStatements(db: Executor, notice: Notice, recipients: Recipient[], render: (r: Recipient) => RenderedMail, now: Date): BatchItem[] {
  return [
    db.insert(lifecycleNotices).values({ ...notice, sentAt: now }).onConflictDoNothing(),
    ...recipients.map((r) => enqueueMailIfChanged(db, { to: r.email, language: r.language, template: notice.kind, mail: render(r), now })),
  ]
}

/** Sends a notice to the org's administrators unless it went out before; true when this call sent it. */
export async function sendNotice(deps: Deps, notice: Notice, render: (r: Recipient) => RenderedMail, now: Date, recipients?: Recipient[]): Promise<boolean> {
  const { db } = deps
  const to = recipients ?? (await orgAdmins(db, notice.orgId))
  const [inserted] = await db.batch(noticeStatements(db, notice, to, render, now) as [BatchItem, ...BatchItem[]])
  return inserted.rowsAffected === 1
}

/** Whether a notice went out (for a step that must not repeat its side effects). */
export async function noticeSent(db: Executor, key: string): Promise<boolean> {
  return (await db.select({ n: sql<number>`1` }).from(lifecycleNotices).where(eq(lifecycleNotices.key, key)).get()) !== undefined
}
