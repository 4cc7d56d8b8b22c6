// Codes people read out or type (e-codes, licence numbers, IBANs) shown in their groups: a line
// breaks between groups, never inside one ("…0712 19 / 81 2874" was hard to copy from a phone).
// The text stays exactly the value, so copying it gives what was shown.
// Written as an html template (hono/html), not JSX: the e-code list prints fifty of these a page,
// and a template costs a fraction of JSX elements to render (docs/performance.md).
import { escapeHtml, html, raw } from '../html'

/** `value` as written ("K7QF 3XMA 9B4K 2PZD", "KT-7QF3-9XMA-2B4K", "PL61 1090 …"): groups end at a space or a hyphen. */
export function groupedHtml(value: string, cls = 'key') {
  const parts = value.split(/(?<=-)|\s+/).filter(Boolean)
  let groups = ''
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) groups += parts[i - 1]!.endsWith('-') ? '<wbr/>' : ' '
    groups += `<span class="g">${escapeHtml(parts[i]!)}</span>`
  }
  return html`<code class="${cls}">${raw(groups)}</code>`
}

export function Grouped({ value, class: cls = 'key' }: { value: string; class?: string }) {
  return groupedHtml(value, cls)
}
