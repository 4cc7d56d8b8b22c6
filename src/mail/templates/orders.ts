// E-mails about orders and payments (SPEC §7): the order confirmation (with the transfer details
// when paying by bank transfer) and the payment confirmation with the invoice.
import { formatMoney, translator, type Language } from '../../i18n'
import type { VendorConfig } from '../../config'
import type { Localized, PaymentMethod } from '../../db/schema'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }
type OrderFacts = { number: string; currency: string; netMinor: number; vatMinor: number; grossMinor: number; paymentMethod: PaymentMethod }
type LineFacts = { label: Localized; quantity: number; netMinor: number }

export function orderConfirmationMail({ lang, vendor }: Ctx, data: { order: OrderFacts; lines: LineFacts[]; vendor: VendorConfig; url: string }): RenderedMail {
  const t = translator(lang)
  const { order } = data
  const money = (minor: number) => formatMoney(lang, minor, order.currency)
  const lines = data.lines.map((l) => `${l.quantity > 1 ? `${l.quantity} × ` : ''}${l.label[lang]}: ${money(l.netMinor)}`)
  const totals = t('mail.order.totals', { net: money(order.netMinor), vat: money(order.vatMinor), gross: money(order.grossMinor) })
  const transfer =
    order.paymentMethod === 'transfer'
      ? [t('mail.order.transfer', { amount: money(order.grossMinor), account: data.vendor.bankAccount, seller: data.vendor.legalName, title: order.number })]
      : [t('mail.order.payOnline')]
  return renderMail(t, vendor, lang, {
    subject: t('mail.order.subject', { number: order.number }),
    paragraphs: [t('mail.order.body', { number: order.number }), ...lines, totals, ...transfer],
    action: { label: t('mail.order.button'), url: data.url },
  })
}

export function paymentReceivedMail({ lang, vendor }: Ctx, data: { order: OrderFacts; invoiceNumber: string; invoiceUrl: string }): RenderedMail {
  const t = translator(lang)
  const { order } = data
  return renderMail(t, vendor, lang, {
    subject: t('mail.paid.subject', { number: order.number }),
    paragraphs: [t('mail.paid.body', { number: order.number, amount: formatMoney(lang, order.grossMinor, order.currency) }), t('mail.paid.invoice', { invoice: data.invoiceNumber })],
    action: { label: t('mail.paid.button'), url: data.invoiceUrl },
  })
}

export function orderCancelledMail({ lang, vendor }: Ctx, data: { order: OrderFacts; url: string; reason: 'unpaid' | 'operator' }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.cancelled.subject', { number: data.order.number }),
    paragraphs: [t('mail.cancelled.body', { number: data.order.number }), t(`mail.cancelled.reason.${data.reason}`)],
    action: { label: t('mail.order.button'), url: data.url },
  })
}
