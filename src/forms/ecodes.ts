// The warehouse and e-code forms (SPEC §9): how many codes to generate, the list's filter, the
// voucher's personalization, sending it by e-mail, and confirming a disposal.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { email } from './account'
import { TABS } from '../services/ecode-list'
import { MAX_GENERATED } from '../services/ecodes'
import { multiLine, oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })

export const GenerateForm = z.object({
  quantity: z
    .string(msg('ecodes.field.quantity'))
    .trim()
    .regex(/^\d{1,9}$/, msg('ecodes.field.quantity'))
    .transform(Number)
    .pipe(z.number().int().min(1, msg('ecodes.field.quantity')).max(MAX_GENERATED, msg('ecodes.field.quantity'))),
})

const date = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, msg('field.date.invalid'))
  .optional()
  .transform((v) => v || undefined)

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, msg('field.tooLong'))
    .optional()
    .transform((v) => v || undefined)

/** The list's filter from the query string; the search is checked against the e-code format by the route. */
export const ECodeQuery = z.object({
  tab: z.enum(TABS).catch('active'),
  q: optional(100),
  variant: optional(64),
  from: date,
  to: date,
  cursor: z
    .string()
    .regex(/^\d{1,15}-[a-z0-9]{1,40}$/)
    .optional()
    .catch(undefined)
    .transform((v) => {
      if (!v) return null
      const i = v.indexOf('-')
      return { at: Number(v.slice(0, i)), id: v.slice(i + 1) }
    }),
})

const recipientName = oneLine(z.string(msg('field.name.required')).trim().max(100, msg('field.name.tooLong')))
/** Printed on the voucher with its line breaks. */
const message = multiLine(z.string().trim().max(500, msg('ecodes.field.message')))
  .optional()
  .transform((v) => v || null)

/** Both optional: an empty form takes the personalization off. */
export const PersonalizationForm = z.object({
  recipientName: recipientName.optional().transform((v) => v || null),
  message,
})

export const SendForm = z.object({
  recipientName: recipientName.min(1, msg('field.name.required')),
  email,
  message,
})

export const DisposalForm = z.object({
  confirm: z.literal('on', msg('ecodes.field.confirm')),
})
