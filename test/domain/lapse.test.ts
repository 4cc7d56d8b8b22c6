import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { deletionDate, freeScanBound, freeValidUntil, freeWarningDue, warningDueAt } from '../../src/domain/lapse'

const WARSAW = 'Europe/Warsaw'
const d = (iso: string) => new Date(iso)

describe('the deletion date of a read-only org', () => {
  it('is the grace days later at the same local time, across a DST change', () => {
    // 20 March 2027 11:00 in Warsaw (winter, UTC+1) → 19 April 2027 11:00 (summer, UTC+2).
    expect(deletionDate(d('2027-03-20T10:00:00Z'), 30, WARSAW).toISOString()).toBe('2027-04-19T09:00:00.000Z')
    expect(deletionDate(d('2027-11-20T10:00:00Z'), 30, WARSAW).toISOString()).toBe('2027-12-20T10:00:00.000Z')
  })
})

describe('how long a free plan is valid', () => {
  it('runs 12 months from the last sign-in of any member', () => {
    expect(freeValidUntil(d('2027-05-10T08:00:00Z'), d('2026-11-20T10:00:00Z'), WARSAW).toISOString()).toBe('2028-05-10T08:00:00.000Z')
  })

  it('runs from the plan’s start when nobody has signed in since it was activated (or ever)', () => {
    expect(freeValidUntil(d('2026-01-01T08:00:00Z'), d('2026-11-20T10:00:00Z'), WARSAW).toISOString()).toBe('2027-11-20T10:00:00.000Z')
    expect(freeValidUntil(null, d('2026-11-20T10:00:00Z'), WARSAW).toISOString()).toBe('2027-11-20T10:00:00.000Z')
  })

  it('keeps the local time across DST and ends a 29 February sign-in on 28 February', () => {
    // 1 July 2026 10:00 summer time in Warsaw is still 10:00 local a year later.
    expect(freeValidUntil(d('2026-07-01T08:00:00Z'), d('2026-01-01T00:00:00Z'), WARSAW).toISOString()).toBe('2027-07-01T08:00:00.000Z')
    expect(freeValidUntil(d('2028-02-29T11:00:00Z'), d('2026-01-01T00:00:00Z'), WARSAW).toISOString()).toBe('2029-02-28T11:00:00.000Z')
  })
})

describe('the warnings before a free plan lapses', () => {
  const until = d('2027-11-20T10:00:00Z') // 11:00 in Warsaw

  it('are due at the start of the local day 30 and 7 days before, whatever time the run comes', () => {
    expect(warningDueAt(until, 30, WARSAW).toISOString()).toBe('2027-10-20T22:00:00.000Z') // 21 October 00:00, summer time
    expect(warningDueAt(until, 7, WARSAW).toISOString()).toBe('2027-11-12T23:00:00.000Z')
  })

  it('a run owes the nearest warning due: none before, 30 until the 7-day one, then 7, and none from the lapse on', () => {
    const cases: [string, number | null][] = [
      ['2027-10-20T21:59:59Z', null],
      ['2027-10-20T22:00:00Z', 30],
      ['2027-11-12T22:59:59Z', 30],
      ['2027-11-12T23:00:00Z', 7],
      ['2027-11-20T09:59:59Z', 7],
      ['2027-11-20T10:00:00Z', null],
    ]
    for (const [now, due] of cases) expect(freeWarningDue(until, d(now), WARSAW), now).toBe(due)
  })

  it('a late run that missed the 30-day warning sends only the 7-day one', () => {
    expect(freeWarningDue(until, d('2027-11-15T10:00:00Z'), WARSAW)).toBe(7)
  })
})

describe('the database bound of the free-plan scan', () => {
  it('never leaves out a free plan that owes a warning or its lapse (any zone, any sign-in)', () => {
    const zones = ['Europe/Warsaw', 'Europe/Rome', 'America/New_York', 'Pacific/Auckland', 'UTC', 'Asia/Kolkata']
    fc.assert(
      fc.property(
        fc.date({ min: d('2024-01-01T00:00:00Z'), max: d('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        // From two days before the first warning is due to a year after it.
        fc.integer({ min: -48, max: 365 * 24 }),
        fc.constantFrom(...zones),
        (login, hoursLater, zone) => {
          const until = freeValidUntil(login, login, zone)
          const now = new Date(warningDueAt(until, 30, zone).getTime() + hoursLater * 3_600_000)
          const owes = freeWarningDue(until, now, zone) !== null || now.getTime() >= until.getTime()
          return !owes || login.getTime() <= freeScanBound(now).getTime()
        },
      ),
      { numRuns: 2000 },
    )
  })
})
