// The manual renewal and unpaid-order rules (src/domain/lifecycle.ts): calendar days in the org's
// zone, the most recent reminder due, nothing from the period end on, 14 full days to pay a transfer.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  dueReminder,
  manualRenewalWindow,
  reminderDueAt,
  renewalOrderDue,
  unpaidOrderCancelAt,
  unpaidOrderCutoff,
  unpaidOrderExpired,
} from '../../src/domain/lifecycle'

const WARSAW = 'Europe/Warsaw'
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** 20 November 2027, 11:00 in Warsaw. */
const END = new Date('2027-11-20T10:00:00Z')

describe('manual renewal reminders', () => {
  it('are due from the start of the calendar day 14, 7 and 1 days before the period end, in the org’s zone', () => {
    expect(reminderDueAt(END, 14, WARSAW).toISOString()).toBe('2027-11-05T23:00:00.000Z') // 6 November, 00:00 in Warsaw
    expect(reminderDueAt(END, 7, WARSAW).toISOString()).toBe('2027-11-12T23:00:00.000Z')
    expect(reminderDueAt(END, 1, WARSAW).toISOString()).toBe('2027-11-18T23:00:00.000Z')
    // The same instant is already 6 November in Tokyo, so the day starts earlier there.
    expect(reminderDueAt(END, 14, 'Asia/Tokyo').toISOString()).toBe('2027-11-05T15:00:00.000Z')
  })

  it('a run on the day 14 days before owes the first reminder whatever its time of day, and none the day before', () => {
    expect(dueReminder(END, new Date('2027-11-05T22:59:59Z'), WARSAW)).toBeNull()
    expect(dueReminder(END, new Date('2027-11-05T23:00:00Z'), WARSAW)).toBe(14)
    expect(dueReminder(END, new Date('2027-11-06T22:00:00Z'), WARSAW)).toBe(14)
    expect(renewalOrderDue(END, new Date('2027-11-05T22:59:59Z'), WARSAW)).toBe(false)
    expect(renewalOrderDue(END, new Date('2027-11-06T03:00:00Z'), WARSAW)).toBe(true)
  })

  it('a late run owes only the most recent reminder due, not the ones it missed', () => {
    expect(dueReminder(END, new Date(END.getTime() - 10 * DAY), WARSAW)).toBe(14)
    expect(dueReminder(END, new Date(END.getTime() - 5 * DAY), WARSAW)).toBe(7)
    expect(dueReminder(END, new Date(END.getTime() - 2 * HOUR), WARSAW)).toBe(1)
  })

  it('nothing is due from the period end on: the unpaid period is the lapse step’s business', () => {
    expect(dueReminder(END, END, WARSAW)).toBeNull()
    expect(renewalOrderDue(END, new Date(END.getTime() + DAY), WARSAW)).toBe(false)
  })

  it('keeps the calendar day across the DST change: a period ending 1 April is reminded from 18 March, 00:00 in winter time', () => {
    const end = new Date('2027-04-01T08:00:00Z') // 10:00 in Warsaw, summer time
    expect(reminderDueAt(end, 14, WARSAW).toISOString()).toBe('2027-03-17T23:00:00.000Z')
    expect(reminderDueAt(end, 1, WARSAW).toISOString()).toBe('2027-03-30T22:00:00.000Z')
  })

  it('the job’s window holds every period end that owes a reminder (property)', () => {
    const zones = fc.constantFrom('Europe/Warsaw', 'Europe/Rome', 'UTC', 'Asia/Tokyo', 'America/New_York', 'Pacific/Kiritimati')
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 20 * DAY }), zones, (now, ahead, zone) => {
        const end = new Date(now.getTime() + ahead)
        const { from, to } = manualRenewalWindow(now)
        if (dueReminder(end, now, zone) !== null) expect(end > from && end <= to).toBe(true)
      }),
    )
  })

  it('the reminder owed never goes back to an earlier one as time passes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -16 * DAY, max: 0 }), fc.integer({ min: 0, max: 16 * DAY }), (a, b) => {
        const early = dueReminder(END, new Date(END.getTime() + a), WARSAW)
        const later = dueReminder(END, new Date(END.getTime() + Math.min(a + b, -1)), WARSAW)
        if (early !== null) expect(later).not.toBeNull()
        if (early !== null && later !== null) expect(later).toBeLessThanOrEqual(early)
      }),
    )
  })
})

describe('unpaid transfer orders', () => {
  const placed = new Date('2026-11-20T10:00:00Z')

  it('are cancelled at the same local time 14 calendar days after they were placed: 14 full days to pay', () => {
    expect(unpaidOrderCancelAt(placed, WARSAW).toISOString()).toBe('2026-12-04T10:00:00.000Z')
    expect(unpaidOrderExpired(placed, new Date(placed.getTime() + 13 * DAY), WARSAW)).toBe(false)
    expect(unpaidOrderExpired(placed, new Date(placed.getTime() + 14 * DAY - 1), WARSAW)).toBe(false)
    expect(unpaidOrderExpired(placed, new Date(placed.getTime() + 14 * DAY), WARSAW)).toBe(true)
  })

  it('count 14 calendar days across the DST change (an hour fewer in March)', () => {
    const march = new Date('2027-03-20T10:00:00Z') // 11:00 in Warsaw, winter time
    expect(unpaidOrderCancelAt(march, WARSAW).toISOString()).toBe('2027-04-03T09:00:00.000Z') // 11:00, summer time
  })

  it('the job’s cutoff includes every order due for cancellation (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 30 * DAY }), (now, age) => {
        const at = new Date(now.getTime() - age)
        if (unpaidOrderExpired(at, now, WARSAW)) expect(at <= unpaidOrderCutoff(now)).toBe(true)
      }),
    )
  })
})
