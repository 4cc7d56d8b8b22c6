// The checkout's forms (SPEC §7): what to buy (step 1), the billing data (step 3) and the order
// itself (step 4). Prices never come from a form: only keys and counts, checked against the catalog.
import { z } from 'zod'
import { isMessageKey, type MessageKey } from '../i18n'
import { PAYMENT_METHODS, type PaymentMethod } from '../db/schema'
import type { LegalForm } from '../domain/orgs'
import { einvoiceIdOf } from './org'
import { needsCodiceFiscale, normalizeCodiceFiscale } from '../domain/codice-fiscale'
import type { CartItem } from '../services/pricing'

const msg = (key: MessageKey) => ({ message: key })
const count = z.string().trim().regex(/^\d{1,6}$/, msg('checkout.error.bad_quantity')).transform(Number)

const SubscriptionChoice = z.object({
  plan: z.string().trim().min(1, msg('checkout.error.plan_not_found')).max(100),
  period: count,
})
const UnitsChoice = z.object({
  variant: z.string().trim().min(1, msg('checkout.error.variant_not_found')).max(100),
  quantity: count,
})

/** The first issue's message key; a field missing from the form altogether has zod's own text, not a key. */
const firstMessage = (error: z.ZodError, missing: MessageKey): MessageKey => {
  const message = error.issues[0]?.message
  return isMessageKey(message) ? message : missing
}

/** Step 1: a plan with its period and add-on packs (`addon.<quota>` fields), or a variant and a quantity. */
export function parseChoice(kind: 'subscription' | 'virtual', product: string, values: Record<string, string>) {
  if (kind === 'virtual') {
    const r = UnitsChoice.safeParse(values)
    return r.success ? { ok: true as const, item: { product, ...r.data } satisfies CartItem } : { ok: false as const, error: firstMessage(r.error, 'checkout.error.variant_not_found') }
  }
  const r = SubscriptionChoice.safeParse(values)
  if (!r.success) return { ok: false as const, error: firstMessage(r.error, 'checkout.error.plan_not_found') }
  const addons: Record<string, number> = {}
  for (const [name, value] of Object.entries(values)) {
    if (!name.startsWith('addon.') || value.trim() === '') continue
    const n = count.safeParse(value)
    if (!n.success) return { ok: false as const, error: 'checkout.error.bad_quantity' as MessageKey }
    addons[name.slice('addon.'.length)] = n.data
  }
  return { ok: true as const, item: { product, ...r.data, addons } satisfies CartItem }
}

/**
 * Step 3: the org that buys, with the billing fields an admin may correct on the spot: the billing
 * e-mail, the SDI code or PEC, and an Italian private person's codice fiscale when the seller is
 * Italian (null when not asked: the org's stays as it is).
 */
export function billingForm(org: { country: string; legalForm: LegalForm }, sellerCountry: string) {
  const asked = needsCodiceFiscale(sellerCountry, org)
  return z
    .object({
      org: z.string().trim().min(1, msg('checkout.error.noOrg')).max(200),
      billingEmail: z.string().trim().toLowerCase().max(254, msg('field.tooLong')).email(msg('field.email.invalid')),
      einvoiceId: z.string().trim().max(254, msg('field.tooLong')).optional().default(''),
      codiceFiscale: z.string().trim().max(40, msg('checkout.error.codiceFiscaleInvalid')).optional().default(''),
    })
    .transform((form, ctx) => ({
      ...form,
      einvoiceId: einvoiceIdOf({ ...org, einvoiceId: form.einvoiceId }, ctx, 'checkout.error.einvoiceRequired'),
      codiceFiscale: asked ? codiceFiscaleOf(form.codiceFiscale, ctx) : null,
    }))
}

/** The codice fiscale normalized, or an issue on the field: missing, or not a person's valid code. */
function codiceFiscaleOf(value: string, ctx: z.RefinementCtx): string | null {
  const r = value ? normalizeCodiceFiscale(value) : null
  if (r?.ok) return r.value
  ctx.addIssue({ code: 'custom', path: ['codiceFiscale'], message: (r ? 'checkout.error.codiceFiscaleInvalid' : 'checkout.error.codiceFiscaleRequired') satisfies MessageKey })
  return null
}

/** Step 4: how to pay (one of the methods this panel takes), and the terms of sale (required; their version is stored with the order). */
export function orderForm(methods: readonly PaymentMethod[]) {
  return z.object({
    paymentMethod: offeredMethod(methods, msg('checkout.error.paymentMethod')),
    terms: z.literal('on', msg('checkout.error.terms')),
  })
}

/** A payment method among those offered (PAYMENTS=transfer-only offers only the transfer). */
export function offeredMethod(methods: readonly PaymentMethod[], error: { message: MessageKey }) {
  return z.enum(PAYMENT_METHODS, error).refine((m) => methods.includes(m), error)
}

/** Paying a card or PayPal order by bank transfer instead: the one method it can switch to. */
export const SwitchToTransferForm = z.object({ method: z.literal('transfer', msg('order.toTransfer.invalid')) })
