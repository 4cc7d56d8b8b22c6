// Messages of the lapse area (SPEC §8): the e-mails to the administrators when a paid period ends
// unrenewed (the free plan chosen, the free plan by lapse, or read-only) and when a free plan nears
// and reaches its end after 12 months without a sign-in; the history kinds of these changes.
import type { AreaCatalog } from '../index'

export const en = {
  'history.kind.plan.free_started': 'Free plan started at the period end',
  'history.kind.plan.lapsed': 'Not renewed: moved to the free plan',
  'history.kind.plan.lapsed_read_only': 'Not renewed: organization read-only',
  'history.kind.plan.free_lapsed': 'Free plan lapsed after 12 months without a sign-in',

  'mail.lapse.freeStarted.subject': '{product}: you are now on the free plan {plan}',
  'mail.lapse.freeStarted.body': 'As you chose, {product} {from} was not renewed. Since {date}, {org} uses the free plan {plan} with its limits; everything created so far stays.',
  'mail.lapse.productsButton': 'See your products',

  'mail.lapse.unpaid': 'The renewal of {product} {from} for {org} was not paid by the end of the period on {date}.',
  'mail.lapse.orderCancelled': 'The unpaid renewal order {number} has been cancelled.',
  'mail.lapse.free.subject': '{product} was not renewed: {org} is on the free plan',
  'mail.lapse.free.body':
    'The organization is now on the free plan {plan}, with its limits. Nothing issued so far stops working for its recipients and everything created so far stays; only additions beyond the free plan’s limits are refused.',
  'mail.lapse.free.again': 'To have the limits of {from} again, buy it again.',
  'mail.lapse.buyButton': 'Buy {product}',
  'mail.lapse.readOnly.subject': '{product} was not renewed: {org} is read-only',
  'mail.lapse.readOnly.body': 'The organization is read-only: members can sign in, see and export everything, but nothing can be changed.',
  'mail.lapse.readOnly.deletion': 'Unless it is renewed, the organization’s data will be deleted on {date}.',
  'mail.lapse.readOnly.renew': 'To continue, renew {product} by buying a plan.',
  'mail.lapse.readOnly.free': 'Or switch to the free plan {plan} at once, from the plan page: {url}',
  'mail.lapse.renewButton': 'Renew {product}',

  'mail.lapse.freeWarning.subject': '{product}: the free plan lapses on {date}',
  'mail.lapse.freeWarning.body':
    'Nobody from {org} has signed in for a long time. The free plan {plan} of {product} stays valid for 12 months after the last sign-in of any member, so it lapses on {date}.',
  'mail.lapse.freeWarning.readOnly': 'After that the organization becomes read-only, and its data is deleted on {deletes}.',
  'mail.lapse.freeWarning.ends': 'After that the free licence ends; it can be activated again in one click.',
  'mail.lapse.freeWarning.signIn': 'To keep it, it is enough that someone from the organization signs in before then.',
  'mail.lapse.signInButton': 'Sign in',

  'mail.lapse.idle': 'Nobody from {org} has signed in for 12 months, so the free plan {plan} of {product} lapsed on {date}.',
  'mail.lapse.freeReadOnly.subject': '{product}: the free plan lapsed, {org} is read-only',
  'mail.lapse.freeReadOnly.deletion': 'If nothing is done, the organization’s data will be deleted on {date}.',
  'mail.lapse.freeReadOnly.ways': 'To keep the data, switch to the free plan again (one click on the plan page), or buy a plan: {url}',
  'mail.lapse.freeAgainButton': 'Switch to the free plan again',
  'mail.lapse.freeEnded.subject': '{product}: the free licence has ended',
  'mail.lapse.freeEnded.body': 'Its licence {licence} ended with it. Whenever you need {product} again, the free plan can be activated again in one click.',
  'mail.lapse.activateButton': 'Activate the free plan',
} as const

export const pl: AreaCatalog<typeof en> = {
  'history.kind.plan.free_started': 'Darmowy plan od końca okresu',
  'history.kind.plan.lapsed': 'Bez odnowienia: przejście na darmowy plan',
  'history.kind.plan.lapsed_read_only': 'Bez odnowienia: organizacja tylko do odczytu',
  'history.kind.plan.free_lapsed': 'Darmowy plan wygasł po 12 miesiącach bez logowania',

  'mail.lapse.freeStarted.subject': '{product}: korzystasz teraz z darmowego planu {plan}',
  'mail.lapse.freeStarted.body':
    'Zgodnie z Twoim wyborem {product} {from} nie został odnowiony. Od {date} {org} korzysta z darmowego planu {plan} z jego limitami; wszystko, co dotąd utworzono, zostaje.',
  'mail.lapse.productsButton': 'Zobacz swoje produkty',

  'mail.lapse.unpaid': 'Odnowienie {product} {from} dla {org} nie zostało opłacone do końca okresu, {date}.',
  'mail.lapse.orderCancelled': 'Nieopłacone zamówienie odnowienia {number} zostało anulowane.',
  'mail.lapse.free.subject': '{product} nie został odnowiony: {org} korzysta z darmowego planu',
  'mail.lapse.free.body':
    'Organizacja korzysta teraz z darmowego planu {plan}, z jego limitami. Nic, co dotąd wydano, nie przestaje działać u odbiorców, a wszystko, co utworzono, zostaje; odrzucane są tylko nowe pozycje ponad limity darmowego planu.',
  'mail.lapse.free.again': 'Aby znów mieć limity planu {from}, kup go ponownie.',
  'mail.lapse.buyButton': 'Kup {product}',
  'mail.lapse.readOnly.subject': '{product} nie został odnowiony: {org} jest tylko do odczytu',
  'mail.lapse.readOnly.body': 'Organizacja jest tylko do odczytu: członkowie mogą się logować, przeglądać i eksportować wszystko, ale niczego nie można zmienić.',
  'mail.lapse.readOnly.deletion': 'Jeśli subskrypcja nie zostanie odnowiona, dane organizacji zostaną usunięte {date}.',
  'mail.lapse.readOnly.renew': 'Aby kontynuować, odnów {product}, kupując plan.',
  'mail.lapse.readOnly.free': 'Albo przejdź od razu na darmowy plan {plan} na stronie planu: {url}',
  'mail.lapse.renewButton': 'Odnów {product}',

  'mail.lapse.freeWarning.subject': '{product}: darmowy plan wygasa {date}',
  'mail.lapse.freeWarning.body':
    'Nikt z {org} dawno się nie logował. Darmowy plan {plan} produktu {product} jest ważny 12 miesięcy od ostatniego logowania któregokolwiek członka, więc wygasa {date}.',
  'mail.lapse.freeWarning.readOnly': 'Potem organizacja stanie się tylko do odczytu, a jej dane zostaną usunięte {deletes}.',
  'mail.lapse.freeWarning.ends': 'Potem darmowa licencja wygaśnie; można ją znów aktywować jednym kliknięciem.',
  'mail.lapse.freeWarning.signIn': 'Aby go zachować, wystarczy, że ktoś z organizacji zaloguje się wcześniej.',
  'mail.lapse.signInButton': 'Zaloguj się',

  'mail.lapse.idle': 'Nikt z {org} nie logował się od 12 miesięcy, więc darmowy plan {plan} produktu {product} wygasł {date}.',
  'mail.lapse.freeReadOnly.subject': '{product}: darmowy plan wygasł, {org} jest tylko do odczytu',
  'mail.lapse.freeReadOnly.deletion': 'Jeśli nic nie zostanie zrobione, dane organizacji zostaną usunięte {date}.',
  'mail.lapse.freeReadOnly.ways': 'Aby zachować dane, przejdź znów na darmowy plan (jedno kliknięcie na stronie planu) albo kup plan: {url}',
  'mail.lapse.freeAgainButton': 'Przejdź znów na darmowy plan',
  'mail.lapse.freeEnded.subject': '{product}: darmowa licencja wygasła',
  'mail.lapse.freeEnded.body': 'Razem z nim wygasła licencja {licence}. Gdy znów będziesz potrzebować {product}, darmowy plan można aktywować ponownie jednym kliknięciem.',
  'mail.lapse.activateButton': 'Aktywuj darmowy plan',
}

export const it: AreaCatalog<typeof en> = {
  'history.kind.plan.free_started': 'Piano gratuito iniziato a fine periodo',
  'history.kind.plan.lapsed': 'Non rinnovato: passaggio al piano gratuito',
  'history.kind.plan.lapsed_read_only': 'Non rinnovato: organizzazione in sola lettura',
  'history.kind.plan.free_lapsed': 'Piano gratuito scaduto dopo 12 mesi senza accessi',

  'mail.lapse.freeStarted.subject': '{product}: ora usi il piano gratuito {plan}',
  'mail.lapse.freeStarted.body':
    'Come hai scelto, {product} {from} non è stato rinnovato. Dal {date} {org} usa il piano gratuito {plan} con i suoi limiti; tutto ciò che è stato creato finora resta.',
  'mail.lapse.productsButton': 'Vedi i tuoi prodotti',

  'mail.lapse.unpaid': 'Il rinnovo di {product} {from} per {org} non è stato pagato entro la fine del periodo, il {date}.',
  'mail.lapse.orderCancelled': 'L’ordine di rinnovo non pagato {number} è stato annullato.',
  'mail.lapse.free.subject': '{product} non è stato rinnovato: {org} usa il piano gratuito',
  'mail.lapse.free.body':
    'L’organizzazione usa ora il piano gratuito {plan}, con i suoi limiti. Nulla di quanto emesso finora smette di funzionare per i destinatari e tutto ciò che è stato creato resta; sono rifiutate solo le aggiunte oltre i limiti del piano gratuito.',
  'mail.lapse.free.again': 'Per avere di nuovo i limiti di {from}, acquistalo di nuovo.',
  'mail.lapse.buyButton': 'Acquista {product}',
  'mail.lapse.readOnly.subject': '{product} non è stato rinnovato: {org} è in sola lettura',
  'mail.lapse.readOnly.body': 'L’organizzazione è in sola lettura: i membri possono accedere, vedere ed esportare tutto, ma nulla può essere modificato.',
  'mail.lapse.readOnly.deletion': 'Se non viene rinnovato, i dati dell’organizzazione saranno eliminati il {date}.',
  'mail.lapse.readOnly.renew': 'Per continuare, rinnova {product} acquistando un piano.',
  'mail.lapse.readOnly.free': 'Oppure passa subito al piano gratuito {plan} dalla pagina del piano: {url}',
  'mail.lapse.renewButton': 'Rinnova {product}',

  'mail.lapse.freeWarning.subject': '{product}: il piano gratuito scade il {date}',
  'mail.lapse.freeWarning.body':
    'Nessuno di {org} accede da molto tempo. Il piano gratuito {plan} di {product} resta valido 12 mesi dopo l’ultimo accesso di un membro, quindi scade il {date}.',
  'mail.lapse.freeWarning.readOnly': 'Dopo di che l’organizzazione passa in sola lettura e i suoi dati sono eliminati il {deletes}.',
  'mail.lapse.freeWarning.ends': 'Dopo di che la licenza gratuita termina; si può riattivare con un clic.',
  'mail.lapse.freeWarning.signIn': 'Per mantenerlo basta che qualcuno dell’organizzazione acceda prima di allora.',
  'mail.lapse.signInButton': 'Accedi',

  'mail.lapse.idle': 'Nessuno di {org} ha effettuato l’accesso per 12 mesi, quindi il piano gratuito {plan} di {product} è scaduto il {date}.',
  'mail.lapse.freeReadOnly.subject': '{product}: il piano gratuito è scaduto, {org} è in sola lettura',
  'mail.lapse.freeReadOnly.deletion': 'Se non si fa nulla, i dati dell’organizzazione saranno eliminati il {date}.',
  'mail.lapse.freeReadOnly.ways': 'Per mantenere i dati, passa di nuovo al piano gratuito (un clic nella pagina del piano) oppure acquista un piano: {url}',
  'mail.lapse.freeAgainButton': 'Passa di nuovo al piano gratuito',
  'mail.lapse.freeEnded.subject': '{product}: la licenza gratuita è terminata',
  'mail.lapse.freeEnded.body': 'Con esso è terminata la licenza {licence}. Quando ti servirà di nuovo {product}, il piano gratuito si può riattivare con un clic.',
  'mail.lapse.activateButton': 'Attiva il piano gratuito',
}
