// The org's requests inbox (SPEC §10): every pending item with its actions, oldest first.
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { InboxItem } from '../../services/requests'

export function InboxView({ t, lang, org, items }: { t: Translate; lang: Language; org: { slug: string; name: string; timeZone: string }; items: InboxItem[] }) {
  const base = `/o/${org.slug}/requests`
  return (
    <>
      <h1>{t('requests.title')}</h1>
      <p class="muted">{t('requests.intro', { org: org.name })}</p>
      {items.length === 0 && <p>{t('requests.empty')}</p>}
      <ul class="stack plain">
        {items.map(({ request, name, email }) => {
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
                  <form method="post" action={`${base}/${request.id}/approval`}>
                    <button type="submit" class="btn">
                      {t('requests.approve')}
                    </button>
                  </form>
                  <form method="post" action={`${base}/${request.id}/decline`} class="stack">
                    <div class="field">
                      <label for={`reason-${request.id}`}>{t('requests.reason')}</label>
                      <input id={`reason-${request.id}`} name="reason" type="text" maxlength={500} />
                    </div>
                    <button type="submit" class="btn btn-secondary">
                      {t('requests.decline')}
                    </button>
                  </form>
                </div>
              ) : (
                <form method="post" action={`${base}/${request.id}/dismissal`}>
                  <button type="submit" class="btn btn-secondary">
                    {t('requests.seen')}
                  </button>
                </form>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}
