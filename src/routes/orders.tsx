// An org's orders, payments, invoices and saved payment methods (SPEC §7), for its administrators.
import { Hono } from 'hono'
import { readOrderPage, readTransactions } from '../services/order-pages'
import { einvoiceSummary, invoicePdf, invoiceXml } from '../services/invoices'
import { removeSavedMethod, setTestDeclines } from '../services/saved-methods'
import { OrderView } from '../views/orders/order'
import { TransactionsView } from '../views/orders/history'
import type { AppEnv } from './env'
import { page, seeOther } from './http'
import { requireAdmin } from './tenant'
import { continueToPayment } from './payment-flow'
import { switchToTransfer } from '../services/transfer-switch'
import { parseForm } from '../forms/validate'
import { formatDate } from '../i18n'
import { SwitchToTransferForm } from '../forms/checkout'

export const orderPages = new Hono<AppEnv>()

orderPages.get('/orders', requireAdmin, async (c) => {
  const { deps, org, t, lang } = c.var
  const { orders, payments, methods } = await readTransactions(deps, org.id)
  const view = <TransactionsView t={t} lang={lang} slug={org.slug} timeZone={org.timeZone} orders={orders} payments={payments} methods={methods} testProvider={deps.payments?.name === 'test'} />
  return page(c, t('transactions.title'), view)
})

orderPages.get('/orders/:id', requireAdmin, async (c) => {
  const { deps, org, t, lang } = c.var
  const found = await readOrderPage(deps, org.id, c.req.param('id'), c.req.query('payment'))
  if (!found) return c.notFound()
  const { paymentMethods } = deps.config
  const online = paymentMethods.filter((m) => m !== 'transfer')
  const { invoice, order, lines, paidWith, submission, offline, rates } = found
  const einvoice = invoice ? await einvoiceSummary(deps.config, { invoice, order, lines, paidWith, submission, offline, rates, orgCodiceFiscale: org.codiceFiscale }) : null
  const view = <OrderView t={t} lang={lang} slug={org.slug} {...found} einvoice={einvoice} vendor={deps.config.vendor} online={online} transfers={paymentMethods.includes('transfer')} timeZone={org.timeZone} />
  return page(c, t('order.title', { number: found.order.number }), view)
})

orderPages.post('/orders/:id/payments', requireAdmin, (c) => continueToPayment(c, c.var.org.id, c.var.org.slug, c.req.param('id')))

// Paying by bank transfer instead of the card or PayPal chosen at checkout.
orderPages.post('/orders/:id/payment-method', requireAdmin, async (c) => {
  const { deps, org, user, now, t } = c.var
  const form = await parseForm(c, SwitchToTransferForm)
  if (!form.ok || !deps.config.paymentMethods.includes('transfer')) return c.text(t('order.toTransfer.invalid'), 422)
  const r = await switchToTransfer(deps, org, user!, c.req.param('id'), now)
  if (!r.ok && r.error === 'not_found') return c.notFound()
  if (!r.ok) return seeOther(c, `/o/${org.slug}/orders/${c.req.param('id')}`, 'order.toTransfer.notPending')
  return seeOther(c, `/o/${org.slug}/orders/${c.req.param('id')}`, 'order.toTransfer.done', { number: r.number })
})

orderPages.get('/invoices/:id', requireAdmin, async (c) => {
  const pdf = await invoicePdf(c.var.deps, c.var.org.id, c.req.param('id'))
  if (!pdf) return c.notFound()
  c.header('Content-Type', 'application/pdf')
  c.header('Content-Disposition', `attachment; filename="${pdf.fileName}"`)
  c.header('Cache-Control', 'private, no-store')
  return c.body(pdf.bytes as Uint8Array<ArrayBuffer>)
})

// The e-invoice beside the PDF, with the same rule: an administrator of the invoice's org, else 404.
orderPages.get('/invoices/:id/xml', requireAdmin, async (c) => {
  const document = await invoiceXml(c.var.deps, c.var.org.id, c.req.param('id'))
  if (!document) return c.notFound()
  if ('waitingForRate' in document) {
    // Its VAT in złoty needs the NBP's rate, which the einvoices job fetches within minutes.
    c.header('Retry-After', '300')
    c.header('Cache-Control', 'no-store')
    return c.text(c.var.t('invoice.pln.xmlWaiting', { date: formatDate(c.var.lang, new Date(`${document.waitingForRate}T12:00:00Z`)) }), 503)
  }
  c.header('Content-Type', 'application/xml; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${document.fileName}"`)
  c.header('Cache-Control', 'private, no-store')
  return c.body(document.xml as Uint8Array<ArrayBuffer>)
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
