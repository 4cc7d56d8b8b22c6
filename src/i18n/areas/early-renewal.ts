// The plan page between an early renewal and the old period's end (issue 16 rule 4): the next
// period is paid and purchases are priced on it. src/i18n/en.ts, pl.ts and it.ts merge this area.
import type { AreaCatalog } from '../index'

export const en = {
  'plans.renewedEarly':
    'Renewed: the next period, {start} – {end}, is already paid. Packs and upgrades bought now are charged for that whole period and apply at once, the days until {start} included.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'plans.renewedEarly':
    'Odnowiono: następny okres, {start} – {end}, jest już opłacony. Pakiety i zmiany planu kupione teraz są liczone za cały ten okres i działają od razu, także w dniach do {start}.',
}

export const it: AreaCatalog<typeof en> = {
  'plans.renewedEarly':
    'Rinnovato: il periodo successivo, {start} – {end}, è già pagato. Pacchetti e passaggi di piano acquistati ora sono addebitati per tutto quel periodo e valgono subito, compresi i giorni fino al {start}.',
}
