// Mail that carries a secret (issue 15): a link that signs someone in or sets a password, an e-code
// and its voucher PDF. A copy of the database must not hand these out, so such a mail is stored
// sealed (src/auth/sealing.ts, the 'mail' key), opened only to be sent or shown on /dev/mail, and
// its body erased once sent or given up. Recipient, subject, template, status and times stay for
// "I never got it" questions; subjects never carry the secret.
import type { MailAttachment } from '../db/schema'
import { openText, sealText } from '../auth/sealing'

/**
 * The templates whose mails carry a secret: activation and reset links (a token), the voucher (an
 * e-code, also in its PDF and file name), and the invitation (the issue lists it: who invited whom
 * to which org, and the link to join), and the answer to a mistake report on a voucher (its link
 * holds the e-code). "Someone tried to register" and "password changed" link to public pages only
 * and stay in clear.
 */
export const SECRET_TEMPLATES: ReadonlySet<string> = new Set(['account.activation', 'account.reset', 'member.invitation', 'ecode.voucher', 'ecode.report_resolved'])

export type MailBody = { html: string; text: string; attachments: MailAttachment[] | null }

/** What a sent secret mail keeps of its body. */
export const ERASED_BODY = { html: '', text: '', attachments: null } as const satisfies MailBody

type Stored = MailBody & { id: string; template: string; sealed: boolean }

/** Whether the row's body goes once it is sent or given up: sealed mail, and secret mail queued in clear before sealing existed. */
export const erasedWhenDone = (row: Stored) => row.sealed || SECRET_TEMPLATES.has(row.template)

/** Whether the row's body is gone (a secret mail after sending), as opposed to never having had one. */
export const isErased = (row: Stored) => erasedWhenDone(row) && row.html === '' && row.text === ''

/**
 * The body with `change` applied to every field that may hold the secret. Each field is bound to
 * its row and place (`outbox/<id>/<field>`), so fields can't be swapped between rows or with each other.
 */
async function eachField(id: string, body: MailBody, change: (value: string, context: string) => Promise<string>): Promise<MailBody> {
  const at = (field: string) => `outbox/${id}/${field}`
  return {
    html: await change(body.html, at('html')),
    text: await change(body.text, at('text')),
    attachments: body.attachments
      ? await Promise.all(
          body.attachments.map(async (a, i) => ({
            filename: await change(a.filename, at(`attachments/${i}/filename`)),
            contentType: a.contentType,
            contentBase64: await change(a.contentBase64, at(`attachments/${i}/content`)),
          })),
        )
      : null,
  }
}

export function sealMailBody(secret: string, id: string, body: MailBody): Promise<MailBody> {
  return eachField(id, body, (value, context) => sealText(secret, 'mail', value, context))
}

/**
 * The body as it is to be sent: opened when sealed, as stored otherwise. Throws when a sealed body
 * does not open (ECODE_ENCRYPTION_KEY was changed since it was queued, or the row was altered).
 */
export async function openMailBody(secret: string, row: Stored): Promise<MailBody> {
  if (!row.sealed || isErased(row)) return { html: row.html, text: row.text, attachments: row.attachments }
  return eachField(row.id, row, (value, context) => openText(secret, 'mail', value, context))
}
