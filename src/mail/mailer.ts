// The edge between the outbox and a mail provider. Resend in production; tests use a recording fake.
import { Resend } from 'resend'
import type { MailAttachment } from '../db/schema'

export type OutgoingMail = {
  /** Stable per outbox row: a retried send is never delivered twice. */
  idempotencyKey: string
  from: string
  to: string
  subject: string
  html: string
  text: string
  attachments?: MailAttachment[]
}

/** A mail in a batch: no attachments (Resend's batch endpoint takes none), and the key is the batch's. */
export type BatchMail = Omit<OutgoingMail, 'idempotencyKey' | 'attachments'>

export type SendResult = { ok: true; providerId: string } | { ok: false; error: string }
/** The batch as a whole failed (nothing was sent, or no one knows), or a result per mail, in order. */
export type BatchResult = { ok: true; results: SendResult[] } | { ok: false; error: string }

/** Resend's limit of mails per batch call. */
export const MAX_BATCH = 100

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>
  /** Up to MAX_BATCH mails in one call, under one idempotency key for the whole batch. */
  sendBatch(mails: BatchMail[], idempotencyKey: string): Promise<BatchResult>
}

export class ResendMailer implements Mailer {
  #resend: Resend
  constructor(apiKey: string, baseUrl?: string) {
    this.#resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined)
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    try {
      const { data, error } = await this.#resend.emails.send(
        {
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.contentBase64, contentType: a.contentType })),
        },
        { idempotencyKey: mail.idempotencyKey },
      )
      if (error || !data) return { ok: false, error: error ? `${error.name}: ${error.message}` : 'no response' }
      return { ok: true, providerId: data.id }
    } catch (e) {
      // Network failures surface as throws from fetch; the outbox retries them like any other failure.
      return { ok: false, error: e instanceof Error ? e.message : String(e) }
    }
  }

  /**
   * POST /emails/batch in permissive mode: a mail Resend refuses (a malformed address) comes back as
   * an error at its index and the others are sent; the ids of the sent ones come in their order.
   */
  async sendBatch(mails: BatchMail[], idempotencyKey: string): Promise<BatchResult> {
    try {
      const { data, error } = await this.#resend.batch.send(
        mails.map((m) => ({ from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text })),
        { idempotencyKey, batchValidation: 'permissive' },
      )
      if (error || !data) return { ok: false, error: error ? `${error.name}: ${error.message}` : 'no response' }
      const refused = new Map((data.errors ?? []).map((e) => [e.index, e.message]))
      const ids = data.data.map((d) => d.id)
      if (ids.length + refused.size !== mails.length) return { ok: false, error: `Resend answered ${ids.length} ids and ${refused.size} errors for ${mails.length} mails` }
      let next = 0
      return { ok: true, results: mails.map((_, i) => (refused.has(i) ? { ok: false, error: `refused: ${refused.get(i)}` } : { ok: true, providerId: ids[next++]! })) }
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) }
    }
  }
}
