// The operators' review of signed statements (SPEC §3.2, §15): the queue, oldest first, and one
// statement with its scan, the approval and the rejection with a reason.
import type { FormState } from '../../forms/validate'
import { formatDateTime, formatNumber, type Language, type MessageKey, type Translate } from '../../i18n'
import { displayTaxId } from '../../domain/tax-id'
import type { pendingStatements, Review } from '../../services/statements'
import { Field, FormErrors } from '../components/form'
import { OpsMenu } from './ops'

type QueueRow = Awaited<ReturnType<typeof pendingStatements>>[number]

export function StatementQueueView({ t, lang, rows }: { t: Translate; lang: Language; rows: QueueRow[] }) {
  return (
    <>
      <h1>{t('ops.statements')}</h1>
      <OpsMenu t={t} current="statements" waiting={rows.length} />
      <p class="muted">{t('ops.statements.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('ops.statements.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.statements.col.uploaded')}</th>
                <th scope="col">{t('ops.statements.col.org')}</th>
                <th scope="col">{t('ops.statements.col.person')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('ops.statements.review')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ statement, org, user }) => (
                <tr>
                  <td data-label={t('ops.statements.col.uploaded')}>{formatDateTime(lang, statement.createdAt)}</td>
                  <td data-label={t('ops.statements.col.org')}>{org.name}</td>
                  <td data-label={t('ops.statements.col.person')}>
                    {user.name} &lt;{user.email}&gt;
                  </td>
                  <td>
                    <a href={`/ops/statements/${statement.id}`}>{t('ops.statements.review')}</a>
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

type ReviewProps = { t: Translate; lang: Language; review: Review; waiting: number; rejectForm: FormState; error?: MessageKey }

export function StatementReviewView({ t, lang, review, waiting, rejectForm, error }: ReviewProps) {
  const { statement: s, org, user, role, decidedBy } = review
  const base = `/ops/statements/${s.id}`
  return (
    <>
      <h1>{t('ops.statements.detailTitle', { name: user.name })}</h1>
      <OpsMenu t={t} current="statements" waiting={waiting} />
      {error && (
        <div class="alert" role="alert">
          {t(error)}
        </div>
      )}
      <section class="card">
        <dl class="facts">
          <dt>{t('ops.statements.org')}</dt>
          <dd>
            <a href={`/ops/orgs/${org.id}`}>{org.name}</a>
          </dd>
          <dt>{t('ops.statements.taxId')}</dt>
          <dd>{org.taxId ? displayTaxId(org.taxId) : '–'}</dd>
          <dt>{t('ops.statements.person')}</dt>
          <dd>
            {user.name} &lt;{user.email}&gt;
          </dd>
          <dt>{t('ops.statements.roleNow')}</dt>
          <dd>{role ? t(`org.role.${role}`) : t('ops.statements.notMember')}</dd>
          <dt>{t('ops.statements.uploadedAt')}</dt>
          <dd>{formatDateTime(lang, s.createdAt)}</dd>
          <dt>{t('ops.statements.fileInfo')}</dt>
          <dd>
            {s.fileName} · {s.contentType} · {formatNumber(lang, Math.ceil(s.size / 1024))} KB
          </dd>
          <dt>{t('ops.statements.status')}</dt>
          <dd>
            <span class={`status status-${s.status}`}>{t(`ops.statements.status.${s.status}`)}</span>
            {s.decidedAt && <> · {t('ops.statements.decided', { who: decidedBy?.name ?? '–', date: formatDateTime(lang, s.decidedAt) })}</>}
          </dd>
          {s.reason && (
            <>
              <dt>{t('ops.statements.reasonGiven')}</dt>
              <dd>{s.reason}</dd>
            </>
          )}
        </dl>
        {s.contentType === 'application/pdf' ? (
          <p>
            <a href={`${base}/file`} target="_blank" rel="noopener">
              {t('ops.statements.openPdf')}
            </a>
          </p>
        ) : (
          <p>
            <img class="scan" src={`${base}/file`} alt={t('ops.statements.scanAlt', { name: user.name })} />
          </p>
        )}
        <p>
          <a href={`${base}/file?download=1`}>{t('ops.statements.downloadFile')}</a>
        </p>
      </section>
      {s.status === 'pending' && (
        <>
          <section class="card" aria-labelledby="approve-h">
            <h2 id="approve-h">{t('ops.statements.approveTitle')}</h2>
            <p>{t('ops.statements.approveIntro', { name: user.name, org: org.name })}</p>
            <form method="post" action={`${base}/approval`}>
              <button type="submit" class="btn">
                {t('ops.statements.approve')}
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="reject-h">
            <h2 id="reject-h">{t('ops.statements.rejectTitle')}</h2>
            <FormErrors t={t} form={rejectForm} />
            <form method="post" action={`${base}/rejection`} novalidate>
              <Field t={t} form={rejectForm} name="reason" label={t('ops.statements.reason')} hint={t('ops.statements.reasonHint')} required maxlength={500} />
              <button type="submit" class="btn btn-danger">
                {t('ops.statements.reject')}
              </button>
            </form>
          </section>
        </>
      )}
    </>
  )
}
