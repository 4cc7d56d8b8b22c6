// The history filter (SPEC §11): kind, person, date range in the org's time zone, and the page cursor.
import { z } from 'zod'
import type { MessageKey } from '../i18n'

const date = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, { message: 'field.date.invalid' satisfies MessageKey })
  .optional()
  .transform((v) => v || undefined)

export const HistoryQuery = z.object({
  kind: z.string().trim().max(100).optional().transform((v) => v || undefined),
  actor: z.string().trim().max(64).optional().transform((v) => v || undefined),
  from: date,
  to: date,
  cursor: z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/)
    .optional()
    .transform((v) => {
      if (!v) return null
      const [at, id] = v.split('-').map(Number) as [number, number]
      return { at, id }
    }),
})
