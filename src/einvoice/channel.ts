// The edge to the state's e-invoicing systems, like PaymentProvider is to payments: KSeF for a
// Polish seller (src/einvoice/ksef/), SdI through an accredited intermediary for an Italian one
// (src/einvoice/sdi/). The einvoices job (src/jobs/einvoices.ts) builds each invoice's document,
// hands batches to the channel and stores what comes back; a channel never touches the database.
import type { Deps } from '../deps'
import type { RateSource } from './nbp/client'

/** An invoice's structured document: FA(3) for KSeF, FatturaPA FPR12 for SdI. */
export type EInvoiceDocument = { format: 'FA3' | 'FPR12'; fileName: string; xml: Uint8Array }

/**
 * Builds an invoice's document, or null when the invoice needs none. The builder lives in
 * src/einvoice/document.ts (`einvoiceDocument`); the job takes it as a parameter.
 */
export type EInvoiceDocumentFn = (deps: Deps, invoiceId: string) => Promise<EInvoiceDocument | null>

/** `offline`: an earlier try found the system unreachable, so the invoice was issued in its offline mode (KSeF: `offlineMode`). */
export type Outgoing = { invoiceId: string; document: EInvoiceDocument; offline?: boolean }

/** Where a sent document is, to ask after it (KSeF: session and invoice reference; SdI: the intermediary's id). */
export type TransportRef = { session: string | null; reference: string }

export type Accepted = {
  status: 'accepted'
  /** The KSeF number, or SdI's IdentificativoSdI. */
  number: string
  /** The official receipt (KSeF's UPO XML), when there is one. */
  receipt: string | null
  /** Anything an operator should know (a duplicate reconciled, not delivered to the buyer…). */
  note: string | null
}

/** What became of one document. */
export type Outcome =
  /** Taken for processing; the result comes from a later check (KSeF) or a notification (SdI). */
  | { status: 'sent'; ref: TransportRef }
  | (Accepted & { ref: TransportRef | null })
  /** Refused: not issued until corrected and re-issued. */
  | { status: 'rejected'; reasons: string[]; ref: TransportRef | null }
  /** Not reached, or failed on the system's side: try again later (with backoff). */
  | { status: 'unavailable'; detail: string }

export type CheckOutcome = Outcome | { status: 'processing' }

export interface EInvoiceChannel {
  readonly name: 'ksef' | 'sdi'
  /** The document format this channel carries. */
  readonly format: EInvoiceDocument['format']
  /** Whether the job asks after sent documents (KSeF), or their outcome arrives by itself (SdI's webhook). */
  readonly asksAfterSent: boolean
  /** Sends a batch (KSeF: one online session for all); one outcome per item, in order. */
  send(batch: Outgoing[]): Promise<Outcome[]>
  /** Asks after documents sent earlier; one outcome per ref, in order. */
  check(refs: TransportRef[]): Promise<CheckOutcome[]>
}

/**
 * The channel and the document builder the job works with, and where it asks for the NBP rates a
 * Polish seller's invoice in another currency needs (none: such an invoice waits, never goes without).
 */
export type EInvoicing = { channel: EInvoiceChannel; document: EInvoiceDocumentFn; rates?: RateSource | null }
