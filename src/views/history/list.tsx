// An org's operation history (SPEC §11): filter form (GET, works without JavaScript), the rows
// newest first — when, who, and what happened as a sentence naming people and things —, a link to
// older rows, and the CSV report of the same filter.
import type { FormState } from '../../forms/validate'
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { history } from '../../db/schema'
import { Field, FormErrors, Select } from '../components/form'
import { describeActor, describeEntry, describeKind } from './describe'
import { html } from '../html'

type Row = typeof history.$inferSelect & { subjectName: string | null }

type Props = {
  t: Translate
  lang: Language
  /** Where the org's pages live: /o/<slug> for its administrators, /ops/orgs/<id> for operators. */
  base: string
  timeZone: string
  facets: { kinds: string[]; actors: { id: string; label: string }[] }
  rows: Row[]
  next: { at: number; id: number } | null
  form: FormState
}

export function HistoryView({ t, lang, base, timeZone, facets, rows, next, form }: Props) {
  const filters = new URLSearchParams(Object.entries(form.values).filter(([k, v]) => k !== 'cursor' && v))
  const withCursor = (cursor: string) => {
    const q = new URLSearchParams(filters)
    q.set('cursor', cursor)
    return `${base}/history?${q}`
  }
  return (
    <>
      <h1>{t('history.title')}</h1>
      <FormErrors t={t} form={form} />
      <form method="get" action={`${base}/history`} class="filters">
        <Select t={t} form={form} name="kind" label={t('history.filter.kind')} options={[{ value: '', label: t('history.filter.all') }, ...facets.kinds.map((k) => ({ value: k, label: describeKind(t, k) }))]} />
        <Select t={t} form={form} name="actor" label={t('history.filter.person')} options={[{ value: '', label: t('history.filter.everyone') }, ...facets.actors.map((a) => ({ value: a.id, label: a.label }))]} />
        <Field t={t} form={form} name="from" label={t('history.filter.from')} type="date" />
        <Field t={t} form={form} name="to" label={t('history.filter.to')} type="date" />
        <button type="submit" class="btn btn-secondary">
          {t('history.filter.apply')}
        </button>
      </form>
      <p>
        <a href={`${base}/history.csv${filters.size ? `?${filters}` : ''}`} download>
          {t('history.csv')}
        </a>
      </p>
      {Object.keys(form.errors).length > 0 ? null : rows.length === 0 ? (
        // A filter that finds nothing is not an empty history.
        <p>{t(filters.size ? 'history.emptyFiltered' : 'history.empty')}</p>
      ) : (
        // Wider than a small screen: a keyboard user must be able to focus it to scroll; cards on phones.
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('history.title')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('history.col.when')}</th>
                <th scope="col">{t('history.col.who')}</th>
                <th scope="col">{t('history.col.what')}</th>
              </tr>
            </thead>
            <tbody>
              {rowsHtml({ t, lang, timeZone }, rows)}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <a href={withCursor(`${next.at}-${next.id}`)}>{t('history.older')}</a>
        </p>
      )}
    </>
  )
}

// The rows are an html template (hono/html), not JSX, as the e-code list's are: fifty rows a page
// (docs/performance.md, issue 17). Every value interpolated is escaped.
function rowsHtml(reader: { t: Translate; lang: Language; timeZone: string }, rows: Row[]) {
  const { t, lang, timeZone } = reader
  const [when, who, what] = [t('history.col.when'), t('history.col.who'), t('history.col.what')]
  return rows.map(
    (r) =>
      html`<tr><td data-label="${when}">${formatDateTime(lang, r.at, timeZone)}</td><td data-label="${who}">${describeActor(t, r, lang)}</td><td data-label="${what}">${describeEntry(reader, r)}</td></tr>`,
  )
}
