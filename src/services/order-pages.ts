// What an org's transaction pages read (SPEC §7), each in one batch: the history of orders, payments
// and saved methods; one order with its lines, invoice and the payment attempt its visitor came back
// from. The reads of one order are keyed by its id alone, so they go together with the order itself
// (the org's condition in each) instead of after it; the operators' order page and the invoice PDF
// read the lines the same way.
import { and, eq, sql, type SQLWrapper } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type Db } from '../db/client'
import { einvoiceSubmissions, invoices, orderLines, orders, payments, type PaymentMethod } from '../db/schema'
import { offlineColumn, submissionColumns, submissionOf } from './invoice-data'
import { totals } from '../domain/vat'
import { listOrders, listPayments, type Order } from './orders'
import { listSavedMethods } from './saved-methods'
import { ratesColumn, ratesOf } from './exchange-rates'

/** The order's lines in order (only if the order is the org's, when `orgId` is given), for the caller's batch. */
export function orderLinesQuery(db: Db, orderId: string | SQLWrapper, orgId?: string) {
  return db
    .select({ line: orderLines })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orderLines.orderId, orderId), orgId === undefined ? undefined : eq(orders.orgId, orgId)))
    .orderBy(orderLines.position)
}

/**
 * How the order was paid, as a column of the caller's select of the order: the method of the attempt
 * that paid it (not one kept for a refund because the order was settled already).
 */
export function paidWithColumn() {
  return sql<PaymentMethod | null>`(select p.method from ${payments} p where p.order_id = ${orders.id} and p.status = 'succeeded' and p.error is null order by p.completed_at desc limit 1)`
}

/**
 * What the order was paid with: the paying attempt's method; for attempts from before methods were
 * kept, a transfer when an operator settled it, else the method the order was placed with.
 */
export function paidMethod(order: Pick<Order, 'paidVia' | 'paymentMethod'>, paid: PaymentMethod | null): PaymentMethod {
  return paid ?? (order.paidVia === 'operator' ? 'transfer' : order.paymentMethod)
}

/** The transaction history: orders with their invoices, payments, saved methods. */
export function readTransactions(deps: Deps, orgId: string) {
  return readTogether(deps.db, { orders: listOrders(deps.db, orgId), payments: listPayments(deps.db, orgId), methods: listSavedMethods(deps, orgId) })
}

export type Returned = 'succeeded' | 'failed' | 'pending'

/**
 * One of the org's orders with its lines and totals, its invoice and — back from the provider's
 * page with `?payment=` — what became of that attempt (a webhook may still be on its way); null for
 * another org's order or none.
 */
export async function readOrderPage(deps: Deps, orgId: string, orderId: string, paymentId: string | undefined) {
  const { db } = deps
  const read = await readTogether(db, {
    order: db
      .select({ order: orders, invoice: invoices, paidWith: paidWithColumn(), submission: submissionColumns, offline: offlineColumn(), rates: ratesColumn() })
      .from(orders)
      .leftJoin(invoices, eq(invoices.orderId, orders.id))
      .leftJoin(einvoiceSubmissions, eq(einvoiceSubmissions.invoiceId, invoices.id))
      .where(and(eq(orders.orgId, orgId), eq(orders.id, orderId)))
      .limit(1),
    lines: orderLinesQuery(db, orderId, orgId),
    ...(paymentId ? { attempt: db.select({ status: payments.status }).from(payments).where(and(eq(payments.orderId, orderId), eq(payments.id, paymentId))).limit(1) } : {}),
  })
  const found = read.order[0]
  if (!found) return null
  const { order, invoice } = found
  const lines = read.lines.map((r) => r.line)
  const status = read.attempt?.[0]?.status
  const returned: Returned | null = status === undefined ? null : status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : 'pending'
  const sums = totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 })))
  const paidWith = order.status === 'paid' ? paidMethod(order, found.paidWith) : null
  return { order, lines, totals: sums, invoice, returned, paidWith, submission: submissionOf(found.submission), offline: Number(found.offline) === 1, rates: ratesOf(found.rates) }
}
