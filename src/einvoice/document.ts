// The structured e-invoice of an invoice Kontor issued: FA(3) for KSeF when the seller is Polish,
// FatturaPA FPR12 for SdI when it is Italian, built from the same stored data as the PDF.
// einvoiceDocument is the one entry point the KSeF/SdI transport calls; the bytes are deterministic,
// so the file sent, the file a customer downloads and the KOD I hash on the PDF are the same.
import type { Deps } from '../deps'
import type { Config } from '../config'
import { localDate } from '../domain/time'
import { totals } from '../domain/vat'
import type { Language } from '../i18n'
import { buyerOf, readInvoice, type StoredInvoice } from '../services/invoice-data'
import { paidMethod } from '../services/order-pages'
import { buildFa3 } from './fa3'
import { buildFatturaPa } from './fatturapa'
import { treatment, type EinvoiceInput } from './model'
import { needsPlnVat, plnConversion } from './nbp/rates'

export type EinvoiceFormat = 'FA3' | 'FPR12'

export type EinvoiceDocument = {
  format: EinvoiceFormat
  /** FA(3): the invoice number with dashes (FV-2026-000017.xml); FPR12: SdI's IT<partita IVA>_<progressive>.xml. */
  fileName: string
  /** UTF-8 without BOM, exactly the bytes to send, hash and offer for download. */
  xml: Uint8Array
}

/** The e-invoice of any invoice (the transport works across orgs); null for an unknown id or a seller outside PL and IT. */
export async function einvoiceDocument(deps: Deps, invoiceId: string): Promise<EinvoiceDocument | null> {
  const stored = await readInvoice(deps.db, invoiceId)
  return stored ? documentOf(einvoiceInput(stored, deps.config)) : null
}

/** The format for a seller's country, or null where Kontor builds no e-invoice. */
export function formatFor(sellerCountry: string): EinvoiceFormat | null {
  return sellerCountry === 'PL' ? 'FA3' : sellerCountry === 'IT' ? 'FPR12' : null
}

export function documentOf(input: EinvoiceInput): EinvoiceDocument | null {
  const format = formatFor(input.seller.country)
  const encode = (xml: string) => new TextEncoder().encode(xml)
  if (format === 'FA3') return { format, fileName: `${input.number.replaceAll('/', '-')}.xml`, xml: encode(buildFa3(input)) }
  if (format === 'FPR12') {
    const built = buildFatturaPa(input)
    return { format, fileName: built.fileName, xml: encode(built.xml) }
  }
  return null
}

/**
 * The stored invoice as an e-invoice's data: the seller snapshot (its country and regime as issued;
 * invoices issued before those were kept take today's configuration), the buyer snapshot (`buyerOf`), the order's
 * lines in the invoice's language, the totals computed as the PDF computes them, dates in the vendor's zone.
 */
export function einvoiceInput(stored: StoredInvoice, config: Pick<Config, 'vendor' | 'vendorName'>): EinvoiceInput {
  const { invoice, order, lines } = stored
  const lang = order.language as Language
  const day = (at: Date) => {
    const d = localDate(at, config.vendor.timeZone)
    return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
  }
  const input: EinvoiceInput = {
    number: invoice.number,
    issueDate: day(invoice.issuedAt),
    issuedAt: invoice.issuedAt,
    paidDate: day(order.paidAt ?? invoice.issuedAt),
    seller: {
      ...invoice.seller,
      country: (invoice.seller.country ?? config.vendor.country).toUpperCase(),
      regimeFiscale: invoice.seller.regimeFiscale ?? config.vendor.regimeFiscale,
    },
    buyer: buyerOf(stored),
    currency: order.currency,
    lines: lines.map((l) => ({ label: l.label[lang], quantity: l.quantity, unitNetMinor: l.unitNetMinor, netMinor: l.netMinor, vatRateBp: l.vatRateBp, vatMinor: l.vatMinor })),
    totals: totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 }))),
    reverseCharge: order.vat.kind === 'reverse_charge',
    // The way the money came (a PayPal account charged for a card order says PayPal), not the one chosen at checkout.
    paymentMethod: paidMethod(order, stored.paidWith),
    systemInfo: config.vendorName,
  }
  // Polish VAT is the domestic treatment only: reverse charge has none, the one-stop shop's is another state's.
  const need = needsPlnVat({ sellerCountry: input.seller.country, currency: input.currency, polishVat: treatment(input) === 'domestic' })
  return { ...input, pln: plnConversion(need, input.currency, input.issueDate, input.totals, stored.rates) }
}
