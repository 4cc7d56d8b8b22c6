// E-mails about org membership (SPEC §2). Org and person names in them were typed by someone else
// — anyone who registers can name an org and add any account to it, or invite any address — so
// they appear as plain text only: never inside a link, and never as something a mail client
// would turn into one (`unlinkable`).
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

/**
 * A typed name as mail shows it: a zero-width space after each dot, colon, slash and @ breaks what
 * link detectors look for ("evil.example", "http://…", "a@b.example") while the reader sees the
 * same name; renderMail's escaping keeps it from being markup.
 */
export const unlinkable = (name: string) => name.replace(/[.:/@]/g, '$&\u200B')

export function memberAddedMail({ lang, vendor }: Ctx, data: { org: string; by: string; url: string }): RenderedMail {
  const t = translator(lang)
  const org = unlinkable(data.org)
  return renderMail(t, vendor, lang, {
    subject: t('mail.memberAdded.subject', { org: data.org }),
    paragraphs: [t('mail.memberAdded.body', { org, by: unlinkable(data.by) })],
    action: { label: t('mail.memberAdded.button'), url: data.url },
  })
}

export function invitationMail({ lang, vendor }: Ctx, data: { org: string; by: string; url: string }): RenderedMail {
  const t = translator(lang)
  const org = unlinkable(data.org)
  return renderMail(t, vendor, lang, {
    subject: t('mail.invitation.subject', { org: data.org, vendor }),
    paragraphs: [t('mail.invitation.body', { org, by: unlinkable(data.by), vendor })],
    action: { label: t('mail.invitation.button'), url: data.url },
    footer: t('mail.footer.invitation', { vendor }),
  })
}

/** To each administrator when someone joins by tax id and licence number (SPEC §3). */
export function memberClaimedMail({ lang, vendor }: Ctx, data: { org: string; name: string; email: string; url: string }): RenderedMail {
  const t = translator(lang)
  // The address was proven by the activation link; the name is only what the person typed.
  const who = `${unlinkable(data.name)} <${data.email}>`
  return renderMail(t, vendor, lang, {
    subject: t('mail.memberClaimed.subject', { org: data.org }),
    paragraphs: [t('mail.memberClaimed.body', { org: unlinkable(data.org), who }), t('mail.memberClaimed.next')],
    action: { label: t('mail.memberClaimed.button'), url: data.url },
  })
}

/** To the person who asked for administrator rights, once an administrator decided (SPEC §3.1). */
export function adminRightsDecidedMail({ lang, vendor }: Ctx, data: { org: string; approved: boolean; reason: string | null; url: string }): RenderedMail {
  const t = translator(lang)
  const decided = data.approved ? 'approved' : 'declined'
  const org = unlinkable(data.org)
  return renderMail(t, vendor, lang, {
    subject: t(`mail.adminRights.${decided}.subject`, { org: data.org }),
    paragraphs: [t(`mail.adminRights.${decided}.body`, { org }), ...(data.reason ? [t('mail.adminRights.reason', { reason: unlinkable(data.reason) })] : [])],
    action: { label: t('mail.adminRights.button'), url: data.url },
  })
}
