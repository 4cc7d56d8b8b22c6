// Adding a company, first step: the tax id (SPEC §3). A free tax id leads on to the company form;
// one that a live org already has leads to the claim: a licence number and the statement.
import type { FormState } from '../../forms/validate'
import type { Language, Translate } from '../../i18n'
import { Checkbox, Field, FormErrors, Select } from '../components/form'
import { countryOptions, taxIdNote } from './org-form'

export function TaxIdStepView({ t, lang, form }: { t: Translate; lang: Language; form: FormState }) {
  return (
    <section class="card narrow">
      <h1>{t('org.new.title')}</h1>
      <p class="lead">{t('org.new.taxIdIntro')}</p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/orgs/new" novalidate>
        <Select t={t} form={form} name="country" label={t('org.field.country')} options={countryOptions(lang)} />
        <Field t={t} form={form} name="taxId" label={t('org.field.taxId')} required maxlength={40} errorNote={taxIdNote(t, lang, form)} />
        <button type="submit" class="btn">
          {t('org.new.continue')}
        </button>
      </form>
      <p>
        <a href="/orgs/new/details?legalForm=person">{t('org.new.noTaxId')}</a>
      </p>
    </section>
  )
}

export function ClaimView({ t, company, form }: { t: Translate; company: string; form: FormState }) {
  return (
    <section class="card narrow">
      <h1>{t('claim.title')}</h1>
      <p class="lead">{t('claim.intro', { company })}</p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/orgs/claims" novalidate>
        <input type="hidden" name="country" value={form.values.country ?? ''} />
        <input type="hidden" name="taxId" value={form.values.taxId ?? ''} />
        <Field t={t} form={form} name="licence" label={t('claim.licence')} hint={t('claim.licenceHint')} required maxlength={40} autocomplete="off" />
        <Checkbox t={t} form={form} name="statement" label={t('claim.statement', { company })} required />
        <button type="submit" class="btn">
          {t('claim.submit')}
        </button>
      </form>
    </section>
  )
}
