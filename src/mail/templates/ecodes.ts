// The e-mail that carries a voucher to its recipient (SPEC §9), the PDF attached, in the sender's language.
import { formatDate, translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

type Ctx = { lang: Language; vendor: string }

export type VoucherMailData = {
  org: string
  recipientName: string
  message: string | null
  product: string
  variant: string
  /** As printed: 'K7QF 3XMA 9B4K 2PZD'. */
  code: string
  expiresAt: Date
  timeZone: string
  url: string
}

export function ecodeVoucherMail({ lang, vendor }: Ctx, d: VoucherMailData): RenderedMail {
  const t = translator(lang)
  return renderMail(t, vendor, lang, {
    subject: t('mail.ecode.subject', { org: d.org, product: d.product }),
    greeting: t('mail.ecode.greeting', { name: d.recipientName }),
    paragraphs: [
      t('mail.ecode.body', { org: d.org, product: d.product, variant: d.variant }),
      ...(d.message ? [t('mail.ecode.message', { message: d.message })] : []),
      t('mail.ecode.code', { code: d.code, date: formatDate(lang, d.expiresAt, d.timeZone) }),
    ],
    action: { label: t('mail.ecode.button'), url: d.url },
    after: [t('mail.ecode.attachment')],
    footer: t('mail.footer.voucher', { org: d.org, vendor }),
  })
}
