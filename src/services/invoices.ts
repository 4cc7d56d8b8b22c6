// Invoices (SPEC §7): issued with the payment (src/services/fulfilment.ts), printed on demand from
// the order's and the invoice's snapshots, so a later catalog or org change never alters one. The
// structured e-invoice (src/einvoice) comes from the same data; a Polish seller's PDF carries its
// KOD I code, whose hash is of that very XML, and an offline invoice's also KOD II, when an Offline
// certificate is configured.
import type { Config } from '../config'
import type { Deps } from '../deps'
import type { EinvoiceInput } from '../einvoice/model'
import { documentOf, einvoiceInput, type EinvoiceDocument, type EinvoiceFormat } from '../einvoice/document'
import { kodILabel, kodILinkFromHash } from '../einvoice/kod1'
import { CERTIFICATE_LABEL, kodIILink } from '../einvoice/kod2'
import { consoleLogger, errorText } from '../log'
import { MissingExchangeRate } from '../einvoice/nbp/rates'
import type { Language } from '../i18n'
import { renderInvoicePdf } from '../pdf/invoice'
import { readInvoice, type StoredInvoice, type Submission } from './invoice-data'

export type { StoredInvoice } from './invoice-data'
export { readInvoice } from './invoice-data'

/**
 * What KSeF knows of an invoice: the KSeF number, null until KSeF assigns one (the label then reads
 * OFFLINE), and whether it is an offline invoice (then KOD II too, with an Offline certificate).
 */
export type KsefState = { ksefNumber: string | null; offline: boolean }

/** A QR code's link and the label under it. */
export type QrCode = { link: string; label: string }

/** KOD I, and KOD II (labelled CERTYFIKAT) on an offline invoice when the Offline certificate is configured. */
export type KsefCodes = QrCode & { certificate: QrCode | null }

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
  const code = await ksefCodes(config, input, ksef)
  const bytes = await renderInvoicePdf({
    lang,
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    timeZone: config.vendor.timeZone,
    orderNumber: order.number,
    seller: invoice.seller,
    sellerCountry: invoice.seller.country ?? config.vendor.country,
    // As the e-invoice names the buyer, an Italian person's codice fiscale included (buyerOf).
    buyer: input.buyer,
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
 * (the einvoices job fetches the rate within minutes), so neither are its codes nor its download.
 */
export function documentOrWaiting(input: EinvoiceInput): { document: EinvoiceDocument | null } | { waiting: MissingExchangeRate } {
  try {
    return { document: documentOf(input) }
  } catch (e) {
    if (e instanceof MissingExchangeRate) return { waiting: e }
    throw e
  }
}

/**
 * The codes of an FA(3) invoice, both over the hash of the e-invoice's exact bytes: KOD I with its
 * label, and on an offline invoice KOD II when the Offline certificate is configured; null for any
 * other, or one still waiting for its NBP rate.
 */
export async function ksefCodes(config: Config, input: EinvoiceInput, ksef: KsefState, built = documentOrWaiting(input)): Promise<KsefCodes | null> {
  const document = 'document' in built ? built.document : null
  if (document?.format !== 'FA3') return null
  const environment = config.vendor.ksefEnvironment
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(document.xml)))
  const code = { link: kodILinkFromHash(environment, input.seller.taxId, input.issueDate, hash), label: kodILabel(ksef.ksefNumber) }
  if (!ksef.offline || !config.ksefOffline) return { ...code, certificate: null }
  try {
    return { ...code, certificate: { link: await kodIILink(environment, input.seller.taxId, config.ksefOffline, hash), label: CERTIFICATE_LABEL } }
  } catch (e) {
    // The key read at start but WebCrypto refused it: the invoice is shown without KOD II rather than not at all.
    consoleLogger({ type: 'request', level: 'error', event: 'kod2_signature_failed', error: errorText(e) })
    return { ...code, certificate: null }
  }
}

/**
 * What the order page shows of an invoice's e-invoice: its format (for the XML download) and, for
 * FA(3), KOD I; null where the seller's country has no e-invoice.
 */
export async function einvoiceSummary(
  config: Config,
  stored: StoredInvoice,
  ksef: KsefState = ksefStateOf(stored),
): Promise<{ format: EinvoiceFormat; ksef: KsefCodes | null; sdi: Submission | null; waitingForRate: string | null } | null> {
  const input = einvoiceInput(stored, config)
  const built = documentOrWaiting(input)
  // Waiting for its NBP rate: an FA(3) still, shown without its codes or download until it can be
  // written, with the day whose rate it waits for.
  if ('waiting' in built) return { format: 'FA3', ksef: null, sdi: null, waitingForRate: built.waiting.day }
  const format = built.document?.format
  if (!format) return null
  // The document already built (its XML is what the codes hash), not built a second time.
  return { format, ksef: await ksefCodes(config, input, ksef, built), sdi: format === 'FPR12' ? stored.submission : null, waitingForRate: null }
}

/** KSeF's number once it accepted the invoice (src/jobs/einvoices.ts); until then none, and KOD I reads OFFLINE. */
export function ksefStateOf(stored: Pick<StoredInvoice, 'submission' | 'offline'>): KsefState {
  const s = stored.submission
  return { ksefNumber: s?.state === 'accepted' ? s.number : null, offline: stored.offline }
}
