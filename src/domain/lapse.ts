// The dates of a lapse under `read_only_then_delete` (SPEC §8): read-only from the end of the unpaid
// period, deleted the grace days later. Calendar days in the org's zone, so a DST change in between
// moves neither the day nor the time of day.
import { zoneOffsetMinutes, zonedToUtc } from './time'

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
