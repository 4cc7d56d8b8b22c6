// The test provider's hosted page (SPEC §7): /pay/test/<payment> shows the amount and order with
// Approve and Decline, as Stripe's page would, and reports back the way a webhook would — through
// settlePayment, once per attempt. It exists only while the test provider is configured (never in
// production), and only for a signed-in member of the paying org: a payment's link approves nothing
// in anyone else's hands (another org's payment looks missing, 404).
import { Hono } from 'hono'
import { eq } from 'drizzle-orm'
import { orders, orgs, payments } from '../db/schema'
import { settlePayment } from '../services/payments'
import { testHostedMethod, testSavedMethod } from '../payments/test-provider'
import { TestPaymentView } from '../views/orders/pay-test'
import type { AppEnv } from './env'
import { page, type Ctx } from './http'

export const payTestRoutes = new Hono<AppEnv>()

payTestRoutes.use(async (c, next) => {
  if (c.var.deps.payments?.name !== 'test') return c.notFound()
  await next()
})

async function attempt(c: Ctx) {
  const memberOf = new Set(c.var.orgs.map((o) => o.id))
  const row = await c.var.deps.db
    .select({ payment: payments, order: orders, slug: orgs.slug })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .innerJoin(orgs, eq(orgs.id, orders.orgId))
    .where(eq(payments.id, c.req.param('payment') ?? ''))
    .get()
  return row?.payment.provider === 'test' && row.payment.kind === 'hosted' && memberOf.has(row.order.orgId) ? row : null
}

payTestRoutes.use(async (c, next) => {
  if (!c.var.user) return c.redirect('/login', 303)
  await next()
})

payTestRoutes.get('/:payment', async (c) => {
  const found = await attempt(c)
  if (!found) return c.notFound()
  const back = `/o/${found.slug}/orders/${found.order.id}?payment=${found.payment.id}`
  return page(c, c.var.t('payTest.title'), <TestPaymentView t={c.var.t} lang={c.var.lang} payment={found.payment} order={found.order} back={back} />)
})

for (const [path, outcome] of [
  ['approval', 'succeeded'],
  ['decline', 'failed'],
] as const) {
  payTestRoutes.post(`/:payment/${path}`, async (c) => {
    const found = await attempt(c)
    if (!found) return c.notFound()
    const { payment, order } = found
    const method = testHostedMethod(payment.providerRef)
    await settlePayment(
      c.var.deps,
      {
        provider: 'test',
        // One verdict per attempt: a second click (or a click on the other button) is a duplicate.
        eventId: `test_${payment.id}`,
        eventType: `test.${path}`,
        paymentId: payment.id,
        providerRef: payment.providerRef,
        outcome,
        reason: outcome === 'failed' ? 'declined_on_test_page' : undefined,
        savedMethod: outcome === 'succeeded' ? testSavedMethod(order.orgId, payment.id, method) : null,
      },
      c.var.now,
    )
    return c.redirect(`/o/${found.slug}/orders/${order.id}?payment=${payment.id}`, 303)
  })
}
