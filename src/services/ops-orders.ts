// Orders as operators see them (SPEC §7, §15): finding a bank transfer's order by its title (the
// order number) or by its amount as a person types it, and one order with everything about it.
import { and, desc, eq, or, type SQL } from 'drizzle-orm'
import { readTogether, type Db } from '../db/client'
import { invoices, orders, orgs, payments } from '../db/schema'
import { parseMoney } from '../domain/money'
import type { Order } from './orders'
import { orderLinesQuery } from './order-pages'

export const ORDER_STATUS_FILTERS = ['pending_payment', 'paid', 'cancelled', 'all'] as const
export type OrderStatusFilter = (typeof ORDER_STATUS_FILTERS)[number]

/** A search never lists more than this many orders. */
export const SEARCH_LIMIT = 100

/**
 * The order number a query means, if it looks like one: `KON/2026/11/000123` in any case, without
 * the `KON/` prefix, with spaces or dashes for slashes (as transfer titles arrive from banks).
 */
export function orderNumberQuery(q: string): string | null {
  const parts = q
    .trim()
    .toUpperCase()
    .replace(/^KON(?=[\s\-_./\\]|\d)/, '')
    .split(/[\s\-_./\\]+/)
    .filter(Boolean)
  const joined = parts.join('/')
  const m = /^(\d{4})\/(\d{1,2})\/(\d{1,6})$/.exec(joined) ?? /^(\d{4})(\d{2})(\d{6})$/.exec(joined)
  if (!m) return null
  return `KON/${m[1]}/${m[2]!.padStart(2, '0')}/${m[3]!.padStart(6, '0')}`
}

const CURRENCY_WORDS: [RegExp, 'PLN' | 'EUR'][] = [
  [/zł|zl|pln/giu, 'PLN'],
  [/€|eur(?:o|os)?/giu, 'EUR'],
]

/**
 * The amount a query means, as a person types it: `356,70`, `356.70`, `356.70 zł`, `1 234,56`,
 * `1.234,56`, `€59`. A currency named in it narrows the search to that currency.
 */
export function amountQuery(q: string): { minor: number; currency: 'PLN' | 'EUR' | null } | null {
  let text = q.trim()
  let currency: 'PLN' | 'EUR' | null = null
  for (const [pattern, code] of CURRENCY_WORDS) {
    if (text.search(pattern) >= 0) {
      if (currency && currency !== code) return null
      currency = code
      text = text.replace(pattern, ' ')
    }
  }
  text = text.replace(/[\s\u00a0\u202f']/g, '')
  // With both separators, or one repeated, all but a last decimal one group thousands.
  const separators = text.match(/[.,]/g) ?? []
  if (separators.length > 1) {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','))
    const decimal = /^[.,]\d{1,2}$/.test(text.slice(last)) && new Set(separators).size > 1
    text = decimal ? text.slice(0, last).replace(/[.,]/g, '') + text.slice(last) : text.replace(/[.,]/g, '')
  } else if (/^\d{1,3}[.,]\d{3}$/.test(text)) {
    // "1.234" is a thousand and more, not an amount with three decimals.
    text = text.replace(/[.,]/, '')
  }
  const parsed = parseMoney(text)
  return parsed.ok ? { minor: parsed.minor, currency } : null
}

export type OrderRow = { order: Order; orgId: string; orgName: string }

/**
 * Orders matching the query by number (the unique index) or by gross amount (orders_gross), with
 * the status asked for; without a query, the latest orders of that status (orders_status_created).
 * Newest first, at most SEARCH_LIMIT. A query that is neither finds nothing.
 */
export async function searchOrders(db: Db, { q, status }: { q: string; status: OrderStatusFilter }): Promise<OrderRow[]> {
  const conditions: (SQL | undefined)[] = [status === 'all' ? undefined : eq(orders.status, status)]
  if (q.trim()) {
    const number = orderNumberQuery(q)
    const amount = amountQuery(q)
    if (!number && !amount) return []
    conditions.push(
      or(
        number ? eq(orders.number, number) : undefined,
        amount ? and(eq(orders.grossMinor, amount.minor), amount.currency ? eq(orders.currency, amount.currency) : undefined) : undefined,
      ),
    )
  }
  return db
    .select({ order: orders, orgId: orgs.id, orgName: orgs.name })
    .from(orders)
    .innerJoin(orgs, eq(orgs.id, orders.orgId))
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.number))
    .limit(SEARCH_LIMIT)
}

/** One order of any org with its org, lines, payment attempts (newest first) and invoice, in one batch; undefined if there is none. */
export async function orderForOps(db: Db, orderId: string) {
  const read = await readTogether(db, {
    order: db
      .select({ order: orders, org: { id: orgs.id, name: orgs.name }, invoice: { id: invoices.id, number: invoices.number } })
      .from(orders)
      .innerJoin(orgs, eq(orgs.id, orders.orgId))
      .leftJoin(invoices, eq(invoices.orderId, orders.id))
      .where(eq(orders.id, orderId))
      .limit(1),
    lines: orderLinesQuery(db, orderId),
    payments: db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(desc(payments.createdAt), desc(payments.id)),
  })
  const row = read.order[0]
  if (!row) return undefined
  return { ...row, lines: read.lines.map((r) => r.line), payments: read.payments }
}

/** The number of the order's invoice, once it is paid. */
export async function invoiceNumberOf(db: Db, orderId: string): Promise<string | null> {
  const row = await db.select({ number: invoices.number }).from(invoices).where(eq(invoices.orderId, orderId)).get()
  return row?.number ?? null
}

export type OpsOrder = NonNullable<Awaited<ReturnType<typeof orderForOps>>>

/** Payment attempts that took money after the order was already paid: each one is owed back. */
export function paidTwice(attempts: OpsOrder['payments']) {
  return attempts.filter((p) => p.status === 'succeeded' && p.error === 'order_not_pending')
}
