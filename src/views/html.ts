// A lean html template for markup a page renders many times (the long lists' rows, Grouped, ForItem,
// Field, Select): like hono/html's `html`, every interpolated string is escaped (hono's own escaping)
// and an escaped value (a template, raw()) is put in as it is, arrays of them joined; but synchronous
// only — no promises or callbacks, which such markup never holds — and without hono's array per value:
// about 0.2 ms less of the e-code list's CPU (fifty rows; docs/architecture.md, "CPU per page").
import { escapeToBuffer, raw, type HtmlEscapedString } from 'hono/utils/html'

export type Html = HtmlEscapedString
type Value = string | number | boolean | null | undefined | Html | Value[]

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  const buffer: [string] = [strings[0]!]
  for (let i = 0; i < values.length; i++) {
    put(values[i], buffer)
    buffer[0] += strings[i + 1]!
  }
  return raw(buffer[0])
}

function put(value: Value, buffer: [string]): void {
  if (typeof value === 'string') escapeToBuffer(value, buffer)
  else if (typeof value === 'number') buffer[0] += value
  else if (value === null || value === undefined || typeof value === 'boolean') return
  else if (Array.isArray(value)) for (const v of value) put(v, buffer)
  else if ((value as Html).isEscaped) buffer[0] += (value as Html).toString()
  else escapeToBuffer(String(value), buffer)
}

/** A string escaped as the templates escape it, for markup put together by hand. */
export function escapeHtml(text: string): string {
  const buffer: [string] = ['']
  escapeToBuffer(text, buffer)
  return buffer[0]
}

export { raw }
