// A `datetime-local` field ("2026-12-01T08:00"), read in a named time zone: the test clock's moment
// (the vendor's zone) and the KSeF failures' start and end (Poland's).
import { z } from 'zod'
import { zonedToUtc } from '../domain/time'
import type { MessageKey } from '../i18n'

const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

export const momentParts = (value: string) => value.split(/[-T:]/).map(Number) as [number, number, number, number, number]

/** Rejects dates the calendar lacks (30 February), which Date.UTC would silently roll over. */
export function isCalendarMoment(value: string): boolean {
  const [y, mo, d, h, mi] = momentParts(value)
  const at = new Date(Date.UTC(y, mo - 1, d))
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && h < 24 && mi < 60
}

/** A required moment field, its error `message` for anything else. */
export const momentField = (message: MessageKey) => z.string().regex(MOMENT, { message }).refine(isCalendarMoment, { message })

/** The same, or empty (''), e.g. an end not known yet. */
export const optionalMomentField = (message: MessageKey) => z.string().refine((v) => v === '' || (MOMENT.test(v) && isCalendarMoment(v)), { message })

/** The instant a valid moment field names in `timeZone`. */
export const momentIn = (value: string, timeZone: string): Date => zonedToUtc(...momentParts(value), timeZone)
