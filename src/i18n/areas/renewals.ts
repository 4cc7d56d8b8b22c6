// Messages about automatic renewals (SPEC §8): the e-mail to the administrators when a renewal
// charge is declined, with the pay-now link.
import type { AreaCatalog } from '../index'

export const en = {
  'mail.renewal.declined.subject': 'Renewal payment declined: {item}',
  'mail.renewal.declined.body': 'We tried to charge {amount} to your saved payment method ({method}) to renew {item} (order {number}), and the charge was declined.',
  'mail.renewal.declined.retry': 'We will try again on {date}.',
  'mail.renewal.declined.last': 'That was the last automatic attempt.',
  'mail.renewal.declined.payNow': 'To continue without a break, pay the order now from its page, with another card or PayPal. The current period ends on {end}.',
  'mail.renewal.declined.button': 'Pay now',
} as const

export const pl: AreaCatalog<typeof en> = {
  'mail.renewal.declined.subject': 'Płatność za odnowienie odrzucona: {item}',
  'mail.renewal.declined.body': 'Próbowaliśmy pobrać {amount} z zapisanej metody płatności ({method}) za odnowienie {item} (zamówienie {number}), ale płatność została odrzucona.',
  'mail.renewal.declined.retry': 'Spróbujemy ponownie {date}.',
  'mail.renewal.declined.last': 'To była ostatnia automatyczna próba.',
  'mail.renewal.declined.payNow': 'Aby korzystać bez przerwy, opłać zamówienie teraz na jego stronie, inną kartą lub przez PayPal. Bieżący okres kończy się {end}.',
  'mail.renewal.declined.button': 'Zapłać teraz',
}

export const it: AreaCatalog<typeof en> = {
  'mail.renewal.declined.subject': 'Pagamento del rinnovo rifiutato: {item}',
  'mail.renewal.declined.body': 'Abbiamo provato ad addebitare {amount} sul metodo di pagamento salvato ({method}) per rinnovare {item} (ordine {number}), ma l’addebito è stato rifiutato.',
  'mail.renewal.declined.retry': 'Riproveremo il {date}.',
  'mail.renewal.declined.last': 'Era l’ultimo tentativo automatico.',
  'mail.renewal.declined.payNow': 'Per continuare senza interruzioni, paga ora l’ordine dalla sua pagina, con un’altra carta o con PayPal. Il periodo in corso termina il {end}.',
  'mail.renewal.declined.button': 'Paga ora',
}
