// The catalog as operators see it in /ops: every product with its plans (prices per period and
// limits), add-ons and variants; the same tables, with edit links, on each product's page.
import { formatMoney, type Language, type Translate } from '../../i18n'
import type { CatalogProduct } from '../../db/catalog'
import { Inactive } from './shell'

export function limitText(t: Translate, limit: number | null | undefined) {
  return limit === null || limit === undefined ? t('catalog.unlimited') : String(limit)
}

/** Where a catalog part is edited in the back office. */
export const catalogPath = {
  product: (id: string) => `/ops/catalog/products/${id}`,
  plan: (id: string) => `/ops/catalog/plans/${id}`,
  quota: (productId: string, key: string) => `/ops/catalog/products/${productId}/quotas/${key}`,
  addon: (id: string) => `/ops/catalog/addons/${id}`,
  variant: (id: string) => `/ops/catalog/variants/${id}`,
}

/** "Edit" with the thing's name for screen readers, so a list of such links stays distinguishable. */
export function EditLink({ t, href, name }: { t: Translate; href: string; name: string }) {
  return (
    <a href={href}>
      {t('catalog.edit')}
      <span class="visually-hidden"> {name}</span>
    </a>
  )
}

type PartsProps = { t: Translate; lang: Language; product: CatalogProduct; editable?: boolean }

export function PlansTable({ t, lang, product: p, editable }: PartsProps) {
  return (
    <div class="table-wrap">
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">{t('catalog.plan')}</th>
            {p.billingPeriods.map((m) => (
              <th scope="col">{t('catalog.period', { count: m })}</th>
            ))}
            {p.quotas.map((q) => (
              <th scope="col">{q.label[lang]}</th>
            ))}
            {editable && <td></td>}
          </tr>
        </thead>
        <tbody>
          {p.plans.map((plan) => (
            <tr>
              <th scope="row">
                {plan.name}
                {editable && <Inactive t={t} active={plan.active} />}
              </th>
              {p.billingPeriods.map((m) => (
                <td data-label={t('catalog.period', { count: m })}>{plan.isFree ? t('catalog.free') : plan.prices[m] !== undefined ? formatMoney(lang, plan.prices[m]!, p.currency) : '—'}</td>
              ))}
              {p.quotas.map((q) => (
                <td data-label={q.label[lang]}>{limitText(t, plan.limits[q.key])}</td>
              ))}
              {editable && (
                <td>
                  <EditLink t={t} href={catalogPath.plan(plan.id)} name={plan.name} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Add-ons or variants: one line each, saying what it is and costs, with an edit link on the product page. */
function PartList({ t, editable, items }: { t: Translate; editable?: boolean; items: { name: string; text: string; active: boolean; href: string }[] }) {
  return (
    <ul class="list">
      {items.map((i) => (
        <li>
          {i.name} — {i.text}
          {editable && (
            <>
              <Inactive t={t} active={i.active} /> · <EditLink t={t} href={i.href} name={i.name} />
            </>
          )}
        </li>
      ))}
    </ul>
  )
}

export function AddonList({ t, lang, product: p, editable }: PartsProps) {
  const items = p.addons.map((a) => ({
    name: a.name[lang],
    text:
      p.billingPeriods.map((m) => `${t('catalog.period', { count: m })}: ${formatMoney(lang, a.prices[m] ?? 0, p.currency)}`).join(', ') +
      (a.maxPacks !== null ? ` (${t('catalog.maxPacks', { count: a.maxPacks })})` : ''),
    active: a.active,
    href: catalogPath.addon(a.id),
  }))
  return <PartList t={t} editable={editable} items={items} />
}

export function VariantList({ t, lang, product: p, editable }: PartsProps) {
  const items = p.variants.map((v) => ({
    name: v.name[lang],
    text: `${formatMoney(lang, v.unitPriceMinor, p.currency)} · ${t('catalog.ecodeValidity', { count: v.ecodeValidityMonths })}`,
    active: v.active,
    href: catalogPath.variant(v.id),
  }))
  return <PartList t={t} editable={editable} items={items} />
}

export function CatalogOverview({ t, lang, catalog }: { t: Translate; lang: Language; catalog: CatalogProduct[] }) {
  return (
    <div class="stack">
      <p>
        <a class="btn" href="/ops/catalog/products/new">
          {t('catalog.product.new')}
        </a>
      </p>
      {catalog.map((p) => (
        <section class="card" aria-labelledby={`p-${p.key}`}>
          <h2 id={`p-${p.key}`}>
            <a href={catalogPath.product(p.id)}>{p.name}</a> <span class="tag tag-quiet">{t(`catalog.kind.${p.kind}`)}</span>
            {p.businessOnly && <span class="tag">{t('catalog.businessOnly')}</span>}
            <Inactive t={t} active={p.active} />
          </h2>
          <p class="muted">{p.description[lang]}</p>
          {p.kind === 'subscription' && (
            <p class="small">
              {t(`catalog.lapse.${p.lapsePolicy}`, { days: p.graceDays })} · {t('catalog.freeValidity', { months: p.freeValidityMonths })}
            </p>
          )}
          {p.plans.length > 0 && <PlansTable t={t} lang={lang} product={p} />}
          {p.addons.length > 0 && <AddonList t={t} lang={lang} product={p} />}
          {p.variants.length > 0 && <VariantList t={t} lang={lang} product={p} />}
        </section>
      ))}
    </div>
  )
}
