// Messages about seat limits on every way into an org (SPEC §2, §5): an invitation that found no
// seat, a claim by licence number that found none and the mail its administrators get.
// src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'seats.invitationWaiting': {
    one: 'You are invited to {org}, but its {plan} plan of {product} allows {count} user (administrators included) and that seat is taken. Once an administrator of {org} frees a seat or adds users, you join when you next sign in (the invitation is valid until {date}).',
    other: 'You are invited to {org}, but its {plan} plan of {product} allows {count} users (administrators included) and all are taken. Once an administrator of {org} frees a seat or adds users, you join when you next sign in (the invitation is valid until {date}).',
  },
  'seats.claimFull.title': 'No seat left in {org}',
  'seats.claimFull.text': {
    one: 'The licence number is right, but {org} uses the {plan} plan of {product}, which allows {count} user (administrators included), and that seat is taken, so you have not joined.',
    other: 'The licence number is right, but {org} uses the {plan} plan of {product}, which allows {count} users (administrators included), and all are taken, so you have not joined.',
  },
  'seats.claimFull.next': 'Its administrators have been told by e-mail. Once one of them frees a seat, adds users or changes the plan, enter the licence number again.',
  'seats.claimFull.plans': 'The plans of {product}',
  'mail.claimNoSeat.subject': 'Someone could not join {org}: no seat left',
  'mail.claimNoSeat.body': {
    one: '{who} gave the tax id and one of the licence numbers of {org} to join it, but its {plan} plan of {product} allows {count} user (administrators included) and that seat is taken. They have not joined.',
    other: '{who} gave the tax id and one of the licence numbers of {org} to join it, but its {plan} plan of {product} allows {count} users (administrators included) and all are taken. They have not joined.',
  },
  'mail.claimNoSeat.next': 'To let them in, remove a member who no longer needs access, add users or change the plan; then they can enter the licence number again. If you do not know this person, there is nothing to do.',
  'mail.claimNoSeat.button': 'Open the plan',
} as const

export const pl: AreaCatalog<typeof en> = {
  'seats.invitationWaiting': {
    one: 'Masz zaproszenie do {org}, ale jej plan {plan} produktu {product} pozwala na {count} użytkownika (z administratorami) i to miejsce jest zajęte. Gdy administrator {org} zwolni miejsce lub dokupi użytkowników, dołączysz przy następnym logowaniu (zaproszenie jest ważne do {date}).',
    few: 'Masz zaproszenie do {org}, ale jej plan {plan} produktu {product} pozwala na {count} użytkowników (z administratorami) i wszystkie miejsca są zajęte. Gdy administrator {org} zwolni miejsce lub dokupi użytkowników, dołączysz przy następnym logowaniu (zaproszenie jest ważne do {date}).',
    many: 'Masz zaproszenie do {org}, ale jej plan {plan} produktu {product} pozwala na {count} użytkowników (z administratorami) i wszystkie miejsca są zajęte. Gdy administrator {org} zwolni miejsce lub dokupi użytkowników, dołączysz przy następnym logowaniu (zaproszenie jest ważne do {date}).',
    other: 'Masz zaproszenie do {org}, ale jej plan {plan} produktu {product} pozwala na {count} użytkownika (z administratorami) i wszystkie miejsca są zajęte. Gdy administrator {org} zwolni miejsce lub dokupi użytkowników, dołączysz przy następnym logowaniu (zaproszenie jest ważne do {date}).',
  },
  'seats.claimFull.title': 'Brak wolnego miejsca w {org}',
  'seats.claimFull.text': {
    one: 'Numer licencji jest poprawny, ale {org} korzysta z planu {plan} produktu {product}, który pozwala na {count} użytkownika (z administratorami), i to miejsce jest zajęte, więc nie dołączono Cię.',
    few: 'Numer licencji jest poprawny, ale {org} korzysta z planu {plan} produktu {product}, który pozwala na {count} użytkowników (z administratorami), i wszystkie miejsca są zajęte, więc nie dołączono Cię.',
    many: 'Numer licencji jest poprawny, ale {org} korzysta z planu {plan} produktu {product}, który pozwala na {count} użytkowników (z administratorami), i wszystkie miejsca są zajęte, więc nie dołączono Cię.',
    other: 'Numer licencji jest poprawny, ale {org} korzysta z planu {plan} produktu {product}, który pozwala na {count} użytkownika (z administratorami), i wszystkie miejsca są zajęte, więc nie dołączono Cię.',
  },
  'seats.claimFull.next': 'Administratorzy dostali wiadomość e-mail. Gdy któryś z nich zwolni miejsce, dokupi użytkowników lub zmieni plan, wpisz numer licencji ponownie.',
  'seats.claimFull.plans': 'Plany produktu {product}',
  'mail.claimNoSeat.subject': 'Ktoś nie mógł dołączyć do {org}: brak wolnego miejsca',
  'mail.claimNoSeat.body': {
    one: '{who} podał(a) NIP i jeden z numerów licencji {org}, aby dołączyć, ale plan {plan} produktu {product} pozwala na {count} użytkownika (z administratorami) i to miejsce jest zajęte. Ta osoba nie dołączyła.',
    few: '{who} podał(a) NIP i jeden z numerów licencji {org}, aby dołączyć, ale plan {plan} produktu {product} pozwala na {count} użytkowników (z administratorami) i wszystkie miejsca są zajęte. Ta osoba nie dołączyła.',
    many: '{who} podał(a) NIP i jeden z numerów licencji {org}, aby dołączyć, ale plan {plan} produktu {product} pozwala na {count} użytkowników (z administratorami) i wszystkie miejsca są zajęte. Ta osoba nie dołączyła.',
    other: '{who} podał(a) NIP i jeden z numerów licencji {org}, aby dołączyć, ale plan {plan} produktu {product} pozwala na {count} użytkownika (z administratorami) i wszystkie miejsca są zajęte. Ta osoba nie dołączyła.',
  },
  'mail.claimNoSeat.next': 'Aby ją wpuścić, usuń członka, który nie potrzebuje już dostępu, dokup użytkowników lub zmień plan; potem może wpisać numer licencji ponownie. Jeśli nie znasz tej osoby, nic nie trzeba robić.',
  'mail.claimNoSeat.button': 'Otwórz plan',
}

export const it: AreaCatalog<typeof en> = {
  'seats.invitationWaiting': {
    one: 'Sei invitato/a in {org}, ma il suo piano {plan} di {product} consente {count} utente (amministratori inclusi) e quel posto è occupato. Quando un amministratore di {org} libera un posto o aggiunge utenti, entri al prossimo accesso (l’invito è valido fino al {date}).',
    other: 'Sei invitato/a in {org}, ma il suo piano {plan} di {product} consente {count} utenti (amministratori inclusi) e sono tutti occupati. Quando un amministratore di {org} libera un posto o aggiunge utenti, entri al prossimo accesso (l’invito è valido fino al {date}).',
  },
  'seats.claimFull.title': 'Nessun posto libero in {org}',
  'seats.claimFull.text': {
    one: 'Il numero di licenza è giusto, ma {org} usa il piano {plan} di {product}, che consente {count} utente (amministratori inclusi), e quel posto è occupato: non sei entrato/a.',
    other: 'Il numero di licenza è giusto, ma {org} usa il piano {plan} di {product}, che consente {count} utenti (amministratori inclusi), e sono tutti occupati: non sei entrato/a.',
  },
  'seats.claimFull.next': 'I suoi amministratori sono stati avvisati via e-mail. Quando uno di loro libera un posto, aggiunge utenti o cambia piano, inserisci di nuovo il numero di licenza.',
  'seats.claimFull.plans': 'I piani di {product}',
  'mail.claimNoSeat.subject': 'Qualcuno non è potuto entrare in {org}: nessun posto libero',
  'mail.claimNoSeat.body': {
    one: '{who} ha indicato la partita IVA e uno dei numeri di licenza di {org} per entrare, ma il piano {plan} di {product} consente {count} utente (amministratori inclusi) e quel posto è occupato. Non è entrato/a.',
    other: '{who} ha indicato la partita IVA e uno dei numeri di licenza di {org} per entrare, ma il piano {plan} di {product} consente {count} utenti (amministratori inclusi) e sono tutti occupati. Non è entrato/a.',
  },
  'mail.claimNoSeat.next': 'Per farlo/a entrare, rimuovi un membro che non ha più bisogno di accesso, aggiungi utenti o cambia piano; poi potrà inserire di nuovo il numero di licenza. Se non conosci questa persona, non c’è nulla da fare.',
  'mail.claimNoSeat.button': 'Apri il piano',
}
