// E-mails about the account itself (SPEC §1).
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

/** `again`: the address was registered again before its account was activated (the first password stays). */
export function activationMail({ lang, vendor }: Ctx, data: { name: string; url: string; again?: boolean }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.activation.subject', { vendor }),
    greeting: t('mail.activation.greeting', { name: data.name }),
    paragraphs: data.again ? [t('mail.activation.again'), t('mail.activation.body')] : [t('mail.activation.body')],
    action: { label: t('mail.activation.button'), url: data.url },
  })
}

export function existingAccountMail({ lang, vendor }: Ctx, data: { loginUrl: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.existing.subject', { vendor }),
    paragraphs: [t('mail.existing.body')],
    action: { label: t('mail.existing.button'), url: data.loginUrl },
  })
}

export function passwordResetMail({ lang, vendor }: Ctx, data: { url: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.reset.subject', { vendor }),
    paragraphs: [t('mail.reset.body')],
    action: { label: t('mail.reset.button'), url: data.url },
    after: [t('mail.reset.ignore')],
  })
}

export function passwordChangedMail({ lang, vendor }: Ctx, data: { resetUrl: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.passwordChanged.subject', { vendor }),
    paragraphs: [t('mail.passwordChanged.body')],
    action: { label: t('mail.reset.button'), url: data.resetUrl },
  })
}

/** To an operator whose second step wrong codes have locked (docs/rules.md, "Operators"). */
export function totpLockedMail({ lang, vendor }: Ctx, data: { failures: number; until: string; zone: string; resetUrl: string }): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.totpLocked.subject', { vendor }),
    paragraphs: [t('mail.totpLocked.body', { count: data.failures, time: data.until, zone: data.zone }), t('mail.totpLocked.notYou')],
    action: { label: t('mail.totpLocked.button'), url: data.resetUrl },
    after: [t('mail.totpLocked.you')],
  })
}
