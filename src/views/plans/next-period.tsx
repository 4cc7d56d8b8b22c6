// What changes from the next period (SPEC §8): a cheaper plan, another renewal frequency, or the
// free plan — at the period end, or now after a confirmation that nothing is refunded (also the way
// out of a read-only subscription).
import { formatDate, formatMoney, type Translate } from '../../i18n'
import { Change, From, SectionError, type PlanPageModel, type SectionProps } from './shared'
import { periodLabel } from './format'
import { PostForm } from '../components/post-form'

export function DowngradeSection({ t, lang, m, term, action }: SectionProps) {
  if (m.downgrades.length === 0) return null
  const money = (minor: number) => formatMoney(lang, minor, m.state.product.currency)
  const chosen = m.form?.section === 'downgrade' ? m.form.values.plan : undefined
  return (
    <Change m={m} section="downgrade" title={t('plans.downgrade.title')}>
      <p>{t('plans.downgrade.intro', { date: formatDate(lang, term.periodEnd, m.timeZone), plan: term.current.name })}</p>
      <SectionError t={t} m={m} section="downgrade" />
      <PostForm action={`${action}/scheduled-change`} class="stack">
        <From term={term} />
        <fieldset class="choices">
          <legend>{t('plans.downgrade.plan')}</legend>
          {m.downgrades.map((plan, i) => (
            <label class="choice">
              <input type="radio" name="plan" value={plan.key} checked={chosen ? chosen === plan.key : i === 0} required />
              <span>{t('plans.downgrade.option', { plan: plan.name, price: money(plan.prices[term.periodMonths]!), period: periodLabel(t, term.periodMonths) })}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="btn btn-secondary">
          {t('plans.downgrade.submit')}
        </button>
      </PostForm>
    </Change>
  )
}

export function PeriodSection({ t, lang, m, term, action }: SectionProps) {
  if (m.periods.length < 2) return null
  const next = term.sub.scheduledPeriodMonths ?? term.periodMonths
  return (
    <Change m={m} section="period" title={t('plans.period.title')}>
      <p>{t('plans.period.intro', { date: formatDate(lang, term.periodEnd, m.timeZone) })}</p>
      <SectionError t={t} m={m} section="period" />
      <PostForm action={`${action}/scheduled-change`} class="stack">
        <From term={term} />
        <fieldset class="choices">
          <legend>{t('plans.period.title')}</legend>
          {m.periods.map((o) => (
            <label class="choice">
              <input type="radio" name="period" value={String(o.months)} checked={o.months === next} required />
              <span>
                {t('plans.period.option', { period: periodLabel(t, o.months), price: formatMoney(lang, o.netMinor, m.state.product.currency) })}
                {o.months === term.periodMonths && ` ${t('plans.period.current')}`}
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="btn btn-secondary">
          {t('plans.period.submit')}
        </button>
      </PostForm>
    </Change>
  )
}

export function FreeSection({ t, lang, m, term, action }: SectionProps) {
  const free = m.freePlan
  if (!free) return null
  const scheduled = term.sub.scheduledPlanId === free.id
  const confirmed = m.form?.section === 'free' && m.form.values.confirm === 'on'
  return (
    <Change m={m} section="free" title={t('plans.free.title', { plan: free.name })}>
      <SectionError t={t} m={m} section="free" />
      {!scheduled && (
        <PostForm action={`${action}/free-switch`} class="stack">
          <From term={term} />
          <input type="hidden" name="mode" value="at_period_end" />
          <p>{t('plans.free.atEnd', { date: formatDate(lang, term.periodEnd, m.timeZone) })}</p>
          <button type="submit" class="btn btn-secondary">
            {t('plans.free.atEndSubmit')}
          </button>
        </PostForm>
      )}
      <PostForm action={`${action}/free-switch`} class="stack">
        <From term={term} />
        <input type="hidden" name="mode" value="now" />
        <p>{t('plans.free.now')}</p>
        <div class="check">
          <input id="free-confirm" name="confirm" type="checkbox" checked={confirmed} required />
          <label for="free-confirm">{t('plans.free.confirm')}</label>
        </div>
        <button type="submit" class="btn btn-danger">
          {t('plans.free.nowSubmit')}
        </button>
      </PostForm>
    </Change>
  )
}

/** A read-only subscription's way out without paying (SPEC §8): the free plan now, which unlocks the org. */
export function LapsedFreeSection({ t, m, action }: { t: Translate; m: PlanPageModel; action: string }) {
  const free = m.freePlan
  if (!free || m.state.subscription?.status !== 'read_only') return null
  const confirmed = m.form?.section === 'free' && m.form.values.confirm === 'on'
  return (
    <section class="card" id="read-only-free" aria-labelledby="read-only-free-h">
      <h2 id="read-only-free-h">{t('readOnly.free.title', { plan: free.name })}</h2>
      <SectionError t={t} m={m} section="free" />
      <PostForm action={`${action}/free-switch`} class="stack">
        <input type="hidden" name="mode" value="now" />
        <p>{t('readOnly.free.text')}</p>
        <div class="check">
          <input id="read-only-free-confirm" name="confirm" type="checkbox" checked={confirmed} required />
          <label for="read-only-free-confirm">{t('readOnly.free.confirm')}</label>
        </div>
        <button type="submit" class="btn">
          {t('readOnly.free.submit')}
        </button>
      </PostForm>
    </section>
  )
}
