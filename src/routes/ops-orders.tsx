// The back office's orders (SPEC §7, §15): operators find a bank transfer's order by its title or
// amount, then mark it paid or cancel it. Both are conditional updates in the services, so an
// operator and a provider's webhook racing for the same order have exactly one effect.
import { Hono } from 'hono'
import { z } from 'zod'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { operatorActor } from '../db/history'
import { parseForm, type FormState } from '../forms/validate'
import type { MessageKey } from '../i18n'
import { invoiceNumberOf, ORDER_STATUS_FILTERS, orderForOps, searchOrders, type OpsOrder } from '../services/ops-orders'
import { cancelOrder, markOrderPaid } from '../services/payments'
import { emptyForm } from '../views/components/form'
import { OrderDetailView, OrderSearchView } from '../views/ops/orders'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'

const msg = (key: MessageKey) => ({ message: key })
/** A search link may be typed or edited by hand: anything unreadable falls back to the default. */
const OrderSearch = z.object({ q: z.string().trim().max(100).catch(''), status: z.enum(ORDER_STATUS_FILTERS).catch('pending_payment') })
/** The box to tick is the confirmation step: a stray click on the button alone does nothing. */
const MarkPaidForm = z.object({ received: z.literal('on', msg('ops.orders.pay.confirmRequired')) })
const CancelForm = z.object({ cancel: z.literal('on', msg('ops.orders.cancel.confirmRequired')) })

export const opsOrderRoutes = new Hono<AppEnv>()

opsOrderRoutes.get('/', async (c) => {
  const { q, status } = OrderSearch.parse({ q: c.req.query('q'), status: c.req.query('status') })
  const rows = await searchOrders(c.var.deps.db, { q, status })
  const view = <OrderSearchView t={c.var.t} lang={c.var.lang} timeZone={c.var.deps.config.vendor.timeZone} q={q} status={status} rows={rows} />
  return page(c, c.var.t('ops.orders'), view)
})

type PageState = { payForm?: FormState; cancelForm?: FormState; error?: MessageKey }

function orderPage(c: Ctx, o: OpsOrder, s: PageState = {}, status: ContentfulStatusCode = 200) {
  const { t, lang } = c.var
  const view = (
    <OrderDetailView
      t={t}
      lang={lang}
      timeZone={c.var.deps.config.vendor.timeZone}
      o={o}
      payForm={s.payForm ?? emptyForm()}
      cancelForm={s.cancelForm ?? emptyForm()}
      error={s.error}
    />
  )
  return page(c, t('ops.orders.detailTitle', { number: o.order.number }), view, status)
}

const findOrder = (c: Ctx) => orderForOps(c.var.deps.db, c.req.param('id') ?? '')

/** The order as it is now, saying it is already paid or cancelled and that nothing was changed. */
async function alreadyDone(c: Ctx, orderId: string) {
  const o = (await orderForOps(c.var.deps.db, orderId))!
  return orderPage(c, o, { error: o.order.status === 'cancelled' ? 'ops.orders.error.cancelled' : 'ops.orders.error.paid' }, 409)
}

opsOrderRoutes.get('/:id', async (c) => {
  const o = await findOrder(c)
  return o ? orderPage(c, o) : c.notFound()
})

opsOrderRoutes.post('/:id/payment', async (c) => {
  const o = await findOrder(c)
  if (!o) return c.notFound()
  if (o.order.status !== 'pending_payment') return alreadyDone(c, o.order.id)
  const form = await parseForm(c, MarkPaidForm)
  if (!form.ok) return orderPage(c, o, { payForm: form }, 422)
  const r = await markOrderPaid(c.var.deps, o.order.id, c.var.user!, c.var.now)
  if (!r.ok) return alreadyDone(c, o.order.id)
  const invoice = (await invoiceNumberOf(c.var.deps.db, o.order.id)) ?? ''
  return seeOther(c, `/ops/orders/${o.order.id}`, 'ops.orders.pay.done', { number: o.order.number, invoice })
})

opsOrderRoutes.post('/:id/cancellation', async (c) => {
  const o = await findOrder(c)
  if (!o) return c.notFound()
  if (o.order.status !== 'pending_payment') return alreadyDone(c, o.order.id)
  const form = await parseForm(c, CancelForm)
  if (!form.ok) return orderPage(c, o, { cancelForm: form }, 422)
  const r = await cancelOrder(c.var.deps, o.order, operatorActor(c.var.user!), c.var.now, 'operator')
  if (!r.ok) return alreadyDone(c, o.order.id)
  return seeOther(c, `/ops/orders/${o.order.id}`, 'ops.orders.cancel.done', { number: o.order.number })
})
