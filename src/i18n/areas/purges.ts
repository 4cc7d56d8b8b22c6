// Messages of the daily purge (SPEC §8, §9, §13): the warnings before a read-only org's data is
// deleted and the confirmation after, the warning about e-codes expiring within 30 days, and the
// history rows the deletion writes. src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'history.kind.org.deleted': 'Organization deleted after its grace period',
  'history.kind.subscription.deleted': 'Lapsed product’s licence and usage deleted',
  'mail.deletion.lapsed': 'The {product} subscription of {org} lapsed on {lapsed} without being renewed.',
  'mail.deletion.warning.subject.org': '{org} will be deleted on {date}',
  'mail.deletion.warning.subject.product': 'The {product} data of {org} will be deleted on {date}',
  'mail.deletion.warning.org':
    'The organization has been read-only since. On {date} its data will be deleted: members’ access, licences, usage, the warehouse, e-codes not yet used, uploaded files and API keys.',
  'mail.deletion.warning.product': 'On {date} the {product} licence and its usage data will be deleted. The organization and its other products stay as they are.',
  'mail.deletion.warning.keep': 'To keep it, renew {product} or switch it to the free plan before then.',
  'mail.deletion.warning.button': 'Renew or switch to the free plan',
  'mail.deletion.kept': 'Orders and invoices are kept for accounting, without the names and e-mail addresses of people.',
  'mail.deletion.done.subject.org': '{org} has been deleted',
  'mail.deletion.done.subject.product': 'The {product} data of {org} has been deleted',
  'mail.deletion.done.org':
    'As announced, the data of {org} was deleted on {date}. Its members no longer have access to it; your own account stays, with any other organizations you belong to.',
  'mail.deletion.done.product': 'As announced, the {product} licence and its usage data were deleted on {date}. The organization and its other products stay as they are.',
  'mail.deletion.done.button': 'Open the organization',
  'mail.ecodeExpiry.subject': { one: '{count} e-code of {org} expires within 30 days', other: '{count} e-codes of {org} expire within 30 days' },
  'mail.ecodeExpiry.intro': 'These e-codes of {org} have not been used and expire soon:',
  'mail.ecodeExpiry.line': { one: '{count} code for {product} ({variant}), expiring on {date}', other: '{count} codes for {product} ({variant}), expiring on {date}' },
  'mail.ecodeExpiry.lost':
    'An expired code can no longer be redeemed and its unit is lost. Hand the codes on before then, or dispose of those you will not use: their units go back to the warehouse.',
  'mail.ecodeExpiry.button': 'See the active e-codes',
} as const

export const pl: AreaCatalog<typeof en> = {
  'history.kind.org.deleted': 'Usunięcie organizacji po okresie karencji',
  'history.kind.subscription.deleted': 'Usunięcie licencji i użycia wygasłego produktu',
  'mail.deletion.lapsed': 'Subskrypcja {product} organizacji {org} wygasła {lapsed} bez odnowienia.',
  'mail.deletion.warning.subject.org': 'Organizacja {org} zostanie usunięta {date}',
  'mail.deletion.warning.subject.product': 'Dane produktu {product} organizacji {org} zostaną usunięte {date}',
  'mail.deletion.warning.org':
    'Od tego czasu organizacja jest tylko do odczytu. {date} jej dane zostaną usunięte: dostęp członków, licencje, użycie, magazyn, niewykorzystane e-kody, przesłane pliki i klucze API.',
  'mail.deletion.warning.product': '{date} licencja {product} i dane o jej użyciu zostaną usunięte. Organizacja i jej pozostałe produkty zostają bez zmian.',
  'mail.deletion.warning.keep': 'Aby je zachować, odnów {product} albo przenieś na darmowy plan przed tym dniem.',
  'mail.deletion.warning.button': 'Odnów albo przejdź na darmowy plan',
  'mail.deletion.kept': 'Zamówienia i faktury zostają zachowane do celów księgowych, bez imion, nazwisk i adresów e-mail osób.',
  'mail.deletion.done.subject.org': 'Organizacja {org} została usunięta',
  'mail.deletion.done.subject.product': 'Dane produktu {product} organizacji {org} zostały usunięte',
  'mail.deletion.done.org':
    'Zgodnie z zapowiedzią dane organizacji {org} zostały usunięte {date}. Jej członkowie nie mają już do niej dostępu; Twoje konto zostaje, razem z innymi organizacjami, do których należysz.',
  'mail.deletion.done.product': 'Zgodnie z zapowiedzią licencja {product} i dane o jej użyciu zostały usunięte {date}. Organizacja i jej pozostałe produkty zostają bez zmian.',
  'mail.deletion.done.button': 'Otwórz organizację',
  'mail.ecodeExpiry.subject': {
    one: '{count} e-kod organizacji {org} wygasa w ciągu 30 dni',
    few: '{count} e-kody organizacji {org} wygasają w ciągu 30 dni',
    many: '{count} e-kodów organizacji {org} wygasa w ciągu 30 dni',
    other: '{count} e-kodu organizacji {org} wygasa w ciągu 30 dni',
  },
  'mail.ecodeExpiry.intro': 'Te e-kody organizacji {org} nie zostały wykorzystane i wkrótce wygasają:',
  'mail.ecodeExpiry.line': {
    one: '{count} kod na {product} ({variant}), ważny do {date}',
    few: '{count} kody na {product} ({variant}), ważne do {date}',
    many: '{count} kodów na {product} ({variant}), ważnych do {date}',
    other: '{count} kodu na {product} ({variant}), ważnego do {date}',
  },
  'mail.ecodeExpiry.lost':
    'Wygasłego kodu nie można już wykorzystać, a jego jednostka przepada. Przekaż kody dalej przed tym dniem albo anuluj te, których nie wykorzystasz: ich jednostki wrócą do magazynu.',
  'mail.ecodeExpiry.button': 'Zobacz aktywne e-kody',
}

export const it: AreaCatalog<typeof en> = {
  'history.kind.org.deleted': 'Organizzazione eliminata dopo il periodo di tolleranza',
  'history.kind.subscription.deleted': 'Licenza e utilizzo del prodotto scaduto eliminati',
  'mail.deletion.lapsed': 'L’abbonamento {product} di {org} è scaduto in data {lapsed} senza essere rinnovato.',
  'mail.deletion.warning.subject.org': '{org} sarà eliminata in data {date}',
  'mail.deletion.warning.subject.product': 'I dati di {product} di {org} saranno eliminati in data {date}',
  'mail.deletion.warning.org':
    'Da allora l’organizzazione è in sola lettura. In data {date} i suoi dati saranno eliminati: l’accesso dei membri, le licenze, l’utilizzo, il magazzino, gli e-code non ancora usati, i file caricati e le chiavi API.',
  'mail.deletion.warning.product': 'In data {date} la licenza {product} e i dati del suo utilizzo saranno eliminati. L’organizzazione e gli altri prodotti restano come sono.',
  'mail.deletion.warning.keep': 'Per conservarli, rinnova {product} o passa al piano gratuito prima di allora.',
  'mail.deletion.warning.button': 'Rinnova o passa al piano gratuito',
  'mail.deletion.kept': 'Ordini e fatture sono conservati per la contabilità, senza i nomi e gli indirizzi e-mail delle persone.',
  'mail.deletion.done.subject.org': '{org} è stata eliminata',
  'mail.deletion.done.subject.product': 'I dati di {product} di {org} sono stati eliminati',
  'mail.deletion.done.org':
    'Come annunciato, i dati di {org} sono stati eliminati in data {date}. I suoi membri non vi hanno più accesso; il tuo account resta, con le altre organizzazioni di cui fai parte.',
  'mail.deletion.done.product': 'Come annunciato, la licenza {product} e i dati del suo utilizzo sono stati eliminati in data {date}. L’organizzazione e gli altri prodotti restano come sono.',
  'mail.deletion.done.button': 'Apri l’organizzazione',
  'mail.ecodeExpiry.subject': { one: '{count} e-code di {org} scade entro 30 giorni', other: '{count} e-code di {org} scadono entro 30 giorni' },
  'mail.ecodeExpiry.intro': 'Questi e-code di {org} non sono stati usati e scadono presto:',
  'mail.ecodeExpiry.line': { one: '{count} codice per {product} ({variant}), in scadenza il {date}', other: '{count} codici per {product} ({variant}), in scadenza il {date}' },
  'mail.ecodeExpiry.lost':
    'Un codice scaduto non può più essere riscattato e la sua unità va persa. Consegna i codici prima di allora, o annulla quelli che non userai: le loro unità tornano in magazzino.',
  'mail.ecodeExpiry.button': 'Vedi gli e-code attivi',
}
