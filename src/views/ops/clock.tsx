// The test clock page (/ops/clock, issue 7): real time and app time, and the forms that advance
// the clock by days, set it to a moment, or reset it to real time.
import type { FormState } from '../../forms/validate'
import { formatDateTime, type Language, type MessageKey, type Params, type Translate } from '../../i18n'
import { Field, FormErrors } from '../components/form'
import { OpsMenu } from './ops'

/** The one-click advances; anything else goes through the custom form. */
export const ADVANCE_PRESETS = [1, 7, 30] as const

export type ClockModel = {
  real: Date
  app: Date
  set: boolean
  timeZone: string
  /** The daily jobs and their UTC times, e.g. "purges 02:30 UTC, renewals 03:15 UTC". */
  schedule: string
  maxDays: number
}

type Props = {
  t: Translate
  lang: Language
  m: ClockModel
  momentForm: FormState
  advanceForm: FormState
  error?: { key: MessageKey; params?: Params }
}

export function ClockView({ t, lang, m, momentForm, advanceForm, error }: Props) {
  const when = (d: Date) => formatDateTime(lang, d, m.timeZone)
  return (
    <>
      <h1>{t('ops.clock')}</h1>
      <OpsMenu t={t} current="clock" />
      <p class="muted">{t('ops.clock.intro')}</p>
      {error && (
        <div class="alert" role="alert">
          {t(error.key, error.params)}
        </div>
      )}
      <section class="card">
        <dl class="facts">
          <dt>{t('ops.clock.real')}</dt>
          <dd>{when(m.real)}</dd>
          <dt>{t('ops.clock.app')}</dt>
          <dd>
            <strong>{when(m.app)}</strong>
          </dd>
        </dl>
        <p>{t(m.set ? 'ops.clock.on' : 'ops.clock.off')}</p>
        <p class="muted">{t('ops.clock.jobs', { schedule: m.schedule })}</p>
        <p class="muted">{t('ops.clock.forwardOnly')}</p>
      </section>
      <section class="card" aria-labelledby="advance-h">
        <h2 id="advance-h">{t('ops.clock.advance')}</h2>
        <div class="actions">
          {ADVANCE_PRESETS.map((days) => (
            <form method="post" action="/ops/clock/advance">
              <input type="hidden" name="days" value={String(days)} />
              <button type="submit" class="btn btn-secondary">
                {t('ops.clock.advanceBy', { count: days })}
              </button>
            </form>
          ))}
        </div>
        <form method="post" action="/ops/clock/advance" class="inline-form">
          <h3>{t('ops.clock.custom')}</h3>
          <FormErrors t={t} form={advanceForm} />
          <Field t={t} form={advanceForm} name="days" id="f-advance-days" label={t('ops.clock.days')} inputmode="numeric" maxlength={6} />
          <Field t={t} form={advanceForm} name="hours" id="f-advance-hours" label={t('ops.clock.hours')} inputmode="numeric" maxlength={2} />
          <button type="submit" class="btn">
            {t('ops.clock.advanceSubmit')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="moment-h">
        <h2 id="moment-h">{t('ops.clock.moment')}</h2>
        <form method="post" action="/ops/clock/moment" class="inline-form">
          <FormErrors t={t} form={momentForm} />
          <Field
            t={t}
            form={momentForm}
            name="at"
            type="datetime-local"
            label={t('ops.clock.at', { zone: m.timeZone })}
            hint={t('ops.clock.atHint', { max: m.maxDays })}
            required
          />
          <button type="submit" class="btn">
            {t('ops.clock.setSubmit')}
          </button>
        </form>
      </section>
      {m.set && (
        <section class="card" aria-labelledby="reset-h">
          <h2 id="reset-h">{t('ops.clock.reset')}</h2>
          <p class="muted">{t('ops.clock.resetHint')}</p>
          <form method="post" action="/ops/clock/reset">
            <button type="submit" class="btn btn-danger">
              {t('ops.clock.resetSubmit')}
            </button>
          </form>
        </section>
      )}
    </>
  )
}
