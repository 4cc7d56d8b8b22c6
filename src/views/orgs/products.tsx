// "My products" on an org's dashboard: each product with its plan, licence number, how long it holds
// and quota meters (SPEC §5: used / limit and what resets when), or the one-click free plan (SPEC §8).
import { formatDate, formatNumber, type Language, type Translate } from '../../i18n'
import { freeValidUntil } from '../../domain/lapse'
import type { Org } from '../../services/orgs'
import type { Meter, ProductState } from '../../services/subscriptions'
import { PostForm } from '../components/post-form'
import { Grouped } from '../components/grouped'
import { ForItem } from '../components/for-item'
import { planComparisonPath } from '../plans/compare'

export function MeterView({ t, lang, meter, timeZone }: { t: Translate; lang: Language; meter: Meter; timeZone: string }) {
  const label = meter.label[lang]
  const used = formatNumber(lang, meter.used)
  const text =
    meter.limit === null
      ? t('quota.unlimited', { used, label })
      : t(meter.kind === 'monthly' ? 'quota.ofMonthly' : 'quota.of', { used, limit: formatNumber(lang, meter.limit), label })
  return (
    <li class={meter.over ? 'meter over' : 'meter'}>
      <span>
        {text}
        {meter.resetsAt && `, ${t('quota.resets', { date: formatDate(lang, meter.resetsAt, timeZone) })}`}
        {meter.from && ` ${t('quota.seatsFrom', meter.from)}`}
      </span>
      {meter.limit !== null && <QuotaMeter meter={meter} limit={meter.limit} text={text} />}
      {meter.over && meter.limit !== null && (
        <span class="over-note">{t('quota.overBy', { label, limit: formatNumber(lang, meter.limit), by: formatNumber(lang, meter.used - meter.limit) })}</span>
      )}
    </li>
  )
}

/**
 * The bar: green while there is room, amber from 75 %, red from 90 % and when full or over (the
 * browser colours a <meter> by low / high / optimum; without them a full bar is green).
 */
function QuotaMeter({ meter, limit, text }: { meter: Meter; limit: number; text: string }) {
  const max = Math.max(limit, 1)
  return (
    <meter min={0} max={max} low={max * 0.75} high={max * 0.9} optimum={0} value={Math.min(meter.used, max)} aria-label={text}>
      {text}
    </meter>
  )
}

type Subscribed = NonNullable<ProductState['subscription']>

/**
 * How long the plan holds: a lapsed (read-only) product when it lapsed, a paid period its end, a
 * free plan the date 12 months after the later of the last sign-in and its start (src/domain/lapse.ts).
 */
function Validity({ t, lang, sub, org }: { t: Translate; lang: Language; sub: Subscribed; org: Pick<Org, 'timeZone' | 'lastLoginAt'> }) {
  const date = (d: Date) => formatDate(lang, d, org.timeZone)
  if (sub.status === 'read_only' && sub.periodEnd) return <p>{t('products.lapsedOn', { date: date(sub.periodEnd) })}</p>
  if (sub.periodEnd) return <p>{t('products.validUntil', { date: date(sub.periodEnd) })}</p>
  if (sub.snapshot.isFree) return <p>{t('products.freeValidity', { date: date(freeValidUntil(org.lastLoginAt, sub.periodStart, org.timeZone)) })}</p>
  return null
}

export function ProductsSection(p: {
  t: Translate
  lang: Language
  slug: string
  org: Pick<Org, 'timeZone' | 'lastLoginAt' | 'legalForm'>
  isAdmin: boolean
  products: ProductState[]
}) {
  const { t, lang } = p
  return (
    <section aria-labelledby="products-h" class="stack">
      <h2 id="products-h">{t('products.title')}</h2>
      {p.products.length === 0 && <p class="muted">{t('products.noneForMember')}</p>}
      {p.products.map(({ product, subscription, licenceNumber, meters }) => (
        <article class="card" id={`product-${product.key}`} aria-labelledby={`product-${product.key}-h`}>
          <h3 id={`product-${product.key}-h`}>
            {product.name}
            {subscription && <span class="tag">{subscription.snapshot.planName}</span>}
          </h3>
          <p class="muted">{product.description[lang]}</p>
          {subscription ? (
            <>
              {licenceNumber && (
                <p>
                  {t('products.licence')}: <Grouped value={licenceNumber} />
                </p>
              )}
              <Validity t={t} lang={lang} sub={subscription} org={p.org} />
              <ul class="meters">
                {meters.map((m) => (
                  <MeterView t={t} lang={lang} meter={m} timeZone={p.org.timeZone} />
                ))}
              </ul>
              {/* Over a limit: what each plan allows is one tap away. */}
              {meters.some((m) => m.over) && (
                <p>
                  <a href={planComparisonPath(product.key)}>
                    <ForItem label={t('compare.link')} item={product.name} sep=" – " />
                  </a>
                </p>
              )}
            </>
          ) : product.plans.some((pl) => pl.isFree) ? (
            // A private person can't have a business-only product, its free version included.
            product.businessOnly && p.org.legalForm === 'person' ? (
              <p class="muted">{t('products.businessOnlyFree')}</p>
            ) : p.isAdmin ? (
              <PostForm action={`/o/${p.slug}/subscriptions`}>
                <input type="hidden" name="product" value={product.key} />
                <button type="submit" class="btn">
                  <ForItem label={t('products.activateFree', { plan: product.plans.find((pl) => pl.isFree)!.name })} item={product.name} sep=" – " />
                </button>
              </PostForm>
            ) : (
              <p class="muted">{t('products.notActive')}</p>
            )
          ) : (
            <p class="muted">{t('products.notActive')}</p>
          )}
          {p.isAdmin &&
            (subscription && !subscription.snapshot.isFree ? (
              <p>
                <a href={`/o/${p.slug}/products/${product.key}/plan`}>
                  <ForItem label={t('plans.manage')} item={product.name} sep=" – " />
                </a>
              </p>
            ) : (
              product.plans.some((pl) => pl.active && !pl.isFree) && (
                <p>
                  <a href={`/buy/${product.key}`}>
                    <ForItem label={t('plans.buy')} item={product.name} sep=" – " />
                  </a>
                </p>
              )
            ))}
        </article>
      ))}
    </section>
  )
}
