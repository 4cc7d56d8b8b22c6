// Reading one issued invoice with everything printed or written from it (the invoice and its seller
// snapshot, the order and its buyer snapshot, the lines), in one round trip: for the PDF, the
// e-invoice, and the XML download.
import { and, eq, sql } from 'drizzle-orm'
import { readTogether, type Db } from '../db/client'
import { einvoiceSubmissions, invoices, orders, orderLines, orgs, type BillingSnapshot, type EInvoiceState } from '../db/schema'
import { orderLinesQuery, paidWithColumn } from './order-pages'
import type { PaymentMethod } from '../db/schema'
import { issuedDuringDeclaredFailure } from './ksef-failures'
import type { NbpRate } from '../einvoice/nbp/rates'
import { ratesColumn, ratesOf } from './exchange-rates'

export type StoredInvoice = {
  invoice: typeof invoices.$inferSelect
  order: typeof orders.$inferSelect
  lines: (typeof orderLines.$inferSelect)[]
  /** The method of the payment that paid the order (null for payments from before methods were kept: see `paidMethod`). */
  paidWith: PaymentMethod | null
  /** Its e-invoice's submission to KSeF or SdI (src/jobs/einvoices.ts), once the job made one. */
  submission: Submission | null
  /** The org's codice fiscale today, for an order placed before Kontor asked for it (see `buyerOf`). */
  orgCodiceFiscale: string | null
  /** An offline invoice (KSeF): its visualisation carries KOD II beside KOD I (`offlineColumn`). */
  offline: boolean
  /** NBP rates of the order's currency up to the invoice's date, for the VAT in złoty (src/einvoice/nbp/rates.ts). */
  rates: NbpRate[]
}

/**
 * The buyer the invoice names: the order's billing snapshot, except that an Italian private person's
 * order placed without a codice fiscale (before checkout asked for it, or a renewal of such an org)
 * takes the one the person has given since. A person's codice fiscale never changes, so this adds the
 * identifier SdI refused the invoice for (error 00417) without altering anything the order recorded.
 */
export function buyerOf(stored: Pick<StoredInvoice, 'order' | 'orgCodiceFiscale'>): BillingSnapshot {
  const billing = stored.order.billing
  if (billing.codiceFiscale || !stored.orgCodiceFiscale || billing.country !== 'IT' || billing.legalForm !== 'person') return billing
  return { ...billing, codiceFiscale: stored.orgCodiceFiscale }
}

/** What the invoice's pages show of its submission: the state, and KSeF's number or SdI's identifier. */
export type Submission = { state: EInvoiceState; number: string | null }

/** The submission's state and number, read with the invoice (null columns: none yet). */
export const submissionColumns = { state: einvoiceSubmissions.state, number: einvoiceSubmissions.number }

/**
 * Whether the invoice (joined with its submission) is an offline one: a try found KSeF down, or it
 * was issued during a declared failure and is not sent yet (the job then marks its row the same way).
 */
export const offlineColumn = () =>
  sql<number>`(coalesce(${einvoiceSubmissions.offlineMode}, 0) = 1 or (coalesce(${einvoiceSubmissions.state}, 'pending') in ('pending', 'offline', 'sending') and ${issuedDuringDeclaredFailure(invoices.issuedAt)}))`

export function submissionOf(row: { state: EInvoiceState; number: string | null } | null): Submission | null {
  return row && row.state ? { state: row.state, number: row.number } : null
}

/** The invoice by id, within one org when `orgId` is given (another org's id finds nothing, as a missing one). */
export async function readInvoice(db: Db, invoiceId: string, orgId?: string): Promise<StoredInvoice | null> {
  const scope = orgId === undefined ? eq(invoices.id, invoiceId) : and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId))
  const orderOf = orgId === undefined
    ? sql`(select ${invoices.orderId} from ${invoices} where ${invoices.id} = ${invoiceId})`
    : sql`(select ${invoices.orderId} from ${invoices} where ${invoices.orgId} = ${orgId} and ${invoices.id} = ${invoiceId})`
  const read = await readTogether(db, {
    found: db
      .select({ invoice: invoices, order: orders, paidWith: paidWithColumn(), submission: submissionColumns, orgCodiceFiscale: orgs.codiceFiscale, offline: offlineColumn(), rates: ratesColumn() })
      .from(invoices)
      .innerJoin(orders, eq(orders.id, invoices.orderId))
      .leftJoin(orgs, eq(orgs.id, orders.orgId))
      .leftJoin(einvoiceSubmissions, eq(einvoiceSubmissions.invoiceId, invoices.id))
      .where(scope)
      .limit(1),
    lines: orderLinesQuery(db, orderOf, orgId),
  })
  const row = read.found[0]
  return row ? { ...row, submission: submissionOf(row.submission), offline: Number(row.offline) === 1, lines: read.lines.map((r) => r.line), rates: ratesOf(row.rates) } : null
}
