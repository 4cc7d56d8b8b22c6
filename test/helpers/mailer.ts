// A Mailer that records what it was asked to send, and can be told to fail.
import type { Mailer, OutgoingMail, SendResult } from '../../src/mail/mailer'

export class RecordingMailer implements Mailer {
  sent: OutgoingMail[] = []
  failing = false
  async send(mail: OutgoingMail): Promise<SendResult> {
    if (this.failing) return { ok: false, error: 'provider unavailable (test)' }
    this.sent.push(mail)
    return { ok: true, providerId: `test-${this.sent.length}` }
  }
}
