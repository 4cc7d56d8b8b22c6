// KSeF's "KOD I" (kody-qr.md): the link printed as a QR code on every FA(3) invoice given to a buyer
// outside KSeF, with its label (the KSeF number, or OFFLINE while the invoice has none).
import { sellerNip } from './fa3'

export type KsefEnvironment = 'test' | 'demo' | 'production'

/** Where a scanned code leads, per KSeF environment. */
export const KSEF_QR_HOSTS: Record<KsefEnvironment, string> = {
  test: 'https://qr-test.ksef.mf.gov.pl',
  demo: 'https://qr-demo.ksef.mf.gov.pl',
  production: 'https://qr.ksef.mf.gov.pl',
}

/** The label under the code while KSeF has given the invoice no number. */
export const OFFLINE_LABEL = 'OFFLINE'

/** Base64URL without padding (RFC 4648 §5), as the link carries the hash. */
export function base64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * `https://<qr host>/invoice/<seller NIP>/<issue date DD-MM-YYYY>/<SHA-256 of the exact XML bytes,
 * Base64URL>`. The hash is of the very bytes sent to KSeF: the same file gives the same link.
 */
export async function kodILink(environment: KsefEnvironment, sellerTaxId: string, issueDate: string, xml: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', xml as Uint8Array<ArrayBuffer>))
  return kodILinkFromHash(environment, sellerTaxId, issueDate, digest)
}

/** The same link from an already computed SHA-256 (32 bytes). */
export function kodILinkFromHash(environment: KsefEnvironment, sellerTaxId: string, issueDate: string, sha256: Uint8Array): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(issueDate)
  if (!m) throw new Error(`an issue date must be YYYY-MM-DD, got "${issueDate}"`)
  if (sha256.length !== 32) throw new Error('a SHA-256 hash is 32 bytes')
  return `${KSEF_QR_HOSTS[environment]}/invoice/${sellerNip(sellerTaxId)}/${m[3]}-${m[2]}-${m[1]}/${base64Url(sha256)}`
}

/** What the code is labelled with: the KSeF number once KSeF has assigned one, OFFLINE until then. */
export function kodILabel(ksefNumber: string | null | undefined): string {
  return ksefNumber?.trim() || OFFLINE_LABEL
}
