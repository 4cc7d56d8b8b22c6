// What the configured seller must look like for its country's e-invoice to be writable, checked when
// the configuration loads (src/config.ts), so a wrong setting stops the start rather than an invoice.
import type { VendorConfig } from '../config'
import { normalizeTaxId } from '../domain/tax-id'
import { POLISH_RATES } from './fa3'
import { italianPlace, REGIMI_FISCALI } from './fatturapa'

export function vendorEinvoiceProblems(vendor: VendorConfig): string[] {
  const problems: string[] = []
  if (vendor.country === 'PL') {
    const id = normalizeTaxId('PL', vendor.taxId)
    if (!id.ok || id.value !== vendor.taxId.toUpperCase()) {
      problems.push(`VENDOR_TAX_ID must be the seller's NIP with its prefix (e.g. PL5260250274) for FA(3) e-invoices, not "${vendor.taxId}"`)
    }
    // A rate that is not a number at all is already VENDOR_DEFAULT_VAT's own problem.
    if (Number.isFinite(vendor.defaultVatPercent) && !POLISH_RATES.includes(Math.round(vendor.defaultVatPercent * 100))) {
      problems.push(`VENDOR_DEFAULT_VAT must be a Polish VAT rate (23, 8, 5…) for a Polish seller: FA(3) has no code for ${vendor.defaultVatPercent} %`)
    }
  }
  if (vendor.country === 'IT') {
    const id = normalizeTaxId('IT', vendor.taxId)
    if (!id.ok || id.value !== vendor.taxId.toUpperCase()) {
      problems.push(`VENDOR_TAX_ID must be the seller's partita IVA with its prefix (e.g. IT01234560017) for FatturaPA e-invoices, not "${vendor.taxId}"`)
    }
    if (!italianPlace(vendor.addressLines[1] ?? '')) {
      problems.push(`VENDOR_ADDRESS must be "street|CAP Comune PR|…" for an Italian seller (e.g. "Via Roma 1|00184 Roma RM|Italia"): FatturaPA needs the CAP and comune, not "${vendor.addressLines.join('|')}"`)
    }
    if (!(REGIMI_FISCALI as readonly string[]).includes(vendor.regimeFiscale)) {
      problems.push(`VENDOR_REGIME_FISCALE must be one of FatturaPA's regimes RF01–RF19 (RF01 = ordinary), not "${vendor.regimeFiscale}"`)
    }
    if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(vendor.bankAccount.replace(/\s/g, '').toUpperCase())) {
      problems.push(`VENDOR_BANK_ACCOUNT must be an IBAN for an Italian seller (FatturaPA's IBAN), not "${vendor.bankAccount}"`)
    }
  }
  return problems
}
