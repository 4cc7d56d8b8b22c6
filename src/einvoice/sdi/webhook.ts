// The SdI intermediary's webhook, as Kontor expects it (docs/einvoices.md): the header
// `Kontor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the shared
// secret; a timestamp more than 5 minutes off is refused (a captured request can't be replayed
// later), and each notification id is applied once (src/services/einvoice-notifications.ts).
import { encodeHexLowerCase } from '@oslojs/encoding'
import { z } from 'zod'
import { constantTimeEqual } from '../../auth/tokens'

export const SIGNATURE_HEADER = 'Kontor-Signature'
export const REPLAY_WINDOW_SECONDS = 300

export async function signatureOf(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}.${body}`))
  return encodeHexLowerCase(new Uint8Array(mac))
}

export async function signatureHeader(secret: string, timestamp: number, body: string): Promise<string> {
  return `t=${timestamp},v1=${await signatureOf(secret, timestamp, body)}`
}

export async function verifySignature(secret: string, header: string | undefined, body: string, now: Date): Promise<'ok' | 'invalid' | 'stale'> {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!/^\d{1,12}$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return 'invalid'
  const expected = new TextEncoder().encode(await signatureOf(secret, t, body))
  if (!constantTimeEqual(expected, new TextEncoder().encode(parts.v1!))) return 'invalid'
  return Math.abs(now.getTime() / 1000 - t) > REPLAY_WINDOW_SECONDS ? 'stale' : 'ok'
}

/** SdI's notifications to the sender (NOTES-fatturapa §5). */
export const NOTIFICATION_TYPES = ['RC', 'MC', 'NS', 'NE', 'DT', 'AT'] as const

export const Notification = z.object({
  /** The intermediary's id of this notification: applied once. */
  id: z.string().min(1).max(200),
  type: z.enum(NOTIFICATION_TYPES),
  /** The intermediary's id of the invoice file, as its POST /v1/invoices answered. */
  invoice: z.string().min(1).max(200),
  /** SdI's IdentificativoSdI of the file. */
  sdiId: z.string().max(50).nullish(),
  fileName: z.string().max(200).nullish(),
  at: z.string().max(40).nullish(),
  /** NS: ListaErrori (Codice, Descrizione, and a Suggerimento when SdI gives one). */
  errors: z.array(z.object({ code: z.string().max(20), description: z.string().max(1000), hint: z.string().max(1000).nullish() })).max(200).nullish(),
  /** NE: EC01 accepted, EC02 refused by the public administration. */
  outcome: z.enum(['EC01', 'EC02']).nullish(),
  description: z.string().max(1000).nullish(),
})
export type Notification = z.infer<typeof Notification>
