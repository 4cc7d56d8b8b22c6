// Placing and reading orders (SPEC §7). An order's number is its month's counter plus one, read
// first and written in the same batch as the order behind a guard that the counter is still what was
// read, so numbers have no gaps and no repeats even when orders are placed at the same instant: a
// batch aborted because another order took the number is planned again with the next one.
import { and, desc, eq, sql, type SQLWrapper } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type BatchItem, type Db, type Executor } from '../db/client'
import { guard, writePlanned } from '../db/guard'
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
    // Only a private person in Italy is named by it; an org that changed its form since keeps it out of its invoices.
    codiceFiscale: org.country === 'IT' && org.legalForm === 'person' ? org.codiceFiscale : null,
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
   * An order that already does this, returned instead of placing another (renewals: one order per
   * period): a query read with the counter, and whose emptiness guards the batch, so two placements
   * race safely.
   */
  existing?: (db: Db) => SQLiteSelectLike<{ id: string; number: string }>
  /** The confirmation e-mail; off for renewal orders, whose payment or decline e-mail follows at once. */
  confirmation?: boolean
}

/** A select that can be read in a batch and used as a subquery (`not exists (…)`). */
export type SQLiteSelectLike<T> = BatchItem & SQLWrapper & PromiseLike<T[]>

/**
 * Writes the order with the number taken from the month's counter, its lines, the history row and
 * the confirmation e-mail, in one batch. The terms of sale in force are stored as accepted.
 */
export async function placeOrder(deps: Deps, input: NewOrder): Promise<{ id: string; number: string; placed: boolean }> {
  const { db, config } = deps
  const { org, now } = input
  const vat = orgVat(org, config.vendor)
  const priced = priceLines(input.lines, vat)
  const id = generateId()
  const { series, prefix } = orderSeries(now, config.vendor.timeZone)
  const actor = input.actor ?? (input.user ? userActor(input.user) : { type: 'system' as const, id: null, label: 'checkout' })
  return writePlanned<{ id: string; number: string; placed: boolean }>(db, async () => {
    const read = await readTogether(db, {
      counter: db.select({ last: numberCounters.last }).from(numberCounters).where(eq(numberCounters.series, series)),
      found: input.existing ? input.existing(db) : db.select({ id: orders.id, number: orders.number }).from(orders).where(sql`0`),
    })
    const [found] = read.found as { id: string; number: string }[]
    if (found) return { done: { id: found.id, number: found.number, placed: false } }
    const last = read.counter[0]?.last ?? 0
    const number = `${prefix}${String(last + 1).padStart(6, '0')}`
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
    const mail =
      input.confirmation === false
        ? []
        : [
            enqueueMail(db, {
              to: org.billingEmail,
              language: input.language,
              template: 'order.confirmation',
              mail: orderConfirmationMail({ lang: input.language, vendor: config.vendorName }, { order: values, lines: priced.lines, vendor: config.vendor, url: orderUrl(deps, org.slug, id) }),
              now,
            }),
          ]
    const batch: BatchItem[] = [
      // The number is the counter's next as read; another order numbered meanwhile aborts the batch.
      guard(db, sql`coalesce((select ${numberCounters.last} from ${numberCounters} where ${numberCounters.series} = ${series}), 0) = ${last}`),
      ...(input.existing ? [guard(db, sql`not exists ${input.existing(db)}`)] : []),
      bumpCounter(db, series),
      db.insert(orders).values(values),
      db.insert(orderLines).values(priced.lines.map((l, position) => ({ orderId: id, position, ...l }))),
      recordHistory(db, {
        orgId: org.id,
        actor,
        kind: 'order.placed',
        subject: { type: 'order', id },
        details: { number, total: formatMinor(priced.totals.grossMinor), currency: input.currency, payment: input.paymentMethod },
        at: now,
      }),
      ...mail,
    ]
    return { batch, after: () => ({ id, number, placed: true }) }
  })
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
