// Messages of e-mails (issue 16): the activation link sent again when an address is registered
// again before activation, and the footers of mail to people who may have no account.
// src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'mail.activation.again':
    'Your account is waiting for activation: the address was registered again, so here is a new link. Your name and password are the ones you gave the first time; if you don’t remember the password, set a new one after activating with “Forgot your password?”.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'mail.activation.again':
    'Twoje konto czeka na aktywację: adres został zarejestrowany ponownie, więc wysyłamy nowy link. Imię i hasło pozostają te, które podano za pierwszym razem; jeśli nie pamiętasz hasła, po aktywacji ustaw nowe przez „Nie pamiętasz hasła?”.',
}

export const it: AreaCatalog<typeof en> = {
  'mail.activation.again':
    'Il tuo account attende l’attivazione: l’indirizzo è stato registrato di nuovo, quindi ecco un nuovo link. Nome e password restano quelli indicati la prima volta; se non ricordi la password, dopo l’attivazione impostane una nuova con “Hai dimenticato la password?”.',
}
