// The subscription page of one product (SPEC §8): the plan, period and licence, automatic renewal,
// scheduled changes, then what can be bought now and what can change from the next period.
import { formatDate, type Language, type Translate } from '../../i18n'
import { periodLabel } from './format'
import { AddonSection, UpgradeSection } from './buy-now'
import { DowngradeSection, FreeSection, LapsedFreeSection, PeriodSection } from './next-period'
import { From, SectionError, type PlanPageModel, type SectionProps } from './shared'
import { PostForm } from '../components/post-form'
import { Grouped } from '../components/grouped'
import { ForItem } from '../components/for-item'
import { planComparisonPath } from './compare'

export type { PlanPageModel } from './shared'

export function PlanPageView({ t, lang, m }: { t: Translate; lang: Language; m: PlanPageModel }) {
  const { product, subscription, licenceNumber } = m.state
  const action = `/o/${m.slug}/products/${product.key}/plan`
  return (
    <div class="stack">
      <h1>{t('plans.title', { product: product.name })}</h1>
      <SectionError t={t} m={m} section="page" />
      <p>
        <a href={planComparisonPath(product.key)}>{t('compare.link')}</a>
      </p>
      {licenceNumber && (
        <p>
          {t('products.licence')}: <Grouped value={licenceNumber} />
        </p>
      )}
      {m.term.ok ? (
        <PaidPlan t={t} lang={lang} m={m} term={m.term.term} action={action} />
      ) : (
        <section class="card">
          {subscription?.snapshot.isFree ? <p>{t('plans.freeNow', { plan: subscription.snapshot.planName })}</p> : null}
          <p>
            {m.term.error === 'not_active'
              ? t('plans.notActive')
              : m.term.error === 'period_over'
                ? t('plans.periodOver')
                : m.term.error === 'plan_not_found'
                  ? t('plans.notSold')
                  : t('plans.noPaid', { product: product.name })}
          </p>
          {m.term.error !== 'period_over' && (
            <p>
              <a class="btn" href={`/buy/${product.key}`}>
                {t('plans.buy')}
              </a>
            </p>
          )}
        </section>
      )}
      {!m.term.ok && <LapsedFreeSection t={t} m={m} action={action} />}
      <p>
        <a href={`/o/${m.slug}`}>{t('plans.back')}</a>
      </p>
    </div>
  )
}

function PaidPlan(p: SectionProps) {
  const { t, lang, m, term } = p
  // A refused form whose section has nothing to offer now (no add-ons, no cheaper plan…) says why up here.
  const hidden: Partial<Record<string, boolean>> = { addons: m.addons.length === 0, downgrade: m.downgrades.length === 0, period: m.periods.length < 2, free: !m.freePlan }
  return (
    <>
      {m.form && hidden[m.form.section] && (
        <p class="alert" role="alert">
          {t(m.form.error)}
        </p>
      )}
      <section class="card" aria-labelledby="plan-now-h">
        <h2 id="plan-now-h">{t('plans.current', { plan: term.current.name })}</h2>
        <p>{t('plans.billing', { period: periodLabel(t, term.periodMonths) })}</p>
        <p>{t('plans.periodEnd', { date: formatDate(lang, term.periodEnd, m.timeZone) })}</p>
        {m.renewedEarly && (
          <p class="notice">
            {t('plans.renewedEarly', { start: formatDate(lang, term.sub.periodStart, m.timeZone), end: formatDate(lang, term.periodEnd, m.timeZone) })}
          </p>
        )}
        {m.state.pending.map((o) => (
          <p class="notice">
            <a href={`/o/${m.slug}/orders/${o.id}`}>{t('plans.pending', { number: o.number })}</a>
          </p>
        ))}
      </section>
      <RenewalSection {...p} />
      <ScheduledSection {...p} />
      <UpgradeSection {...p} />
      <AddonSection {...p} />
      <DowngradeSection {...p} />
      <PeriodSection {...p} />
      <FreeSection {...p} />
    </>
  )
}

function RenewalSection({ t, lang, m, term, action }: SectionProps) {
  const on = term.sub.autoRenew
  return (
    <section class="card" aria-labelledby="renewal-h">
      <h2 id="renewal-h">{t('plans.renewal.title')}</h2>
      <p>{on ? t('plans.renewal.on', { date: formatDate(lang, term.periodEnd, m.timeZone) }) : t('plans.renewal.off')}</p>
      <SectionError t={t} m={m} section="renewal" />
      {on || m.state.hasSavedMethod ? (
        <PostForm action={`${action}/auto-renewal`}>
          <From term={term} />
          <input type="hidden" name="autoRenew" value={on ? 'off' : 'on'} />
          <button type="submit" class={on ? 'btn btn-secondary' : 'btn'}>
            {t(on ? 'plans.renewal.turnOff' : 'plans.renewal.turnOn')}
          </button>
        </PostForm>
      ) : (
        <p class="muted">{t('plans.renewal.needsMethod')}</p>
      )}
    </section>
  )
}

function ScheduledSection({ t, lang, m, term, action }: SectionProps) {
  const { sub } = term
  const plan = m.state.product.plans.find((p) => p.id === sub.scheduledPlanId)
  const date = formatDate(lang, term.periodEnd, m.timeZone)
  // Two such buttons can stand one above the other: each names the change it cancels.
  const cancel = (change: 'plan' | 'period', what: string) => (
    <PostForm action={`${action}/scheduled-change/cancellation`} class="inline-form">
      <From term={term} />
      <input type="hidden" name="change" value={change} />
      <button type="submit" class="btn btn-quiet btn-compact">
        <ForItem label={t('plans.scheduled.cancel')} item={what} sep=" – " />
      </button>
    </PostForm>
  )
  return (
    <section class="card" aria-labelledby="scheduled-h">
      <h2 id="scheduled-h">{t('plans.scheduled.title')}</h2>
      <SectionError t={t} m={m} section="scheduled" />
      {!plan && sub.scheduledPeriodMonths === null && <p class="muted">{t('plans.scheduled.none')}</p>}
      <ul class="list">
        {plan && (
          <li>
            {plan.isFree ? t('plans.scheduled.free', { date, plan: plan.name }) : t('plans.scheduled.plan', { date, plan: plan.name })}
            {cancel('plan', plan.name)}
          </li>
        )}
        {sub.scheduledPeriodMonths !== null && (
          <li>
            {t('plans.scheduled.period', { period: periodLabel(t, sub.scheduledPeriodMonths) })}
            {cancel('period', periodLabel(t, sub.scheduledPeriodMonths))}
          </li>
        )}
      </ul>
    </section>
  )
}
