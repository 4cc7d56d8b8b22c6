// The org's requests inbox (SPEC §10): every pending item with its actions, oldest first.
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { InboxItem } from '../../services/requests'
import type { ReportDetails } from '../../services/ecode-reports'
import { PostForm } from '../components/post-form'
import { ForItem } from '../components/for-item'

export function InboxView({ t, lang, org, items }: { t: Translate; lang: Language; org: { slug: string; name: string; timeZone: string }; items: InboxItem[] }) {
  const base = `/o/${org.slug}/requests`
  return (
    <>
      <h1>{t('requests.title')}</h1>
      <p class="muted">{t('requests.intro', { org: org.name })}</p>
      {items.length === 0 && <p>{t('requests.empty')}</p>}
      <ul class="stack plain">
        {items.map(({ request, name, email }) => {
          if (request.kind === 'ecode_report') return <ReportItem t={t} lang={lang} org={org} request={request} />
          const who = name ? `${name} <${email}>` : String(request.details?.email ?? '')
          return (
            <li class="card" id={`request-${request.id}`}>
              <p>
                {request.kind === 'admin_rights'
                  ? t('requests.adminRights', { who })
                  : t('requests.memberClaimed', { who, licence: String(request.details?.licence ?? '') })}
              </p>
              <p class="muted small">{t('requests.since', { date: formatDateTime(lang, request.createdAt, org.timeZone) })}</p>
              {request.kind === 'admin_rights' ? (
                <div class="actions">
                  <PostForm action={`${base}/${request.id}/approval`}>
                    <button type="submit" class="btn">
                      <ForItem label={t('requests.approve')} item={who} />
                    </button>
                  </PostForm>
                  <PostForm action={`${base}/${request.id}/decline`} class="stack">
                    <div class="field">
                      <label for={`reason-${request.id}`}>{t('requests.reason')}</label>
                      <input id={`reason-${request.id}`} name="reason" type="text" maxlength={500} />
                    </div>
                    <button type="submit" class="btn btn-secondary">
                      <ForItem label={t('requests.decline')} item={who} />
                    </button>
                  </PostForm>
                </div>
              ) : (
                <PostForm action={`${base}/${request.id}/dismissal`}>
                  <button type="submit" class="btn btn-secondary">
                    <ForItem label={t('requests.seen')} item={who} />
                  </button>
                </PostForm>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}

/** A mistake report on a voucher (SPEC §9): what is wrong, who to answer, where to correct it, resolve. */
function ReportItem({ t, lang, org, request }: { t: Translate; lang: Language; org: { slug: string; timeZone: string }; request: InboxItem['request'] }) {
  const d = request.details as ReportDetails
  const action = `/o/${org.slug}/requests/${request.id}/resolution`
  return (
    <li class="card" id={`request-${request.id}`}>
      <p>{t('report.inbox', { code: `…${d.last4}`, what: d.what })}</p>
      <p class="muted small">
        {t('report.inboxContact', { email: d.contactEmail })} · {t('requests.since', { date: formatDateTime(lang, request.createdAt, org.timeZone) })}
      </p>
      <p>
        <a href={`/o/${org.slug}/ecodes/${d.ecodeId}/personalization`}>
          <ForItem label={t('report.edit')} item={`…${d.last4}`} />
        </a>
      </p>
      <PostForm action={action} class="stack">
        <div class="field">
          <label for={`note-${request.id}`}>{t('report.note')}</label>
          <input id={`note-${request.id}`} name="note" type="text" maxlength={500} />
        </div>
        <button type="submit" class="btn">
          <ForItem label={t('report.resolve')} item={`…${d.last4}`} />
        </button>
      </PostForm>
    </li>
  )
}
