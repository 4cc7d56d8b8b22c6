// Messages of the operators' second step (SPEC §15): the mail an operator gets when wrong codes lock
// the step (issue 15). src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'mail.totpLocked.subject': 'Operator sign-in to {vendor} locked after wrong codes',
  'mail.totpLocked.body':
    'Someone signed in to your operator account with your password and then entered {count} wrong authenticator codes. Signing in with a code is locked until {time} ({zone}).',
  'mail.totpLocked.notYou': 'If that was not you, someone else knows your password: change it now.',
  'mail.totpLocked.you': 'If it was you, wait until then, and check that the clock of the device with your authenticator app is right.',
  'mail.totpLocked.button': 'Change your password',
} as const

export const pl: AreaCatalog<typeof en> = {
  'mail.totpLocked.subject': 'Logowanie operatora do {vendor} zablokowane po błędnych kodach',
  'mail.totpLocked.body':
    'Ktoś zalogował się na Twoje konto operatora Twoim hasłem, a potem wpisał {count} błędnych kodów z aplikacji uwierzytelniającej. Logowanie kodem jest zablokowane do {time} ({zone}).',
  'mail.totpLocked.notYou': 'Jeśli to nie Ty, ktoś inny zna Twoje hasło: zmień je od razu.',
  'mail.totpLocked.you': 'Jeśli to Ty, poczekaj do tego czasu i sprawdź, czy zegar urządzenia z aplikacją uwierzytelniającą jest ustawiony poprawnie.',
  'mail.totpLocked.button': 'Zmień hasło',
}

export const it: AreaCatalog<typeof en> = {
  'mail.totpLocked.subject': 'Accesso operatore a {vendor} bloccato dopo codici errati',
  'mail.totpLocked.body':
    'Qualcuno ha effettuato l’accesso al tuo account operatore con la tua password e poi ha inserito {count} codici di autenticazione errati. L’accesso con codice è bloccato fino alle {time} ({zone}).',
  'mail.totpLocked.notYou': 'Se non sei stato tu, qualcun altro conosce la tua password: cambiala subito.',
  'mail.totpLocked.you': 'Se sei stato tu, attendi fino ad allora e controlla che l’orologio del dispositivo con l’app di autenticazione sia corretto.',
  'mail.totpLocked.button': 'Cambia la password',
}
