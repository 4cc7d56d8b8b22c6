// The dates of a lapse (SPEC §8): under `read_only_then_delete` read-only from the end of the unpaid
// period, deleted the grace days later; a free plan's validity after the last sign-in and its
// warnings. Calendar days in the org's zone, so a DST change in between moves neither the day nor
// the time of day.
import { addLocalMonths, localDate, zoneOffsetMinutes, zonedToUtc } from './time'

const DAY_MS = 86_400_000

/** The same local wall-clock time some calendar days later in a zone. */
export function addLocalDays(at: Date, days: number, timeZone: string): Date {
  const wall = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000)
  const day = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + days))
  const minutes = zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), timeZone)
  return new Date(minutes.getTime() + wall.getUTCSeconds() * 1000 + wall.getUTCMilliseconds())
}

/** When a read-only org's data is deleted: the lapse (the unpaid period's end) plus the product's grace days. */
export function deletionDate(lapsedAt: Date, graceDays: number, timeZone: string): Date {
  return addLocalDays(lapsedAt, graceDays, timeZone)
}

// A free plan (SPEC §8) has no paid period: it is valid 12 months from the last sign-in of any member
// (or from its activation, if nobody has signed in since), so every sign-in moves its end.

/** How long a free plan stays valid after the last sign-in. */
export const FREE_VALID_MONTHS = 12
/** Warnings to the administrators, in days before a free plan lapses; the nearest last. */
export const FREE_WARNING_DAYS = [30, 7] as const
export type FreeWarning = (typeof FREE_WARNING_DAYS)[number]

/** When a free plan lapses: 12 months after the later of the last sign-in and the plan's start, same local time. */
export function freeValidUntil(lastLoginAt: Date | null, periodStart: Date, timeZone: string): Date {
  const from = lastLoginAt && lastLoginAt.getTime() > periodStart.getTime() ? lastLoginAt : periodStart
  return addLocalMonths(from, FREE_VALID_MONTHS, timeZone)
}

/**
 * When a notice `days` before a date is due: at the start of that calendar day in the org's zone,
 * so "30 days before" is a date whatever time of day the daily run happens at.
 */
export function warningDueAt(date: Date, days: number, timeZone: string): Date {
  const { year, month, day } = localDate(addLocalDays(date, -days, timeZone), timeZone)
  return zonedToUtc(year, month, day, 0, 0, timeZone)
}

/**
 * Of notices some days before `date` (farthest first), the one a run at `now` owes: the nearest one
 * due. A late run sends that one and not an earlier one it missed (it would only say the same with a
 * wrong count of days). Null before the first is due and from the date on.
 */
export function nearestDue<D extends number>(date: Date, daysBefore: readonly D[], now: Date, timeZone: string): D | null {
  if (now.getTime() >= date.getTime()) return null
  return daysBefore.filter((days) => now.getTime() >= warningDueAt(date, days, timeZone).getTime()).at(-1) ?? null
}

/** The warning a run at `now` owes before a free plan lapses at `validUntil`. */
export function freeWarningDue(validUntil: Date, now: Date, timeZone: string): FreeWarning | null {
  return nearestDue(validUntil, FREE_WARNING_DAYS, now, timeZone)
}

/**
 * A coarse bound for the database: a free plan whose last sign-in (or start) is after this moment
 * owes neither a warning nor a lapse at `now`. Twelve months are at least 365 days and the first
 * warning comes 30 days (plus the rest of its day and a DST hour) before, so 333 days back is safe;
 * freeWarningDue and freeValidUntil decide exactly.
 */
export function freeScanBound(now: Date): Date {
  return new Date(now.getTime() - 333 * DAY_MS)
}
