// Messages about manual renewals (SPEC §8): the renewal order for a subscription that is not charged
// automatically and the reminders 14, 7 and 1 day before the period ends, with the transfer details;
// and, on a renewal order's page, paying it by card or PayPal instead of the transfer.
import type { AreaCatalog } from '../index'

export const en = {
  'mail.manualRenewal.subject.placed': 'Renewal order {number}: {item}',
  'mail.manualRenewal.subject.reminder': 'Reminder: {item} ends on {end}',
  'mail.manualRenewal.placed': 'The current period of {item} ends on {end} and is not renewed automatically, so we have placed renewal order {number} for the next period: {amount}.',
  'mail.manualRenewal.unpaid': 'The current period of {item} ends on {end}, and renewal order {number} ({amount}) has not been paid yet.',
  'mail.manualRenewal.transfer': 'To pay by bank transfer, send {amount} to {seller}, account {account}, with the title {title}. You can also pay by card or PayPal from the order page.',
  'mail.manualRenewal.transferOnly': 'To pay by bank transfer, send {amount} to {seller}, account {account}, with the title {title}.',
  'mail.manualRenewal.online': 'You can pay it by card or PayPal from the order page.',
  'mail.manualRenewal.start': 'Paying early loses nothing: the next period starts exactly when the current one ends.',
  'mail.manualRenewal.lapse.readOnly': 'If it is not paid by then, the organisation becomes read-only on {end} and its data is deleted on {deletes}.',
  'mail.manualRenewal.lapse.free': 'If it is not paid by then, the organisation moves to the free plan on {end}; nothing issued so far stops working.',
  'mail.manualRenewal.button': 'Pay the renewal',
  'order.renewal.note': 'Please use exactly this title, so that we can match the payment. This renewal can be paid until the current period ends.',
  'order.renewal.online': 'Or pay now online:',
} as const

export const pl: AreaCatalog<typeof en> = {
  'mail.manualRenewal.subject.placed': 'Zamówienie odnowienia {number}: {item}',
  'mail.manualRenewal.subject.reminder': 'Przypomnienie: {item} kończy się {end}',
  'mail.manualRenewal.placed': 'Bieżący okres usługi {item} kończy się {end} i nie odnowi się automatycznie, dlatego złożyliśmy zamówienie odnowienia {number} na kolejny okres: {amount}.',
  'mail.manualRenewal.unpaid': 'Bieżący okres usługi {item} kończy się {end}, a zamówienie odnowienia {number} ({amount}) nie jest jeszcze opłacone.',
  'mail.manualRenewal.transfer': 'Aby zapłacić przelewem, przelej {amount} na rzecz {seller}, numer konta {account}, w tytule {title}. Możesz też zapłacić kartą lub przez PayPal na stronie zamówienia.',
  'mail.manualRenewal.transferOnly': 'Aby zapłacić przelewem, przelej {amount} na rzecz {seller}, numer konta {account}, w tytule {title}.',
  'mail.manualRenewal.online': 'Możesz je opłacić kartą lub przez PayPal na stronie zamówienia.',
  'mail.manualRenewal.start': 'Wcześniejsza płatność niczego nie skraca: kolejny okres zaczyna się dokładnie z końcem bieżącego.',
  'mail.manualRenewal.lapse.readOnly': 'Jeśli nie zostanie opłacone do tego czasu, organizacja przejdzie {end} w tryb tylko do odczytu, a jej dane zostaną usunięte {deletes}.',
  'mail.manualRenewal.lapse.free': 'Jeśli nie zostanie opłacone do tego czasu, organizacja przejdzie {end} na plan bezpłatny; nic, co dotąd wydano, nie przestanie działać.',
  'mail.manualRenewal.button': 'Opłać odnowienie',
  'order.renewal.note': 'Użyj dokładnie tego tytułu, abyśmy mogli przypisać wpłatę. Odnowienie można opłacić do końca bieżącego okresu.',
  'order.renewal.online': 'Albo zapłać teraz online:',
}

export const it: AreaCatalog<typeof en> = {
  'mail.manualRenewal.subject.placed': 'Ordine di rinnovo {number}: {item}',
  'mail.manualRenewal.subject.reminder': 'Promemoria: {item} scade il {end}',
  'mail.manualRenewal.placed': 'Il periodo in corso di {item} termina il {end} e non si rinnova automaticamente, quindi abbiamo creato l’ordine di rinnovo {number} per il periodo successivo: {amount}.',
  'mail.manualRenewal.unpaid': 'Il periodo in corso di {item} termina il {end} e l’ordine di rinnovo {number} ({amount}) non è ancora stato pagato.',
  'mail.manualRenewal.transfer': 'Per pagare con bonifico, invia {amount} a {seller}, conto {account}, con la causale {title}. Puoi anche pagare con carta o PayPal dalla pagina dell’ordine.',
  'mail.manualRenewal.transferOnly': 'Per pagare con bonifico, invia {amount} a {seller}, conto {account}, con la causale {title}.',
  'mail.manualRenewal.online': 'Puoi pagarlo con carta o PayPal dalla pagina dell’ordine.',
  'mail.manualRenewal.start': 'Pagando in anticipo non si perde nulla: il periodo successivo inizia esattamente alla fine di quello in corso.',
  'mail.manualRenewal.lapse.readOnly': 'Se non viene pagato entro quella data, il {end} l’organizzazione passa in sola lettura e i suoi dati vengono eliminati il {deletes}.',
  'mail.manualRenewal.lapse.free': 'Se non viene pagato entro quella data, il {end} l’organizzazione passa al piano gratuito; nulla di quanto emesso finora smette di funzionare.',
  'mail.manualRenewal.button': 'Paga il rinnovo',
  'order.renewal.note': 'Usa esattamente questa causale, così possiamo abbinare il pagamento. Il rinnovo si può pagare fino alla fine del periodo in corso.',
  'order.renewal.online': 'Oppure paga subito online:',
}
