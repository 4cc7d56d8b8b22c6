// Reading one issued invoice with everything printed or written from it (the invoice and its seller
// snapshot, the order and its buyer snapshot, the lines), in one round trip: for the PDF, the
// e-invoice, and the XML download.
import { and, eq, sql } from 'drizzle-orm'
import { readTogether, type Db } from '../db/client'
import { einvoiceSubmissions, invoices, orders, orderLines, type EInvoiceState } from '../db/schema'
import { orderLinesQuery, paidWithColumn } from './order-pages'
import type { PaymentMethod } from '../db/schema'
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
  /** NBP rates of the order's currency up to the invoice's date, for the VAT in złoty (src/einvoice/nbp/rates.ts). */
  rates: NbpRate[]
}

/** What the invoice's pages show of its submission: the state, and KSeF's number or SdI's identifier. */
export type Submission = { state: EInvoiceState; number: string | null }

/** The submission's state and number, read with the invoice (null columns: none yet). */
export const submissionColumns = { state: einvoiceSubmissions.state, number: einvoiceSubmissions.number }

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
      .select({ invoice: invoices, order: orders, paidWith: paidWithColumn(), submission: submissionColumns, rates: ratesColumn() })
      .from(invoices)
      .innerJoin(orders, eq(orders.id, invoices.orderId))
      .leftJoin(einvoiceSubmissions, eq(einvoiceSubmissions.invoiceId, invoices.id))
      .where(scope)
      .limit(1),
    lines: orderLinesQuery(db, orderOf, orgId),
  })
  const row = read.found[0]
  return row ? { ...row, submission: submissionOf(row.submission), lines: read.lines.map((r) => r.line), rates: ratesOf(row.rates) } : null
}
