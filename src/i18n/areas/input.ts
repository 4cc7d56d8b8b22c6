// Messages about input the app refuses as unreadable or unsafe (issue 15): a form body that can't
// be read (400), and text fields holding control or text-direction characters.
// src/i18n/en.ts, pl.ts and it.ts merge this area into their catalogs.
import type { AreaCatalog } from '../index'

export const en = {
  'error.badRequest.title': 'The form could not be read',
  'error.badRequest.body':
    'What your browser sent is not a form we can read: it is damaged or not valid UTF-8 text. Nothing was saved. Go back, reload the page and send the form again.',
  'field.text.control': 'Remove the invisible characters from this text: line breaks, tabs, control characters or text-direction overrides.',
  'field.text.controlMultiline': 'Remove the invisible characters from this text: tabs, control characters or text-direction overrides. Line breaks are fine.',
} as const

export const pl: AreaCatalog<typeof en> = {
  'error.badRequest.title': 'Nie udało się odczytać formularza',
  'error.badRequest.body':
    'To, co wysłała przeglądarka, nie jest formularzem, który potrafimy odczytać: jest uszkodzone albo nie jest poprawnym tekstem UTF-8. Nic nie zostało zapisane. Wróć, odśwież stronę i wyślij formularz ponownie.',
  'field.text.control': 'Usuń z tego tekstu niewidoczne znaki: podziały wierszy, tabulatory, znaki sterujące lub wymuszenia kierunku tekstu.',
  'field.text.controlMultiline': 'Usuń z tego tekstu niewidoczne znaki: tabulatory, znaki sterujące lub wymuszenia kierunku tekstu. Podziały wierszy są dozwolone.',
}

export const it: AreaCatalog<typeof en> = {
  'error.badRequest.title': 'Impossibile leggere il modulo',
  'error.badRequest.body':
    'Ciò che il browser ha inviato non è un modulo leggibile: è danneggiato o non è testo UTF-8 valido. Non è stato salvato nulla. Torna indietro, ricarica la pagina e invia di nuovo il modulo.',
  'field.text.control': 'Rimuovi da questo testo i caratteri invisibili: a capo, tabulazioni, caratteri di controllo o forzature della direzione del testo.',
  'field.text.controlMultiline': 'Rimuovi da questo testo i caratteri invisibili: tabulazioni, caratteri di controllo o forzature della direzione del testo. Gli a capo sono ammessi.',
}
