// Placing and reading orders (SPEC §7). An order's number comes from its month's counter in the
// same write transaction as the order, so numbers have no gaps and no repeats, even when orders are
// placed at the same instant: a transaction that fails takes its number back with it.
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Db, Executor } from '../db/client'
import { invoices, numberCounters, orderLines, orders, payments, type BillingSnapshot, type PaymentMethod, type Purchase } from '../db/schema'
import { recordHistory, userActor, type Actor } from '../db/history'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { localDate } from '../domain/time'
import { enqueueMail } from '../mail/outbox'
import { orderConfirmationMail } from '../mail/templates/orders'
import type { Language } from '../i18n'
import { orgVat, priceLines, type DraftLine } from './pricing'
import type { Org } from './orgs'

export type Order = typeof orders.$inferSelect
export type OrderLine = typeof orderLines.$inferSelect

/** The series of a month's order numbers and the number's prefix: `KON/2026/11/`. */
export function orderSeries(at: Date, timeZone: string): { series: string; prefix: string } {
  const { year, month } = localDate(at, timeZone)
  const ym = `${year}/${String(month).padStart(2, '0')}`
  return { series: `order/${ym}`, prefix: `KON/${ym}/` }
}

/** The series of a year's invoice numbers and the prefix: `FV/2026/`. */
export function invoiceSeries(at: Date, timeZone: string): { series: string; prefix: string } {
  const { year } = localDate(at, timeZone)
  return { series: `invoice/${year}`, prefix: `FV/${year}/` }
}

/** Increments a series' counter (creating it at 1), for the same batch or transaction as the row that takes the number. */
export function bumpCounter(db: Executor, series: string) {
  return db
    .insert(numberCounters)
    .values({ series, last: 1 })
    .onConflictDoUpdate({ target: numberCounters.series, set: { last: sql`${numberCounters.last} + 1` } })
}

export function billingSnapshot(org: Org): BillingSnapshot {
  return {
    name: org.name,
    legalForm: org.legalForm,
    country: org.country,
    taxId: org.taxId,
    addressLine: org.addressLine,
    postalCode: org.postalCode,
    city: org.city,
    billingEmail: org.billingEmail,
    einvoiceId: org.einvoiceId,
  }
}

export type NewOrder = {
  org: Org
  /** Who placed it; null for orders the system places (renewals). */
  user: User | null
  actor?: Actor
  purchase: Purchase
  currency: 'PLN' | 'EUR'
  lines: DraftLine[]
  paymentMethod: PaymentMethod
  language: Language
  now: Date
  /**
   * An order that already does this (read inside the write transaction, so two placements race
   * safely): returned instead of placing another. Renewals use it: one order per period.
   */
  existing?: (tx: Executor) => Promise<{ id: string; number: string } | undefined>
  /** The confirmation e-mail; off for renewal orders, whose payment or decline e-mail follows at once. */
  confirmation?: boolean
}

/**
 * Writes the order in one transaction with the number taken from the month's counter, its lines,
 * the history row and the confirmation e-mail. The terms of sale in force are stored as accepted.
 */
export async function placeOrder(deps: Deps, input: NewOrder): Promise<{ id: string; number: string }> {
  const { db, config } = deps
  const { org, now } = input
  const vat = orgVat(org, config.vendor)
  const priced = priceLines(input.lines, vat)
  const id = generateId()
  const { series, prefix } = orderSeries(now, config.vendor.timeZone)
  const actor = input.actor ?? (input.user ? userActor(input.user) : { type: 'system' as const, id: null, label: 'checkout' })
  return db.transaction(async (tx) => {
    const found = input.existing ? await input.existing(tx) : undefined
    if (found) return found
    const number = await takeNumber(tx, series, prefix)
    const values = {
      id,
      number,
      orgId: org.id,
      placedBy: input.user?.id ?? null,
      kind: input.purchase.kind,
      status: 'pending_payment' as const,
      currency: input.currency,
      netMinor: priced.totals.netMinor,
      vatMinor: priced.totals.vatMinor,
      grossMinor: priced.totals.grossMinor,
      vat,
      paymentMethod: input.paymentMethod,
      purchase: input.purchase,
      billing: billingSnapshot(org),
      language: input.language,
      termsVersion: config.termsOfSaleVersion,
      termsAcceptedAt: now,
      createdAt: now,
      paidAt: null,
      paidVia: null,
      cancelledAt: null,
      fulfilmentProblem: null,
    }
    await tx.insert(orders).values(values)
    await tx.insert(orderLines).values(priced.lines.map((l, position) => ({ orderId: id, position, ...l })))
    await recordHistory(tx, {
      orgId: org.id,
      actor,
      kind: 'order.placed',
      subject: { type: 'order', id },
      details: { number, total: formatMinor(priced.totals.grossMinor), currency: input.currency, payment: input.paymentMethod },
      at: now,
    })
    if (input.confirmation !== false) {
      const mail = orderConfirmationMail({ lang: input.language, vendor: config.vendorName }, { order: values, lines: priced.lines, vendor: config.vendor, url: orderUrl(deps, org.slug, id) })
      await enqueueMail(tx, { to: org.billingEmail, language: input.language, template: 'order.confirmation', mail, now })
    }
    return { id, number }
  })
}

/** Takes the next number of a series inside the caller's transaction. */
export async function takeNumber(tx: Executor, series: string, prefix: string): Promise<string> {
  const [row] = await bumpCounter(tx, series).returning({ last: numberCounters.last })
  return `${prefix}${String(row!.last).padStart(6, '0')}`
}

/** Minor units as a plain decimal for history details ("356.70"), never a float. */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

export function orderUrl(deps: Deps, slug: string, orderId: string): string {
  return `${deps.config.baseUrl}/o/${slug}/orders/${orderId}`
}

/** An order of the org (another org's id finds nothing, CONVENTIONS §4). */
export function getOrder(db: Executor, orgId: string, orderId: string): Promise<Order | undefined> {
  return db.select().from(orders).where(and(eq(orders.orgId, orgId), eq(orders.id, orderId))).get()
}

export function orderLinesOf(db: Executor, orgId: string, orderId: string): Promise<OrderLine[]> {
  return db
    .select({ line: orderLines })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orders.orgId, orgId), eq(orderLines.orderId, orderId)))
    .orderBy(orderLines.position)
    .then((rows) => rows.map((r) => r.line))
}

/** The org's orders with their invoice (if any), newest first: the transaction history. */
export function listOrders(db: Db, orgId: string, limit = 200) {
  return db
    .select({ order: orders, invoiceId: invoices.id, invoiceNumber: invoices.number })
    .from(orders)
    .leftJoin(invoices, eq(invoices.orderId, orders.id))
    .where(eq(orders.orgId, orgId))
    .orderBy(desc(orders.createdAt))
    .limit(limit)
}

/** Payments of the org's orders, newest first. */
export function listPayments(db: Db, orgId: string, limit = 200) {
  return db
    .select({ payment: payments, orderNumber: orders.number })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.orgId, orgId))
    .orderBy(desc(payments.createdAt))
    .limit(limit)
}
