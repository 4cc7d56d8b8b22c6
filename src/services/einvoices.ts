// The e-invoice submissions' storage (issue 18): which invoices are due, claiming one for a single
// job run with a conditional UPDATE (two runs at once never both send it), and writing what the
// channel answered — every write conditional on the claim or on the state it saw, so a late or
// duplicate answer changes nothing. No interactive transactions (docs/architecture.md).
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { einvoiceSubmissions, invoices, orgs } from '../db/schema'
import type { Accepted, CheckOutcome, Outcome, TransportRef } from '../einvoice/channel'
import { DAY, MINUTE } from '../clock'
import { releaseHeldMail } from '../mail/outbox'
import { issuedDuringDeclaredFailure, ksefFailuresQuery } from './ksef-failures'

const s = einvoiceSubmissions

/** Invoices issued this long ago or less get a submission: older ones were issued before e-invoicing was on. */
export const DISCOVERY_WINDOW = 30 * DAY
/** How long a run holds a `sending` row: longer than a batch takes; a run that died frees it after this. */
export const CLAIM_FOR = 15 * MINUTE
/** The longest wait between two tries while the system is unreachable. */
export const MAX_BACKOFF = 60 * MINUTE

/** 1, 2, 4, … minutes after the n-th failed attempt, at most an hour. */
export function backoff(attempts: number): number {
  return Math.min(MINUTE * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF)
}

export type Submission = typeof einvoiceSubmissions.$inferSelect

/** The longest a paid order's mail waits for its invoice's KSeF number (src/services/fulfilment.ts). */
export const INVOICE_MAIL_HOLD = 60 * MINUTE
/** The outbox row of an invoice's paid-order mail, so the job can release it once KSeF decided. */
export const invoiceMailId = (invoiceId: string) => `invoice-mail-${invoiceId}`

/** Adds a pending submission for each recent invoice that has none; returns how many. */
export async function discoverInvoices(db: Db, channel: 'ksef' | 'sdi', now: Date): Promise<number> {
  const since = now.getTime() - DISCOVERY_WINDOW
  const result = await db.run(sql`
    insert or ignore into ${s} (invoice_id, org_id, channel, state, attempts, next_attempt_at, created_at)
    select ${invoices.id}, ${invoices.orgId}, ${channel}, 'pending', 0, ${now.getTime()}, ${now.getTime()}
    from ${invoices}
    where ${invoices.issuedAt} >= ${since}
      and not exists (select 1 from ${s} where ${s.invoiceId} = ${invoices.id})
    limit 1000`)
  return result.rowsAffected
}

/**
 * Marks offline the KSeF submissions not sent yet of invoices issued during a failure operators
 * declared (emergency mode): they go with `offlineMode` and carry KOD II. Returns how many.
 */
export async function markDeclaredOffline(db: Db): Promise<number> {
  // Most runs know of no failure at all: a read then, rather than a write every five minutes.
  if ((await ksefFailuresQuery(db)).length === 0) return 0
  const result = await db
    .update(s)
    .set({ offlineMode: true })
    .where(
      and(
        eq(s.channel, 'ksef'),
        eq(s.offlineMode, false),
        inArray(s.state, ['pending', 'offline', 'sending']),
        sql`exists (select 1 from ${invoices} where ${invoices.id} = ${s.invoiceId} and ${issuedDuringDeclaredFailure(invoices.issuedAt)})`,
      ),
    )
  return result.rowsAffected
}

/** What may be claimed now: pending or offline and due, or `sending` under a claim that expired. */
function claimable(now: Date) {
  return or(and(inArray(s.state, ['pending', 'offline']), lte(s.nextAttemptAt, now)), and(eq(s.state, 'sending'), lte(s.claimedUntil, now)))!
}

export async function dueSubmissions(db: Db, channel: 'ksef' | 'sdi', now: Date, limit: number): Promise<Submission[]> {
  return db.select().from(s).where(and(eq(s.channel, channel), claimable(now))).orderBy(asc(s.nextAttemptAt), asc(s.invoiceId)).limit(limit)
}

/** Takes the row for this run; false when another run took it first. */
export async function claimSubmission(db: Db, invoiceId: string, claim: string, now: Date): Promise<boolean> {
  const result = await db
    .update(s)
    .set({ state: 'sending', claim, claimedUntil: new Date(now.getTime() + CLAIM_FOR), attempts: sql`${s.attempts} + 1` })
    .where(and(eq(s.invoiceId, invoiceId), claimable(now)))
  return result.rowsAffected === 1
}

const held = (invoiceId: string, claim: string) => and(eq(s.invoiceId, invoiceId), eq(s.state, 'sending'), eq(s.claim, claim))

/** The document about to be sent: its hash is the idempotency key, written before the sending. */
export async function recordDocument(db: Db, invoiceId: string, claim: string, doc: { hash: string; fileName: string }) {
  await db.update(s).set({ documentHash: doc.hash, fileName: doc.fileName }).where(held(invoiceId, claim))
}

export async function recordNotRequired(db: Db, invoiceId: string, claim: string, now: Date) {
  await db.batch([db.update(s).set({ state: 'not_required', claim: null, claimedUntil: null, decidedAt: now }).where(held(invoiceId, claim)), releaseHeldMail(db, invoiceMailId(invoiceId), now)])
}

/** The document could not be built (a bug, missing data): tried again with backoff, the error kept for operators. */
export async function recordFailure(db: Db, row: Pick<Submission, 'invoiceId' | 'attempts'>, claim: string, error: string, now: Date) {
  await db
    .update(s)
    .set({ state: 'pending', claim: null, claimedUntil: null, lastError: error.slice(0, 2000), nextAttemptAt: new Date(now.getTime() + backoff(row.attempts + 1)) })
    .where(held(row.invoiceId, claim))
}

function decided(outcome: Accepted | { status: 'rejected'; reasons: string[] }, ref: TransportRef | null, now: Date) {
  const refs = ref ? { sessionRef: ref.session, transportRef: ref.reference } : {}
  if (outcome.status === 'accepted') {
    return { ...refs, state: 'accepted' as const, number: outcome.number, receipt: outcome.receipt, note: outcome.note ?? sql`${s.note}`, reasons: null, lastError: null, decidedAt: now, sentAt: sql`coalesce(${s.sentAt}, ${now.getTime()})` }
  }
  return { ...refs, state: 'rejected' as const, reasons: outcome.reasons, lastError: null, decidedAt: now, sentAt: sql`coalesce(${s.sentAt}, ${now.getTime()})` }
}

/** Writes what the channel answered to a sending; attempts is the row's count after the claim. */
export async function recordOutcome(db: Db, invoiceId: string, attempts: number, claim: string, outcome: Outcome, now: Date) {
  const release = { claim: null, claimedUntil: null }
  switch (outcome.status) {
    case 'sent':
      return db
        .update(s)
        .set({ ...release, state: 'sent', sessionRef: outcome.ref.session, transportRef: outcome.ref.reference, sentAt: now, lastError: null, nextAttemptAt: now })
        .where(held(invoiceId, claim))
    case 'accepted':
    case 'rejected':
      // Decided either way: the invoice's mail need not wait any longer.
      return db.batch([db.update(s).set({ ...release, ...decided(outcome, outcome.ref, now) }).where(held(invoiceId, claim)), releaseHeldMail(db, invoiceMailId(invoiceId), now)])
    case 'unavailable':
      return db
        .update(s)
        .set({ ...release, state: 'offline', offlineMode: true, lastError: outcome.detail.slice(0, 2000), nextAttemptAt: new Date(now.getTime() + backoff(attempts)) })
        .where(held(invoiceId, claim))
  }
}

/** Sent and not yet decided (KSeF is asked about them), and accepted without their receipt yet. */
export async function submissionsToCheck(db: Db, channel: 'ksef' | 'sdi', now: Date, limit: number): Promise<Submission[]> {
  return db
    .select()
    .from(s)
    .where(
      and(
        eq(s.channel, channel),
        or(and(eq(s.state, 'sent'), lte(s.nextAttemptAt, now)), and(eq(s.state, 'accepted'), isNull(s.receipt), gte(s.decidedAt, new Date(now.getTime() - 7 * DAY)))),
      ),
    )
    .orderBy(asc(s.nextAttemptAt), asc(s.invoiceId))
    .limit(limit)
}

/** Writes what a check found, if the row is still as it was read. */
export async function recordCheck(db: Db, row: Submission, outcome: CheckOutcome, now: Date) {
  const same = and(eq(s.invoiceId, row.invoiceId), eq(s.state, row.state), eq(s.transportRef, row.transportRef ?? ''))
  if (row.state === 'accepted') {
    if (outcome.status !== 'accepted' || !outcome.receipt) return
    return db.update(s).set({ receipt: outcome.receipt }).where(and(same, isNull(s.receipt)))
  }
  switch (outcome.status) {
    case 'processing':
    case 'sent':
      return
    case 'accepted':
    case 'rejected':
      return db.batch([db.update(s).set(decided(outcome, null, now)).where(same), releaseHeldMail(db, invoiceMailId(row.invoiceId), now)])
    case 'unavailable':
      // The system failed the document on its side: it is sent again.
      return db.update(s).set({ state: 'offline', offlineMode: true, lastError: outcome.detail.slice(0, 2000), nextAttemptAt: now }).where(same)
  }
}

/**
 * An operator re-issues a rejected invoice once it is corrected: back to pending, the rejection's
 * reasons kept in the note for the record; the job builds the document again (a new hash) and sends it.
 */
export async function reissueSubmission(db: Db, invoiceId: string, now: Date): Promise<boolean> {
  const result = await db
    .update(s)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: now, note: sql`'re-issued after a rejection: ' || coalesce(${s.reasons}, '')`, lastError: null, reasons: null, sessionRef: null, transportRef: null, decidedAt: null })
    .where(and(eq(s.invoiceId, invoiceId), eq(s.state, 'rejected')))
  return result.rowsAffected === 1
}

/**
 * What the operators' e-invoice page shows: the submissions needing a look (refused first), the count
 * in each state, the latest accepted with their numbers (their receipts, UPO, downloadable), and
 * the KSeF failures operators declared.
 */
export function opsEInvoiceReads(db: Db, limit = 200) {
  return {
    rows: db
      .select({ submission: s, number: invoices.number, issuedAt: invoices.issuedAt, orgName: orgs.name })
      .from(s)
      .innerJoin(invoices, eq(invoices.id, s.invoiceId))
      .leftJoin(orgs, eq(orgs.id, s.orgId))
      .where(inArray(s.state, ['rejected', 'offline', 'pending', 'sending', 'sent']))
      .orderBy(sql`${s.state} = 'rejected' desc`, asc(s.nextAttemptAt), asc(s.invoiceId))
      .limit(limit),
    counts: db.select({ state: s.state, n: sql<number>`count(*)` }).from(s).groupBy(s.state),
    accepted: db
      .select({ invoiceId: s.invoiceId, number: invoices.number, einvoiceNumber: s.number, decidedAt: s.decidedAt, hasReceipt: sql<number>`${s.receipt} is not null`, orgName: orgs.name })
      .from(s)
      .innerJoin(invoices, eq(invoices.id, s.invoiceId))
      .leftJoin(orgs, eq(orgs.id, s.orgId))
      .where(eq(s.state, 'accepted'))
      .orderBy(desc(s.decidedAt), asc(s.invoiceId))
      .limit(50),
    failures: ksefFailuresQuery(db),
  }
}

export type OpsEInvoiceRow = Awaited<ReturnType<typeof opsEInvoiceReads>['rows']>[number]
export type OpsAcceptedRow = Awaited<ReturnType<typeof opsEInvoiceReads>['accepted']>[number]

/** An accepted invoice's receipt (KSeF's UPO, or SdI's delivery receipt) with its invoice number; null when there is none (yet). */
export async function einvoiceReceipt(db: Db, invoiceId: string): Promise<{ number: string; receipt: string } | null> {
  const row = await db
    .select({ number: invoices.number, receipt: s.receipt })
    .from(s)
    .innerJoin(invoices, eq(invoices.id, s.invoiceId))
    .where(and(eq(s.invoiceId, invoiceId), eq(s.state, 'accepted')))
    .get()
  return row?.receipt ? { number: row.number, receipt: row.receipt } : null
}
