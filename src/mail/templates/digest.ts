// The digest of pending requests for an administrator (SPEC §10): how many wait, per org, with a
// link to each org's inbox. In the recipient's language.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

export function digestMail(
  { lang, vendor }: { lang: Language; vendor: string },
  data: { pending: number; reports?: number; reminder: boolean; orgs: { name: string; count: number; url: string }[] },
): RenderedMail {
  const t = translator(lang)
  const lines = data.orgs.map((o) => t('mail.digest.org', { org: o.name, count: o.count }))
  return renderMail(t, vendor, lang, {
    subject: t('mail.digest.subject', { count: data.pending }),
    paragraphs: [
      t(data.reminder ? 'mail.digest.reminder' : 'mail.digest.new', { count: data.pending }),
      ...(data.reports ? [t('mail.report.digest', { count: data.reports })] : []),
      ...lines,
    ],
    // One org (the usual case): straight to its inbox; several: the first, each is named above.
    action: { label: t('mail.digest.button'), url: data.orgs[0]!.url },
    after: data.orgs.length > 1 ? data.orgs.map((o) => `${o.name}: ${o.url}`) : [],
  })
}
