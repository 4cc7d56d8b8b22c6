// The catalog as a read-only overview: products, plans with prices per period and limits, add-ons
// and variants. Shown to operators in /ops (editing comes with the catalog forms).
import { formatMoney, type Language, type Translate } from '../../i18n'
import type { CatalogProduct } from '../../db/catalog'

export function limitText(t: Translate, limit: number | null | undefined) {
  return limit === null || limit === undefined ? t('catalog.unlimited') : String(limit)
}

export function CatalogOverview({ t, lang, catalog }: { t: Translate; lang: Language; catalog: CatalogProduct[] }) {
  return (
    <div class="stack">
      {catalog.map((p) => (
        <section class="card" aria-labelledby={`p-${p.key}`}>
          <h2 id={`p-${p.key}`}>
            {p.name} <span class="tag tag-quiet">{t(`catalog.kind.${p.kind}`)}</span>
            {p.businessOnly && <span class="tag">{t('catalog.businessOnly')}</span>}
          </h2>
          <p class="muted">{p.description[lang]}</p>
          {p.kind === 'subscription' && (
            <p class="small">
              {t(`catalog.lapse.${p.lapsePolicy}`, { days: p.graceDays })} · {t('catalog.freeValidity', { months: p.freeValidityMonths })}
            </p>
          )}
          {p.plans.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('catalog.plan')}</th>
                    {p.billingPeriods.map((m) => (
                      <th scope="col">{t('catalog.period', { count: m })}</th>
                    ))}
                    {p.quotas.map((q) => (
                      <th scope="col">{q.label[lang]}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {p.plans.map((plan) => (
                    <tr>
                      <th scope="row">{plan.name}</th>
                      {p.billingPeriods.map((m) => (
                        <td>{plan.isFree ? t('catalog.free') : plan.prices[m] !== undefined ? formatMoney(lang, plan.prices[m]!, p.currency) : '—'}</td>
                      ))}
                      {p.quotas.map((q) => (
                        <td>{limitText(t, plan.limits[q.key])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {p.addons.length > 0 && (
            <ul class="list">
              {p.addons.map((a) => (
                <li>
                  {a.name[lang]} — {p.billingPeriods.map((m) => `${t('catalog.period', { count: m })}: ${formatMoney(lang, a.prices[m] ?? 0, p.currency)}`).join(', ')}
                  {a.maxPacks !== null && ` (${t('catalog.maxPacks', { count: a.maxPacks })})`}
                </li>
              ))}
            </ul>
          )}
          {p.variants.length > 0 && (
            <ul class="list">
              {p.variants.map((v) => (
                <li>
                  {v.name[lang]} — {formatMoney(lang, v.unitPriceMinor, p.currency)} · {t('catalog.ecodeValidity', { count: v.ecodeValidityMonths })}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  )
}
