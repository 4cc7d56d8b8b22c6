// The NBP's average exchange rates (table A) Kontor has fetched (docs/einvoices.md): a Polish
// seller's invoice in another currency states its VAT in złoty at the rate of the last working day
// before the invoice's date. A published rate never changes, so a row is written once and kept.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const exchangeRates = sqliteTable(
  'exchange_rates',
  {
    /** ISO 4217, upper case (EUR). */
    currency: text('currency').notNull(),
    /** The working day the rate was asked for, YYYY-MM-DD (the day before an invoice's date, or earlier). */
    day: text('day').notNull(),
    /** Złoty for one unit, as the NBP published it ("4.2175"): decimal text, never a float. */
    rate: text('rate').notNull(),
    /** The table's number ("236/A/NBP/2026"), printed on the invoice. */
    tableNo: text('table_no').notNull(),
    /** The table's date: `day`, unless the NBP published no table that day and an earlier one stands. */
    effectiveDate: text('effective_date').notNull(),
    fetchedAt: integer('fetched_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.currency, t.day] })],
)
