// The operators' back office shell (SPEC §15): menu, outbox and job runs.
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { OutboxRow } from '../../mail/outbox'
import type { jobRuns } from '../../db/schema'

type JobRun = typeof jobRuns.$inferSelect

/** `waiting`: the number of statements waiting for review, shown next to that item when known. */
export function OpsMenu({ t, current, waiting }: { t: Translate; current: 'home' | 'outbox' | 'jobs' | 'catalog' | 'orgs' | 'orders' | 'statements'; waiting?: number }) {
  const items = [
    { key: 'orgs', href: '/ops/orgs', label: t('ops.orgs') },
    { key: 'orders', href: '/ops/orders', label: t('ops.orders') },
    { key: 'statements', href: '/ops/statements', label: waiting ? t('ops.statements.waiting', { count: waiting }) : t('ops.statements') },
    { key: 'catalog', href: '/ops/catalog', label: t('catalog.title') },
    { key: 'outbox', href: '/ops/outbox', label: t('ops.outbox') },
    { key: 'jobs', href: '/ops/jobs', label: t('ops.jobs') },
  ] as const
  return (
    <nav aria-label={t('ops.title')} class="subnav">
      <ul>
        {items.map((i) => (
          <li>
            <a href={i.href} aria-current={current === i.key ? 'page' : undefined}>
              {i.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function OpsHomeView({ t }: { t: Translate }) {
  return (
    <>
      <h1>{t('ops.title')}</h1>
      <OpsMenu t={t} current="home" />
    </>
  )
}

export function OutboxView({ t, lang, rows }: { t: Translate; lang: Language; rows: OutboxRow[] }) {
  return (
    <>
      <h1>{t('ops.outbox')}</h1>
      <OpsMenu t={t} current="outbox" />
      <p class="muted">{t('ops.outbox.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('ops.outbox.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ops.col.created')}</th>
                <th scope="col">{t('ops.col.to')}</th>
                <th scope="col">{t('ops.col.subject')}</th>
                <th scope="col">{t('ops.col.status')}</th>
                <th scope="col">{t('ops.col.attempts')}</th>
                <th scope="col">{t('ops.col.error')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{formatDateTime(lang, r.createdAt)}</td>
                  <td>{r.to}</td>
                  <td>{r.subject}</td>
                  <td>
                    <span class={`status status-${r.status}`}>{r.status}</span>
                  </td>
                  <td>{r.attempts}</td>
                  <td class="small">{r.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export function JobRunsView({ t, lang, runs }: { t: Translate; lang: Language; runs: JobRun[] }) {
  return (
    <>
      <h1>{t('ops.jobs')}</h1>
      <OpsMenu t={t} current="jobs" />
      <p class="muted">{t('ops.jobs.intro')}</p>
      {runs.length === 0 ? (
        <p>{t('ops.jobs.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ops.col.job')}</th>
                <th scope="col">{t('ops.col.asOf')}</th>
                <th scope="col">{t('ops.col.started')}</th>
                <th scope="col">{t('ops.col.duration')}</th>
                <th scope="col">{t('ops.col.status')}</th>
                <th scope="col">{t('ops.col.counts')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr>
                  <td>{r.job}</td>
                  <td>{formatDateTime(lang, r.asOf)}</td>
                  <td>{formatDateTime(lang, r.startedAt)}</td>
                  <td>{r.finishedAt ? `${r.finishedAt.getTime() - r.startedAt.getTime()} ms` : '…'}</td>
                  <td>
                    <span class={`status status-${r.status}`}>{r.status}</span>
                  </td>
                  <td class="small">
                    {r.counts
                      ? Object.entries(r.counts)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(', ')
                      : ''}
                    {r.error && <pre class="error-text">{r.error.split('\n')[0]}</pre>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
