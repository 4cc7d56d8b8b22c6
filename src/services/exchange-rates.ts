// The NBP rates Kontor keeps (exchange_rates): read with an invoice in the batch that reads it (no
// round trip of their own), written once when the einvoices job fetched one. A published rate never
// changes: a second writer of the same currency and day changes nothing (insert or ignore).
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { exchangeRates, invoices, orders } from '../db/schema'
import type { NbpRate } from '../einvoice/nbp/rates'

const r = exchangeRates

/**
 * The rates of the order's currency from two weeks before its invoice's date to that date, as a
 * column of the caller's select of the order joined with its invoice (no statement of its own): the
 * one the invoice needs is among them when it is known. Read back with `ratesOf`.
 */
export function ratesColumn() {
  const day = (shift: string) => sql`strftime('%Y-%m-%d', ${invoices.issuedAt} / 1000, 'unixepoch', ${shift})`
  return sql<string | null>`(select json_group_array(json_array(x.currency, x.day, x.rate, x.table_no, x.effective_date)) from ${r} x
    where x.currency = ${orders.currency} and x.day between ${day('-14 days')} and ${day('+1 day')})`
}

export function ratesOf(column: string | null): NbpRate[] {
  const rows = JSON.parse(column ?? '[]') as [string, string, string, string, string][]
  return rows.map(([currency, day, rate, tableNo, effectiveDate]) => ({ currency, day, rate, tableNo, effectiveDate }))
}

export async function storeRate(db: Db, rate: NbpRate, now: Date): Promise<void> {
  await db
    .insert(r)
    .values({ currency: rate.currency, day: rate.day, rate: rate.rate, tableNo: rate.tableNo, effectiveDate: rate.effectiveDate, fetchedAt: now })
    .onConflictDoNothing()
}

export async function storedRate(db: Db, currency: string, day: string): Promise<NbpRate | null> {
  const row = await db.select().from(r).where(and(eq(r.currency, currency), eq(r.day, day))).get()
  return row ? { currency: row.currency, day: row.day, rate: row.rate, tableNo: row.tableNo, effectiveDate: row.effectiveDate } : null
}
