// Step 1 (SPEC §7): the products on sale, then for one product its paid plans with each billing
// period (or renewal frequency), add-on packs, or a variant's units and a quantity.
import type { CatalogProduct } from '../../db/catalog'
import { formatMoney, type Language, type Translate } from '../../i18n'
import { MAX_UNITS_PER_ORDER, type CartItem } from '../../services/pricing'
import type { MessageKey } from '../../i18n'
import { CheckoutFrame } from './steps'
import { ForItem } from '../components/for-item'
import { planComparisonPath } from '../plans/compare'

export function periodLabel(t: Translate, months: number) {
  return months % 12 === 0 ? t('checkout.period.years', { count: months / 12 }) : t('checkout.period.months', { count: months })
}

export function CatalogView({ t, lang, products }: { t: Translate; lang: Language; products: CatalogProduct[] }) {
  return (
    <CheckoutFrame t={t} step={1}>
      <ul class="plain stack">
        {products.map((p) => (
          <li class="card">
            <h2>{p.name}</h2>
            <p class="muted">{p.description[lang]}</p>
            {p.businessOnly && <p class="small">{t('checkout.businessOnly')}</p>}
            <a class="btn" href={`/buy/${p.key}`}>
              <ForItem label={t('checkout.choose')} item={p.name} />
            </a>
          </li>
        ))}
      </ul>
    </CheckoutFrame>
  )
}

type ChooseProps = { t: Translate; lang: Language; product: CatalogProduct; chosen: CartItem | null; error?: MessageKey }

export function ChooseView({ t, lang, product, chosen, error }: ChooseProps) {
  const money = (minor: number) => formatMoney(lang, minor, product.currency)
  const sub = chosen && 'plan' in chosen ? chosen : null
  const units = chosen && 'variant' in chosen ? chosen : null
  const paidPlans = product.plans.filter((p) => p.active && !p.isFree)
  const firstPeriod = product.billingPeriods[0]
  return (
    <CheckoutFrame t={t} step={1}>
      <h2>{product.name}</h2>
      <p class="muted">{product.description[lang]}</p>
      {product.kind === 'subscription' && (
        <p>
          <a href={planComparisonPath(product.key)}>{t('compare.link')}</a>
        </p>
      )}
      {product.businessOnly && <p class="notice">{t('checkout.businessOnly')}</p>}
      {error && (
        <p class="alert" role="alert">
          {t(error)}
        </p>
      )}
      <form method="post" action={`/buy/${product.key}`} class="stack">
        {product.kind === 'subscription' ? (
          <>
            <fieldset class="choices">
              <legend>{t('checkout.plan')}</legend>
              {paidPlans.map((plan, i) => (
                <label class="choice">
                  <input type="radio" name="plan" value={plan.key} checked={sub ? sub.plan === plan.key : i === 0} required />
                  <span>
                    <strong>{plan.name}</strong>
                    <span class="small">
                      {product.billingPeriods
                        .filter((m) => plan.prices[m] !== undefined)
                        .map((m) => `${money(plan.prices[m]!)} / ${periodLabel(t, m)}`)
                        .join(' · ')}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
            <fieldset class="choices">
              <legend>{product.billingPeriods.every((m) => m % 12 === 0) ? t('checkout.frequency') : t('checkout.period')}</legend>
              {product.billingPeriods.map((m) => (
                <label class="choice">
                  <input type="radio" name="period" value={String(m)} checked={sub ? sub.period === m : m === firstPeriod} required />
                  <span>{periodLabel(t, m)}</span>
                </label>
              ))}
            </fieldset>
            {product.addons.filter((a) => a.active).length > 0 && (
              <fieldset>
                <legend>{t('checkout.addons')}</legend>
                {product.addons
                  .filter((a) => a.active)
                  .map((a) => (
                    <div class="field">
                      <label for={`f-addon-${a.quotaKey}`}>
                        {a.name[lang]} —{' '}
                        {product.billingPeriods
                          .filter((m) => a.prices[m] !== undefined)
                          .map((m) => `${money(a.prices[m]!)} / ${periodLabel(t, m)}`)
                          .join(' · ')}
                      </label>
                      {a.maxPacks !== null && <p class="hint">{t('checkout.addonMax', { max: a.maxPacks })}</p>}
                      <input
                        id={`f-addon-${a.quotaKey}`}
                        name={`addon.${a.quotaKey}`}
                        type="number"
                        inputmode="numeric"
                        min={0}
                        max={a.maxPacks ?? undefined}
                        value={String(sub?.addons[a.quotaKey] ?? 0)}
                      />
                    </div>
                  ))}
              </fieldset>
            )}
          </>
        ) : (
          <>
            <fieldset class="choices">
              <legend>{t('checkout.variant')}</legend>
              {product.variants
                .filter((v) => v.active)
                .map((v, i) => (
                  <label class="choice">
                    <input type="radio" name="variant" value={v.key} checked={units ? units.variant === v.key : i === 0} required />
                    <span>
                      <strong>{v.name[lang]}</strong> <span class="small">{t('checkout.perUnit', { price: money(v.unitPriceMinor) })}</span>
                    </span>
                  </label>
                ))}
            </fieldset>
            <div class="field">
              <label for="f-quantity">{t('checkout.quantity')}</label>
              <p class="hint">{t('checkout.quantityHint', { max: MAX_UNITS_PER_ORDER })}</p>
              <input id="f-quantity" name="quantity" type="number" inputmode="numeric" min={1} max={MAX_UNITS_PER_ORDER} value={String(units?.quantity ?? 1)} required />
            </div>
          </>
        )}
        <p class="small muted">{t('checkout.pricesNet')}</p>
        <button type="submit" class="btn">
          {t('checkout.continue')}
        </button>
      </form>
    </CheckoutFrame>
  )
}
