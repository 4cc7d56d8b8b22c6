// The forms of public redemption (SPEC §9): choosing the receiving org, reporting a mistake on a
// personalized voucher, and the administrator's resolution of such a report.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { email } from './account'
import { multiLine, oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })

/** The receiving org's slug, or "new" to add an organization first. */
export const RedeemForm = z.object({ org: z.string(msg('redeem.error.chooseOrg')).trim().min(1, msg('redeem.error.chooseOrg')).max(200, msg('redeem.error.chooseOrg')) })

export const ReportForm = z.object({
  what: multiLine(z.string(msg('report.error.what')).trim().min(1, msg('report.error.what')).max(1000, msg('field.tooLong'))),
  contactEmail: email,
})
export type ReportInput = z.output<typeof ReportForm>

export const ResolveForm = z.object({
  note: oneLine(z.string().trim().max(500, msg('field.tooLong')))
    .optional()
    .transform((v) => v || null),
})
