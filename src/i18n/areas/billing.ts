// Messages about buying (SPEC §7, §8): checkout, orders, payments, plan changes. One file per area
// keeps the three languages of a message side by side; src/i18n/en.ts merges the areas.
import type { AreaCatalog } from '../index'

export const en = {
  'checkout.title': 'Checkout',
  'mail.order.subject': 'Order {number} received',
  'mail.order.body': 'Thank you for your order {number}. It contains:',
  'mail.order.totals': 'Net {net}, VAT {vat}, total {gross}.',
  'mail.order.transfer': 'Please transfer {amount} to {seller}, account {account}, with the title {title}. We start as soon as the money arrives; unpaid orders are cancelled after 14 days.',
  'mail.order.payOnline': 'If you left the payment page before paying, you can pay from the order page.',
  'mail.order.button': 'See the order',
  'mail.paid.subject': 'Payment for order {number} received',
  'mail.paid.body': 'We have received {amount} for order {number}. What you bought is active now.',
  'mail.paid.invoice': 'Your invoice {invoice} is ready to download.',
  'mail.paid.button': 'Download the invoice',
  'mail.cancelled.subject': 'Order {number} cancelled',
  'mail.cancelled.body': 'Order {number} has been cancelled and will not be charged.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'checkout.title': 'Zamówienie',
  'mail.order.subject': 'Przyjęliśmy zamówienie {number}',
  'mail.order.body': 'Dziękujemy za zamówienie {number}. Zawiera:',
  'mail.order.totals': 'Netto {net}, VAT {vat}, razem {gross}.',
  'mail.order.transfer': 'Prosimy o przelew {amount} na rzecz {seller}, numer konta {account}, w tytule {title}. Realizację zaczynamy po zaksięgowaniu wpłaty; nieopłacone zamówienia anulujemy po 14 dniach.',
  'mail.order.payOnline': 'Jeśli strona płatności została zamknięta przed zapłatą, zapłacisz ze strony zamówienia.',
  'mail.order.button': 'Zobacz zamówienie',
  'mail.paid.subject': 'Otrzymaliśmy płatność za zamówienie {number}',
  'mail.paid.body': 'Otrzymaliśmy {amount} za zamówienie {number}. Zakupione usługi są już aktywne.',
  'mail.paid.invoice': 'Faktura {invoice} jest gotowa do pobrania.',
  'mail.paid.button': 'Pobierz fakturę',
  'mail.cancelled.subject': 'Zamówienie {number} anulowane',
  'mail.cancelled.body': 'Zamówienie {number} zostało anulowane i nie zostanie obciążone.',
}

export const it: AreaCatalog<typeof en> = {
  'checkout.title': 'Ordine',
  'mail.order.subject': 'Ordine {number} ricevuto',
  'mail.order.body': 'Grazie per l’ordine {number}. Contiene:',
  'mail.order.totals': 'Imponibile {net}, IVA {vat}, totale {gross}.',
  'mail.order.transfer': 'Effettua un bonifico di {amount} a {seller}, conto {account}, con causale {title}. Attiviamo l’ordine all’arrivo del pagamento; gli ordini non pagati sono annullati dopo 14 giorni.',
  'mail.order.payOnline': 'Se hai lasciato la pagina di pagamento prima di pagare, puoi pagare dalla pagina dell’ordine.',
  'mail.order.button': 'Vedi l’ordine',
  'mail.paid.subject': 'Pagamento dell’ordine {number} ricevuto',
  'mail.paid.body': 'Abbiamo ricevuto {amount} per l’ordine {number}. Quanto acquistato è ora attivo.',
  'mail.paid.invoice': 'La fattura {invoice} è pronta da scaricare.',
  'mail.paid.button': 'Scarica la fattura',
  'mail.cancelled.subject': 'Ordine {number} annullato',
  'mail.cancelled.body': 'L’ordine {number} è stato annullato e non sarà addebitato.',
}
