// The answer to a mistake report on a voucher (SPEC §9): the issuing org has corrected it. In the
// language the reporter read the redemption page in. The subject names the code by its last symbols
// only; the body links to the code's page (so the mail is sealed, src/mail/sealed.ts). The reporter
// may have no account: the footer says why they get it.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

export function reportResolvedMail({ lang, vendor }: { lang: Language; vendor: string }, data: { org: string; last4: string; note: string | null; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.report.subject', { last4: data.last4 }),
    paragraphs: [t('mail.report.body', { org: data.org, last4: data.last4 }), ...(data.note ? [t('mail.report.note', { note: data.note })] : []), t('mail.report.next')],
    action: { label: t('mail.report.button'), url: data.url },
    footer: t('mail.footer.report', { vendor }),
  })
}
