// The back office's organization forms (SPEC §15): search, grant a paid plan, grant warehouse units.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })
/** A whole number typed into a form, within bounds, with one message for every way it can be wrong. */
const wholeNumber = (min: number, max: number, message: MessageKey) =>
  z
    .string(msg(message))
    .trim()
    .regex(/^\d{1,9}$/, msg(message))
    .transform(Number)
    .pipe(z.number().int().min(min, msg(message)).max(max, msg(message)))

export const OrgSearch = z.object({ q: z.string().trim().max(100).optional().default('') })

export const GrantPlanForm = z.object({
  plan: z.string(msg('field.plan.invalid')).trim().min(1, msg('field.plan.invalid')).max(64, msg('field.plan.invalid')),
  months: wholeNumber(1, 60, 'field.months.invalid'),
})

export const GrantUnitsForm = z.object({
  variant: z.string(msg('field.variant.invalid')).trim().min(1, msg('field.variant.invalid')).max(64, msg('field.variant.invalid')),
  units: wholeNumber(1, 100_000, 'field.units.invalid'),
  note: oneLine(z.string(msg('field.note.required')).trim().min(1, msg('field.note.required')).max(500, msg('field.tooLong'))),
})
