// KSeF as an e-invoicing channel: one online session per batch, every invoice sent encrypted, its
// status polled for a few seconds (what is still processing is asked after by the next run, by its
// session and invoice reference), the UPO fetched for each accepted invoice, the session closed.
// A 440 duplicate is not an error: the invoice went in before (a run that died after sending), so
// the first sending's KSeF number and UPO are taken. Tokens are kept for the isolate's life and
// refreshed; the access token never reaches the database.
import type { CheckOutcome, EInvoiceChannel, Outcome, Outgoing, TransportRef } from '../channel'
import { KsefClient, KsefError, type InvoiceStatus, type KsefClientOptions, type Tokens } from './client'

export type KsefSettings = { apiBase: string; token: string; nip: string }

/** Status polls per invoice within a run (one a second by default). */
const POLLS_PER_INVOICE = 5

export class KsefChannel implements EInvoiceChannel {
  readonly name = 'ksef'
  readonly format = 'FA3'
  readonly asksAfterSent = true
  private readonly client: KsefClient
  private tokens: Tokens | null = null

  constructor(
    private readonly settings: KsefSettings,
    clientOptions: Omit<KsefClientOptions, 'baseUrl'> = {},
    private readonly polls = POLLS_PER_INVOICE,
  ) {
    this.client = new KsefClient({ ...clientOptions, baseUrl: settings.apiBase })
  }

  async send(batch: Outgoing[]): Promise<Outcome[]> {
    if (batch.length === 0) return []
    let access: string
    let session: Awaited<ReturnType<KsefClient['openSession']>>
    try {
      access = await this.accessToken()
      session = await this.client.openSession(access)
    } catch (e) {
      this.forgetTokensOn(e)
      return batch.map(() => unavailable(e))
    }
    const outcomes: Outcome[] = []
    const sent: { index: number; ref: TransportRef }[] = []
    for (const item of batch) {
      try {
        const invoice = await this.client.sendInvoice(access, session, item.document.xml, item.offline === true)
        const ref = { session: session.referenceNumber, reference: invoice.referenceNumber }
        sent.push({ index: outcomes.length, ref })
        outcomes.push({ status: 'sent', ref })
      } catch (e) {
        // 401/403 is about the token, not the invoice: it waits, and the next batch logs in again.
        const refused = e instanceof KsefError && e.failure.kind === 'refused' && !this.forgetTokensOn(e) ? e.failure : null
        outcomes.push(refused ? { status: 'rejected', reasons: [`${refused.status}`, ...refused.reasons], ref: null } : unavailable(e))
      }
    }
    for (const { index, ref } of sent) {
      try {
        outcomes[index] = await this.outcomeOf(access, ref, await this.client.awaitInvoice(access, ref.session!, ref.reference, this.polls))
      } catch {
        // Sent, with its reference stored: the next run asks again.
      }
    }
    // The session would expire by itself after 12 hours; closing starts KSeF's session UPO.
    await this.client.closeSession(access, session.referenceNumber).catch(() => {})
    return outcomes
  }

  async check(refs: TransportRef[]): Promise<CheckOutcome[]> {
    if (refs.length === 0) return []
    let access: string
    try {
      access = await this.accessToken()
    } catch (e) {
      this.forgetTokensOn(e)
      return refs.map(() => ({ status: 'processing' }))
    }
    const outcomes: CheckOutcome[] = []
    for (const ref of refs) {
      try {
        outcomes.push(await this.outcomeOf(access, ref, await this.client.invoiceStatus(access, ref.session ?? '', ref.reference)))
      } catch (e) {
        this.forgetTokensOn(e)
        outcomes.push({ status: 'processing' })
      }
    }
    return outcomes
  }

  private async outcomeOf(access: string, ref: TransportRef, status: InvoiceStatus): Promise<Outcome> {
    switch (status.state) {
      case 'processing':
        return { status: 'sent', ref }
      case 'accepted':
        return { status: 'accepted', number: status.ksefNumber, receipt: await this.upo(access, ref.session, status.ksefNumber), note: null, ref }
      case 'duplicate': {
        const session = status.originalSession ?? ref.session
        const note = `KSeF already had this invoice (440, session ${status.originalSession ?? 'unknown'}): its KSeF number was taken, nothing was sent twice`
        return { status: 'accepted', number: status.ksefNumber, receipt: await this.upo(access, session, status.ksefNumber), note, ref }
      }
      case 'rejected':
        return { status: 'rejected', reasons: [`${status.code}`, ...status.reasons].slice(0, 50), ref }
      case 'failed':
        // KSeF failed on its side (500/550): the invoice was not taken and may be sent again.
        return { status: 'unavailable', detail: `KSeF failed to process the invoice (${status.code}): ${status.reasons.join('; ')}` }
    }
  }

  /** The UPO, or null if it cannot be fetched now (the job asks again for accepted invoices without one). */
  private async upo(access: string, session: string | null, ksefNumber: string): Promise<string | null> {
    if (!session) return null
    return this.client.invoiceUpo(access, session, ksefNumber).catch(() => null)
  }

  /** Drops the kept tokens when KSeF refused them (401/403); says whether it did. */
  private forgetTokensOn(e: unknown): boolean {
    const expired = e instanceof KsefError && e.failure.kind === 'refused' && (e.failure.status === 401 || e.failure.status === 403)
    if (expired) this.tokens = null
    return expired
  }

  private async accessToken(): Promise<string> {
    const now = Date.now()
    // A minute's margin: a token that expires mid-batch fails the sends after it.
    if (this.tokens && this.tokens.accessValidUntil.getTime() - 60_000 > now) return this.tokens.accessToken
    if (this.tokens && this.tokens.refreshValidUntil.getTime() - 60_000 > now) {
      try {
        this.tokens = await this.client.refresh(this.tokens)
        return this.tokens.accessToken
      } catch {
        this.tokens = null
      }
    }
    this.tokens = await this.client.authenticate(this.settings.nip, this.settings.token)
    return this.tokens.accessToken
  }
}

function unavailable(e: unknown): Outcome {
  if (e instanceof KsefError) {
    // A refused login (a wrong or withdrawn token) is the vendor's to fix; invoices wait meanwhile.
    const detail = e.failure.kind === 'refused' ? `KSeF refused the request (${e.failure.status}): ${e.failure.reasons.join('; ')}` : e.failure.detail
    return { status: 'unavailable', detail }
  }
  return { status: 'unavailable', detail: e instanceof Error ? e.message : String(e) }
}
