// The NBP rates Kontor keeps (exchange_rates): read with an invoice in the batch that reads it (no
// round trip of their own), written once when the einvoices job fetched one. A published rate never
// changes: a second writer of the same currency and day changes nothing (insert or ignore).
import { and, desc, eq, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client'
import { exchangeRates } from '../db/schema'
import type { NbpRate } from '../einvoice/nbp/rates'

const r = exchangeRates

/**
 * The rates of an order's currency for days up to its invoice's date, newest first: the one the
 * invoice needs is among them when it is known (its day is at most a week and a half before).
 * `currency` and `issuedAt` are SQL for the order's currency and the invoice's issue instant.
 */
export function ratesNear(db: Db, currency: SQL, issuedAt: SQL) {
  return db
    .select({ currency: r.currency, day: r.day, rate: r.rate, tableNo: r.tableNo, effectiveDate: r.effectiveDate })
    .from(r)
    .where(and(eq(r.currency, currency), lte(r.day, sql`strftime('%Y-%m-%d', ${issuedAt} / 1000, 'unixepoch', '+1 day')`)))
    .orderBy(desc(r.day))
    .limit(12)
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
