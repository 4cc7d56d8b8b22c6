// Messages of e-mails (issue 16): the activation link sent again when an address is registered
// again before activation, the footers of mail to people who may have no account, the link of the
// "gift card corrected" mail, and the attachments on /dev/mail.
// src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'mail.activation.again':
    'Your account is waiting for activation: the address was registered again, so here is a new link. Your name and password are the ones you gave the first time; if you don’t remember the password, set a new one after activating with “Forgot your password?”.',
  'mail.footer.report': 'You received this e-mail because you reported a mistake on a gift card of {vendor} and gave this address for the answer.',
  'mail.footer.voucher': 'You received this e-mail because {org} sent you a gift card through {vendor}.',
  'mail.footer.invitation': 'You received this e-mail because someone invited this address to an organization at {vendor}.',
  'mail.report.button': 'Open the gift card',
  'devmail.attachments': 'Attachments',
} as const

export const pl: AreaCatalog<typeof en> = {
  'mail.activation.again':
    'Twoje konto czeka na aktywację: adres został zarejestrowany ponownie, więc wysyłamy nowy link. Imię i hasło pozostają te, które podano za pierwszym razem; jeśli nie pamiętasz hasła, po aktywacji ustaw nowe przez „Nie pamiętasz hasła?”.',
  'mail.footer.report': 'Otrzymujesz tę wiadomość, ponieważ zgłoszono błąd na karcie podarunkowej {vendor} i podano ten adres do odpowiedzi.',
  'mail.footer.voucher': 'Otrzymujesz tę wiadomość, ponieważ {org} wysłał(a) Ci kartę podarunkową przez {vendor}.',
  'mail.footer.invitation': 'Otrzymujesz tę wiadomość, ponieważ ktoś zaprosił ten adres do organizacji w {vendor}.',
  'mail.report.button': 'Otwórz kartę podarunkową',
  'devmail.attachments': 'Załączniki',
}

export const it: AreaCatalog<typeof en> = {
  'mail.activation.again':
    'Il tuo account attende l’attivazione: l’indirizzo è stato registrato di nuovo, quindi ecco un nuovo link. Nome e password restano quelli indicati la prima volta; se non ricordi la password, dopo l’attivazione impostane una nuova con “Hai dimenticato la password?”.',
  'mail.footer.report': 'Ricevi questa e-mail perché è stato segnalato un errore su una carta regalo di {vendor} indicando questo indirizzo per la risposta.',
  'mail.footer.voucher': 'Ricevi questa e-mail perché {org} ti ha inviato una carta regalo tramite {vendor}.',
  'mail.footer.invitation': 'Ricevi questa e-mail perché qualcuno ha invitato questo indirizzo in un’organizzazione su {vendor}.',
  'mail.report.button': 'Apri la carta regalo',
  'devmail.attachments': 'Allegati',
}
