// Paying a card or PayPal order by bank transfer instead (SPEC §7), e.g. after the card was declined:
// the order keeps its number, lines and amount; only how it is to be paid changes. One batch: a
// conditional update (still awaiting payment, not already a transfer), then the history row and the
// billing address's e-mail with the transfer details, each written only if the update changed the
// order (changes()), so a double click switches and mails once.
import { and, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { orders } from '../db/schema'
import { recordHistoryIfChanged, userActor } from '../db/history'
import type { User } from '../auth/session'
import { enqueueMailIfChanged } from '../mail/outbox'
import { orderConfirmationMail } from '../mail/templates/orders'
import type { Language } from '../i18n'
import { orderLinesQuery } from './order-pages'
import { orderUrl } from './orders'

export type SwitchResult = { ok: true; number: string } | { ok: false; error: 'not_found' | 'not_pending' }

export async function switchToTransfer(deps: Deps, org: { id: string; slug: string }, user: User, orderId: string, now: Date): Promise<SwitchResult> {
  const { db, config } = deps
  const read = await readTogether(db, {
    order: db
      .select()
      .from(orders)
      .where(and(eq(orders.orgId, org.id), eq(orders.id, orderId)))
      .limit(1),
    lines: orderLinesQuery(db, orderId, org.id),
  })
  const order = read.order[0]
  if (!order) return { ok: false, error: 'not_found' }
  if (order.status !== 'pending_payment') return { ok: false, error: 'not_pending' }
  // Already a transfer: nothing to change, and the page shows the details.
  if (order.paymentMethod === 'transfer') return { ok: true, number: order.number }
  const lang = order.language as Language
  const switched = { ...order, paymentMethod: 'transfer' as const }
  const [changed] = await db.batch([
    db
      .update(orders)
      .set({ paymentMethod: 'transfer' })
      .where(and(eq(orders.id, order.id), eq(orders.orgId, org.id), eq(orders.status, 'pending_payment'), ne(orders.paymentMethod, 'transfer'))),
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor: userActor(user),
      kind: 'order.method_changed',
      subject: { type: 'order', id: order.id },
      details: { number: order.number, from: order.paymentMethod, to: 'transfer' },
      at: now,
    }),
    // Whoever pays the transfers reads the billing address: the account and the title go there too.
    enqueueMailIfChanged(db, {
      to: order.billing.billingEmail,
      language: lang,
      template: 'order.transfer_details',
      mail: orderConfirmationMail({ lang, vendor: config.vendorName }, { order: switched, lines: read.lines.map((r) => r.line), vendor: config.vendor, url: orderUrl(deps, org.slug, order.id) }),
      now,
    }),
  ])
  // Paid or cancelled between the read and the update: the update changed nothing.
  if (changed.rowsAffected !== 1) return { ok: false, error: 'not_pending' }
  return { ok: true, number: order.number }
}
