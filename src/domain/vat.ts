// VAT on an order (SPEC §7): prices are net; VAT is computed per line with the rate for the buyer
// org's country (PL 23 %, IT 22 %, otherwise the vendor's default), rounded half-up to the minor
// unit; reverse charge (0 %, with the legal note on the invoice) for EU businesses with a valid VAT
// number in another EU country than the vendor's. All amounts are minor units of the order's one
// currency.
//
// Buyers outside the EU cannot occur today (orgs can only be registered in EU countries); should
// one appear, it is treated like any country without its own rate: the vendor's default rate,
// never reverse charge. Export rules are left for when the catalog sells outside the EU.
import { mulDivRoundHalfUp } from './money'
import { EU_COUNTRIES } from './tax-id'

export type VatConfig = { vendorCountry: string; defaultRatePercent: number }

export type VatBuyer = { buyerCountry: string; buyerIsBusiness: boolean; buyerVatValid: boolean }

export type Vat = { kind: 'standard'; ratePercent: number } | { kind: 'reverse_charge'; ratePercent: 0; note: typeof REVERSE_CHARGE_NOTE }

/** The message key of the invoice's legal note ("Reverse charge" / "Odwrotne obciążenie" / "Inversione contabile"). */
export const REVERSE_CHARGE_NOTE = 'invoice.reverseChargeNote'

/** Countries with their own rate; every other one gets the vendor's default. */
export const VAT_RATES: Readonly<Record<string, number>> = { PL: 23, IT: 22 }

const EU = new Set(EU_COUNTRIES)

export function vatFor(buyer: VatBuyer, config: VatConfig): Vat {
  const country = buyer.buyerCountry.toUpperCase()
  const vendor = config.vendorCountry.toUpperCase()
  if (buyer.buyerIsBusiness && buyer.buyerVatValid && EU.has(country) && EU.has(vendor) && country !== vendor) {
    return { kind: 'reverse_charge', ratePercent: 0, note: REVERSE_CHARGE_NOTE }
  }
  const ratePercent = VAT_RATES[country] ?? config.defaultRatePercent
  rateHundredths(ratePercent)
  return { kind: 'standard', ratePercent }
}

/**
 * VAT of one line: net × rate / 100 rounded half-up (a credit line with a negative net mirrors the
 * charge). Rates may have up to two decimals (Finland's 25.5 %); the arithmetic is exact.
 */
export function lineVat(netMinor: number, ratePercent: number): number {
  return mulDivRoundHalfUp(netMinor, rateHundredths(ratePercent), 10_000)
}

export type VatLine = { netMinor: number; ratePercent: number }

export type VatTotals = {
  netMinor: number
  /** One entry per rate, highest rate first, each the sum of its lines' rounded VAT. */
  byRate: { ratePercent: number; netMinor: number; vatMinor: number }[]
  vatMinor: number
  grossMinor: number
}

/** The order's totals: VAT rounded per line, then only added up, so every total is the exact sum of what the lines show. */
export function totals(lines: readonly VatLine[]): VatTotals {
  const groups = new Map<number, { ratePercent: number; netMinor: number; vatMinor: number }>()
  let netMinor = 0
  let vatMinor = 0
  for (const line of lines) {
    const vat = lineVat(line.netMinor, line.ratePercent)
    netMinor += line.netMinor
    vatMinor += vat
    const group = groups.get(line.ratePercent) ?? { ratePercent: line.ratePercent, netMinor: 0, vatMinor: 0 }
    group.netMinor += line.netMinor
    group.vatMinor += vat
    groups.set(line.ratePercent, group)
  }
  const grossMinor = netMinor + vatMinor
  if (!Number.isSafeInteger(grossMinor)) throw new RangeError('order totals beyond a safe integer')
  return { netMinor, byRate: [...groups.values()].sort((a, b) => b.ratePercent - a.ratePercent), vatMinor, grossMinor }
}

/** A rate in hundredths of a percent (23 → 2300); anything but 0–100 with at most two decimals is a configuration bug. */
function rateHundredths(ratePercent: number): number {
  const hundredths = Math.round(ratePercent * 100)
  if (!(ratePercent >= 0 && ratePercent <= 100) || Math.abs(ratePercent * 100 - hundredths) > 1e-6) {
    throw new RangeError(`a VAT rate must be 0–100 % with at most two decimals, got ${ratePercent}`)
  }
  return hundredths
}
