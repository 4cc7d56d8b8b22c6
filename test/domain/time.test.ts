import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addLocalMonths, localDate, localMonth, startOfLocalDay, startOfNextLocalDay, zonedToUtc } from '../../src/domain/time'

describe('calendar days and months in an org’s time zone', () => {
  it('the last day of the month at 23:30 in Warsaw is still that month, though UTC says so too only in winter', () => {
    const winter = zonedToUtc(2026, 11, 30, 23, 30, 'Europe/Warsaw')
    expect(winter.toISOString()).toBe('2026-11-30T22:30:00.000Z')
    expect(localMonth(winter, 'Europe/Warsaw')).toEqual({
      start: new Date('2026-10-31T23:00:00.000Z'),
      end: new Date('2026-11-30T23:00:00.000Z'),
    })
    // 00:30 on 1 December in Rome is still 30 November in UTC, but already December for the org.
    const december = zonedToUtc(2026, 12, 1, 0, 30, 'Europe/Rome')
    expect(december.toISOString()).toBe('2026-11-30T23:30:00.000Z')
    expect(localDate(december, 'Europe/Rome')).toEqual({ year: 2026, month: 12, day: 1 })
    expect(localMonth(december, 'Europe/Rome').start.toISOString()).toBe('2026-11-30T23:00:00.000Z')
  })

  it('handles the spring DST change: 29 March 2026 has 23 hours in Warsaw', () => {
    const start = startOfLocalDay('2026-03-29', 'Europe/Warsaw')!
    const end = startOfNextLocalDay('2026-03-29', 'Europe/Warsaw')!
    expect(start.toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(end.toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23)
  })

  it('handles the autumn DST change: 25 October 2026 has 25 hours in Rome', () => {
    const start = startOfLocalDay('2026-10-25', 'Europe/Rome')!
    const end = startOfNextLocalDay('2026-10-25', 'Europe/Rome')!
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(25)
  })

  it('a month that starts in summer time and ends in winter time', () => {
    const oct = localMonth(new Date('2026-10-15T12:00:00Z'), 'Europe/Warsaw')
    expect(oct.start.toISOString()).toBe('2026-09-30T22:00:00.000Z')
    expect(oct.end.toISOString()).toBe('2026-10-31T23:00:00.000Z')
  })

  it('refuses malformed and impossible dates', () => {
    expect(startOfLocalDay('2026-02-30', 'Europe/Warsaw')).toBeNull()
    expect(startOfLocalDay('2026-2-3', 'Europe/Warsaw')).toBeNull()
    expect(startOfLocalDay('yesterday', 'Europe/Warsaw')).toBeNull()
  })

  it('every instant lies inside the local month computed for it, in any of the zones we serve', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom('Europe/Warsaw', 'Europe/Rome', 'Europe/Lisbon', 'Europe/Helsinki', 'Asia/Nicosia'),
        (ms, zone) => {
          const at = new Date(ms)
          const { start, end } = localMonth(at, zone)
          const startDay = localDate(start, zone)
          return start <= at && at < end && startDay.day === 1 && localDate(new Date(end.getTime() - 1), zone).month === localDate(at, zone).month
        },
      ),
    )
  })
})

describe('periods of whole calendar months', () => {
  it('keeps the local time of day across a DST change (Warsaw, 14:00 in winter → 14:00 in summer)', () => {
    const start = zonedToUtc(2026, 1, 15, 14, 0, 'Europe/Warsaw')
    expect(addLocalMonths(start, 6, 'Europe/Warsaw').toISOString()).toBe('2026-07-15T12:00:00.000Z')
  })

  it('31 January plus one month is the last day of February, in leap and common years', () => {
    expect(addLocalMonths(zonedToUtc(2027, 1, 31, 9, 30, 'Europe/Rome'), 1, 'Europe/Rome')).toEqual(zonedToUtc(2027, 2, 28, 9, 30, 'Europe/Rome'))
    expect(addLocalMonths(zonedToUtc(2028, 1, 31, 9, 30, 'Europe/Rome'), 1, 'Europe/Rome')).toEqual(zonedToUtc(2028, 2, 29, 9, 30, 'Europe/Rome'))
  })

  it('twelve months cross the year and keep seconds', () => {
    const at = new Date('2026-11-23T13:05:07.250Z')
    expect(addLocalMonths(at, 12, 'Europe/Warsaw').toISOString()).toBe('2027-11-23T13:05:07.250Z')
  })

  it('always lands later, on the same or an earlier day of the month it aims for', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 60 }), (at, months) => {
        const end = addLocalMonths(at, months, 'Europe/Warsaw')
        const a = localDate(at, 'Europe/Warsaw')
        const b = localDate(end, 'Europe/Warsaw')
        return end > at && (b.year * 12 + b.month) - (a.year * 12 + a.month) === months && b.day <= a.day
      }),
    )
  })
})
