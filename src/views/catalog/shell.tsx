// The frame of every catalog page in the back office, and the pieces the catalog forms share: a form
// card that htmx can swap on its own (422 with errors), texts in three languages, price fields.
import type { Child } from 'hono/jsx'
import type { FormState } from '../../forms/validate'
import { priceField } from '../../forms/catalog'
import { LANGUAGES, type Translate } from '../../i18n'
import { Checkbox, Field, FormErrors } from '../components/form'
import { OpsMenu } from '../ops/ops'

/** A whole page: title, the back-office menu, a way back, then the content. */
export function CatalogPage(p: { t: Translate; title: string; back?: { href: string; label: string }; children: Child }) {
  return (
    <>
      <h1>{p.title}</h1>
      <OpsMenu t={p.t} current="catalog" />
      {p.back && (
        <p>
          <a href={p.back.href}>{p.t('catalog.backTo', { name: p.back.label })}</a>
        </p>
      )}
      {p.children}
    </>
  )
}

/** The form card: also the htmx fragment, so a 422 replaces just this card with its errors. */
export function CatalogForm(p: { t: Translate; id: string; action: string; form: FormState; submit: string; title?: string; note?: string; children: Child }) {
  return (
    <section class="card" id={p.id} aria-labelledby={p.title ? `${p.id}-title` : undefined}>
      {p.title && <h2 id={`${p.id}-title`}>{p.title}</h2>}
      {p.note && <p class="muted small">{p.note}</p>}
      <FormErrors t={p.t} form={p.form} />
      <form method="post" action={p.action} hx-post={p.action} hx-target={`#${p.id}`} hx-swap="outerHTML" novalidate>
        {p.children}
        <button type="submit" class="btn">
          {p.submit}
        </button>
      </form>
    </section>
  )
}

/** `name` in English, Polish and Italian: fields `${name}En`, `${name}Pl`, `${name}It`. */
export function LocalizedFields(p: { t: Translate; form: FormState; name: string; label: string; maxlength: number }) {
  return (
    <>
      {LANGUAGES.map((lang) => {
        const field = `${p.name}${lang[0]!.toUpperCase()}${lang[1]}`
        return <Field t={p.t} form={p.form} name={field} label={p.t('catalog.field.inLanguage', { label: p.label, language: p.t(`catalog.lang.${lang}`) })} required maxlength={p.maxlength} />
      })}
    </>
  )
}

/** A net price field per billing period, in the product's currency. */
export function PriceFields(p: { t: Translate; form: FormState; periods: number[]; currency: string; hint?: string }) {
  return (
    <>
      {p.periods.map((months) => (
        <Field
          t={p.t}
          form={p.form}
          name={priceField(months)}
          label={p.t('catalog.field.price', { period: p.t('catalog.period', { count: months }), currency: p.currency })}
          hint={p.hint}
          inputmode="decimal"
          maxlength={20}
        />
      ))}
    </>
  )
}

export function WholeField(p: { t: Translate; form: FormState; name: string; label: string; hint?: string; required?: boolean }) {
  return <Field t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} inputmode="numeric" maxlength={10} required={p.required} />
}

export function ActiveCheckbox(p: { t: Translate; form: FormState }) {
  return <Checkbox t={p.t} form={p.form} name="active" label={p.t('catalog.field.active')} />
}

/** An inactive tag after a name, so operators see at a glance what customers no longer get. */
export function Inactive(p: { t: Translate; active: boolean }) {
  return p.active ? null : <span class="tag tag-quiet">{p.t('catalog.inactive')}</span>
}
