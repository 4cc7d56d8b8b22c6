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

export type SendResult = { ok: true; providerId: string } | { ok: false; error: string }

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>
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
}
