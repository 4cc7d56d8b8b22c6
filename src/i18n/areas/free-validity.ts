// Messages about how long a plan holds (SPEC §8): a free plan's validity after the last sign-in, a
// lapsed product's date, and a business-only free plan a private person can't have. Merged by
// src/i18n/en.ts, pl.ts and it.ts.
import type { AreaCatalog } from '../index'

export const en = {
  'products.freeValidity': 'Free plan: valid while someone signs in at least once a year; lapses on {date}.',
  'products.lapsedOn': 'Lapsed on {date}: read-only until it is renewed or switched to the free plan.',
  'products.businessOnlyFree': 'Only for companies and sole traders: not available to a private person.',
  'ops.orgs.freeValidity': 'valid while someone signs in at least once a year; lapses on {date}',
  'ops.orgs.readOnlySince': 'read-only since {date}',
} as const

export const pl: AreaCatalog<typeof en> = {
  'products.freeValidity': 'Darmowy pakiet: ważny, dopóki ktoś loguje się co najmniej raz w roku; wygaśnie {date}.',
  'products.lapsedOn': 'Wygasł {date}: tylko do odczytu, dopóki nie zostanie odnowiony lub przełączony na darmowy pakiet.',
  'products.businessOnlyFree': 'Tylko dla firm i jednoosobowych działalności: niedostępny dla osoby prywatnej.',
  'ops.orgs.freeValidity': 'ważny, dopóki ktoś loguje się co najmniej raz w roku; wygaśnie {date}',
  'ops.orgs.readOnlySince': 'tylko do odczytu od {date}',
}

export const it: AreaCatalog<typeof en> = {
  'products.freeValidity': 'Piano gratuito: valido finché qualcuno accede almeno una volta l’anno; scade il {date}.',
  'products.lapsedOn': 'Scaduto il {date}: in sola lettura finché non viene rinnovato o passato al piano gratuito.',
  'products.businessOnlyFree': 'Solo per aziende e ditte individuali: non disponibile per un privato.',
  'ops.orgs.freeValidity': 'valido finché qualcuno accede almeno una volta l’anno; scade il {date}',
  'ops.orgs.readOnlySince': 'in sola lettura dal {date}',
}
