// E-invoicing (issue 18): one submission per invoice to the state's system (KSeF in Poland, SdI in
// Italy) with its state, and the notifications SdI's intermediary sent, kept so each counts once.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { invoices } from './billing'

export const EINVOICE_STATES = ['pending', 'sending', 'sent', 'accepted', 'rejected', 'offline', 'not_required'] as const
export type EInvoiceState = (typeof EINVOICE_STATES)[number]

/**
 * pending → sending (claimed by one job run) → sent (taken for processing) → accepted | rejected;
 * offline: the system was not reached, tried again at next_attempt_at with backoff; not_required:
 * the document builder found nothing to send. A rejected one is re-issued back to pending.
 */
export const einvoiceSubmissions = sqliteTable(
  'einvoice_submissions',
  {
    invoiceId: text('invoice_id')
      .primaryKey()
      .references(() => invoices.id),
    orgId: text('org_id').notNull(),
    channel: text('channel', { enum: ['ksef', 'sdi'] }).notNull(),
    state: text('state', { enum: EINVOICE_STATES }).notNull(),
    /** SHA-256 (Base64) of the document last sent: the idempotency key; a re-issued, corrected document has a new one. */
    documentHash: text('document_hash'),
    fileName: text('file_name'),
    /** KSeF's online session of the sending (null for SdI). */
    sessionRef: text('session_ref'),
    /** KSeF's invoice reference, or the SdI intermediary's id of the file. */
    transportRef: text('transport_ref'),
    /** The KSeF number, or SdI's IdentificativoSdI. */
    number: text('number'),
    /** KSeF's UPO (XML) — a few KB, so kept in the row. */
    receipt: text('receipt'),
    /** Something an operator should know about an accepted one (440 reconciled, MC not delivered…). */
    note: text('note'),
    /** Why the system refused it, as it said (status code first). */
    reasons: text('reasons', { mode: 'json' }).$type<string[]>(),
    /** Why the last attempt did not reach the system. */
    lastError: text('last_error'),
    /**
     * An offline invoice (KSeF): a try found KSeF unreachable, or it was issued during a failure
     * operators declared. It is sent with `offlineMode` and its visualisation carries KOD II; kept
     * once set, so the PDF of an invoice issued offline keeps both codes after KSeF accepted it.
     */
    offlineMode: integer('offline_mode', { mode: 'boolean' }).notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    /** The run holding a `sending` row, and until when; an expired claim may be taken over. */
    claim: text('claim'),
    claimedUntil: integer('claimed_until', { mode: 'timestamp_ms' }),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('einvoice_submissions_due').on(t.state, t.nextAttemptAt),
    index('einvoice_submissions_org').on(t.orgId, t.state),
    uniqueIndex('einvoice_submissions_transport_ref').on(t.channel, t.transportRef).where(sql`${t.transportRef} is not null`),
  ],
)

/** SdI notifications applied, by the intermediary's notification id: a replayed one changes nothing. */
export const einvoiceNotifications = sqliteTable('einvoice_notifications', {
  id: text('id').primaryKey(),
  invoiceId: text('invoice_id').notNull(),
  type: text('type').notNull(),
  receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
})
