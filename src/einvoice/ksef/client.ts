// A client for the parts of KSeF API 2.0 that Kontor uses (NOTES-ksef §2–§7, api/open-api.json):
// authentication with a KSeF token, online sessions, sending encrypted invoices, their status, UPO.
// WebCrypto and fetch only, so it runs on Node and in workerd. Failures are thrown as KsefError:
// `unavailable` (5xx, 429, timeouts, network — try again later) or `refused` (4xx with reasons).
import { aesCbcEncrypt, encodeBase64, newSessionKey, rsaOaepEncrypt, rsaOaepKey, sha256Base64, type SessionKey } from './crypto'
import { isKsefNumber } from './number'

export type KsefEnvironment = 'test' | 'demo' | 'prod'

/** Where each environment's API is (NOTES-ksef §1). */
export const KSEF_API: Record<KsefEnvironment, string> = {
  test: 'https://api-test.ksef.mf.gov.pl/v2',
  demo: 'https://api-demo.ksef.mf.gov.pl/v2',
  prod: 'https://api.ksef.mf.gov.pl/v2',
}

export const FA3_FORM_CODE = { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' } as const

export type KsefFailure = { kind: 'unavailable'; detail: string } | { kind: 'refused'; status: number; reasons: string[] }

export class KsefError extends Error {
  constructor(readonly failure: KsefFailure) {
    super(failure.kind === 'unavailable' ? `KSeF is unavailable: ${failure.detail}` : `KSeF refused (${failure.status}): ${failure.reasons.join('; ')}`)
    this.name = 'KsefError'
  }
}

export type Tokens = { accessToken: string; accessValidUntil: Date; refreshToken: string; refreshValidUntil: Date }
export type OnlineSession = { referenceNumber: string; validUntil: Date; key: SessionKey }
export type SentInvoice = { referenceNumber: string; invoiceHash: string; invoiceSize: number }

/** What KSeF says about one sent invoice (status codes in NOTES-ksef §5). */
export type InvoiceStatus =
  | { state: 'processing'; code: number }
  | { state: 'accepted'; ksefNumber: string; acquisitionDate: string | null }
  /** 440: sent before; the first sending's number and session (for its UPO). */
  | { state: 'duplicate'; ksefNumber: string; originalSession: string | null }
  | { state: 'rejected'; code: number; reasons: string[] }
  /** 500/550: KSeF failed on its side; the invoice may be sent again. */
  | { state: 'failed'; code: number; reasons: string[] }

export type KsefClientOptions = {
  baseUrl: string
  fetch?: typeof fetch
  /** Per request (default 20 s): KSeF's answer to a send may take seconds; a hung call must not hold a job. */
  timeoutMs?: number
  /** Pause between status polls (tests pass a short one). */
  sleep?: (ms: number) => Promise<void>
  pollEveryMs?: number
}

type Json = Record<string, any>

export class KsefClient {
  private readonly base: string
  private readonly doFetch: typeof fetch
  private readonly timeoutMs: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly pollEveryMs: number

  constructor(opts: KsefClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '')
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init))
    this.timeoutMs = opts.timeoutMs ?? 20_000
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    this.pollEveryMs = opts.pollEveryMs ?? 1000
  }

  /** Challenge → token encrypted with the Ministry's key → poll → redeem (NOTES-ksef §2). */
  async authenticate(nip: string, ksefToken: string): Promise<Tokens> {
    const challenge = await this.call('POST', '/auth/challenge')
    const cert = await this.certificateFor('KsefTokenEncryption')
    const plain = new TextEncoder().encode(`${ksefToken}|${challenge.timestampMs}`)
    const encryptedToken = encodeBase64(await rsaOaepEncrypt(await rsaOaepKey(cert.certificate), plain))
    const init = await this.call('POST', '/auth/ksef-token', {
      body: { challenge: challenge.challenge, contextIdentifier: { type: 'Nip', value: nip }, encryptedToken, publicKeyId: cert.publicKeyId },
    })
    const bearer = String(init.authenticationToken?.token ?? '')
    for (let i = 0; ; i++) {
      const status = await this.call('GET', `/auth/${encodeURIComponent(init.referenceNumber)}`, { bearer })
      const code = Number(status.status?.code)
      if (code === 200) break
      if (code !== 100) throw new KsefError({ kind: 'refused', status: code, reasons: reasonsOf(status.status) })
      if (i >= 30) throw new KsefError({ kind: 'unavailable', detail: 'authentication still in progress after 30 polls' })
      await this.sleep(this.pollEveryMs)
    }
    const tokens = await this.call('POST', '/auth/token/redeem', { bearer })
    return {
      accessToken: tokens.accessToken.token,
      accessValidUntil: new Date(tokens.accessToken.validUntil),
      refreshToken: tokens.refreshToken.token,
      refreshValidUntil: new Date(tokens.refreshToken.validUntil),
    }
  }

  async refresh(tokens: Tokens): Promise<Tokens> {
    const answer = await this.call('POST', '/auth/token/refresh', { bearer: tokens.refreshToken })
    return { ...tokens, accessToken: answer.accessToken.token, accessValidUntil: new Date(answer.accessToken.validUntil) }
  }

  /** A new AES-256 key and IV, the key wrapped with the Ministry's SymmetricKeyEncryption key. */
  async openSession(accessToken: string): Promise<OnlineSession> {
    const key = await newSessionKey()
    const cert = await this.certificateFor('SymmetricKeyEncryption')
    const encryptedSymmetricKey = encodeBase64(await rsaOaepEncrypt(await rsaOaepKey(cert.certificate), key.raw))
    const answer = await this.call('POST', '/sessions/online', {
      bearer: accessToken,
      body: { formCode: FA3_FORM_CODE, encryption: { encryptedSymmetricKey, initializationVector: encodeBase64(key.iv), publicKeyId: cert.publicKeyId } },
    })
    return { referenceNumber: answer.referenceNumber, validUntil: new Date(answer.validUntil), key }
  }

  async sendInvoice(accessToken: string, session: OnlineSession, xml: Uint8Array, offline = false): Promise<SentInvoice> {
    const encrypted = await aesCbcEncrypt(session.key, xml)
    const invoiceHash = await sha256Base64(xml)
    const answer = await this.call('POST', `/sessions/online/${encodeURIComponent(session.referenceNumber)}/invoices`, {
      bearer: accessToken,
      body: {
        invoiceHash,
        invoiceSize: xml.byteLength,
        encryptedInvoiceHash: await sha256Base64(encrypted),
        encryptedInvoiceSize: encrypted.byteLength,
        encryptedInvoiceContent: encodeBase64(encrypted),
        // An invoice issued while KSeF could not be reached: KSeF takes P_1 as its issue date.
        offlineMode: offline,
      },
    })
    return { referenceNumber: answer.referenceNumber, invoiceHash, invoiceSize: xml.byteLength }
  }

  async invoiceStatus(accessToken: string, sessionRef: string, invoiceRef: string): Promise<InvoiceStatus> {
    const answer = await this.call('GET', `/sessions/${encodeURIComponent(sessionRef)}/invoices/${encodeURIComponent(invoiceRef)}`, { bearer: accessToken })
    return statusOf(answer)
  }

  /** Polls until KSeF has decided or `attempts` run out (then `processing`: ask again later). */
  async awaitInvoice(accessToken: string, sessionRef: string, invoiceRef: string, attempts: number): Promise<InvoiceStatus> {
    for (let i = 1; ; i++) {
      const status = await this.invoiceStatus(accessToken, sessionRef, invoiceRef)
      if (status.state !== 'processing' || i >= attempts) return status
      await this.sleep(this.pollEveryMs)
    }
  }

  async closeSession(accessToken: string, sessionRef: string): Promise<void> {
    await this.call('POST', `/sessions/online/${encodeURIComponent(sessionRef)}/close`, { bearer: accessToken })
  }

  /** The UPO of an invoice, by its KSeF number (works for a duplicate's original session too). */
  async invoiceUpo(accessToken: string, sessionRef: string, ksefNumber: string): Promise<string> {
    return this.call('GET', `/sessions/${encodeURIComponent(sessionRef)}/invoices/ksef/${encodeURIComponent(ksefNumber)}/upo`, { bearer: accessToken, text: true })
  }

  private async certificateFor(usage: 'KsefTokenEncryption' | 'SymmetricKeyEncryption'): Promise<{ certificate: string; publicKeyId: string | undefined }> {
    const list = (await this.call('GET', '/security/public-key-certificates')) as unknown as Json[]
    const now = Date.now()
    // During a planned rotation two certificates share a usage: the valid one that started last.
    const usable = (Array.isArray(list) ? list : [])
      .filter((c) => Array.isArray(c.usage) && c.usage.includes(usage))
      .filter((c) => !c.validTo || Date.parse(c.validTo) > now)
      .sort((a, b) => Date.parse(b.validFrom ?? 0) - Date.parse(a.validFrom ?? 0))
    const chosen = usable[0]
    if (!chosen) throw new KsefError({ kind: 'unavailable', detail: `no valid public key for ${usage}` })
    return { certificate: chosen.certificate, publicKeyId: chosen.publicKeyId }
  }

  private async call(method: 'GET' | 'POST', path: string, opts: { bearer?: string; body?: unknown; text: true }): Promise<string>
  private async call(method: 'GET' | 'POST', path: string, opts?: { bearer?: string; body?: unknown }): Promise<Json>
  private async call(method: 'GET' | 'POST', path: string, opts: { bearer?: string; body?: unknown; text?: boolean } = {}): Promise<Json | string> {
    const headers: Record<string, string> = { Accept: opts.text ? 'application/xml' : 'application/json' }
    if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    let res: Response
    try {
      res = await this.doFetch(`${this.base}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (e) {
      throw new KsefError({ kind: 'unavailable', detail: `${method} ${path}: ${e instanceof Error ? e.message : String(e)}` })
    }
    const text = await res.text().catch(() => '')
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new KsefError({ kind: 'unavailable', detail: `${method} ${path} answered ${res.status}` })
    }
    if (res.status >= 400) throw new KsefError({ kind: 'refused', status: res.status, reasons: reasonsOfBody(text) })
    if (opts.text) return text
    if (!text) return {}
    try {
      return JSON.parse(text) as Json
    } catch {
      throw new KsefError({ kind: 'unavailable', detail: `${method} ${path}: the answer is not JSON` })
    }
  }
}

function reasonsOf(status: Json | undefined): string[] {
  const details = Array.isArray(status?.details) ? status.details.map(String) : []
  return [String(status?.description ?? 'no description'), ...details]
}

/** ExceptionResponse (`exception.exceptionDetailList`) or problem+json (`title`, `detail`). */
function reasonsOfBody(text: string): string[] {
  try {
    const body = JSON.parse(text) as Json
    const list = body.exception?.exceptionDetailList
    if (Array.isArray(list) && list.length > 0) {
      return list.map((d: Json) => [`${d.exceptionCode ?? ''} ${d.exceptionDescription ?? ''}`.trim(), ...(Array.isArray(d.details) ? d.details : [])].join(': '))
    }
    const problem = [body.title, body.detail].filter(Boolean).join(': ')
    if (problem) return [problem]
  } catch {
    // not JSON: the text itself, shortened
  }
  return [text.slice(0, 500) || 'no reason given']
}

function statusOf(answer: Json): InvoiceStatus {
  const status = answer.status ?? {}
  const code = Number(status.code)
  if (code === 100 || code === 150) return { state: 'processing', code }
  if (code === 200) {
    const ksefNumber = String(answer.ksefNumber ?? '')
    if (!isKsefNumber(ksefNumber)) return { state: 'failed', code, reasons: [`KSeF answered 200 with an invalid KSeF number "${ksefNumber}"`] }
    return { state: 'accepted', ksefNumber, acquisitionDate: answer.acquisitionDate ?? null }
  }
  if (code === 440) {
    const original = String(status.extensions?.originalKsefNumber ?? '')
    // Without the original number there is nothing to reconcile with: an operator must look.
    if (!isKsefNumber(original)) return { state: 'rejected', code, reasons: reasonsOf(status) }
    return { state: 'duplicate', ksefNumber: original, originalSession: status.extensions?.originalSessionReferenceNumber ?? null }
  }
  if (code >= 500) return { state: 'failed', code, reasons: reasonsOf(status) }
  return { state: 'rejected', code: Number.isFinite(code) ? code : 0, reasons: reasonsOf(status) }
}
