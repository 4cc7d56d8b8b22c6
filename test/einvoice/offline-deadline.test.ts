// KSeF's offline deadline (src/einvoice/ksef/offline.ts): an invoice not in KSeF yet must be by the
// end of the next working day in Poland — weekends, fixed holidays and the movable feasts skipped —
// or, issued during a failure the Ministry declared, of the 7th working day after it ended.
import { describe, expect, it } from 'vitest'
import { EMERGENCY_WORKING_DAYS, endOfWorkingDaysAfter, failureAt, offlineDeadline, polishHolidays, sendBy } from '../../src/einvoice/ksef/offline'

describe('the offline deadline', () => {
  it('is the end of the next working day in Poland', () => {
    // Tuesday 10:00 in Warsaw (CET) → the end of Wednesday.
    expect(offlineDeadline(new Date('2026-12-01T09:00:00Z')).toISOString()).toBe('2026-12-02T23:00:00.000Z')
    // 23:30 on Monday in Warsaw is 22:30 UTC: still Monday's invoice → the end of Tuesday.
    expect(offlineDeadline(new Date('2026-12-07T22:30:00Z')).toISOString()).toBe('2026-12-08T23:00:00.000Z')
    // Friday → the weekend is skipped → the end of Monday.
    expect(offlineDeadline(new Date('2026-12-04T10:00:00Z')).toISOString()).toBe('2026-12-07T23:00:00.000Z')
  })

  it('skips public holidays, the movable ones too, and counts in summer time', () => {
    // 23 December 2026: Christmas Eve (a holiday since 2025), Christmas, St Stephen's, a Sunday → Monday 28th.
    expect(offlineDeadline(new Date('2026-12-23T10:00:00Z')).toISOString()).toBe('2026-12-28T23:00:00.000Z')
    // Friday before Easter 2027 (28 March): Saturday, Sunday, Easter Monday → the end of Tuesday, in CEST.
    expect(offlineDeadline(new Date('2027-03-26T10:00:00Z')).toISOString()).toBe('2027-03-30T22:00:00.000Z')
    expect(polishHolidays(2027)).toEqual(new Set(['01-01', '01-06', '05-01', '05-03', '08-15', '11-01', '11-11', '12-24', '12-25', '12-26', '03-28', '03-29', '05-16', '05-27']))
  })
})

describe('the emergency mode’s deadline (a failure the Ministry declared)', () => {
  it('is the end of the 7th working day in Poland after the failure ended, holidays and weekends skipped', () => {
    // Ended Wednesday 23 December 2026: 24–27 (Christmas Eve, Christmas, St Stephen's on a Saturday, Sunday),
    // 28–31 are four, New Year and a weekend, 4–5 January two, Epiphany on the 6th, Thursday 7th the seventh.
    expect(endOfWorkingDaysAfter(new Date('2026-12-23T15:00:00Z'), EMERGENCY_WORKING_DAYS).toISOString()).toBe('2027-01-07T23:00:00.000Z')
    // Ended at 00:30 on Saturday in Warsaw (still Friday in UTC): counted from Saturday → Tuesday 15th.
    expect(endOfWorkingDaysAfter(new Date('2026-12-04T23:30:00Z'), EMERGENCY_WORKING_DAYS).toISOString()).toBe('2026-12-15T23:00:00.000Z')
    // One working day after is the offline deadline itself.
    expect(endOfWorkingDaysAfter(new Date('2026-12-04T10:00:00Z'), 1)).toEqual(offlineDeadline(new Date('2026-12-04T10:00:00Z')))
  })

  it('applies to invoices issued from the failure’s start until its end, and is open while it lasts', () => {
    const ended = { from: new Date('2026-12-21T08:00:00Z'), until: new Date('2026-12-23T15:00:00Z') }
    const ongoing = { from: new Date('2027-01-11T09:00:00Z'), until: null }
    const failures = [ended, ongoing]
    expect(sendBy(new Date('2026-12-21T08:00:00Z'), failures)).toEqual({ emergency: true, at: new Date('2027-01-07T23:00:00.000Z') })
    // Before the start and from the end on: the next working day, as any invoice not in KSeF yet.
    expect(sendBy(new Date('2026-12-21T07:59:59Z'), failures)).toEqual({ emergency: false, at: new Date('2026-12-22T23:00:00.000Z') })
    expect(sendBy(new Date('2026-12-23T15:00:00Z'), failures)).toEqual({ emergency: false, at: new Date('2026-12-28T23:00:00.000Z') })
    expect(sendBy(new Date('2027-02-01T10:00:00Z'), failures)).toEqual({ emergency: true, at: null })
    expect(failureAt(failures, new Date('2027-01-11T08:59:00Z'))).toBeNull()
  })
})
