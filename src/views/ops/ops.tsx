// The operators' back office shell (SPEC §15): menu, outbox and job runs.
import { useContext } from 'hono/jsx'
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { OutboxRow } from '../../mail/outbox'
import type { jobRuns } from '../../db/schema'
import { ViewContext } from '../context'
import { emptyForm, Select } from '../components/form'

type JobRun = typeof jobRuns.$inferSelect
type OpsPage = 'home' | 'outbox' | 'jobs' | 'catalog' | 'orgs' | 'orders' | 'statements' | 'einvoices' | 'clock'

/** `waiting`: the number of statements waiting for review, shown next to that item when known. */
export function OpsMenu({ t, current, waiting }: { t: Translate; current: OpsPage; waiting?: number }) {
  // The test clock exists outside production only; the layout's context says which this is.
  const clock = useContext(ViewContext)?.testClockPage === true
  const items: { key: OpsPage; href: string; label: string }[] = [
    { key: 'orgs', href: '/ops/orgs', label: t('ops.orgs') },
    { key: 'orders', href: '/ops/orders', label: t('ops.orders') },
    { key: 'statements', href: '/ops/statements', label: waiting ? t('ops.statements.waiting', { count: waiting }) : t('ops.statements') },
    { key: 'einvoices', href: '/ops/einvoices', label: t('ops.einvoices') },
    { key: 'catalog', href: '/ops/catalog', label: t('catalog.title') },
    { key: 'outbox', href: '/ops/outbox', label: t('ops.outbox') },
    { key: 'jobs', href: '/ops/jobs', label: t('ops.jobs') },
    ...(clock ? [{ key: 'clock' as const, href: '/ops/clock', label: t('ops.clock') }] : []),
  ]
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
          <table class="cards">
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
                  <td data-label={t('ops.col.created')}>{formatDateTime(lang, r.createdAt)}</td>
                  <td data-label={t('ops.col.to')}>{r.to}</td>
                  <td data-label={t('ops.col.subject')}>{r.subject}</td>
                  <td data-label={t('ops.col.status')}>
                    <span class={`status status-${r.status}`}>{r.status}</span>
                  </td>
                  <td data-label={t('ops.col.attempts')}>{r.attempts}</td>
                  <td data-label={t('ops.col.error')} class="small">{r.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export type JobRunsPage = { runs: JobRun[]; jobs: readonly string[]; job: string | null; older: string | null; newest: string | null }

/** Newest first, filtered by job, paged by id; every count that isn't zero and every error line. */
export function JobRunsView({ t, lang, p }: { t: Translate; lang: Language; p: JobRunsPage }) {
  return (
    <>
      <h1>{t('ops.jobs')}</h1>
      <OpsMenu t={t} current="jobs" />
      <p class="muted">{t('ops.jobs.intro')}</p>
      <p class="muted">{t('ops.jobs.retry')}</p>
      <form method="get" action="/ops/jobs" class="filters">
        <Select t={t} form={emptyForm({ job: p.job ?? '' })} name="job" label={t('ops.jobs.filter')} options={[{ value: '', label: t('ops.jobs.all') }, ...p.jobs.map((j) => ({ value: j, label: j }))]} />
        <button type="submit" class="btn btn-secondary">
          {t('ops.jobs.filterSubmit')}
        </button>
      </form>
      {p.runs.length === 0 ? (
        <p>{t('ops.jobs.empty')}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('ops.jobs')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.col.job')}</th>
                <th scope="col">{t('ops.col.asOf')} (UTC)</th>
                <th scope="col">{t('ops.col.started')} (UTC)</th>
                <th scope="col">{t('ops.col.duration')}</th>
                <th scope="col">{t('ops.col.status')}</th>
                <th scope="col">{t('ops.col.counts')}</th>
                <th scope="col">{t('ops.jobs.col.errors')}</th>
              </tr>
            </thead>
            <tbody>
              {p.runs.map((r) => (
                <tr>
                  <td data-label={t('ops.col.job')}>{r.job}</td>
                  <td data-label={`${t('ops.col.asOf')} (UTC)`}>{formatDateTime(lang, r.asOf)}</td>
                  <td data-label={`${t('ops.col.started')} (UTC)`}>{formatDateTime(lang, r.startedAt)}</td>
                  <td data-label={t('ops.col.duration')}>{r.finishedAt ? `${r.finishedAt.getTime() - r.startedAt.getTime()} ms` : '…'}</td>
                  <td data-label={t('ops.col.status')}>
                    <span class={`status status-${r.status}`}>{r.status}</span>
                  </td>
                  <td data-label={t('ops.col.counts')} class="small">{r.counts && <RunCounts t={t} counts={r.counts} />}</td>
                  <td data-label={t('ops.jobs.col.errors')} class="small">{r.error && <pre class="error-text">{r.error}</pre>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(p.newest || p.older) && (
        <p class="actions">
          {p.newest && <a href={p.newest}>{t('ops.jobs.newest')}</a>}
          {p.older && <a href={p.older}>{t('ops.jobs.older')}</a>}
        </p>
      )}
    </>
  )
}

/** Zero counts are left out so that what a run did stands out (renewals keeps a dozen counters). */
function RunCounts({ t, counts }: { t: Translate; counts: Record<string, number> }) {
  const done = Object.entries(counts).filter(([, v]) => v !== 0)
  if (done.length === 0) return <span class="muted">{t('ops.jobs.nothingDone')}</span>
  return <>{done.map(([k, v]) => `${k}: ${v}`).join(', ')}</>
}
