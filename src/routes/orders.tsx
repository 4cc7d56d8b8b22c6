// An org's orders, payments, invoices and saved payment methods (SPEC §7), for its administrators.
import { Hono } from 'hono'
import { and, eq } from 'drizzle-orm'
import { invoices, payments } from '../db/schema'
import { totals } from '../domain/vat'
import { getOrder, listOrders, listPayments, orderLinesOf } from '../services/orders'
import { invoicePdf } from '../services/invoices'
import { listSavedMethods, removeSavedMethod, setTestDeclines } from '../services/saved-methods'
import { OrderView } from '../views/orders/order'
import { TransactionsView } from '../views/orders/history'
import type { AppEnv } from './env'
import { page, seeOther } from './http'
import { requireAdmin } from './tenant'
import { continueToPayment } from './payment-flow'

export const orderPages = new Hono<AppEnv>()

orderPages.get('/orders', requireAdmin, async (c) => {
  const { deps, org, t, lang } = c.var
  const [orders, paid, methods] = await Promise.all([listOrders(deps.db, org.id), listPayments(deps.db, org.id), listSavedMethods(deps, org.id)])
  const view = <TransactionsView t={t} lang={lang} slug={org.slug} timeZone={org.timeZone} orders={orders} payments={paid} methods={methods} testProvider={deps.payments?.name === 'test'} />
  return page(c, t('transactions.title'), view)
})

orderPages.get('/orders/:id', requireAdmin, async (c) => {
  const { deps, org, t, lang } = c.var
  const order = await getOrder(deps.db, org.id, c.req.param('id'))
  if (!order) return c.notFound()
  const [lines, invoice, attempt] = await Promise.all([
    orderLinesOf(deps.db, org.id, order.id),
    deps.db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(and(eq(invoices.orgId, org.id), eq(invoices.orderId, order.id))).get(),
    // Back from the provider's page: what became of that attempt (a webhook may still be on its way).
    c.req.query('payment')
      ? deps.db.select({ status: payments.status }).from(payments).where(and(eq(payments.orderId, order.id), eq(payments.id, c.req.query('payment')!))).get()
      : undefined,
  ])
  const returned = attempt ? (attempt.status === 'succeeded' ? 'succeeded' : attempt.status === 'failed' ? 'failed' : 'pending') : null
  const sums = totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 })))
  const view = (
    <OrderView t={t} lang={lang} slug={org.slug} order={order} lines={lines} totals={sums} invoice={invoice ?? null} vendor={deps.config.vendor} online={deps.config.paymentMethods.filter((m) => m !== 'transfer')} timeZone={org.timeZone} returned={returned} />
  )
  return page(c, t('order.title', { number: order.number }), view)
})

orderPages.post('/orders/:id/payments', requireAdmin, (c) => continueToPayment(c, c.var.org.id, c.var.org.slug, c.req.param('id')))

orderPages.get('/invoices/:id', requireAdmin, async (c) => {
  const pdf = await invoicePdf(c.var.deps, c.var.org.id, c.req.param('id'))
  if (!pdf) return c.notFound()
  c.header('Content-Type', 'application/pdf')
  c.header('Content-Disposition', `attachment; filename="${pdf.fileName}"`)
  c.header('Cache-Control', 'private, no-store')
  return c.body(pdf.bytes as Uint8Array<ArrayBuffer>)
})

orderPages.post('/payment-methods/:id/removal', requireAdmin, async (c) => {
  const { deps, org, user, now } = c.var
  const removed = await removeSavedMethod(deps, org.id, c.req.param('id'), user!, now)
  if (!removed) return c.notFound()
  return seeOther(c, `/o/${org.slug}/orders`, 'transactions.removed')
})

orderPages.post('/payment-methods/:id/declines', requireAdmin, async (c) => {
  const { deps, org } = c.var
  const body = await c.req.parseBody()
  const changed = await setTestDeclines(deps, org.id, c.req.param('id'), body.declines === 'on')
  if (!changed) return c.notFound()
  return seeOther(c, `/o/${org.slug}/orders`)
})
