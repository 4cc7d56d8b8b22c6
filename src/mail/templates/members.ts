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

/** To each administrator when someone joins by tax id and licence number (SPEC §3). */
export function memberClaimedMail({ lang, vendor }: Ctx, data: { org: string; who: string; url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.memberClaimed.subject', { org: data.org }),
    paragraphs: [t('mail.memberClaimed.body', { org: data.org, who: data.who }), t('mail.memberClaimed.next')],
    action: { label: t('mail.memberClaimed.button'), url: data.url },
  })
}

/** To the person who asked for administrator rights, once an administrator decided (SPEC §3.1). */
export function adminRightsDecidedMail({ lang, vendor }: Ctx, data: { org: string; approved: boolean; reason: string | null; url: string }): RenderedMail {
  const t = translator(lang)
  const decided = data.approved ? 'approved' : 'declined'
  return renderMail(t, vendor, lang, {
    subject: t(`mail.adminRights.${decided}.subject`, { org: data.org }),
    paragraphs: [t(`mail.adminRights.${decided}.body`, { org: data.org }), ...(data.reason ? [t('mail.adminRights.reason', { reason: data.reason })] : [])],
    action: { label: t('mail.adminRights.button', { org: data.org }), url: data.url },
  })
}
