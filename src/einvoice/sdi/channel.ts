// SdI (Italy) through an accredited intermediary's HTTP API — SdI itself speaks SOAP with mutual
// TLS (SDICoop) or PEC, which a vendor reaches through an intermediary rather than accrediting a
// channel of its own (NOTES-fatturapa §4). The API Kontor expects is small and documented in
// docs/einvoices.md: POST /v1/invoices with the FatturaPA file, answered with the intermediary's id;
// SdI's notifications (RC, MC, NS, …) come back later by a signed webhook (./webhook.ts).
import { encodeBase64 } from '@oslojs/encoding'
import type { CheckOutcome, EInvoiceChannel, Outcome, Outgoing, TransportRef } from '../channel'
import { sha256Base64 } from '../ksef/crypto'

export type SdiSettings = { apiBase: string; apiKey: string; webhookSecret: string }

type Json = Record<string, any>

export class SdiChannel implements EInvoiceChannel {
  readonly name = 'sdi'
  readonly format = 'FPR12'
  /** SdI answers by notification (the webhook), not by being asked. */
  readonly asksAfterSent = false
  private readonly base: string
  private readonly doFetch: typeof fetch

  constructor(
    readonly settings: SdiSettings,
    opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {
    this.base = settings.apiBase.replace(/\/+$/, '')
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init))
    this.timeoutMs = opts.timeoutMs ?? 20_000
  }
  private readonly timeoutMs: number

  async send(batch: Outgoing[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = []
    for (const item of batch) outcomes.push(await this.sendOne(item))
    return outcomes
  }

  async check(refs: TransportRef[]): Promise<CheckOutcome[]> {
    return refs.map(() => ({ status: 'processing' }))
  }

  private async sendOne(item: Outgoing): Promise<Outcome> {
    let res: Response
    try {
      res = await this.doFetch(`${this.base}/v1/invoices`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.settings.apiKey}`,
          'Content-Type': 'application/json',
          // The document's hash: a retry after a lost answer gets the first answer, not a second file.
          'Idempotency-Key': await sha256Base64(item.document.xml),
        },
        body: JSON.stringify({ fileName: item.document.fileName, xml: encodeBase64(item.document.xml) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (e) {
      return { status: 'unavailable', detail: `the SdI intermediary did not answer: ${e instanceof Error ? e.message : String(e)}` }
    }
    const body = (await res.json().catch(() => ({}))) as Json
    if (res.status === 200 || res.status === 201) {
      if (typeof body.id !== 'string' || !body.id) return { status: 'unavailable', detail: 'the SdI intermediary answered without an id' }
      return { status: 'sent', ref: { session: null, reference: body.id } }
    }
    if (res.status === 400 || res.status === 422) {
      const errors = Array.isArray(body.errors) ? body.errors : []
      const reasons = errors.map((e: Json) => [e.code, e.description].filter(Boolean).join(': '))
      return { status: 'rejected', reasons: [`intermediary ${res.status}`, ...(reasons.length > 0 ? reasons : ['no reason given'])], ref: null }
    }
    // 401/403 (a wrong key) is the vendor's to fix, 5xx and 429 pass: the invoice waits either way.
    return { status: 'unavailable', detail: `the SdI intermediary answered ${res.status}${body.error ? `: ${body.error}` : ''}` }
  }
}
