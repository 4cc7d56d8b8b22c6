// After an order is placed (checkout, plan changes, add-ons): card and PayPal go straight to the
// provider's hosted page; a transfer, or a provider that is unavailable, lands on the order page,
// which shows the transfer details or a "Pay now" button.
import type { Ctx } from './http'
import { seeOther } from './http'
import { getOrder } from '../services/orders'
import { startHostedPayment } from '../services/payments'

export async function continueToPayment(c: Ctx, orgId: string, slug: string, orderId: string) {
  const { deps, now, user } = c.var
  const order = await getOrder(deps.db, orgId, orderId)
  const orderPage = `/o/${slug}/orders/${orderId}`
  if (!order) return c.notFound()
  // A renewal order awaiting a transfer can be paid by card or PayPal instead (its page offers both).
  const chosen = order.kind === 'renewal' && order.paymentMethod === 'transfer' ? (await c.req.parseBody()).method : undefined
  const offered = deps.config.paymentMethods.filter((m) => m !== 'transfer')
  const method = offered.find((m) => m === chosen) ?? order.paymentMethod
  if (method === 'transfer' || order.status !== 'pending_payment') return seeOther(c, orderPage)
  const started = await startHostedPayment(deps, order, slug, user?.email ?? order.billing.billingEmail, now, method)
  if (!started.ok) return seeOther(c, orderPage, 'order.providerUnavailable')
  // The provider's page is another site (or /pay/test here): a plain 303, also for htmx requests.
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', started.url)
    return c.body(null, 200)
  }
  return c.redirect(started.url, 303)
}
