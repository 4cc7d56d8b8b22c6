// Adding a company starts from its tax id (SPEC §3): the first step, and the claim of a company
// that already has an account (a licence number of it and the authorisation statement).
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { COUNTRIES } from '../domain/orgs'
import { normalizeTaxId } from '../domain/tax-id'
import { normalizeLicenceNumber } from '../domain/licence-number'

const msg = (key: MessageKey) => ({ message: key })

const taxIdFields = {
  country: z.enum(COUNTRIES, msg('field.country.invalid')),
  taxId: z.string(msg('field.taxId.required')).trim().min(1, msg('field.taxId.required')).max(40, msg('field.tooLong')),
}

function normalized<T extends { country: string; taxId: string }>(form: T, ctx: z.RefinementCtx) {
  const r = normalizeTaxId(form.country, form.taxId)
  if (r.ok) return r.value
  ctx.addIssue({ code: 'custom', path: ['taxId'], message: 'field.taxId.invalid' satisfies MessageKey })
  return z.NEVER
}

export const TaxIdStep = z.object(taxIdFields).transform((form, ctx) => ({ country: form.country, taxId: normalized(form, ctx) }))

export const ClaimForm = z
  .object({
    ...taxIdFields,
    licence: z.string(msg('field.licence.invalid')).trim().max(40, msg('field.licence.invalid')),
    statement: z.literal('on', msg('field.statement.required')),
  })
  .transform((form, ctx) => {
    const licenceNumber = normalizeLicenceNumber(form.licence)
    if (!licenceNumber) ctx.addIssue({ code: 'custom', path: ['licence'], message: 'field.licence.invalid' satisfies MessageKey })
    return { country: form.country, taxId: normalized(form, ctx), licenceNumber: licenceNumber ?? '' }
  })
