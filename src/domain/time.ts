// Calendar arithmetic in an org's time zone (SPEC §16: stored in UTC, days and months computed in
// the org's zone), with Intl only — no date library, and correct across DST changes.

// One formatter per zone and purpose: building an Intl.DateTimeFormat costs far more than using it.
const wallClocks = new Map<string, Intl.DateTimeFormat>()
const calendarDates = new Map<string, Intl.DateTimeFormat>()

function cached(map: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = map.get(timeZone)
  if (!format) map.set(timeZone, (format = make()))
  return format
}

/** Minutes the zone is ahead of UTC at a given instant (Warsaw in summer: 120). */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = cached(wallClocks, timeZone, () =>
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
  ).formatToParts(at)
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/** The instant at which a wall-clock time happens in a zone (a time skipped by DST moves forward). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  let guess = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000
  // One correction handles instants near a DST change, where the first guess used the other offset.
  guess = wall - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000
  return new Date(guess)
}

/** The local calendar date of an instant in a zone. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const [year, month, day] = cached(calendarDates, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }))
    .format(at)
    .split('-')
    .map(Number) as [number, number, number]
  return { year, month, day }
}

/** Midnight at the start of a local date ("2026-03-29") in a zone; null for a malformed date. */
export function startOfLocalDay(isoDate: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return zonedToUtc(year, month, day, 0, 0, timeZone)
}

/** Midnight at the start of the next local day. */
export function startOfNextLocalDay(isoDate: string, timeZone: string): Date | null {
  const start = startOfLocalDay(isoDate, timeZone)
  if (!start) return null
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const next = new Date(Date.UTC(y, m - 1, d + 1))
  return zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone)
}

/** The calendar month an instant falls in, in a zone: its first moment and the first moment of the next. */
export function localMonth(at: Date, timeZone: string): { start: Date; end: Date } {
  const { year, month } = localDate(at, timeZone)
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 }
  return { start: zonedToUtc(year, month, 1, 0, 0, timeZone), end: zonedToUtc(next.year, next.month, 1, 0, 0, timeZone) }
}

/**
 * The same local wall-clock time some calendar months later in a zone (a billing or grant period):
 * 31 January + 1 month is the last day of February; the time of day is kept across DST changes.
 */
export function addLocalMonths(at: Date, months: number, timeZone: string): Date {
  const wall = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000)
  const total = wall.getUTCFullYear() * 12 + wall.getUTCMonth() + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const day = Math.min(wall.getUTCDate(), lastDay)
  const minutes = zonedToUtc(year, month, day, wall.getUTCHours(), wall.getUTCMinutes(), timeZone)
  return new Date(minutes.getTime() + wall.getUTCSeconds() * 1000 + wall.getUTCMilliseconds())
}

/** The local wall-clock time of an instant as ISO "2026-12-07 01:48", which spreadsheets read as a date and time. */
export function localIsoMinute(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 16).replace('T', ' ')
}
