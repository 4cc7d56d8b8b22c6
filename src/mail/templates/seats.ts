// E-mail about a seat limit (SPEC §2, §5): someone proved a licence number of the org but its plan
// had no seat left, so they did not join. Names typed by others are plain text (`unlinkable`).
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'
import { unlinkable } from './members'

/** To each administrator when a claim by licence number found every seat taken. */
export function claimNoSeatMail(
  { lang, vendor }: { lang: Language; vendor: string },
  data: { org: string; name: string; email: string; plan: string; product: string; limit: number; url: string },
): RenderedMail {
  const t = translator(lang)
  const who = `${unlinkable(data.name)} <${data.email}>`
  return renderMail(t, vendor, lang, {
    subject: t('mail.claimNoSeat.subject', { org: data.org }),
    paragraphs: [
      t('mail.claimNoSeat.body', { who, org: unlinkable(data.org), plan: data.plan, product: data.product, count: data.limit }),
      t('mail.claimNoSeat.next'),
    ],
    action: { label: t('mail.claimNoSeat.button'), url: data.url },
  })
}
