// Renders an e-mail's HTML and plain-text parts from one description, so both always say the same.
// HTML uses inline styles and tables only where mail clients need them.
import type { Translate } from '../../i18n'
import { escapeHtml } from '../../views/escape'

export type RenderedMail = { subject: string; html: string; text: string }

export type MailContent = {
  subject: string
  greeting?: string
  paragraphs: string[]
  action?: { label: string; url: string }
  after?: string[]
  /**
   * Why the reader gets this mail, at the bottom. Mail to an account says "because of your account"
   * (the default); mail to an address that may have none (an invitee, a voucher's recipient, the
   * one who reported a mistake, a billing address) says why instead.
   */
  footer?: string
}

export function renderMail(t: Translate, vendor: string, lang: string, content: MailContent): RenderedMail {
  const { subject, greeting, paragraphs, action, after = [] } = content
  const footer = content.footer ?? t('mail.footer', { vendor })
  const p = (s: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(s)}</p>`
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d2330">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px">
<p style="margin:0 0 24px;font-weight:bold;font-size:18px;color:#1f3a8a">${escapeHtml(vendor)}</p>
${greeting ? p(greeting) : ''}${paragraphs.map(p).join('')}${
    action
      ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#1f3a8a;color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">${escapeHtml(action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#4a5263">${escapeHtml(t('mail.linkBelow'))}<br><a href="${escapeHtml(action.url)}" style="color:#1f3a8a;word-break:break-all">${escapeHtml(action.url)}</a></p>`
      : ''
  }${after.map(p).join('')}
<p style="margin:24px 0 0;font-size:12px;color:#6b7280">${escapeHtml(footer)}</p>
</div></body></html>`
  const text = [
    greeting,
    ...paragraphs,
    action ? `${action.label}:\n${action.url}` : undefined,
    ...after,
    '--',
    footer,
  ]
    .filter((x): x is string => x !== undefined)
    .join('\n\n')
  return { subject, html, text }
}
