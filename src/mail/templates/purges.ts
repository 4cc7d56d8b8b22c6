// E-mails of the daily purge (SPEC §8, §9): to an org's administrators before and after its data
// (or one lapsed product's) is deleted, and to the people who manage e-codes about to expire. Dates
// arrive formatted in the recipient's language and the org's zone.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

/** Whether the whole org goes, or only the lapsed product (the org keeps another live subscription). */
export type DeletionScope = 'org' | 'product'

export type DeletionMailData = { scope: DeletionScope; org: string; product: string; lapsed: string; date: string; url: string }

export function deletionWarningMail({ lang, vendor }: Ctx, d: DeletionMailData): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t(`mail.deletion.warning.subject.${d.scope}`, d),
    paragraphs: [t('mail.deletion.lapsed', d), t(`mail.deletion.warning.${d.scope}`, d), t('mail.deletion.warning.keep', d), ...(d.scope === 'org' ? [t('mail.deletion.kept')] : [])],
    action: { label: t('mail.deletion.warning.button'), url: d.url },
  })
}

/** After the deletion: no link when the org itself went (nothing is left to open). */
export function deletionDoneMail({ lang, vendor }: Ctx, d: DeletionMailData): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t(`mail.deletion.done.subject.${d.scope}`, d),
    paragraphs: [t('mail.deletion.lapsed', d), t(`mail.deletion.done.${d.scope}`, d), ...(d.scope === 'org' ? [t('mail.deletion.kept')] : [])],
    ...(d.scope === 'product' ? { action: { label: t('mail.deletion.done.button'), url: d.url } } : {}),
  })
}

/** One line of the e-code warning: how many codes of a variant expire on one date. */
export type ExpiryLine = { count: number; product: string; variant: string; date: string }

export function ecodeExpiryMail({ lang, vendor }: Ctx, d: { org: string; lines: ExpiryLine[]; url: string }): RenderedMail {
  const t = translator(lang)
  const count = d.lines.reduce((n, l) => n + l.count, 0)
  return renderMail(t, vendor, lang, {
    subject: t('mail.ecodeExpiry.subject', { count, org: d.org }),
    paragraphs: [t('mail.ecodeExpiry.intro', { org: d.org }), ...d.lines.map((l) => t('mail.ecodeExpiry.line', l)), t('mail.ecodeExpiry.lost')],
    action: { label: t('mail.ecodeExpiry.button'), url: d.url },
  })
}
