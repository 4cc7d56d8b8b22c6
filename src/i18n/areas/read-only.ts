// Messages of a read-only org (SPEC §8): the banner on every page, the refusal of a change, and the
// free-plan way out on the plan page. src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'readOnly.banner.title': 'This organization is read-only',
  'readOnly.banner.text':
    'The {product} subscription lapsed on {lapsed} without being renewed. Everything can still be viewed and exported, but nothing can be changed. The organization’s data will be deleted on {deletes}.',
  'readOnly.banner.renew': 'Renew {product}',
  'readOnly.banner.free': 'Switch to the free plan',
  'readOnly.banner.askAdmin': 'An administrator can renew the subscription or switch it to the free plan.',
  'readOnly.refused.title': 'Not changed: the organization is read-only',
  'readOnly.refused.text': 'Nothing was changed. Renew {product} or switch it to the free plan, and it can be changed again at once.',
  'readOnly.free.title': 'Unlock with the free plan {plan}',
  'readOnly.free.text': 'The free plan starts now with its limits, and the organization can be changed again at once. Nothing is charged.',
  'readOnly.free.confirm': 'I understand that the free plan’s limits apply from now on.',
  'readOnly.free.submit': 'Switch to the free plan now',
  'readOnly.free.onlyNow': 'A lapsed subscription can only move to the free plan now.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'readOnly.banner.title': 'Ta organizacja jest tylko do odczytu',
  'readOnly.banner.text':
    'Subskrypcja {product} wygasła {lapsed} bez odnowienia. Wszystko można nadal przeglądać i eksportować, ale niczego nie można zmienić. Dane organizacji zostaną usunięte {deletes}.',
  'readOnly.banner.renew': 'Odnów {product}',
  'readOnly.banner.free': 'Przejdź na darmowy plan',
  'readOnly.banner.askAdmin': 'Administrator może odnowić subskrypcję albo przenieść ją na darmowy plan.',
  'readOnly.refused.title': 'Nie zmieniono: organizacja jest tylko do odczytu',
  'readOnly.refused.text': 'Niczego nie zmieniono. Odnów {product} albo przenieś na darmowy plan, a zmiany będą znów możliwe od razu.',
  'readOnly.free.title': 'Odblokuj darmowym planem {plan}',
  'readOnly.free.text': 'Darmowy plan zaczyna się teraz, z jego limitami, a organizację można od razu znów zmieniać. Nic nie jest pobierane.',
  'readOnly.free.confirm': 'Rozumiem, że od teraz obowiązują limity darmowego planu.',
  'readOnly.free.submit': 'Przejdź na darmowy plan teraz',
  'readOnly.free.onlyNow': 'Wygasłą subskrypcję można przenieść na darmowy plan tylko od razu.',
}

export const it: AreaCatalog<typeof en> = {
  'readOnly.banner.title': 'Questa organizzazione è in sola lettura',
  'readOnly.banner.text':
    'L’abbonamento {product} è scaduto in data {lapsed} senza essere rinnovato. Tutto resta visibile ed esportabile, ma nulla può essere modificato. I dati dell’organizzazione saranno eliminati in data {deletes}.',
  'readOnly.banner.renew': 'Rinnova {product}',
  'readOnly.banner.free': 'Passa al piano gratuito',
  'readOnly.banner.askAdmin': 'Un amministratore può rinnovare l’abbonamento o passarlo al piano gratuito.',
  'readOnly.refused.title': 'Nessuna modifica: l’organizzazione è in sola lettura',
  'readOnly.refused.text': 'Non è stato modificato nulla. Rinnova {product} o passalo al piano gratuito, e le modifiche saranno di nuovo possibili subito.',
  'readOnly.free.title': 'Sblocca con il piano gratuito {plan}',
  'readOnly.free.text': 'Il piano gratuito inizia ora con i suoi limiti e l’organizzazione può essere di nuovo modificata subito. Nulla viene addebitato.',
  'readOnly.free.confirm': 'Ho capito che da ora valgono i limiti del piano gratuito.',
  'readOnly.free.submit': 'Passa ora al piano gratuito',
  'readOnly.free.onlyNow': 'Un abbonamento scaduto può passare al piano gratuito solo subito.',
}
