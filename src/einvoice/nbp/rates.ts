// VAT in złoty on a Polish seller's invoice in another currency (art. 106e ust. 11 and art. 31a of
// the VAT act): the VAT of each rate converted at the NBP's average rate (table A) of the last
// working day before the invoice's date, rounded to the grosz (half a grosz up). Pure: the rule,
// the day and the arithmetic; the rates come from src/services/exchange-rates.ts.
import { roundHalfUp } from '../../domain/money'
import type { VatTotals } from '../../domain/vat'
import { isWorkingDay } from '../ksef/offline'

/** A table A rate as the NBP published it, kept as text (src/db/schema/exchange-rates.ts). */
export type NbpRate = {
  currency: string
  /** The working day it was asked for. */
  day: string
  /** Złoty per unit, decimal text with at most 6 decimals ("4.2175"). */
  rate: string
  tableNo: string
  effectiveDate: string
}

/** The VAT of one rate in złoty: grosze, from the VAT in the invoice's currency. */
export type PlnVat = { ratePercent: number; vatMinor: number; plnMinor: number }

/** What an invoice needing złoty VAT says about it: the rate used and the VAT per rate, or the day whose rate is not known yet. */
export type PlnConversion = { status: 'converted'; rate: NbpRate; byRate: PlnVat[] } | { status: 'missing'; currency: string; day: string }

/** A rate the NBP can publish: digits, at most 6 decimals (FA(3)'s KursWaluty takes 6), not zero. */
export const RATE_PATTERN = /^(?:0|[1-9]\d{0,5})(?:\.\d{1,6})?$/

/** The invoice needs its VAT in złoty: a Polish seller, another currency, Polish VAT (not reverse charge, not the one-stop shop's foreign VAT). */
export function needsPlnVat(input: { sellerCountry: string; currency: string; polishVat: boolean }): boolean {
  return input.sellerCountry === 'PL' && input.currency.toUpperCase() !== 'PLN' && input.polishVat
}

const iso = (d: Date) => d.toISOString().slice(0, 10)

/** The last working day in Poland before a day (YYYY-MM-DD): a Monday's is the Friday before, a day after a holiday the day before it. */
export function previousWorkingDay(day: string): string {
  let d = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a day: ${day}`)
  do d = new Date(d.getTime() - 86_400_000)
  while (!isWorkingDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()))
  return iso(d)
}

/** The day whose rate converts an invoice issued on `issueDate` (its date of issue, which is also the date of sale and of the payment). */
export function rateDayFor(issueDate: string): string {
  return previousWorkingDay(issueDate)
}

/** Złoty per unit in millionths, read from the decimal text (no floating point). */
export function rateMillionths(rate: string): bigint {
  if (!RATE_PATTERN.test(rate)) throw new RangeError(`not an exchange rate: "${rate}"`)
  const [whole, fraction = ''] = rate.split('.')
  const value = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))
  if (value === 0n) throw new RangeError('an exchange rate of zero')
  return value
}

/** VAT in the currency × the rate, rounded to the grosz (below half a grosz down, from half up), per VAT rate. */
export function toPln(byRate: VatTotals['byRate'], rate: NbpRate): PlnVat[] {
  const millionths = rateMillionths(rate.rate)
  return byRate.map((r) => ({ ratePercent: r.ratePercent, vatMinor: r.vatMinor, plnMinor: roundHalfUp(BigInt(r.vatMinor) * millionths, 1_000_000n) }))
}

/** The conversion for an invoice that needs one, from the rates known for its currency (null when it needs none). */
export function plnConversion(need: boolean, currency: string, issueDate: string, totals: VatTotals, known: readonly NbpRate[]): PlnConversion | null {
  if (!need) return null
  const day = rateDayFor(issueDate)
  const rate = known.find((r) => r.currency === currency.toUpperCase() && r.day === day)
  return rate ? { status: 'converted', rate, byRate: toPln(totals.byRate, rate) } : { status: 'missing', currency: currency.toUpperCase(), day }
}

/** Thrown by the document builder for an invoice whose rate is not known yet: the einvoices job fetches it, others wait for it. */
export class MissingExchangeRate extends Error {
  constructor(
    readonly currency: string,
    readonly day: string,
  ) {
    super(`the NBP's ${currency} rate of ${day} is not known yet: the VAT in złoty can't be stated`)
    this.name = 'MissingExchangeRate'
  }
}
