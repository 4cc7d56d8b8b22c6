// Messages of the company form (issue 16): a tax id refused for the chosen country but valid for
// another EU country names that country. src/i18n/en.ts, pl.ts and it.ts merge this area.
import type { AreaCatalog } from '../index'

export const en = {
  'field.taxId.otherCountry': 'It is a valid tax id in {countries}: choose that country above.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'field.taxId.otherCountry': 'To poprawny numer podatkowy w kraju: {countries}. Wybierz ten kraj powyżej.',
}

export const it: AreaCatalog<typeof en> = {
  'field.taxId.otherCountry': 'È un numero fiscale valido per: {countries}. Scegli quel paese qui sopra.',
}
