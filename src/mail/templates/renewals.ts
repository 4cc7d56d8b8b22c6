// E-mails about automatic renewals (SPEC §8): a declined charge, to each administrator in their
// language, with the pay-now link to the renewal order's page.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

export function renewalDeclinedMail(
  { lang, vendor }: { lang: Language; vendor: string },
  data: { item: string; number: string; amount: string; method: string; periodEnd: string; nextAttempt: string | null; url: string },
): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.renewal.declined.subject', { item: data.item }),
    paragraphs: [
      t('mail.renewal.declined.body', { amount: data.amount, method: data.method, item: data.item, number: data.number }),
      data.nextAttempt ? t('mail.renewal.declined.retry', { date: data.nextAttempt }) : t('mail.renewal.declined.last'),
      t('mail.renewal.declined.payNow', { end: data.periodEnd }),
    ],
    action: { label: t('mail.renewal.declined.button'), url: data.url },
  })
}
