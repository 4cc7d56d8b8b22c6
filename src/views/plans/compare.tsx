// The plans of a product compared (issue 16): a table with a column per plan and a row per price
// (per billing period) and per limit — on a phone each row's label takes a line of its own above
// the plans' values, so four plans fit 360 px side by side. Public (/buy/:product/plans): visitors choosing, members told a
// limit is reached, and administrators deciding on a change all read the same page.
import type { CatalogProduct, Plan } from '../../db/catalog'
import { formatMoney, formatNumber, type Language, type Translate } from '../../i18n'
import { periodLabel } from '../checkout/choose'
import { ForItem } from '../components/for-item'
import { amount } from './format'

/** Where a product's comparison is: the seat and quota refusals link here. */
export const planComparisonPath = (productKey: string) => `/buy/${encodeURIComponent(productKey)}/plans`

/** A product whose plans can be compared: on sale or not, as long as it has plans someone can have. */
export const comparable = (p: CatalogProduct) => p.active && p.kind === 'subscription' && p.plans.some((pl) => pl.active)

type Props = { t: Translate; lang: Language; product: CatalogProduct }

export function PlanComparisonView({ t, lang, product }: Props) {
  const plans = product.plans.filter((p) => p.active)
  const addons = product.addons.filter((a) => a.active)
  const money = (minor: number) => formatMoney(lang, minor, product.currency)
  const seats = product.quotas.some((q) => q.kind === 'seats')
  const periods = product.billingPeriods.filter((m) => plans.some((p) => p.prices[m] !== undefined))
  return (
    <div class="stack">
      <h1 id="compare-h">{t('compare.title', { product: product.name })}</h1>
      <p class="muted">{product.description[lang]}</p>
      {/* Scrolls inside itself only if an operator gave a product more plans than a phone's width holds. */}
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="compare-h">
        <table class="compare">
          <thead>
            <tr>
              <td></td>
              {plans.map((plan) => (
                <th scope="col" id={`plan-${plan.key}`}>
                  {plan.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {periods.map((m) => (
              <tr>
                <th scope="row">{t('compare.price', { currency: product.currency, period: periodLabel(t, m) })}</th>
                {plans.map((plan) => (
                  <td>{plan.isFree ? t('compare.free') : plan.prices[m] === undefined ? '–' : amount(lang, plan.prices[m])}</td>
                ))}
              </tr>
            ))}
            {product.quotas.map((q) => (
              <tr>
                <th scope="row">{t(q.kind === 'monthly' ? 'compare.limitMonthly' : 'compare.limit', { label: q.label[lang] })}</th>
                {plans.map((plan) => (
                  <td>{limitText(t, lang, plan, q.key)}</td>
                ))}
              </tr>
            ))}
            <tr class="choose">
              <th scope="row">
                <span class="visually-hidden">{t('compare.buyRow')}</span>
              </th>
              {plans.map((plan) => (
                <td>
                  {!plan.isFree && (
                    <a class="btn btn-secondary btn-compact" href={`/buy/${product.key}?plan=${encodeURIComponent(plan.key)}`}>
                      <ForItem label={t('compare.choose')} item={plan.name} />
                    </a>
                  )}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {seats && <p class="small">{t('compare.seatsNote')}</p>}
      {addons.length > 0 && (
        <section aria-labelledby="compare-addons-h">
          <h2 id="compare-addons-h">{t('compare.addons')}</h2>
          <ul class="list">
            {addons.map((a) => (
              <li>
                <strong>{a.name[lang]}:</strong>{' '}
                {product.billingPeriods
                  .filter((m) => a.prices[m] !== undefined)
                  .map((m) => `${money(a.prices[m]!)} / ${periodLabel(t, m)}`)
                  .join(' · ')}
                {a.maxPacks !== null && <span class="muted"> ({t('compare.addonMax', { max: a.maxPacks })})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p class="small muted">{t('checkout.pricesNet')}</p>
      <p>
        <a href="/buy">{t('compare.allProducts')}</a>
      </p>
    </div>
  )
}

/** A plan's limit of one quota; one the plan doesn't set is unlimited (src/domain/quotas.ts). */
function limitText(t: Translate, lang: Language, plan: Plan, quotaKey: string): string {
  const limit = plan.limits[quotaKey]
  return limit === null || limit === undefined ? t('compare.unlimited') : formatNumber(lang, limit)
}
