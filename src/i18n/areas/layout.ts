// Messages of the page frame on phones (issue 16): the menu button, the org switcher, and the
// confirmations that stand between a tap and a removal.
import type { AreaCatalog } from '../index'

export const en = {
  'nav.menu': 'Menu',
  'nav.more': 'Your account',
  'org.switchOther': 'Switch organization',
  'org.all': 'All organizations',
  'members.remove.confirm': 'Remove {name} from {org}? They lose access to its products at once.',
  'members.remove.submit': 'Remove {name}',
  'transactions.remove.confirm': 'Remove the saved payment method {label}?',
  'transactions.remove.submit': 'Remove {label}',
  'apiKeys.revoke.confirm': 'Revoke the key {name}? Apps using it stop working at once; this can’t be undone.',
  'apiKeys.revoke.submit': 'Revoke {name}',
} as const

export const pl: AreaCatalog<typeof en> = {
  'nav.menu': 'Menu',
  'nav.more': 'Twoje konto',
  'org.switchOther': 'Zmień organizację',
  'org.all': 'Wszystkie organizacje',
  'members.remove.confirm': 'Usunąć użytkownika {name} z organizacji {org}? Od razu straci dostęp do jej produktów.',
  'members.remove.submit': 'Usuń: {name}',
  'transactions.remove.confirm': 'Usunąć zapisaną metodę płatności {label}?',
  'transactions.remove.submit': 'Usuń: {label}',
  'apiKeys.revoke.confirm': 'Unieważnić klucz {name}? Aplikacje, które go używają, od razu przestaną działać; tego nie można cofnąć.',
  'apiKeys.revoke.submit': 'Unieważnij: {name}',
}

export const it: AreaCatalog<typeof en> = {
  'nav.menu': 'Menu',
  'nav.more': 'Il tuo account',
  'org.switchOther': 'Cambia organizzazione',
  'org.all': 'Tutte le organizzazioni',
  'members.remove.confirm': 'Rimuovere {name} da {org}? Perde subito l’accesso ai suoi prodotti.',
  'members.remove.submit': 'Rimuovi {name}',
  'transactions.remove.confirm': 'Rimuovere il metodo di pagamento salvato {label}?',
  'transactions.remove.submit': 'Rimuovi {label}',
  'apiKeys.revoke.confirm': 'Revocare la chiave {name}? Le app che la usano smettono subito di funzionare; non si può annullare.',
  'apiKeys.revoke.submit': 'Revoca {name}',
}
