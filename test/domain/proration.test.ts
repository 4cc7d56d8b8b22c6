import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { periodDays, pricingMoment, prorate, prorateAddon, remainingDays } from '../../src/domain/proration'
import { addLocalMonths, startOfLocalDay, zonedToUtc } from '../../src/domain/time'

const WAW = 'Europe/Warsaw'
const ROME = 'Europe/Rome'

describe('upgrades mid-period, hand-computed (SPEC §8)', () => {
  it('yearly 290 → 590 PLN with 73 of 365 days left costs 60.00 net', () => {
    const periodStart = zonedToUtc(2026, 11, 23, 14, 5, WAW)
    const periodEnd = addLocalMonths(periodStart, 12, WAW)
    // 11 Sep → 11 Oct 30 days, → 11 Nov 31, → 23 Nov 12: 73 days, today included.
    const now = zonedToUtc(2027, 9, 11, 8, 0, WAW)
    expect(prorate({ oldNetMinor: 29000, newNetMinor: 59000, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 6000, remainingDays: 73, periodDays: 365,
    })
  })

  it('a monthly period across February 2028 (a leap year) has 29 days', () => {
    const periodStart = zonedToUtc(2028, 2, 15, 10, 0, ROME)
    const periodEnd = addLocalMonths(periodStart, 1, ROME)
    // 28 Feb 23:30: 28 Feb, 29 Feb and 1–14 March remain = 16 days; 50.00 × 16 / 29 = 27.586… → 27.59.
    const now = zonedToUtc(2028, 2, 28, 23, 30, ROME)
    expect(prorate({ oldNetMinor: 4900, newNetMinor: 9900, now, periodStart, periodEnd, timeZone: ROME })).toEqual({
      ok: true, chargeMinor: 2759, remainingDays: 16, periodDays: 29,
    })
  })

  it('on the last day of the period one day remains, up to its last minute', () => {
    const periodStart = startOfLocalDay('2026-04-01', WAW)!
    const periodEnd = startOfLocalDay('2026-05-01', WAW)!
    const now = new Date(periodEnd.getTime() - 60_000)
    // 30.00 × 1 / 30 = 1.00
    expect(prorate({ oldNetMinor: 1000, newNetMinor: 4000, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 100, remainingDays: 1, periodDays: 30,
    })
  })

  it('on the date the period ends, before its hour, nothing remains and nothing is charged', () => {
    const periodStart = zonedToUtc(2026, 4, 10, 15, 0, WAW)
    const periodEnd = zonedToUtc(2026, 5, 10, 15, 0, WAW)
    const now = zonedToUtc(2026, 5, 10, 9, 0, WAW)
    expect(prorate({ oldNetMinor: 1000, newNetMinor: 4000, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 0, remainingDays: 0, periodDays: 30,
    })
  })

  it('at the very start of the period the whole difference is due', () => {
    const periodStart = zonedToUtc(2026, 4, 10, 15, 0, WAW)
    const periodEnd = addLocalMonths(periodStart, 1, WAW)
    expect(prorate({ oldNetMinor: 1000, newNetMinor: 4000, now: periodStart, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 3000, remainingDays: 30, periodDays: 30,
    })
  })

  it('counts calendar days across the spring DST change, not 24-hour blocks (Warsaw, 29 March 2026)', () => {
    const periodStart = startOfLocalDay('2026-03-01', WAW)!
    const periodEnd = startOfLocalDay('2026-04-01', WAW)!
    expect((periodEnd.getTime() - periodStart.getTime()) / 3_600_000).toBe(31 * 24 - 1)
    // From the start of 29 March 71 hours remain (floor of 71/24 would say 2): 29, 30, 31 March.
    const now = startOfLocalDay('2026-03-29', WAW)!
    // 100.00 × 3 / 31 = 9.677… → 9.68
    expect(prorate({ oldNetMinor: 9900, newNetMinor: 19900, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 968, remainingDays: 3, periodDays: 31,
    })
  })

  it('counts calendar days across the autumn DST change, not 24-hour blocks (Warsaw, 25 October 2026)', () => {
    const periodStart = startOfLocalDay('2026-10-01', WAW)!
    const periodEnd = startOfLocalDay('2026-11-01', WAW)!
    expect((periodEnd.getTime() - periodStart.getTime()) / 3_600_000).toBe(31 * 24 + 1)
    // From the start of 25 October 169 hours remain (a ceiling of 169/24 would say 8): 25–31 October.
    const now = startOfLocalDay('2026-10-25', WAW)!
    expect(remainingDays(now, periodStart, periodEnd, WAW)).toBe(7)
    // 100.00 × 7 / 31 = 22.580… → 22.58
    expect(prorate({ oldNetMinor: 9900, newNetMinor: 19900, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 2258, remainingDays: 7, periodDays: 31,
    })
  })

  it('uses the org’s zone: 23:30 in Warsaw on 31 March is already 1 April in Helsinki', () => {
    const periodStart = startOfLocalDay('2026-03-01', WAW)!
    const periodEnd = addLocalMonths(periodStart, 2, WAW)
    const now = zonedToUtc(2026, 3, 31, 23, 30, WAW)
    expect(remainingDays(now, periodStart, periodEnd, WAW)).toBe(31)
    expect(remainingDays(now, periodStart, periodEnd, 'Europe/Helsinki')).toBe(30)
  })

  it('rounds a half cent up: 0.15 for 1 of 30 days is 0.005 → 0.01', () => {
    const periodStart = startOfLocalDay('2026-04-01', WAW)!
    const periodEnd = startOfLocalDay('2026-05-01', WAW)!
    const now = zonedToUtc(2026, 4, 30, 12, 0, WAW)
    const r = prorate({ oldNetMinor: 100, newNetMinor: 115, now, periodStart, periodEnd, timeZone: WAW })
    expect(r).toEqual({ ok: true, chargeMinor: 1, remainingDays: 1, periodDays: 30 })
  })

  it('refuses a cheaper or equally priced plan, and a moment outside the period', () => {
    const periodStart = startOfLocalDay('2026-04-01', WAW)!
    const periodEnd = startOfLocalDay('2026-05-01', WAW)!
    const now = zonedToUtc(2026, 4, 15, 12, 0, WAW)
    const base = { periodStart, periodEnd, timeZone: WAW }
    expect(prorate({ ...base, now, oldNetMinor: 4000, newNetMinor: 1000 })).toEqual({ ok: false, error: 'not_an_upgrade' })
    expect(prorate({ ...base, now, oldNetMinor: 4000, newNetMinor: 4000 })).toEqual({ ok: false, error: 'not_an_upgrade' })
    expect(prorate({ ...base, now: new Date(periodStart.getTime() - 1), oldNetMinor: 1000, newNetMinor: 4000 })).toEqual({ ok: false, error: 'outside_period' })
    expect(prorate({ ...base, now: periodEnd, oldNetMinor: 1000, newNetMinor: 4000 })).toEqual({ ok: false, error: 'outside_period' })
  })

  it('treats fractional or negative prices and a period shorter than a day as bugs', () => {
    const periodStart = startOfLocalDay('2026-04-01', WAW)!
    const periodEnd = startOfLocalDay('2026-05-01', WAW)!
    const base = { now: periodStart, periodStart, periodEnd, timeZone: WAW }
    expect(() => prorate({ ...base, oldNetMinor: 10.5, newNetMinor: 20 })).toThrow(RangeError)
    expect(() => prorate({ ...base, oldNetMinor: -1, newNetMinor: 20 })).toThrow(RangeError)
    expect(() => periodDays(periodStart, new Date(periodStart.getTime() + 3_600_000), WAW)).toThrow(RangeError)
  })
})

describe('add-on packs bought mid-period', () => {
  const periodStart = zonedToUtc(2026, 11, 23, 14, 5, WAW)
  const periodEnd = addLocalMonths(periodStart, 12, WAW)
  const now = zonedToUtc(2027, 9, 11, 8, 0, WAW)

  it('cost the packs’ price for the days left: 3 × 100.00 with 73 of 365 days = 60.00', () => {
    expect(prorateAddon({ packNetMinor: 10000, packs: 3, now, periodStart, periodEnd, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 6000, remainingDays: 73, periodDays: 365,
    })
  })

  it('are rounded once for the purchase, not per pack: 3 × 0.15 for 1 of 30 days is 0.02, not 0.03', () => {
    const start = startOfLocalDay('2026-04-01', WAW)!
    const end = startOfLocalDay('2026-05-01', WAW)!
    const lastDay = zonedToUtc(2026, 4, 30, 12, 0, WAW)
    // 45 × 1 / 30 = 1.5 → 2; per pack it would be 3 × round(0.5) = 3.
    expect(prorateAddon({ packNetMinor: 15, packs: 3, now: lastDay, periodStart: start, periodEnd: end, timeZone: WAW })).toEqual({
      ok: true, chargeMinor: 2, remainingDays: 1, periodDays: 30,
    })
  })

  it('need at least one pack and a moment inside the period', () => {
    expect(prorateAddon({ packNetMinor: 10000, packs: 0, now, periodStart, periodEnd, timeZone: WAW })).toEqual({ ok: false, error: 'no_packs' })
    expect(prorateAddon({ packNetMinor: 10000, packs: 1.5, now, periodStart, periodEnd, timeZone: WAW })).toEqual({ ok: false, error: 'no_packs' })
    expect(prorateAddon({ packNetMinor: 10000, packs: 1, now: periodEnd, periodStart, periodEnd, timeZone: WAW })).toEqual({ ok: false, error: 'outside_period' })
  })

  it('in the early-renewal window are priced at the renewed period’s start: all of its days (issue 16)', () => {
    // Renewed 7 days early: the subscription's period is the next one, which has not started yet.
    const week = 7 * 86_400_000
    const nextEnd = addLocalMonths(periodEnd, 12, WAW)
    for (const moment of [new Date(periodEnd.getTime() - week), new Date(periodEnd.getTime() - 1)]) {
      expect(pricingMoment(moment, periodEnd)).toEqual(periodEnd)
      expect(prorateAddon({ packNetMinor: 10000, packs: 1, now: pricingMoment(moment, periodEnd), periodStart: periodEnd, periodEnd: nextEnd, timeZone: WAW })).toEqual({
        ok: true, chargeMinor: 10000, remainingDays: 366, periodDays: 366,
      })
    }
    // Within a period, the moment itself.
    expect(pricingMoment(now, periodStart)).toEqual(now)
    expect(pricingMoment(periodEnd, periodEnd)).toEqual(periodEnd)
  })
})

describe('proration properties', () => {
  const ZONES = ['Europe/Warsaw', 'Europe/Rome', 'Europe/Lisbon', 'Europe/Helsinki', 'Asia/Nicosia']
  // A period of 1, 12 or 24 months starting anywhere in 2024–2030, and two moments inside it.
  const periods = fc
    .record({
      startMs: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
      months: fc.constantFrom(1, 12, 24),
      zone: fc.constantFrom(...ZONES),
      a: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    })
    .map(({ startMs, months, zone, a, b }) => {
      const periodStart = new Date(startMs)
      const periodEnd = addLocalMonths(periodStart, months, zone)
      const at = (f: number) => new Date(startMs + Math.floor(f * (periodEnd.getTime() - startMs)))
      const [early, late] = a <= b ? [at(a), at(b)] : [at(b), at(a)]
      return { periodStart, periodEnd, timeZone: zone, early, late }
    })
  const prices = fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 })).map(([old, extra]) => ({ oldNetMinor: old, newNetMinor: old + extra }))

  it('the charge is a whole number of cents between nothing and the full difference, the nearest to the exact share', () => {
    fc.assert(
      fc.property(periods, prices, ({ early, ...p }, price) => {
        const r = prorate({ ...p, ...price, now: early })
        if (!r.ok) return false
        const diff = BigInt(price.newNetMinor - price.oldNetMinor)
        // |charge − diff × remaining / period| ≤ ½, checked in integers.
        const twiceError = 2n * (BigInt(r.chargeMinor) * BigInt(r.periodDays) - diff * BigInt(r.remainingDays))
        return (
          Number.isSafeInteger(r.chargeMinor) && r.chargeMinor >= 0 && BigInt(r.chargeMinor) <= diff &&
          r.remainingDays >= 0 && r.remainingDays <= r.periodDays &&
          (twiceError < 0n ? -twiceError : twiceError) <= BigInt(r.periodDays)
        )
      }),
    )
  })

  it('a later moment never leaves more days or costs more', () => {
    fc.assert(
      fc.property(periods, prices, ({ early, late, ...p }, price) => {
        const first = prorate({ ...p, ...price, now: early })
        const second = prorate({ ...p, ...price, now: late })
        return first.ok && second.ok && second.remainingDays <= first.remainingDays && second.chargeMinor <= first.chargeMinor
      }),
    )
  })

  it('a period has as many days as its calendar dates (365 or 366 a year, 28–31 a month), whatever the DST', () => {
    fc.assert(
      fc.property(periods, ({ periodStart, periodEnd, timeZone }) => {
        const days = periodDays(periodStart, periodEnd, timeZone)
        const hours = (periodEnd.getTime() - periodStart.getTime()) / 3_600_000
        return [28, 29, 30, 31, 365, 366, 730, 731].includes(days) && Math.abs(hours - days * 24) <= 1
      }),
    )
  })

  it('two upgrades in a row cost the same as one, give or take a cent of rounding', () => {
    fc.assert(
      fc.property(periods, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), ({ early, ...p }, a, x, y) => {
        const step1 = prorate({ ...p, now: early, oldNetMinor: a, newNetMinor: a + x })
        const step2 = prorate({ ...p, now: early, oldNetMinor: a + x, newNetMinor: a + x + y })
        const direct = prorate({ ...p, now: early, oldNetMinor: a, newNetMinor: a + x + y })
        return step1.ok && step2.ok && direct.ok && Math.abs(step1.chargeMinor + step2.chargeMinor - direct.chargeMinor) <= 1
      }),
    )
  })
})
