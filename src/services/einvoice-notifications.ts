// What an SdI notification does to its invoice's submission (NOTES-fatturapa §5), written in one
// batch with the notification's id, whose primary key makes a replayed or concurrent delivery
// change nothing a second time:
//   RC delivered → accepted;  MC not delivered → accepted (issued; the buyer finds it in their
//   reserved area of the Agenzia's portal, and the note says to tell them);  NS → rejected with
//   SdI's errors;  NE (public administrations) EC01 → accepted, EC02 → rejected;  DT, AT → notes.
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import type { Db } from '../db/client'
import { einvoiceNotifications, einvoiceSubmissions, type EInvoiceState } from '../db/schema'
import { uniqueViolation } from '../db/errors'
import type { Notification } from '../einvoice/sdi/webhook'

const s = einvoiceSubmissions

type Change = { from: EInvoiceState[]; set: SQLiteUpdateSetSource<typeof s> }

function changeOf(n: Notification, now: Date): Change {
  const when = n.at ? ` (${n.at})` : ''
  const number = n.sdiId ? { number: n.sdiId } : {}
  const note = (text: string) => ({ note: sql`trim(coalesce(${s.note} || char(10), '') || ${text})` })
  switch (n.type) {
    case 'RC':
      return { from: ['sent'], set: { state: 'accepted', ...number, ...note(`RC: delivered to the buyer${when}`), decidedAt: now, reasons: null } }
    case 'MC':
      return {
        from: ['sent'],
        set: {
          state: 'accepted',
          ...number,
          ...note(`MC: issued but not delivered${when}: the buyer finds it in their reserved area of the Agenzia delle Entrate portal (Fatture e Corrispettivi); tell them and send them a copy`),
          decidedAt: now,
          reasons: null,
        },
      }
    case 'NS': {
      const errors = (n.errors ?? []).map((e) => `${e.code}: ${e.description}${e.hint ? ` (${e.hint})` : ''}`)
      return { from: ['sent'], set: { state: 'rejected', ...number, reasons: ['NS', ...(errors.length > 0 ? errors : [n.description ?? 'no reason given'])], decidedAt: now } }
    }
    case 'NE':
      if (n.outcome === 'EC02') return { from: ['sent', 'accepted'], set: { state: 'rejected', reasons: ['NE EC02', n.description ?? 'refused by the public administration'], decidedAt: now } }
      return { from: ['sent', 'accepted'], set: { state: 'accepted', ...number, ...note(`NE EC01: accepted by the public administration${when}`), decidedAt: now } }
    case 'DT':
      return { from: ['sent', 'accepted'], set: { state: 'accepted', ...number, ...note(`DT: no answer from the public administration within the term${when}`), decidedAt: now } }
    case 'AT':
      return { from: ['sent'], set: { state: 'accepted', ...number, ...note(`AT: SdI could not deliver it and attests the transmission${when}; send the invoice to the administration by other means`), decidedAt: now } }
  }
}

export type NotificationResult = 'applied' | 'duplicate' | 'unknown_invoice' | 'not_applicable'

export async function applyNotification(db: Db, n: Notification, now: Date): Promise<NotificationResult> {
  const row = await db
    .select({ invoiceId: s.invoiceId, state: s.state })
    .from(s)
    .where(and(eq(s.channel, 'sdi'), eq(s.transportRef, n.invoice)))
    .get()
  if (!row) return 'unknown_invoice'
  const change = changeOf(n, now)
  try {
    const [, update] = await db.batch([
      db.insert(einvoiceNotifications).values({ id: n.id, invoiceId: row.invoiceId, type: n.type, receivedAt: now }),
      db
        .update(s)
        .set(change.set)
        .where(and(eq(s.invoiceId, row.invoiceId), eq(s.transportRef, n.invoice), inArray(s.state, change.from))),
    ])
    return update.rowsAffected === 1 ? 'applied' : 'not_applicable'
  } catch (e) {
    if (uniqueViolation(e)) return 'duplicate'
    throw e
  }
}
