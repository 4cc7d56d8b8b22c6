// The KSeF failures section of /ops/einvoices (emergency mode, src/services/ksef-failures.ts): the
// failures operators recorded with the deadline of the invoices issued during each, the form that
// records one the Ministry declared, and the one that records the end of the failure that lasts.
import type { FormState } from '../../forms/validate'
import { formatDateTime, type Language, type MessageKey, type Translate } from '../../i18n'
import { EMERGENCY_WORKING_DAYS, endOfWorkingDaysAfter } from '../../einvoice/ksef/offline'
import type { KsefFailure } from '../../services/ksef-failures'
import { Field, FormErrors } from '../components/form'

/** KSeF's times are Poland's, whatever the vendor's zone. */
export const POLISH_TIME = 'Europe/Warsaw'

export type FailureForms = { declare: FormState; end: FormState; error?: MessageKey }

type Props = { t: Translate; lang: Language; failures: KsefFailure[]; forms: FailureForms }

export function KsefFailures({ t, lang, failures, forms }: Props) {
  const when = (d: Date) => formatDateTime(lang, d, POLISH_TIME)
  const ongoing = failures.find((f) => f.until === null)
  return (
    <section class="card stack" aria-labelledby="ksef-failures-h">
      <h2 id="ksef-failures-h">{t('ops.ksefFailures')}</h2>
      <p class="muted">{t('ops.ksefFailures.intro')}</p>
      <p class="muted">{t('ops.ksefFailures.total')}</p>
      {forms.error && (
        <div class="alert" role="alert">
          {t(forms.error)}
        </div>
      )}
      {failures.length === 0 ? (
        <p>{t('ops.ksefFailures.none')}</p>
      ) : (
        <ul>
          {failures.map((f) => (
            <li>
              {f.until === null ? (
                <strong>{t('ops.ksefFailures.ongoing', { from: when(f.from) })}</strong>
              ) : (
                t('ops.ksefFailures.ended', { from: when(f.from), until: when(f.until), deadline: when(endOfWorkingDaysAfter(f.until, EMERGENCY_WORKING_DAYS)) })
              )}
              <div class="muted">
                {t('ops.ksefFailures.by', { who: f.declaredBy, when: when(f.declaredAt) })}
                {f.endedBy ? `; ${t('ops.ksefFailures.endedBy', { who: f.endedBy })}` : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
      {ongoing && (
        <form method="post" action="/ops/einvoices/failures/end" class="inline-form">
          <h3>{t('ops.ksefFailures.end')}</h3>
          <FormErrors t={t} form={forms.end} />
          <Field t={t} form={forms.end} name="until" id="f-failure-end" type="datetime-local" label={t('ops.ksefFailures.until')} required />
          <button type="submit" class="btn">
            {t('ops.ksefFailures.endSubmit')}
          </button>
        </form>
      )}
      <form method="post" action="/ops/einvoices/failures" class="inline-form">
        <h3>{t('ops.ksefFailures.declare')}</h3>
        <FormErrors t={t} form={forms.declare} />
        <Field t={t} form={forms.declare} name="from" id="f-failure-from" type="datetime-local" label={t('ops.ksefFailures.from')} required />
        <Field t={t} form={forms.declare} name="until" id="f-failure-until" type="datetime-local" label={t('ops.ksefFailures.until')} hint={t('ops.ksefFailures.untilHint')} />
        <button type="submit" class="btn btn-secondary">
          {t('ops.ksefFailures.declareSubmit')}
        </button>
      </form>
    </section>
  )
}
