// KSeF's offline deadline (src/einvoice/ksef/offline.ts): an invoice not in KSeF yet must be by the
// end of the next working day in Poland — weekends, fixed holidays and the movable feasts skipped.
import { describe, expect, it } from 'vitest'
import { offlineDeadline, polishHolidays } from '../../src/einvoice/ksef/offline'

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
