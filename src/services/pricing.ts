// What a cart costs (SPEC §7): lines priced from the catalog — never from the form — with VAT per
// line for the buying org. The same lines become the order's and the invoice's.
import type { CatalogProduct } from '../db/catalog'
import type { Localized, OrderVat } from '../db/schema'
import type { VendorConfig } from '../config'
import { lineVat, totals, vatFor, type VatTotals } from '../domain/vat'
import type { Org } from './orgs'

/** A subscription with its plan, period and add-on packs, or units of a virtual product's variant. */
export type CartItem =
  | { product: string; plan: string; period: number; addons: Record<string, number> }
  | { product: string; variant: string; quantity: number }

export const MAX_UNITS_PER_ORDER = 1000

export type DraftLine = { label: Localized; quantity: number; unitNetMinor: number; netMinor: number }
export type PricedLine = DraftLine & { vatRateBp: number; vatMinor: number }

export type CartProblem =
  | 'product_not_found'
  | 'plan_not_found'
  | 'period_not_offered'
  | 'addon_not_found'
  | 'too_many_packs'
  | 'variant_not_found'
  | 'bad_quantity'

const months = (n: number): Localized =>
  n % 12 === 0 && n >= 12
    ? { en: n === 12 ? '1 year' : `${n / 12} years`, pl: n === 12 ? '1 rok' : `${n / 12} lata`, it: n === 12 ? '1 anno' : `${n / 12} anni` }
    : { en: n === 1 ? '1 month' : `${n} months`, pl: n === 1 ? '1 miesiąc' : `${n} mies.`, it: n === 1 ? '1 mese' : `${n} mesi` }

const joinLabel = (a: Localized, b: Localized): Localized => ({ en: `${a.en}, ${b.en}`, pl: `${a.pl}, ${b.pl}`, it: `${a.it}, ${b.it}` })
const same = (s: string): Localized => ({ en: s, pl: s, it: s })

/** The product of a cart item, if it is on sale. */
export function cartProduct(catalog: CatalogProduct[], item: CartItem): CatalogProduct | null {
  return catalog.find((p) => p.key === item.product && p.active) ?? null
}

/** The cart's lines at catalog prices, or why the cart can't be bought. */
export function draftLines(product: CatalogProduct, item: CartItem): { ok: true; lines: DraftLine[] } | { ok: false; error: CartProblem } {
  if ('variant' in item) {
    if (product.kind !== 'virtual') return { ok: false, error: 'variant_not_found' }
    const variant = product.variants.find((v) => v.key === item.variant && v.active)
    if (!variant) return { ok: false, error: 'variant_not_found' }
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_UNITS_PER_ORDER) return { ok: false, error: 'bad_quantity' }
    const label = joinLabel(same(product.name), variant.name)
    return { ok: true, lines: [{ label, quantity: item.quantity, unitNetMinor: variant.unitPriceMinor, netMinor: variant.unitPriceMinor * item.quantity }] }
  }
  if (product.kind !== 'subscription') return { ok: false, error: 'plan_not_found' }
  const plan = product.plans.find((p) => p.key === item.plan && p.active && !p.isFree)
  if (!plan) return { ok: false, error: 'plan_not_found' }
  const price = plan.prices[item.period]
  if (!product.billingPeriods.includes(item.period) || price === undefined) return { ok: false, error: 'period_not_offered' }
  const lines: DraftLine[] = [{ label: joinLabel(same(`${product.name} ${plan.name}`), months(item.period)), quantity: 1, unitNetMinor: price, netMinor: price }]
  const packs = addonLines(product, item.addons, item.period)
  if (!packs.ok) return packs
  return { ok: true, lines: [...lines, ...packs.lines] }
}

/** Lines for add-on packs (held packs count towards the maximum). Zero packs make no line. */
export function addonLines(
  product: CatalogProduct,
  wanted: Record<string, number>,
  period: number,
  held: Record<string, number> = {},
): { ok: true; lines: DraftLine[] } | { ok: false; error: CartProblem } {
  const lines: DraftLine[] = []
  for (const [quotaKey, packs] of Object.entries(wanted)) {
    if (!Number.isSafeInteger(packs) || packs < 0) return { ok: false, error: 'bad_quantity' }
    if (packs === 0) continue
    const addon = product.addons.find((a) => a.quotaKey === quotaKey && a.active)
    const price = addon?.prices[period]
    if (!addon || price === undefined) return { ok: false, error: 'addon_not_found' }
    if (addon.maxPacks !== null && (held[quotaKey] ?? 0) + packs > addon.maxPacks) return { ok: false, error: 'too_many_packs' }
    if (packs > 10_000) return { ok: false, error: 'bad_quantity' }
    lines.push({ label: joinLabel(addon.name, months(period)), quantity: packs, unitNetMinor: price, netMinor: price * packs })
  }
  return { ok: true, lines }
}

/** The VAT treatment of an org as a buyer: its country's rate, or reverse charge (SPEC §7). */
export function orgVat(org: Pick<Org, 'country' | 'legalForm' | 'taxId'>, vendor: VendorConfig): OrderVat {
  // Tax ids are validated (format and checksum) when the org is saved, so a stored one is valid.
  const vat = vatFor(
    { buyerCountry: org.country, buyerIsBusiness: org.legalForm !== 'person', buyerVatValid: Boolean(org.taxId) },
    { vendorCountry: vendor.country, defaultRatePercent: vendor.defaultVatPercent },
  )
  return { kind: vat.kind, ratePercent: vat.ratePercent }
}

/** VAT on each line and the totals, every figure in minor units and exactly the sum of the lines. */
export function priceLines(lines: DraftLine[], vat: OrderVat): { lines: PricedLine[]; totals: VatTotals } {
  const vatRateBp = Math.round(vat.ratePercent * 100)
  return {
    lines: lines.map((l) => ({ ...l, vatRateBp, vatMinor: lineVat(l.netMinor, vat.ratePercent) })),
    totals: totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: vat.ratePercent }))),
  }
}
