// A read-only org (SPEC §8): the banner every page of it shows, and the page a refused change gets.
import { formatDate, type Language, type Translate } from '../i18n'

import type { LapsedProducts } from '../domain/read-only'

export type ReadOnlyBannerModel = LapsedProducts & {
  slug: string
  role: 'admin' | 'member'
  productKey: string
  productName: string
  lapsedAt: Date
  deletesAt: Date
  timeZone: string
}

/** Names the lapse and deletion dates and the two ways out: renewal (checkout) and the free plan (the plan page). */
export function ReadOnlyBanner({ t, lang, m }: { t: Translate; lang: Language; m: ReadOnlyBannerModel }) {
  const date = (d: Date) => formatDate(lang, d, m.timeZone)
  return (
    <div class="alert read-only" id="read-only">
      <p>
        <strong>{t('readOnly.banner.title')}</strong>
      </p>
      <p>{t('readOnly.banner.text', { product: m.productName, lapsed: date(m.lapsedAt), deletes: date(m.deletesAt) })}</p>
      {m.role === 'admin' ? (
        <p>
          <a class="btn" href={`/buy/${m.productKey}`}>
            {t('readOnly.banner.renew', { product: m.productName })}
          </a>{' '}
          <a class="btn btn-secondary" href={`/o/${m.slug}/products/${m.productKey}/plan#read-only-free`}>
            {t('readOnly.banner.free')}
          </a>
        </p>
      ) : (
        <p>{t('readOnly.banner.askAdmin')}</p>
      )}
    </div>
  )
}

/** The body of the 423 page; the layout's banner above it carries the dates and the offers. */
export function ReadOnlyRefusedView({ t, productName }: { t: Translate; productName: string }) {
  return (
    <section class="card narrow">
      <h1>{t('readOnly.refused.title')}</h1>
      <p>{t('readOnly.refused.text', { product: productName })}</p>
    </section>
  )
}
