// Small notices on people's pages (issue 16): which zone the account page's times are in, why the
// sole administrator can't leave, and the mistake reports waiting on the e-code list (seed 000).
// Merged by src/i18n/en.ts, pl.ts and it.ts.
import type { AreaCatalog } from '../index'

export const en = {
  'account.timesIn': 'Times are in {zone}, as on your organizations’ pages.',
  'members.leave.soleAdmin': 'You are the only administrator: make someone else an administrator before you can leave.',
  'ecodes.reportsWaiting': { one: '{count} mistake report on a voucher is waiting.', other: '{count} mistake reports on vouchers are waiting.' },
  'ecodes.reportsLink': 'See the requests',
} as const

export const pl: AreaCatalog<typeof en> = {
  'account.timesIn': 'Godziny w strefie {zone}, jak na stronach Twoich organizacji.',
  'members.leave.soleAdmin': 'Jesteś jedynym administratorem: zanim odejdziesz, nadaj komuś uprawnienia administratora.',
  'ecodes.reportsWaiting': {
    one: '{count} zgłoszenie błędu na karcie podarunkowej czeka.',
    few: '{count} zgłoszenia błędów na kartach podarunkowych czekają.',
    many: '{count} zgłoszeń błędów na kartach podarunkowych czeka.',
    other: '{count} zgłoszenia błędów na kartach podarunkowych czekają.',
  },
  'ecodes.reportsLink': 'Zobacz prośby',
}

export const it: AreaCatalog<typeof en> = {
  'account.timesIn': 'Gli orari sono nel fuso {zone}, come nelle pagine delle tue organizzazioni.',
  'members.leave.soleAdmin': 'Sei l’unico amministratore: prima di uscire rendi amministratore qualcun altro.',
  'ecodes.reportsWaiting': { one: '{count} segnalazione di errore su un buono è in attesa.', other: '{count} segnalazioni di errore sui buoni sono in attesa.' },
  'ecodes.reportsLink': 'Vedi le richieste',
}
