// E-invoicing's settings (issue 18, docs/einvoices.md): which channel the seller's country uses —
// KSeF for Poland, SdI through an intermediary for Italy — and its secrets. Outside production
// the fakes stand in when nothing is set (`npm start` shows KSeF numbers appearing); production
// needs the real settings or an explicit EINVOICE=off, and never takes a KSeF address of its own.
import type { Environment } from './config-environment'
import { KSEF_API, type KsefEnvironment } from './einvoice/ksef/client'
import { parseCertificateSerial, parseOfflineKey, type OfflineCertificate } from './einvoice/kod2'
import { NBP_API } from './einvoice/nbp/client'

export type EInvoiceConfig =
  /** `setting`: EINVOICE=off; `country`: the seller's country has no channel here. */
  | { mode: 'off'; reason: 'setting' | 'country' }
  /** `nbpUrl`: the NBP's API (NBP_URL, else the NBP's own), for the VAT in złoty of invoices in other currencies. */
  | { mode: 'ksef'; environment: KsefEnvironment | 'custom'; apiBase: string; token: string; nip: string; nbpUrl: string }
  | { mode: 'sdi'; apiBase: string; apiKey: string; webhookSecret: string }
  /** Development and tests without settings: the entry point starts the fake (src/einvoice/dev.ts). */
  /** `nbpUrl` null: the fake NBP starts beside the fake KSeF. */
  | { mode: 'fake'; channel: 'ksef' | 'sdi'; nip: string; nbpUrl: string | null }

type Env = Record<string, string | undefined>

const KSEF_ENVIRONMENTS = Object.keys(KSEF_API) as KsefEnvironment[]

/** The NIP in the seller's tax id (`PL5260250274`, `526-025-02-74`): 10 digits, or null. */
export function nipOf(taxId: string): string | null {
  const digits = taxId.replace(/^PL/i, '').replace(/[\s-]/g, '')
  return /^\d{10}$/.test(digits) ? digits : null
}

export function parseEInvoice(env: Env, environment: Environment, vendor: { country: string; taxId: string }, problems: string[]): EInvoiceConfig {
  const production = environment === 'production'
  const value = (name: string) => env[name]?.trim() || undefined
  const mode = value('EINVOICE')
  const ksef = { token: value('KSEF_TOKEN'), env: value('KSEF_ENV'), url: value('KSEF_URL') }
  const sdi = { url: value('SDI_URL'), apiKey: value('SDI_API_KEY'), webhookSecret: value('SDI_WEBHOOK_SECRET') }
  if (mode !== undefined && mode !== 'off') {
    problems.push(`EINVOICE may only be "off" (no invoices sent to KSeF or SdI), not "${mode}"`)
    return { mode: 'off', reason: 'setting' }
  }
  if (mode === 'off') {
    if (ksef.token || sdi.apiKey) problems.push('EINVOICE=off and KSeF or SdI settings are both set: choose one (unset EINVOICE, or the KSEF_/SDI_ settings)')
    return { mode: 'off', reason: 'setting' }
  }
  if (vendor.country === 'PL') {
    const nip = nipOf(vendor.taxId)
    const nbpUrl = value('NBP_URL')
    // The rates decide the VAT in złoty on legal invoices: production reads them over https only.
    if (nbpUrl && !(production ? /^https:\/\/[^/]+/ : /^https?:\/\/[^/]+/).test(nbpUrl)) problems.push(`NBP_URL must be an ${production ? 'https' : 'http(s)'} address (the NBP's is ${NBP_API}), not "${nbpUrl}"`)
    if (!ksef.token) {
      if (production) problems.push('KSEF_TOKEN and KSEF_ENV are not set: a Polish seller sends its invoices to KSeF (a KSeF token generated for its NIP, and test, demo or prod), or set EINVOICE=off')
      return { mode: 'fake', channel: 'ksef', nip: nip ?? '5260250274', nbpUrl: nbpUrl ?? null }
    }
    if (!nip) problems.push(`VENDOR_TAX_ID must hold the seller's 10-digit NIP for KSeF (e.g. PL5260250274), not "${vendor.taxId}"`)
    let apiBase: string | undefined
    let kind: KsefEnvironment | 'custom' = 'prod'
    if (ksef.url) {
      // Production's invoices go to the Ministry only: an address of its own could send them anywhere.
      if (production) problems.push('KSEF_URL is for development and tests (a fake KSeF); production reaches KSeF through KSEF_ENV')
      else if (!/^https?:\/\/[^/]+/.test(ksef.url)) problems.push(`KSEF_URL must be an http(s) address, not "${ksef.url}"`)
      apiBase = ksef.url
      kind = 'custom'
    }
    if (!ksef.env && !ksef.url) problems.push('KSEF_ENV is not set: which KSeF the token belongs to, test, demo or prod')
    else if (ksef.env && !KSEF_ENVIRONMENTS.includes(ksef.env as KsefEnvironment)) problems.push(`KSEF_ENV must be test, demo or prod, not "${ksef.env}"`)
    else if (ksef.env && !ksef.url) {
      kind = ksef.env as KsefEnvironment
      apiBase = KSEF_API[kind]
    }
    return { mode: 'ksef', environment: kind, apiBase: apiBase ?? '', token: ksef.token, nip: nip ?? '', nbpUrl: nbpUrl ?? NBP_API }
  }
  if (vendor.country === 'IT') {
    const given = Object.entries({ SDI_URL: sdi.url, SDI_API_KEY: sdi.apiKey, SDI_WEBHOOK_SECRET: sdi.webhookSecret })
    const missing = given.filter(([, v]) => !v).map(([k]) => k)
    if (missing.length === 3) {
      if (production) problems.push("SDI_URL, SDI_API_KEY and SDI_WEBHOOK_SECRET are not set: an Italian seller sends its invoices to SdI through its intermediary's API, or set EINVOICE=off")
      return { mode: 'fake', channel: 'sdi', nip: '', nbpUrl: null }
    }
    if (missing.length > 0) problems.push(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set: SdI needs the intermediary's address, its API key and the webhook secret together`)
    if (sdi.url && !(production ? /^https:\/\/[^/]+/ : /^https?:\/\/[^/]+/).test(sdi.url)) problems.push(`SDI_URL must be an ${production ? 'https' : 'http(s)'} address, not "${sdi.url}"`)
    if (sdi.webhookSecret && sdi.webhookSecret.length < 32) problems.push('SDI_WEBHOOK_SECRET must be at least 32 characters (as the intermediary gives it, or `openssl rand -base64 32`)')
    return { mode: 'sdi', apiBase: sdi.url ?? '', apiKey: sdi.apiKey ?? '', webhookSecret: sdi.webhookSecret ?? '' }
  }
  return { mode: 'off', reason: 'country' }
}

/**
 * The KSeF certificate of the Offline type whose key signs KOD II on offline invoices (einvoice/kod2.ts):
 * optional — without it offline invoices carry KOD I alone — but both settings or neither, and each
 * one KSeF would take, in every environment.
 */
export function parseKsefOffline(env: Env, vendorCountry: string, problems: string[]): OfflineCertificate | null {
  const serial = env.KSEF_OFFLINE_CERT_SERIAL?.trim() || undefined
  const pem = env.KSEF_OFFLINE_KEY?.trim() || undefined
  if (!serial && !pem) return null
  if (vendorCountry !== 'PL') {
    problems.push('KSEF_OFFLINE_CERT_SERIAL and KSEF_OFFLINE_KEY are for a Polish seller (KSeF\'s KOD II); unset them, or set VENDOR_COUNTRY=PL')
    return null
  }
  if (!serial || !pem) {
    problems.push(`${serial ? 'KSEF_OFFLINE_KEY' : 'KSEF_OFFLINE_CERT_SERIAL'} is not set: KOD II needs the Offline certificate's serial number and its private key together (or neither)`)
    return null
  }
  const found: Partial<OfflineCertificate> = {}
  try {
    found.serial = parseCertificateSerial(serial)
  } catch (e) {
    problems.push(`KSEF_OFFLINE_CERT_SERIAL ${(e as Error).message}`)
  }
  try {
    found.key = parseOfflineKey(pem)
  } catch (e) {
    problems.push(`KSEF_OFFLINE_KEY ${(e as Error).message}`)
  }
  return found.serial && found.key ? { serial: found.serial, key: found.key } : null
}
