// Unpaid orders (SPEC §7), a step of the daily renewals job: an order waiting for a bank transfer is
// cancelled 14 days after it was placed (src/domain/lifecycle.ts), through cancelOrder, which mails
// the buyer in the same batch and changes nothing if the order was paid or cancelled meanwhile.
// Not a renewal order: that one stays payable until its period ends, when the lapse step settles it.
// Not a card or PayPal order either: nothing was promised about those, and the buyer may still pay.
import { and, eq, gt, lte, ne, or, type SQL } from 'drizzle-orm'
import { orders, orgs } from '../db/schema'
import { systemActor } from '../db/history'
import { unpaidOrderCutoff, unpaidOrderExpired } from '../domain/lifecycle'
import { count, guarded, spent, type StepContext } from './steps'
import { cancelOrder } from './payments'

export async function cancelUnpaidOrders(x: StepContext): Promise<void> {
  const { deps, now, page } = x
  const cutoff = unpaidOrderCutoff(now)
  count(x, 'orders_cancelled', 0)
  let cursor: { at: Date; id: string } | null = null
  for (;;) {
    const o = orders
    const after: SQL | undefined = cursor ? or(gt(o.createdAt, cursor.at), and(eq(o.createdAt, cursor.at), gt(o.id, cursor.id))) : undefined
    // Walks orders_status_created (status, created_at) from the oldest pending order on.
    const rows = await deps.db
      .select({ order: o, timeZone: orgs.timeZone })
      .from(o)
      .innerJoin(orgs, eq(orgs.id, o.orgId))
      .where(and(eq(o.status, 'pending_payment'), lte(o.createdAt, cutoff), eq(o.paymentMethod, 'transfer'), ne(o.kind, 'renewal'), after))
      .orderBy(o.createdAt, o.id)
      .limit(page)
    for (const { order, timeZone } of rows) {
      if (!unpaidOrderExpired(order.createdAt, now, timeZone)) continue
      if (spent(x)) return
      await guarded(x, `order ${order.number}`, async () => {
        const r = await cancelOrder(deps, order, systemActor('renewals'), now, 'unpaid')
        if (r.ok) count(x, 'orders_cancelled')
      })
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) break
    cursor = { at: last.order.createdAt, id: last.order.id }
  }
}
