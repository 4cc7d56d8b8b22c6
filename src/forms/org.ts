// The company data form (SPEC §2), used to create an org and to edit it.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { normalizeTaxId } from '../domain/tax-id'
import { COUNTRIES, LEGAL_FORMS, needsEinvoiceId, needsTaxId, normalizeEinvoiceId, type LegalForm } from '../domain/orgs'
import { email } from './account'
import { normalizeCodiceFiscale } from '../domain/codice-fiscale'
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
    /** Shown to an Italian private person when the seller is Italian (views/orgs/org-form.tsx); absent otherwise. */
    codiceFiscale: z.string().trim().max(40, msg('checkout.error.codiceFiscaleInvalid')).optional(),
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
    return { ...form, taxId, einvoiceId: einvoiceIdOf(form, ctx, 'field.einvoice.required'), codiceFiscale: personalCode(form, ctx) }
  })

/**
 * An Italian private person's codice fiscale from the company form: undefined when the form had no
 * such field (the org's stays as it is), null when emptied or when the org is not an Italian person.
 */
function personalCode(form: { country: string; legalForm: LegalForm; codiceFiscale?: string }, ctx: z.RefinementCtx): string | null | undefined {
  if (form.codiceFiscale === undefined) return undefined
  if (!form.codiceFiscale || form.country !== 'IT' || form.legalForm !== 'person') return null
  const r = normalizeCodiceFiscale(form.codiceFiscale)
  if (r.ok) return r.value
  ctx.addIssue({ code: 'custom', path: ['codiceFiscale'], message: 'checkout.error.codiceFiscaleInvalid' satisfies MessageKey })
  return null
}

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

/** The form's data; orgs created by code (seeds, tests) leave the codice fiscale out. */
export type OrgInput = Omit<z.output<typeof OrgForm>, 'codiceFiscale'> & { codiceFiscale?: string | null }
