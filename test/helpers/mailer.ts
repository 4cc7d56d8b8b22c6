// A Mailer that records what it was asked to send, and can be told to fail.
import type { BatchMail, BatchResult, Mailer, OutgoingMail, SendResult } from '../../src/mail/mailer'

export class RecordingMailer implements Mailer {
  /** Every mail sent, single or in a batch (a batch's mails carry the batch's key). */
  sent: OutgoingMail[] = []
  /** One entry per call: a single send (its key) or a batch (its key and size). */
  calls: { kind: 'single' | 'batch'; idempotencyKey: string; size: number }[] = []
  failing = false

  async send(mail: OutgoingMail): Promise<SendResult> {
    this.calls.push({ kind: 'single', idempotencyKey: mail.idempotencyKey, size: 1 })
    if (this.failing) return { ok: false, error: 'provider unavailable (test)' }
    this.sent.push(mail)
    return { ok: true, providerId: `test-${this.sent.length}` }
  }

  async sendBatch(mails: BatchMail[], idempotencyKey: string): Promise<BatchResult> {
    this.calls.push({ kind: 'batch', idempotencyKey, size: mails.length })
    if (this.failing) return { ok: false, error: 'provider unavailable (test)' }
    return { ok: true, results: mails.map((m) => (this.sent.push({ ...m, idempotencyKey }), { ok: true, providerId: `test-${this.sent.length}` })) }
  }
}
