// E-mails to an org's administrators about the end of a subscription period (SPEC §8): the free plan
// they chose starting, a lapse to the free plan or to read-only, and a free plan's warnings and lapse
// after 12 months without a sign-in. Each in the administrator's language, dates in the org's zone.
import { formatDate, translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type To = { lang: Language; vendor: string; timeZone: string }
/** What every one of these mails names: the product, the org, the plan it had and the date it happened. */
type About = { product: string; org: string; plan: string; date: Date }

const setup = ({ lang, timeZone }: To) => ({ t: translator(lang), day: (d: Date) => formatDate(lang, d, timeZone) })

/** Renewal was turned off: the free plan from the period end. Not a lapse, so no alarm and no offer. */
export function freeStartedMail(to: To, d: About & { free: string; url: string }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.freeStarted.subject', { product: d.product, plan: d.free }),
    paragraphs: [t('mail.lapse.freeStarted.body', { product: d.product, from: d.plan, date: day(d.date), org: d.org, plan: d.free })],
    action: { label: t('mail.lapse.productsButton'), url: d.url },
  })
}

/** The paid period ended unpaid, under `downgrade_to_free`: the free plan's limits from now, nothing issued stops. */
export function lapsedToFreeMail(to: To, d: About & { free: string; order: string | null; url: string }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.free.subject', { product: d.product, org: d.org }),
    paragraphs: [
      t('mail.lapse.unpaid', { product: d.product, from: d.plan, org: d.org, date: day(d.date) }),
      ...(d.order ? [t('mail.lapse.orderCancelled', { number: d.order })] : []),
      t('mail.lapse.free.body', { plan: d.free }),
      t('mail.lapse.free.again', { from: d.plan }),
    ],
    action: { label: t('mail.lapse.buyButton', { product: d.product }), url: d.url },
  })
}

type ReadOnlyWays = { deletes: Date; buyUrl: string; free: { plan: string; url: string } | null }

/** The paid period ended unpaid, under `read_only_then_delete`: the dates, and both ways back. */
export function lapsedReadOnlyMail(to: To, d: About & ReadOnlyWays & { order: string | null }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.readOnly.subject', { product: d.product, org: d.org }),
    paragraphs: [
      t('mail.lapse.unpaid', { product: d.product, from: d.plan, org: d.org, date: day(d.date) }),
      ...(d.order ? [t('mail.lapse.orderCancelled', { number: d.order })] : []),
      t('mail.lapse.readOnly.body'),
      t('mail.lapse.readOnly.deletion', { date: day(d.deletes) }),
      t('mail.lapse.readOnly.renew', { product: d.product }),
    ],
    action: { label: t('mail.lapse.renewButton', { product: d.product }), url: d.buyUrl },
    after: d.free ? [t('mail.lapse.readOnly.free', { plan: d.free.plan, url: d.free.url })] : [],
  })
}

/** 30 and 7 days before a free plan lapses: when, what follows, and that one sign-in keeps it. */
export function freeWarningMail(to: To, d: About & { deletes: Date | null; url: string }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.freeWarning.subject', { product: d.product, date: day(d.date) }),
    paragraphs: [
      t('mail.lapse.freeWarning.body', { org: d.org, plan: d.plan, product: d.product, date: day(d.date) }),
      d.deletes ? t('mail.lapse.freeWarning.readOnly', { deletes: day(d.deletes) }) : t('mail.lapse.freeWarning.ends'),
      t('mail.lapse.freeWarning.signIn'),
    ],
    action: { label: t('mail.lapse.signInButton'), url: d.url },
  })
}

/** A free plan lapsed without a sign-in, under `read_only_then_delete`: the dates, the free plan again or a purchase. */
export function freeReadOnlyMail(to: To, d: About & ReadOnlyWays & { free: { plan: string; url: string } }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.freeReadOnly.subject', { product: d.product, org: d.org }),
    paragraphs: [
      t('mail.lapse.idle', { org: d.org, plan: d.plan, product: d.product, date: day(d.date) }),
      t('mail.lapse.readOnly.body'),
      t('mail.lapse.freeReadOnly.deletion', { date: day(d.deletes) }),
    ],
    action: { label: t('mail.lapse.freeAgainButton'), url: d.free.url },
    after: [t('mail.lapse.freeReadOnly.ways', { url: d.buyUrl })],
  })
}

/** A free plan lapsed without a sign-in, under `downgrade_to_free`: its licence ended, one click brings it back. */
export function freeEndedMail(to: To, d: About & { licence: string; url: string }): RenderedMail {
  const { t, day } = setup(to)
  return renderMail(t, to.vendor, to.lang, {
    subject: t('mail.lapse.freeEnded.subject', { product: d.product }),
    paragraphs: [
      t('mail.lapse.idle', { org: d.org, plan: d.plan, product: d.product, date: day(d.date) }),
      t('mail.lapse.freeEnded.body', { licence: d.licence, product: d.product }),
    ],
    action: { label: t('mail.lapse.activateButton'), url: d.url },
  })
}

/** Where these mails lead: the org's products, the product's checkout, the plan page's free-plan unlock, sign-in. */
export function lapseLinks(baseUrl: string, slug: string, productKey: string) {
  return {
    products: `${baseUrl}/o/${slug}#product-${productKey}`,
    buy: `${baseUrl}/buy/${productKey}`,
    freePlan: `${baseUrl}/o/${slug}/products/${productKey}/plan#read-only-free`,
    signIn: `${baseUrl}/login`,
  }
}
