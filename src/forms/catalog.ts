// The catalog forms of the back office (SPEC §4): products, plans, quotas, add-ons and variants.
// Plan and add-on forms depend on the product (a price field per billing period, a limit field per
// quota), so they are built per product; each is still one schema that parses and names errors.
// Keys, kinds and currencies are set once: the edit schemas have no such fields.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import type { Localized } from '../db/schema'
import type { FormValues } from './validate'
import { moneyInput, parseMoney } from '../domain/money'
import { oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })
const issue = (ctx: z.RefinementCtx, path: string, message: MessageKey) => ctx.addIssue({ code: 'custom', path: [path], message })

const text = (max: number) => oneLine(z.string(msg('field.required')).trim().min(1, msg('field.required')).max(max, msg('field.tooLong')))

/** Slug-like: vendor apps and snapshots refer to it, so it stays plain. */
const key = z
  .string(msg('field.key.invalid'))
  .trim()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, msg('field.key.invalid'))

const checkbox = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on')

const WHOLE_MAX = 1_000_000_000

/** A whole number typed into a field: at least `min`, at most `max`. */
const whole = (min: 0 | 1, max = WHOLE_MAX) => {
  const problem: MessageKey = min === 0 ? 'field.whole.invalid' : 'field.whole.positive'
  return z
    .string(msg(problem))
    .trim()
    .regex(/^\d{1,10}$/, msg(problem))
    .transform(Number)
    .pipe(z.number().min(min, msg(problem)).max(max, msg('field.whole.tooBig')))
}

/** Empty means "no limit" (null). */
const optionalWhole = (min: 0 | 1) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = v?.trim() ?? ''
      if (!value) return null
      const r = whole(min).safeParse(value)
      if (r.success) return r.data
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? ('field.whole.invalid' satisfies MessageKey) })
      return z.NEVER
    })

/** A decimal amount (`49.00`, `49,00`) as exact minor units; empty → null, for the caller to judge. */
const money = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v?.trim() ?? ''
    if (!value) return null
    const r = parseMoney(value)
    if (r.ok) return r.minor
    ctx.addIssue({ code: 'custom', message: `field.money.${r.error}` satisfies MessageKey })
    return z.NEVER
  })

const LANGS = ['En', 'Pl', 'It'] as const
type LocalizedShape<P extends string> = Record<`${P}${(typeof LANGS)[number]}`, ReturnType<typeof text>>

/** Three fields (`nameEn`, `namePl`, `nameIt`) for a text shown to customers in each language. */
function localizedShape<P extends string>(prefix: P, max: number): LocalizedShape<P> {
  return Object.fromEntries(LANGS.map((l) => [`${prefix}${l}`, text(max)])) as LocalizedShape<P>
}

function localized<P extends string>(form: Record<`${P}${(typeof LANGS)[number]}`, string>, prefix: P): Localized {
  return { en: form[`${prefix}En`], pl: form[`${prefix}Pl`], it: form[`${prefix}It`] }
}

function localizedValues(prefix: string, value: Localized): FormValues {
  return { [`${prefix}En`]: value.en, [`${prefix}Pl`]: value.pl, [`${prefix}It`]: value.it }
}

const on = (flag: boolean) => (flag ? 'on' : '')

// ---- Products -----------------------------------------------------------------------------------

export const PRODUCT_KINDS = ['subscription', 'virtual'] as const
export const CURRENCIES = ['PLN', 'EUR'] as const
export const LAPSE_POLICIES = ['downgrade_to_free', 'read_only_then_delete'] as const

/** "1, 12" → [1, 12]: whole months from 1 to 120, each once, in order. */
const billingPeriods = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parts = (v ?? '').split(/[\s,;]+/).filter(Boolean)
    const months = parts.map(Number)
    if (parts.some((p) => !/^\d{1,3}$/.test(p)) || months.some((m) => m < 1 || m > 120)) {
      ctx.addIssue({ code: 'custom', message: 'catalog.field.periods.invalid' satisfies MessageKey })
      return z.NEVER
    }
    return [...new Set(months)].sort((a, b) => a - b)
  })

const productShape = {
  name: text(100),
  ...localizedShape('description', 500),
  billingPeriods,
  lapsePolicy: z.enum(LAPSE_POLICIES, msg('field.choice.invalid')),
  graceDays: whole(0, 3650),
  freeValidityMonths: whole(1, 120),
  businessOnly: checkbox,
  active: checkbox,
}

type ProductShapeOut = z.output<z.ZodObject<typeof productShape>>

function toProduct(form: ProductShapeOut, kind: (typeof PRODUCT_KINDS)[number], ctx: z.RefinementCtx) {
  if (kind === 'subscription' && form.billingPeriods.length === 0) issue(ctx, 'billingPeriods', 'catalog.field.periods.required')
  if (kind === 'virtual' && form.billingPeriods.length > 0) issue(ctx, 'billingPeriods', 'catalog.field.periods.virtual')
  const { descriptionEn: _en, descriptionPl: _pl, descriptionIt: _it, ...rest } = form
  return { ...rest, description: localized(form, 'description') }
}

export const NewProductForm = z
  .object({ key, kind: z.enum(PRODUCT_KINDS, msg('field.choice.invalid')), currency: z.enum(CURRENCIES, msg('field.choice.invalid')), ...productShape })
  .transform((form, ctx) => ({ ...toProduct(form, form.kind, ctx), key: form.key, kind: form.kind, currency: form.currency }))

export const productEditForm = (kind: (typeof PRODUCT_KINDS)[number]) => z.object(productShape).transform((form, ctx) => toProduct(form, kind, ctx))

export type NewProductInput = z.output<typeof NewProductForm>
export type ProductInput = z.output<ReturnType<typeof productEditForm>>

export const newProductValues = (): FormValues => ({
  kind: 'subscription',
  currency: 'PLN',
  billingPeriods: '1, 12',
  lapsePolicy: 'downgrade_to_free',
  graceDays: '30',
  freeValidityMonths: '12',
  active: 'on',
})

export function productValues(p: { name: string; description: Localized; billingPeriods: number[]; lapsePolicy: string; graceDays: number; freeValidityMonths: number; businessOnly: boolean; active: boolean }): FormValues {
  return {
    name: p.name,
    ...localizedValues('description', p.description),
    billingPeriods: p.billingPeriods.join(', '),
    lapsePolicy: p.lapsePolicy,
    graceDays: String(p.graceDays),
    freeValidityMonths: String(p.freeValidityMonths),
    businessOnly: on(p.businessOnly),
    active: on(p.active),
  }
}

// ---- Plans --------------------------------------------------------------------------------------

/** What the plan and add-on forms need to know of their product. */
export type ProductFrame = { billingPeriods: number[]; quotas: { key: string }[] }

export const priceField = (months: number) => `price_${months}`
export const limitField = (quotaKey: string) => `limit_${quotaKey}`

/** A price field per billing period of the product; every one is required unless `optional` says otherwise. */
function pricesOf(product: ProductFrame, form: Record<string, unknown>, ctx: z.RefinementCtx, required: boolean) {
  const prices: Record<number, number> = {}
  for (const months of product.billingPeriods) {
    const value = form[priceField(months)] as number | null | undefined
    if (value !== null && value !== undefined) prices[months] = value
    else if (required) issue(ctx, priceField(months), 'catalog.field.price.required')
  }
  return prices
}

const priceShape = (product: ProductFrame) => Object.fromEntries(product.billingPeriods.map((m) => [priceField(m), money])) as Record<string, typeof money>

/** `isNew`: the key is typed when the plan is created and stays (snapshots and the API name plans by it). */
export function planForm(product: ProductFrame, isNew: boolean) {
  const limits = Object.fromEntries(product.quotas.map((q) => [limitField(q.key), optionalWhole(0)])) as Record<string, ReturnType<typeof optionalWhole>>
  return z
    .object({ key: isNew ? key : z.string().optional(), name: text(100), rank: whole(0, 1000), isFree: checkbox, active: checkbox, ...priceShape(product), ...limits })
    .transform((form, ctx) => ({
      key: form.key ?? '',
      name: form.name,
      rank: form.rank,
      isFree: form.isFree,
      active: form.active,
      // A free plan has no price: whatever was typed in its price fields is not kept.
      prices: form.isFree ? {} : pricesOf(product, form, ctx, true),
      limits: Object.fromEntries(product.quotas.map((q) => [q.key, (form as Record<string, unknown>)[limitField(q.key)] as number | null])),
    }))
}

export type PlanInput = z.output<ReturnType<typeof planForm>>

export function planValues(plan: { key: string; name: string; rank: number; isFree: boolean; active: boolean; prices: Record<number, number>; limits: Record<string, number | null> }): FormValues {
  return {
    key: plan.key,
    name: plan.name,
    rank: String(plan.rank),
    isFree: on(plan.isFree),
    active: on(plan.active),
    ...Object.fromEntries(Object.entries(plan.prices).map(([m, minor]) => [priceField(Number(m)), moneyInput(minor)])),
    ...Object.fromEntries(Object.entries(plan.limits).map(([k, limit]) => [limitField(k), limit === null ? '' : String(limit)])),
  }
}

// ---- Quotas -------------------------------------------------------------------------------------

export const QUOTA_KINDS = ['monthly', 'total', 'seats'] as const

const quotaShape = { ...localizedShape('label', 100), position: whole(0, 1000) }
const toQuota = (form: z.output<z.ZodObject<typeof quotaShape>>) => ({ label: localized(form, 'label'), position: form.position })

export const NewQuotaForm = z
  .object({ key, kind: z.enum(QUOTA_KINDS, msg('field.choice.invalid')), ...quotaShape })
  .transform((form) => ({ ...toQuota(form), key: form.key, kind: form.kind }))
export const QuotaEditForm = z.object(quotaShape).transform(toQuota)

export type NewQuotaInput = z.output<typeof NewQuotaForm>
export type QuotaInput = z.output<typeof QuotaEditForm>

export const quotaValues = (q: { label: Localized; position: number }): FormValues => ({ ...localizedValues('label', q.label), position: String(q.position) })

// ---- Add-ons ------------------------------------------------------------------------------------

/** `isNew`: the quota is chosen when the add-on is created and stays (subscriptions hold packs by quota key). */
export function addonForm(product: ProductFrame, isNew: boolean) {
  const quotaKeys = product.quotas.map((q) => q.key)
  return z
    .object({
      quotaKey: isNew ? z.string(msg('field.choice.invalid')).refine((v) => quotaKeys.includes(v), msg('field.choice.invalid')) : z.string().optional(),
      ...localizedShape('name', 100),
      packSize: whole(1),
      maxPacks: optionalWhole(1),
      active: checkbox,
      ...priceShape(product),
    })
    .transform((form, ctx) => ({
      quotaKey: form.quotaKey ?? '',
      name: localized(form, 'name'),
      packSize: form.packSize,
      maxPacks: form.maxPacks,
      active: form.active,
      prices: pricesOf(product, form, ctx, true),
    }))
}

export type AddonInput = z.output<ReturnType<typeof addonForm>>

export function addonValues(a: { quotaKey: string; name: Localized; packSize: number; maxPacks: number | null; active: boolean; prices: Record<number, number> }): FormValues {
  return {
    quotaKey: a.quotaKey,
    ...localizedValues('name', a.name),
    packSize: String(a.packSize),
    maxPacks: a.maxPacks === null ? '' : String(a.maxPacks),
    active: on(a.active),
    ...Object.fromEntries(Object.entries(a.prices).map(([m, minor]) => [priceField(Number(m)), moneyInput(minor)])),
  }
}

// ---- Variants -----------------------------------------------------------------------------------

const variantShape = {
  ...localizedShape('name', 100),
  termMonths: whole(1, 120),
  unitPrice: money,
  ecodeValidityMonths: whole(1, 120),
  active: checkbox,
}

function toVariant(form: z.output<z.ZodObject<typeof variantShape>>, ctx: z.RefinementCtx) {
  if (form.unitPrice === null) issue(ctx, 'unitPrice', 'catalog.field.price.required')
  return { name: localized(form, 'name'), termMonths: form.termMonths, unitPriceMinor: form.unitPrice ?? 0, ecodeValidityMonths: form.ecodeValidityMonths, active: form.active }
}

export const NewVariantForm = z.object({ key, ...variantShape }).transform((form, ctx) => ({ ...toVariant(form, ctx), key: form.key }))
export const VariantEditForm = z.object(variantShape).transform(toVariant)

export type NewVariantInput = z.output<typeof NewVariantForm>
export type VariantInput = z.output<typeof VariantEditForm>

export function variantValues(v: { name: Localized; termMonths: number; unitPriceMinor: number; ecodeValidityMonths: number; active: boolean }): FormValues {
  return {
    ...localizedValues('name', v.name),
    termMonths: String(v.termMonths),
    unitPrice: moneyInput(v.unitPriceMinor),
    ecodeValidityMonths: String(v.ecodeValidityMonths),
    active: on(v.active),
  }
}
