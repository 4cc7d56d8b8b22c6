// What an e-invoice is built from (the same stored data the PDF prints, src/services/invoices.ts) and
// the tax treatment of its lines, decided once for both formats (docs/einvoices.md).
import type { BillingSnapshot, PaymentMethod } from '../db/schema'
import { VAT_RATES, type VatTotals } from '../domain/vat'
import { EU_COUNTRIES } from '../domain/tax-id'
import type { PlnConversion } from './nbp/rates'

export type EinvoiceSeller = {
  /** The country whose format applies: PL → FA(3) for KSeF, IT → FatturaPA FPR12 for SdI. */
  country: string
  name: string
  /** As configured (VENDOR_ADDRESS): street first; for IT, the second line is "CAP Comune [PR]". */
  addressLines: string[]
  /** With its VAT prefix: PL5260250274, IT01234560017. */
  taxId: string
  bankAccount: string
  /** FatturaPA's RegimeFiscale (RF01 = ordinary). */
  regimeFiscale: string
}

export type EinvoiceLine = { label: string; quantity: number; unitNetMinor: number; netMinor: number; vatRateBp: number; vatMinor: number }

export type EinvoiceInput = {
  number: string
  /** The issue date (= date of sale) in the vendor's zone, YYYY-MM-DD, as the PDF prints it. */
  issueDate: string
  /** The instant of issue: FA(3)'s DataWytworzeniaFa, so the same invoice always gives the same bytes. */
  issuedAt: Date
  /** When the money arrived, YYYY-MM-DD in the vendor's zone (Kontor issues invoices for paid orders only). */
  paidDate: string
  seller: EinvoiceSeller
  buyer: BillingSnapshot
  currency: string
  lines: EinvoiceLine[]
  totals: VatTotals
  reverseCharge: boolean
  paymentMethod: PaymentMethod
  /** The software named in FA(3)'s SystemInfo. */
  systemInfo: string
  /**
   * A Polish seller's invoice in another currency with Polish VAT states that VAT in złoty at the
   * NBP's rate (src/einvoice/nbp/rates.ts): the conversion, or the day whose rate is not known yet;
   * null (or absent) for every other invoice.
   */
  pln?: PlnConversion | null
}

/**
 * How the invoice's VAT is accounted, mirroring src/domain/vat.ts (which decided the amounts):
 * - `reverse_charge`: an EU business in another member state, 0 %, the buyer accounts for VAT;
 * - `oss`: a consumer in another member state charged that state's own rate (VAT_RATES), which is
 *   the one-stop-shop special procedure, not the seller's domestic VAT;
 * - `domestic`: the seller's own VAT, which is also what Kontor charges persons in member states
 *   without a rate of their own and buyers outside the EU.
 */
export type Treatment = 'domestic' | 'oss' | 'reverse_charge'

const EU = new Set(EU_COUNTRIES)

export function treatment(input: Pick<EinvoiceInput, 'reverseCharge' | 'buyer' | 'seller'>): Treatment {
  if (input.reverseCharge) return 'reverse_charge'
  const buyer = input.buyer.country.toUpperCase()
  if (buyer !== input.seller.country && EU.has(buyer) && VAT_RATES[buyer] !== undefined) return 'oss'
  return 'domestic'
}

export function isEu(country: string): boolean {
  return EU.has(country.toUpperCase())
}

/** Whether the totals are exactly the sums of the lines: both builders refuse to write anything else. */
export function checkTotals(input: Pick<EinvoiceInput, 'lines' | 'totals'>): void {
  const net = input.lines.reduce((s, l) => s + l.netMinor, 0)
  const vat = input.lines.reduce((s, l) => s + l.vatMinor, 0)
  if (net !== input.totals.netMinor || vat !== input.totals.vatMinor || net + vat !== input.totals.grossMinor) {
    throw new Error(`invoice totals (${input.totals.netMinor} + ${input.totals.vatMinor}) are not the sums of its lines (${net} + ${vat})`)
  }
}
