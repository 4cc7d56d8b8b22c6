// The company data form (SPEC §2), used to create an org and to edit it.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { normalizeTaxId } from '../domain/tax-id'
import { COUNTRIES, LEGAL_FORMS, needsEinvoiceId, needsTaxId, normalizeEinvoiceId, type LegalForm } from '../domain/orgs'
import { email } from './account'
import { oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })
const text = (required: MessageKey, max: number) =>
  oneLine(z.string(msg(required)).trim().min(1, msg(required)).max(max, msg('field.tooLong')))

export const OrgForm = z
  .object({
    name: text('field.orgName.required', 200),
    country: z.enum(COUNTRIES, msg('field.country.invalid')),
    legalForm: z.enum(LEGAL_FORMS, msg('field.legalForm.invalid')),
    taxId: z.string().trim().max(40, msg('field.tooLong')).optional().default(''),
    addressLine: text('field.address.required', 200),
    postalCode: text('field.postalCode.required', 20),
    city: text('field.city.required', 100),
    billingEmail: email,
    einvoiceId: z.string().trim().max(254, msg('field.tooLong')).optional().default(''),
  })
  .transform((form, ctx) => {
    let taxId: string | null = null
    if (needsTaxId(form.legalForm)) {
      if (!form.taxId) ctx.addIssue({ code: 'custom', path: ['taxId'], message: 'field.taxId.required' satisfies MessageKey })
      else {
        const r = normalizeTaxId(form.country, form.taxId)
        if (r.ok) taxId = r.value
        else ctx.addIssue({ code: 'custom', path: ['taxId'], message: 'field.taxId.invalid' satisfies MessageKey })
      }
    }
    return { ...form, taxId, einvoiceId: einvoiceIdOf(form, ctx, 'field.einvoice.required') }
  })

/**
 * The e-invoicing identifier (SDI code or PEC) normalized, or null; an issue on the field if it is
 * malformed, or missing for an Italian business (`missing` names the message for that case).
 */
export function einvoiceIdOf(
  form: { country: string; legalForm: LegalForm; einvoiceId: string },
  ctx: z.RefinementCtx,
  missing: MessageKey,
): string | null {
  if (form.einvoiceId) {
    const r = normalizeEinvoiceId(form.einvoiceId)
    if (r.ok) return r.value
    ctx.addIssue({ code: 'custom', path: ['einvoiceId'], message: 'field.einvoice.invalid' satisfies MessageKey })
  } else if (needsEinvoiceId(form.country, form.legalForm)) {
    ctx.addIssue({ code: 'custom', path: ['einvoiceId'], message: missing })
  }
  return null
}

export type OrgInput = z.output<typeof OrgForm>
