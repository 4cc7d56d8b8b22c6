// The rules of manual renewal and of unpaid transfer orders (SPEC §7, §8, §13), as of `now`: when a
// subscription that is not charged automatically gets its renewal order, which reminder a run owes,
// and when an unpaid bank-transfer order is cancelled. Days are calendar days in the org's zone.
import { addLocalDays } from './lapse'
import { localDate, zonedToUtc } from './time'

const DAY_MS = 86_400_000

/** Reminders to the administrators, in days before the period end; the first comes with the renewal order. */
export const REMINDER_DAYS = [14, 7, 1] as const
export type ReminderDay = (typeof REMINDER_DAYS)[number]

/** An unpaid bank-transfer order is cancelled this many days after it was placed (SPEC §7). */
export const UNPAID_ORDER_DAYS = 14

/**
 * When reminder `days` becomes due: at the start of the calendar day that many days before the
 * period end's day, in the org's zone — so "14 days before" is that date whatever time the daily
 * run happens at, and never depends on the time of day the period was bought.
 */
export function reminderDueAt(periodEnd: Date, days: number, timeZone: string): Date {
  const { year, month, day } = localDate(addLocalDays(periodEnd, -days, timeZone), timeZone)
  return zonedToUtc(year, month, day, 0, 0, timeZone)
}

/**
 * The reminder a run at `now` owes: the most recent one due. A late run (the cron was down) sends
 * that one and not the ones it missed, which would only say the same thing again. Null before the
 * first is due and from the period end on (then the unpaid period is the lapse step's business).
 */
export function dueReminder(periodEnd: Date, now: Date, timeZone: string): ReminderDay | null {
  if (now.getTime() >= periodEnd.getTime()) return null
  let due: ReminderDay | null = null
  for (const days of REMINDER_DAYS) if (now.getTime() >= reminderDueAt(periodEnd, days, timeZone).getTime()) due = days
  return due
}

/** The renewal order is placed with the first reminder, and by any run after it until the period ends. */
export function renewalOrderDue(periodEnd: Date, now: Date, timeZone: string): boolean {
  return dueReminder(periodEnd, now, timeZone) !== null
}

/**
 * The period ends a run at `now` has to look at: up to 14 days ahead plus the rest of the local
 * day and a DST hour, rounded up to 16 days (dueReminder decides exactly).
 */
export function manualRenewalWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + (REMINDER_DAYS[0] + 2) * DAY_MS) }
}

/** When an unpaid transfer order is cancelled: the same local time 14 calendar days after it was placed, so the buyer has 14 full days. */
export function unpaidOrderCancelAt(placedAt: Date, timeZone: string): Date {
  return addLocalDays(placedAt, UNPAID_ORDER_DAYS, timeZone)
}

export function unpaidOrderExpired(placedAt: Date, now: Date, timeZone: string): boolean {
  return now.getTime() >= unpaidOrderCancelAt(placedAt, timeZone).getTime()
}

/** Orders placed up to this moment may be due for cancellation (a DST hour of margin; unpaidOrderExpired decides exactly). */
export function unpaidOrderCutoff(now: Date): Date {
  return new Date(now.getTime() - UNPAID_ORDER_DAYS * DAY_MS + 2 * 3_600_000)
}
