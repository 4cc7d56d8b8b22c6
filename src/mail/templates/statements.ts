// E-mails about signed statements (SPEC §3.2): the operator's decision, to the person who uploaded it.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

export function statementApprovedMail({ lang, vendor }: Ctx, data: { org: string; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.statementApproved.subject', { org: data.org }),
    paragraphs: [t('mail.statementApproved.body', { org: data.org })],
    action: { label: t('mail.statementApproved.button', { org: data.org }), url: data.url },
  })
}

export function statementRejectedMail({ lang, vendor }: Ctx, data: { org: string; reason: string; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.statementRejected.subject', { org: data.org }),
    paragraphs: [t('mail.statementRejected.body', { org: data.org, reason: data.reason }), t('mail.statementRejected.next')],
    action: { label: t('mail.statementRejected.button'), url: data.url },
  })
}
