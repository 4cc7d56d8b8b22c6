// The statement page (SPEC §3.2): download the pre-filled statement, sign it, upload the scan; shows
// the upload waiting for review and the last decision.
import { formatDateTime, type Language, type MessageKey, type Translate } from '../../i18n'
import type { Org, Role } from '../../services/orgs'
import type { Statement } from '../../services/statements'
import { Field } from '../components/form'
import { PostForm } from '../components/post-form'

type Props = {
  t: Translate
  lang: Language
  org: Org
  role: Role
  vendor: string
  pending: Statement | undefined
  lastDecision: Statement | undefined
  error?: MessageKey
}

export function StatementView({ t, lang, org, role, vendor, pending, lastDecision, error }: Props) {
  const when = (s: Statement) => formatDateTime(lang, s.createdAt, org.timeZone)
  const base = `/o/${org.slug}`
  return (
    <section class="card">
      <h1>{t('statement.title')}</h1>
      {role === 'admin' ? <p class="notice">{t('statement.alreadyAdmin', { org: org.name })}</p> : <p class="lead">{t('statement.intro', { org: org.name, vendor })}</p>}
      {lastDecision && !pending && lastDecision.status === 'rejected' && (
        <div class="alert">
          <p>{t('statement.rejected', { date: when(lastDecision), reason: lastDecision.reason ?? '' })}</p>
          <p>{t('statement.rejectedNext')}</p>
        </div>
      )}
      {lastDecision && !pending && lastDecision.status === 'approved' && <p class="notice">{t('statement.approved', { date: when(lastDecision) })}</p>}
      <ol>
        <li>
          <p>{t('statement.step.download')}</p>
          <p>
            <a class="btn btn-secondary" href={`${base}/statement.pdf`} download>
              {t('statement.download')}
            </a>
          </p>
        </li>
        <li>
          <p>{t('statement.step.sign')}</p>
        </li>
        <li>
          <p>{t('statement.step.upload')}</p>
          {pending ? (
            <p class="notice" role="status">
              {t('statement.pending', { date: when(pending) })}
            </p>
          ) : (
            role !== 'admin' && (
              <PostForm action={`${base}/statements`} enctype="multipart/form-data" novalidate>
                <Field t={t} form={{ values: {}, errors: error ? { file: error } : {} }} name="file" type="file" label={t('statement.file')} hint={t('statement.fileHint')} accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png" required />
                <button type="submit" class="btn">
                  {t('statement.submit')}
                </button>
              </PostForm>
            )
          )}
        </li>
      </ol>
      {(pending || role === 'admin') && error && (
        <p class="alert" role="alert">
          {t(error)}
        </p>
      )}
    </section>
  )
}
