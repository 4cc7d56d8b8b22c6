// "Report a mistake" on a personalized voucher's public page (SPEC §9): no account needed. Folded
// away in a <details> so the page stays short; open when the form came back with an error.
import type { FormState } from '../../forms/validate'
import type { Translate } from '../../i18n'
import { Field, FormErrors } from '../components/form'

export function ReportSection({ t, code, form }: { t: Translate; code: string; form: FormState }) {
  const error = form.errors.what
  const hasErrors = Object.keys(form.errors).length > 0
  return (
    <section class="card narrow" aria-label={t('report.title')}>
      <details open={hasErrors}>
        <summary>{t('report.title')}</summary>
        <form method="post" action={`/r/${code}/reports`} class="stack">
          <p class="small">{t('report.intro')}</p>
          <FormErrors t={t} form={form} />
          <div class={error ? 'field has-error' : 'field'}>
            <label for="f-what">{t('report.what')}</label>
            <textarea id="f-what" name="what" rows={4} maxlength={1000} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-what-error' : undefined}>
              {form.values.what ?? ''}
            </textarea>
            {error && (
              <p class="error" id="f-what-error">
                {t(error)}
              </p>
            )}
          </div>
          <Field t={t} form={form} name="contactEmail" type="email" autocomplete="email" label={t('report.contactEmail')} hint={t('report.contactHint')} required maxlength={254} />
          <button type="submit" class="btn btn-secondary">
            {t('report.send')}
          </button>
        </form>
      </details>
    </section>
  )
}
