// KSeF's offline rules (einvoice/pl/NOTES-ksef.md §8, "tryby offline"): an invoice issued while KSeF
// could not be reached still has to reach it — in the offline24 mode, and at the latest in the
// "KSeF unavailable" mode, by the end of the next working day. Kontor holds every unsent invoice to
// the stricter of the two, counted from its issue day in Poland: what operators see as "send by".
// An invoice issued during a failure the Ministry declared (emergency mode, "tryb awaryjny", which
// operators record on /ops/einvoices) has until the end of the 7th working day after the failure ends.
import { localDate, zonedToUtc } from '../../domain/time'

const POLAND = 'Europe/Warsaw'

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus), as month and day. */
function easter(year: number): { month: number; day: number } {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return { month, day }
}

/** Poland's public holidays (ustawa o dniach wolnych od pracy, with Christmas Eve from 2025), as "MM-DD". */
export function polishHolidays(year: number): Set<string> {
  const key = (d: Date) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`
  const e = easter(year)
  const sunday = Date.UTC(year, e.month - 1, e.day)
  const after = (days: number) => key(new Date(sunday + days * 86_400_000))
  const fixed = ['01-01', '01-06', '05-01', '05-03', '08-15', '11-01', '11-11', '12-25', '12-26', ...(year >= 2025 ? ['12-24'] : [])]
  // Easter Sunday, Easter Monday, Pentecost (a Sunday), Corpus Christi.
  return new Set([...fixed, after(0), after(1), after(49), after(60)])
}

/** Whether a day is a working day in Poland: not a weekend, not a public holiday (also the NBP's calendar, src/einvoice/nbp/rates.ts). */
export function isWorkingDay(year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  if (weekday === 0 || weekday === 6) return false
  return !polishHolidays(year).has(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`)
}

/** The end, in Poland, of the `count`-th working day after the Polish day `at` falls on. */
export function endOfWorkingDaysAfter(at: Date, count: number): Date {
  const { year, month, day } = localDate(at, POLAND)
  let d = new Date(Date.UTC(year, month - 1, day))
  for (let found = 0; found < count; ) {
    d = new Date(d.getTime() + 86_400_000)
    if (isWorkingDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) found++
  }
  // The end of that day is the start of the next one.
  const next = new Date(d.getTime() + 86_400_000)
  return zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, POLAND)
}

/** The moment an invoice issued at `issuedAt` must be in KSeF by: the end of the next working day in Poland. */
export function offlineDeadline(issuedAt: Date): Date {
  return endOfWorkingDaysAfter(issuedAt, 1)
}

/** Working days after a declared failure's end that its invoices have to reach KSeF (emergency mode). */
export const EMERGENCY_WORKING_DAYS = 7

/** A KSeF failure the Ministry declared, as an operator recorded it; `until` null while it lasts. */
export type DeclaredFailure = { from: Date; until: Date | null }

/** The declared failure an invoice issued at `issuedAt` was issued during (from inclusive, until exclusive), if any. */
export function failureAt<F extends DeclaredFailure>(failures: readonly F[], issuedAt: Date): F | null {
  return failures.find((f) => f.from <= issuedAt && (f.until === null || issuedAt < f.until)) ?? null
}

/**
 * When an invoice not in KSeF yet must be there: 7 working days after the end of the declared failure
 * it was issued during (`open` while that failure lasts), else the end of the next working day.
 */
export function sendBy(issuedAt: Date, failures: readonly DeclaredFailure[]): { emergency: boolean; at: Date | null } {
  const failure = failureAt(failures, issuedAt)
  if (!failure) return { emergency: false, at: offlineDeadline(issuedAt) }
  return { emergency: true, at: failure.until && endOfWorkingDaysAfter(failure.until, EMERGENCY_WORKING_DAYS) }
}
