// Messages of the plan comparison (issue 16, /buy/:product/plans): each plan's prices and limits,
// add-on packs, and the link to it from the pages that say a limit is reached. Wired into
// src/i18n/en.ts, pl.ts and it.ts like the other areas.
import type { AreaCatalog } from '../index'

export const en = {
  'compare.title': '{product}: plans compared',
  'compare.link': 'Compare plans',
  'compare.free': 'free',
  'compare.price': 'Price, {currency} / {period}',
  'compare.buyRow': 'Buy',
  'compare.limit': '{label}',
  'compare.limitMonthly': '{label} a month',
  'compare.unlimited': 'unlimited',
  'compare.choose': 'Choose',
  'compare.seatsNote': 'Users include administrators.',
  'compare.addons': 'Add-on packs, for a paid plan',
  'compare.addonMax': 'up to {max} packs',
  'compare.allProducts': 'All products',
} as const

export const pl: AreaCatalog<typeof en> = {
  'compare.title': '{product}: porównanie planów',
  'compare.link': 'Porównaj plany',
  'compare.free': 'bezpłatny',
  'compare.price': 'Cena, {currency} / {period}',
  'compare.buyRow': 'Kup',
  'compare.limit': '{label}',
  'compare.limitMonthly': '{label} miesięcznie',
  'compare.unlimited': 'bez limitu',
  'compare.choose': 'Wybierz',
  'compare.seatsNote': 'Liczba użytkowników obejmuje administratorów.',
  'compare.addons': 'Pakiety dodatkowe do planu płatnego',
  'compare.addonMax': 'do {max} pakietów',
  'compare.allProducts': 'Wszystkie produkty',
}

export const it: AreaCatalog<typeof en> = {
  'compare.title': '{product}: confronto dei piani',
  'compare.link': 'Confronta i piani',
  'compare.free': 'gratuito',
  'compare.price': 'Prezzo, {currency} / {period}',
  'compare.buyRow': 'Acquista',
  'compare.limit': '{label}',
  'compare.limitMonthly': '{label} al mese',
  'compare.unlimited': 'senza limite',
  'compare.choose': 'Scegli',
  'compare.seatsNote': 'Gli utenti comprendono gli amministratori.',
  'compare.addons': 'Pacchetti aggiuntivi, per un piano a pagamento',
  'compare.addonMax': 'fino a {max} pacchetti',
  'compare.allProducts': 'Tutti i prodotti',
}
