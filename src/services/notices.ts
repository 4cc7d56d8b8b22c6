// Lifecycle notices (SPEC §8, §13): an e-mail to an org's administrators (and, for the money side,
// its billing address) about its subscription (a renewal reminder, a lapse warning, a deletion
// warning…), sent once per occasion. The notice row (src/db/schema/lifecycle.ts) and the e-mails go
// in one batch and the e-mails are inserted only if the notice row was (SQLite's changes()), so
// repeated or concurrent runs mail each occasion once.
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type BatchItem, type Db, type Executor } from '../db/client'
import { lifecycleNotices, memberships, orders, users } from '../db/schema'
import type { Language } from '../i18n'
import { enqueueMailIfChanged } from '../mail/outbox'
import type { RenderedMail } from '../mail/templates/layout'

export type Recipient = { email: string; language: Language }

/** The org's administrators, each with the language they chose (a query: awaited, or read in a batch). */
export function orgAdmins(db: Executor, orgId: string) {
  return db
    .select({ email: users.email, language: users.language })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin')))
    .orderBy(users.email)
}

/** The recipients plus the billing address, unless it is empty or one of them already reads it there. */
export function withBilling(recipients: Recipient[], billing: Recipient): Recipient[] {
  const email = billing.email.trim().toLowerCase()
  return !email || recipients.some((r) => r.email.toLowerCase() === email) ? recipients : [...recipients, billing]
}

/**
 * Who hears about the money side of a subscription (a lapse, a deletion): the administrators and
 * the billing address — whoever pays the invoices. The billing address is written to in the
 * language of the org's latest order (the one its order mail came in), else the first
 * administrator's, else English.
 */
export async function orgPayers(db: Executor, org: { id: string; billingEmail: string }): Promise<Recipient[]> {
  const read = await readTogether(db as Db, orgPayersReads(db, org.id))
  return payersFrom(read, org.billingEmail)
}

/** The reads behind orgPayers, for the caller's batch. */
export function orgPayersReads(db: Executor, orgId: string) {
  return {
    admins: orgAdmins(db, orgId),
    latest: db.select({ language: orders.language }).from(orders).where(eq(orders.orgId, orgId)).orderBy(desc(orders.createdAt)).limit(1),
  }
}

export function payersFrom(read: { admins: Recipient[]; latest: { language: string }[] }, billingEmail: string): Recipient[] {
  const language = (read.latest[0]?.language as Language | undefined) ?? read.admins[0]?.language ?? 'en'
  return withBilling(read.admins, { email: billingEmail, language })
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
