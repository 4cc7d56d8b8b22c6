// Form fields that show their label, hint and error together, with the ARIA wiring that
// screen readers need (SPEC §16: a clear message next to the field).
import type { Child } from 'hono/jsx'
import type { FormState } from '../../forms/validate'
import type { Translate } from '../../i18n'
import { escapeHtml, html, raw } from '../html'

type FieldProps = {
  t: Translate
  form: FormState
  name: string
  label: string
  type?: string
  autocomplete?: string
  hint?: string
  /** Defaults to `f-<name>`; set it when two forms on one page have a field of the same name. */
  id?: string
  required?: boolean
  maxlength?: number
  inputmode?: 'text' | 'numeric' | 'email' | 'tel' | 'decimal'
  /** File inputs: the types the picker offers (the server still checks the content). */
  accept?: string
  /** Said after the error, when there is one: what the reader can do about it. */
  errorNote?: string
}

// Field and Select are html templates (src/views/html.ts), not JSX: every form page renders them,
// the e-code list and the history with four each. The markup is what JSX wrote, attribute for attribute.
export function Field(p: FieldProps) {
  const error = p.form.errors[p.name]
  const id = p.id ?? `f-${p.name}`
  const described = [p.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  const value = p.type === 'password' ? undefined : (p.form.values[p.name] ?? '')
  const input =
    attr('id', id) +
    attr('name', p.name) +
    attr('type', p.type ?? 'text') +
    attr('value', value) +
    attr('autocomplete', p.autocomplete) +
    attr('required', p.required) +
    attr('maxlength', p.maxlength) +
    attr('inputmode', p.inputmode) +
    attr('accept', p.accept) +
    attr('aria-invalid', error ? 'true' : undefined) +
    attr('aria-describedby', described)
  return html`<div class="${error ? 'field has-error' : 'field'}"><label for="${id}">${p.label}</label>${p.hint ? html`<p class="hint" id="${id}-hint">${p.hint}</p>` : ''}<input${raw(input)}/>${error ? html`<p class="error" id="${id}-error">${p.t(error)}${p.errorNote ? ` ${p.errorNote}` : ''}</p>` : ''}</div>`
}

/** ` name="value"` as JSX writes an attribute: nothing for undefined, null or false, `name=""` for true. */
function attr(name: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null || value === false) return ''
  return value === true ? ` ${name}=""` : ` ${name}="${escapeHtml(String(value))}"`
}

export function Checkbox(p: { t: Translate; form: FormState; name: string; label: Child; required?: boolean }) {
  const error = p.form.errors[p.name]
  const id = `f-${p.name}`
  return (
    <div class={error ? 'check has-error' : 'check'}>
      <input
        id={id}
        name={p.name}
        type="checkbox"
        checked={p.form.values[p.name] === 'on'}
        required={p.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label for={id}>{p.label}</label>
      {error && (
        <p class="error" id={`${id}-error`}>
          {p.t(error)}
        </p>
      )}
    </div>
  )
}

export function Select(p: {
  t: Translate
  form: FormState
  name: string
  label: string
  options: { value: string; label: string }[]
  selected?: string
}) {
  const error = p.form.errors[p.name]
  const id = `f-${p.name}`
  const current = p.form.values[p.name] ?? p.selected
  const options = p.options.map((o) => html`<option value="${o.value}"${raw(attr('selected', o.value === current))}>${o.label}</option>`)
  return html`<div class="${error ? 'field has-error' : 'field'}"><label for="${id}">${p.label}</label><select id="${id}" name="${p.name}"${raw(attr('aria-invalid', error ? 'true' : undefined))}>${options}</select>${error ? html`<p class="error" id="${id}-error">${p.t(error)}</p>` : ''}</div>`
}

/** Shown above a form that came back with errors, so the problem is announced. */
export function FormErrors(p: { t: Translate; form: FormState }) {
  const formError = p.form.errors._form
  if (!formError && Object.keys(p.form.errors).length === 0) return null
  return (
    <div class="alert" role="alert">
      {p.t(formError ?? 'common.fixErrors')}
    </div>
  )
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} })
