// The developer mailbox (/dev/mail): the outbox as a list and each mail readable, links clickable.
import { formatDateTime, formatNumber, type Language, type Translate } from '../i18n'
import type { OutboxRow } from '../mail/outbox'
import type { MailBody } from '../mail/sealed'

export function DevMailListView({ t, lang, rows }: { t: Translate; lang: Language; rows: OutboxRow[] }) {
  return (
    <>
      <h1>{t('devmail.title')}</h1>
      <p class="muted">{t('devmail.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('devmail.empty')}</p>
      ) : (
        <ul class="list">
          {rows.map((r) => (
            <li>
              <a href={`/dev/mail/${r.id}`}>{r.subject}</a>
              <br />
              <span class="muted">
                {r.to} · {formatDateTime(lang, r.createdAt)} · {r.status}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** Splits plain text into text and links so that URLs in a mail can be clicked. */
function linkify(text: string) {
  return text.split(/(https?:\/\/[^\s]+)/g).map((part) => (/^https?:\/\//.test(part) ? <a href={part}>{part}</a> : part))
}

export function DevMailView({ t, lang, row, body }: { t: Translate; lang: Language; row: OutboxRow; body: MailBody | 'erased' | 'unopenable' }) {
  return (
    <>
      <p>
        <a href="/dev/mail">← {t('devmail.title')}</a>
      </p>
      <h1>{row.subject}</h1>
      <p class="muted">
        {row.to} · {formatDateTime(lang, row.createdAt)} · {row.status}
      </p>
      {typeof body === 'string' ? (
        <p class="notice">{t(body === 'erased' ? 'devmail.erased' : 'devmail.unopenable')}</p>
      ) : (
        <div class="stack">
          <section class="card" aria-labelledby="text-h">
            <h2 id="text-h">{t('devmail.textPart')}</h2>
            <pre class="mail-text">{linkify(body.text)}</pre>
          </section>
          <section class="card" aria-labelledby="html-h">
            <h2 id="html-h">{t('devmail.htmlPart')}</h2>
            <iframe class="mail-frame" title={t('devmail.htmlPart')} src={`/dev/mail/${row.id}/html`} sandbox="allow-top-navigation-by-user-activation"></iframe>
          </section>
          {body.attachments && body.attachments.length > 0 && (
            <section class="card" aria-labelledby="attachments-h">
              <h2 id="attachments-h">{t('devmail.attachments')}</h2>
              <ul class="list">
                {body.attachments.map((a, i) => (
                  <li>
                    <a href={`/dev/mail/${row.id}/attachments/${i}`} download={a.filename}>
                      {a.filename}
                    </a>{' '}
                    <span class="muted">
                      {a.contentType} · {formatNumber(lang, Math.ceil((a.contentBase64.length * 3) / 4 / 1024))} KB
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </>
  )
}
