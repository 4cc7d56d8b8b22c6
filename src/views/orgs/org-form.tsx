// The company data form, for a new org and for editing one (SPEC §2).
import type { FormState } from '../../forms/validate'
import type { Language, Translate } from '../../i18n'
import { COUNTRIES, LEGAL_FORMS } from '../../domain/orgs'
import { needsCodiceFiscale } from '../../domain/codice-fiscale'
import { otherCountriesOfTaxId } from '../../domain/tax-id'
import { Field, FormErrors, Select } from '../components/form'
import { PostForm } from '../components/post-form'

export function countryOptions(lang: Language) {
  const names = new Intl.DisplayNames([lang], { type: 'region' })
  return COUNTRIES.map((c) => ({ value: c, label: names.of(c) ?? c })).sort((a, b) => a.label.localeCompare(b.label, lang))
}

/** For a tax id refused for the chosen country: the EU countries it is valid in ("…valid in Italy: choose it as the country"). */
export function taxIdNote(t: Translate, lang: Language, form: FormState): string | undefined {
  if (form.errors.taxId !== 'field.taxId.invalid') return undefined
  const others = otherCountriesOfTaxId(form.values.taxId ?? '', form.values.country ?? '')
  if (others.length === 0) return undefined
  const names = new Intl.DisplayNames([lang], { type: 'region' })
  const countries = new Intl.ListFormat(lang, { type: 'disjunction' }).format(others.map((c) => names.of(c) ?? c))
  return t('field.taxId.otherCountry', { countries, count: others.length })
}

/**
 * The company's fields; `sellerCountry` given (editing), an Italian private person of an Italian
 * seller also sees their codice fiscale, which checkout asks for (docs/rules.md).
 */
export function OrgFields({ t, lang, form, sellerCountry }: { t: Translate; lang: Language; form: FormState; sellerCountry?: string }) {
  const asksCodiceFiscale = sellerCountry !== undefined && needsCodiceFiscale(sellerCountry, { country: form.values.country ?? '', legalForm: form.values.legalForm ?? '' })
  return (
    <>
      <Field t={t} form={form} name="name" label={t('org.field.name')} autocomplete="organization" required maxlength={200} />
      <Select t={t} form={form} name="country" label={t('org.field.country')} options={countryOptions(lang)} />
      <Select
        t={t}
        form={form}
        name="legalForm"
        label={t('org.field.legalForm')}
        options={LEGAL_FORMS.map((f) => ({ value: f, label: t(`org.legalForm.${f}`) }))}
        selected="company"
      />
      <Field t={t} form={form} name="taxId" label={t('org.field.taxId')} hint={t('org.field.taxIdHint')} maxlength={40} errorNote={taxIdNote(t, lang, form)} />
      <Field t={t} form={form} name="addressLine" label={t('org.field.addressLine')} autocomplete="street-address" required maxlength={200} />
      <Field t={t} form={form} name="postalCode" label={t('org.field.postalCode')} autocomplete="postal-code" required maxlength={20} />
      <Field t={t} form={form} name="city" label={t('org.field.city')} autocomplete="address-level2" required maxlength={100} />
      <Field
        t={t}
        form={form}
        name="billingEmail"
        label={t('org.field.billingEmail')}
        hint={t('org.field.billingEmailHint')}
        type="email"
        autocomplete="email"
        required
      />
      <Field t={t} form={form} name="einvoiceId" label={t('org.field.einvoiceId')} hint={t('org.field.einvoiceIdHint')} maxlength={254} />
      {asksCodiceFiscale && <Field t={t} form={form} name="codiceFiscale" label={t('checkout.codiceFiscale')} hint={t('checkout.codiceFiscaleHint')} maxlength={24} autocomplete="off" />}
    </>
  )
}

export function NewOrgView({ t, lang, form }: { t: Translate; lang: Language; form: FormState }) {
  return (
    <section class="card narrow">
      <h1>{t('org.new.title')}</h1>
      <p class="lead">{t('org.new.intro')}</p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/orgs" novalidate>
        <OrgFields t={t} lang={lang} form={form} />
        <button type="submit" class="btn">
          {t('org.new.submit')}
        </button>
      </form>
    </section>
  )
}

type EditProps = { t: Translate; lang: Language; form: FormState; slug: string; sellerCountry: string; saved?: boolean }

export function EditOrgView({ t, lang, form, slug, sellerCountry, saved }: EditProps) {
  return (
    <section class="card narrow">
      <h1>{t('org.edit.title')}</h1>
      {saved && (
        <p class="notice" role="status">
          {t('org.edit.saved')}
        </p>
      )}
      <FormErrors t={t} form={form} />
      <PostForm action={`/o/${slug}/settings/company`} novalidate>
        <OrgFields t={t} lang={lang} form={form} sellerCountry={sellerCountry} />
        <button type="submit" class="btn">
          {t('common.save')}
        </button>
      </PostForm>
    </section>
  )
}
