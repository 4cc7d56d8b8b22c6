// A short visible label that names, for screen readers, the item it acts on: a list repeats "Choose"
// or "Remove" on every row, and each must still be told apart (WCAG 2.4.4). The accessible name
// starts with the visible words, so voice control finds it by what it shows (WCAG 2.5.3).
// `sep` joins them: a space after a verb ("Choose Silver"), a dash after a noun phrase
// ("Manage plan – Sekretariat"). An html template (hono/html) like Grouped: lists repeat it.
import { html } from '../html'

export function forItemHtml(label: string, item: string, sep: ' ' | ' – ' = ' ') {
  return html`${label}<span class="visually-hidden">${sep}${item}</span>`
}

export function ForItem({ label, item, sep = ' ' }: { label: string; item: string; sep?: ' ' | ' – ' }) {
  return forItemHtml(label, item, sep)
}
