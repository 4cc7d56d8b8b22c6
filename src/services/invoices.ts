// Invoices (SPEC §7): issued with the payment (src/services/fulfilment.ts), printed on demand from
// the order's and the invoice's snapshots, so a later catalog or org change never alters one. The
// structured e-invoice (src/einvoice) comes from the same data; a Polish seller's PDF carries its
// KOD I code, whose hash is of that very XML.
import type { Config } from '../config'
import type { Deps } from '../deps'
import type { EinvoiceInput } from '../einvoice/model'
import { documentOf, einvoiceInput, type EinvoiceDocument, type EinvoiceFormat } from '../einvoice/document'
import { kodILabel, kodILink } from '../einvoice/kod1'
import { MissingExchangeRate } from '../einvoice/nbp/rates'
import type { Language } from '../i18n'
import { renderInvoicePdf } from '../pdf/invoice'
import { readInvoice, type StoredInvoice, type Submission } from './invoice-data'

export type { StoredInvoice } from './invoice-data'
export { readInvoice } from './invoice-data'

/** What KSeF knows of an invoice; the KSeF number is null until KSeF assigns one (the label then reads OFFLINE). */
export type KsefState = { ksefNumber: string | null }

/**
 * The PDF of one of the org's invoices, with a file name; another org's id finds nothing. `ksef`
 * gives the KSeF number once the transport has one; without it the KOD I code is labelled OFFLINE.
 */
export async function invoicePdf(deps: Deps, orgId: string, invoiceId: string, given?: KsefState): Promise<{ bytes: Uint8Array; fileName: string } | null> {
  const stored = await readInvoice(deps.db, invoiceId, orgId)
  if (!stored) return null
  const ksef = given ?? ksefStateOf(stored)
  const { config } = deps
  const { invoice, order, lines } = stored
  const lang = order.language as Language
  const input = einvoiceInput(stored, config)
  const code = await kodI(config, input, ksef)
  const bytes = await renderInvoicePdf({
    lang,
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    timeZone: config.vendor.timeZone,
    orderNumber: order.number,
    seller: invoice.seller,
    sellerCountry: invoice.seller.country ?? config.vendor.country,
    buyer: order.billing,
    currency: order.currency,
    lines: lines.map((l) => ({ ...l, label: l.label[lang] })),
    totals: input.totals,
    reverseCharge: input.reverseCharge,
    // The way the money came (a PayPal account charged for a card order says PayPal), not the one chosen at checkout.
    paymentMethod: input.paymentMethod,
    vendorName: config.vendorName,
    ksef: code,
    pln: input.pln ?? null,
  })
  return { bytes, fileName: `${invoice.number.replaceAll('/', '-')}.pdf` }
}

/**
 * The e-invoice of one of the org's invoices, for the customer's download; null for another org's id
 * or a seller without one; `waitingForRate` while the NBP rate its VAT in złoty needs is not known.
 */
export async function invoiceXml(deps: Deps, orgId: string, invoiceId: string): Promise<EinvoiceDocument | { waitingForRate: string } | null> {
  const stored = await readInvoice(deps.db, invoiceId, orgId)
  if (!stored) return null
  const built = documentOrWaiting(einvoiceInput(stored, deps.config))
  return 'waiting' in built ? { waitingForRate: built.waiting.day } : built.document
}

/**
 * The e-invoice, or the rate it waits for: a document needing VAT in złoty is not written without it
 * (the einvoices job fetches the rate within minutes), so neither is its KOD I nor its download.
 */
export function documentOrWaiting(input: EinvoiceInput): { document: EinvoiceDocument | null } | { waiting: MissingExchangeRate } {
  try {
    return { document: documentOf(input) }
  } catch (e) {
    if (e instanceof MissingExchangeRate) return { waiting: e }
    throw e
  }
}

/** The KOD I link (over the e-invoice's exact bytes) and label of an FA(3) invoice; null for any other, or one still waiting for its rate. */
export async function kodI(config: Config, input: EinvoiceInput, ksef: KsefState): Promise<{ link: string; label: string } | null> {
  const built = documentOrWaiting(input)
  const document = 'document' in built ? built.document : null
  if (document?.format !== 'FA3') return null
  return { link: await kodILink(config.vendor.ksefEnvironment, input.seller.taxId, input.issueDate, document.xml), label: kodILabel(ksef.ksefNumber) }
}

/**
 * What the order page shows of an invoice's e-invoice: its format (for the XML download) and, for
 * FA(3), KOD I; null where the seller's country has no e-invoice.
 */
export async function einvoiceSummary(
  config: Config,
  stored: StoredInvoice,
  ksef: KsefState = ksefStateOf(stored),
): Promise<{ format: EinvoiceFormat; ksef: { link: string; label: string } | null; sdi: Submission | null } | null> {
  const input = einvoiceInput(stored, config)
  const built = documentOrWaiting(input)
  // Waiting for its NBP rate: an FA(3) still, shown without KOD I until it can be written.
  const format = 'waiting' in built ? 'FA3' : built.document?.format
  if (!format) return null
  return { format, ksef: await kodI(config, input, ksef), sdi: format === 'FPR12' ? stored.submission : null }
}

/** KSeF's number once it accepted the invoice (src/jobs/einvoices.ts); until then none, and KOD I reads OFFLINE. */
export function ksefStateOf(stored: Pick<StoredInvoice, 'submission'>): KsefState {
  const s = stored.submission
  return { ksefNumber: s?.state === 'accepted' ? s.number : null }
}
