// Messages about licences from activated warehouse units (issue 16 rule 3): the dashboard's list
// and the operator's org page. src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'unitLicences.title': 'Licences from activated units',
  'unitLicences.valid': 'valid {from} – {until}',
  'unitLicences.validFrom': 'valid from {from}',
  'unitLicences.expired': 'expired on {until}',
  'unitLicences.more': 'The {count} newest are shown.',
  'unitLicences.col.product': 'Product',
  'unitLicences.col.validity': 'Validity',
  'ops.orgs.noUnitLicences': 'No unit has been activated yet.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'unitLicences.title': 'Licencje z aktywowanych sztuk',
  'unitLicences.valid': 'ważna {from} – {until}',
  'unitLicences.validFrom': 'ważna od {from}',
  'unitLicences.expired': 'wygasła {until}',
  'unitLicences.more': 'Pokazano {count} najnowszych.',
  'unitLicences.col.product': 'Produkt',
  'unitLicences.col.validity': 'Ważność',
  'ops.orgs.noUnitLicences': 'Nie aktywowano jeszcze żadnej sztuki.',
}

export const it: AreaCatalog<typeof en> = {
  'unitLicences.title': 'Licenze da unità attivate',
  'unitLicences.valid': 'valida {from} – {until}',
  'unitLicences.validFrom': 'valida dal {from}',
  'unitLicences.expired': 'scaduta il {until}',
  'unitLicences.more': 'Sono mostrate le {count} più recenti.',
  'unitLicences.col.product': 'Prodotto',
  'unitLicences.col.validity': 'Validità',
  'ops.orgs.noUnitLicences': 'Nessuna unità è stata ancora attivata.',
}
