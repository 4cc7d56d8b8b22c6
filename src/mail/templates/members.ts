// E-mails about org membership (SPEC §2).
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

export function memberAddedMail({ lang, vendor }: Ctx, data: { org: string; by: string; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.memberAdded.subject', { org: data.org }),
    paragraphs: [t('mail.memberAdded.body', { org: data.org, by: data.by })],
    action: { label: t('mail.memberAdded.button'), url: data.url },
  })
}

export function invitationMail({ lang, vendor }: Ctx, data: { org: string; by: string; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.invitation.subject', { org: data.org, vendor }),
    paragraphs: [t('mail.invitation.body', { org: data.org, by: data.by, vendor })],
    action: { label: t('mail.invitation.button'), url: data.url },
  })
}
