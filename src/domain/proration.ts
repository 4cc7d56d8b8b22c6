// Mid-period upgrades and add-on packs (SPEC §8): the customer pays the difference for the days left,
// charge = round_half_up(difference × remaining_days / period_days), in whole calendar days of the
// org's time zone (a DST day is one day, not 23 or 25 hours). The period end never moves.
//
// Counting: a day is a local calendar date. The period has as many days as there are dates from the
// start's date up to, not including, the end's date (a year from 15 Jan to 15 Jan is 365 or 366).
// Today counts as remaining — the customer pays for today too — and so do the days up to the end's
// date: on the last day before the end's date 1 day remains. The end's date itself is the rest of the
// first day, already counted in full, so on it (before the end instant) 0 days remain and nothing is
// charged.
import { mulDivRoundHalfUp } from './money'
import { localDate } from './time'

export type Proration = { ok: true; chargeMinor: number; remainingDays: number; periodDays: number }

type Period = { now: Date; periodStart: Date; periodEnd: Date; timeZone: string }

const DAY_MS = 86_400_000

/** The local calendar date of an instant as a day number, so two dates subtract to whole days. */
function dayNumber(at: Date, timeZone: string): number {
  const { year, month, day } = localDate(at, timeZone)
  return Date.UTC(year, month - 1, day) / DAY_MS
}

/** Calendar days of a period in the zone; a period shorter than one calendar day is a bug and throws. */
export function periodDays(periodStart: Date, periodEnd: Date, timeZone: string): number {
  const days = dayNumber(periodEnd, timeZone) - dayNumber(periodStart, timeZone)
  if (days < 1) throw new RangeError('a period must span at least one calendar day')
  return days
}

/**
 * Calendar days from today (counted) to the end's date (not counted), in the zone; clamped to
 * the period: before it starts, all of its days; after it ends, none.
 */
export function remainingDays(now: Date, periodStart: Date, periodEnd: Date, timeZone: string): number {
  const total = periodDays(periodStart, periodEnd, timeZone)
  const left = dayNumber(periodEnd, timeZone) - dayNumber(now, timeZone)
  return Math.min(total, Math.max(0, left))
}

/**
 * The moment a purchase on a paid subscription is priced at (issue 16): now, in the period that
 * contains it. A period renewed early (automatically 7 days before its end, or a renewal order paid
 * sooner) makes the subscription's period the next one while now still lies before its start; in
 * that window a purchase is priced at the next period's start — the whole next period is charged,
 * and what is bought applies from now, the days left before it included.
 */
export function pricingMoment(now: Date, periodStart: Date): Date {
  return now < periodStart ? periodStart : now
}

function prorateAmount(fullMinor: bigint | number, p: Period): Proration | { ok: false; error: 'outside_period' } {
  if (p.now < p.periodStart || p.now >= p.periodEnd) return { ok: false, error: 'outside_period' }
  const period = periodDays(p.periodStart, p.periodEnd, p.timeZone)
  const remaining = remainingDays(p.now, p.periodStart, p.periodEnd, p.timeZone)
  return { ok: true, chargeMinor: mulDivRoundHalfUp(fullMinor, remaining, period), remainingDays: remaining, periodDays: period }
}

/**
 * An upgrade between paid plans within a period: the net price difference for the days left.
 * Only a dearer plan is an upgrade (a cheaper one waits for the period end, SPEC §8; an equally
 * priced one is not an upgrade either). `now` must lie in [periodStart, periodEnd).
 */
export function prorate(
  input: Period & { oldNetMinor: number; newNetMinor: number },
): Proration | { ok: false; error: 'not_an_upgrade' | 'outside_period' } {
  assertMinor(input.oldNetMinor)
  assertMinor(input.newNetMinor)
  if (input.newNetMinor <= input.oldNetMinor) return { ok: false, error: 'not_an_upgrade' }
  return prorateAmount(input.newNetMinor - input.oldNetMinor, input)
}

/**
 * Add-on packs bought mid-period: the net price of all the packs for the days left, rounded once
 * for the whole purchase (not per pack, which would multiply the rounding).
 */
export function prorateAddon(
  input: Period & { packNetMinor: number; packs: number },
): Proration | { ok: false; error: 'no_packs' | 'outside_period' } {
  assertMinor(input.packNetMinor)
  if (!Number.isSafeInteger(input.packs) || input.packs < 1) return { ok: false, error: 'no_packs' }
  return prorateAmount(BigInt(input.packNetMinor) * BigInt(input.packs), input)
}

function assertMinor(value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`a price must be whole minor units ≥ 0, got ${value}`)
}
