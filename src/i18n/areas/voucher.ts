// Messages of the voucher PDF, the gift card that carries an e-code (SPEC §9).
// src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'voucher.title': 'Gift card {code}',
  'voucher.titleMany': { one: '{count} gift card', other: '{count} gift cards' },
  'voucher.kind': 'Gift card',
  'voucher.ecode': 'Your e-code',
  'voucher.useBy': 'Use by {date}',
  'voucher.for': 'For {name}',
  'voucher.instruction':
    'Scan the QR code or open the address, sign in or create an account, and redeem the e-code. It can be used once.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'voucher.title': 'Karta podarunkowa {code}',
  'voucher.titleMany': {
    one: '{count} karta podarunkowa',
    few: '{count} karty podarunkowe',
    many: '{count} kart podarunkowych',
    other: '{count} karty podarunkowej',
  },
  'voucher.kind': 'Karta podarunkowa',
  'voucher.ecode': 'Twój e-kod',
  'voucher.useBy': 'Wykorzystaj do {date}',
  // A name can't be declined automatically ("Dla Łucji"), so it follows a colon in the nominative.
  'voucher.for': 'Dla: {name}',
  'voucher.instruction':
    'Zeskanuj kod QR lub otwórz adres, zaloguj się lub załóż konto i zrealizuj e-kod. Można go użyć jeden raz.',
}

export const it: AreaCatalog<typeof en> = {
  'voucher.title': 'Carta regalo {code}',
  'voucher.titleMany': { one: '{count} carta regalo', other: '{count} carte regalo' },
  'voucher.kind': 'Carta regalo',
  'voucher.ecode': 'Il tuo e-code',
  // "Entro il 1 dicembre" reads wrong in Italian (it is "l’1"); a label before the date never does.
  'voucher.useBy': 'Scadenza: {date}',
  'voucher.for': 'Per {name}',
  'voucher.instruction':
    'Inquadra il codice QR o apri l’indirizzo, accedi o crea un account e riscatta l’e-code. Si può usare una sola volta.',
}
