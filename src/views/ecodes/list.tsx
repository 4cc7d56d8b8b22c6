// The e-code list (SPEC §9, "E-kody"): tabs with counts, the filter (a GET form that works without
// JavaScript), the CSV report of the same filter, the codes newest first with their actions, a
// selection of vouchers as one PDF, and a link to older codes.
import type { FormState } from '../../forms/validate'
import { formatDate, formatDateTime, type Language, type Translate } from '../../i18n'
import type { Localized } from '../../db/schema'
import { formatECode } from '../../domain/ecode'
import { TABS, type ListedECode, type Tab } from '../../services/ecode-list'
import { Field, FormErrors, Select } from '../components/form'
import { PostForm } from '../components/post-form'
import { Grouped } from '../components/grouped'
import { ForItem } from '../components/for-item'

const DAY = 86_400_000

type Props = {
  t: Translate
  lang: Language
  slug: string
  timeZone: string
  now: Date
  tab: Tab
  counts: Record<Tab, number> | null
  variants: { id: string; productName: string; name: Localized }[]
  rows: ListedECode[]
  next: { at: number; id: string } | null
  form: FormState
  /** Mistake reports on this org's vouchers waiting in its requests inbox (administrators only). */
  reportsWaiting: number
}

export function ECodeListView(p: Props) {
  const { t, lang, slug, tab, form } = p
  const base = `/o/${slug}/ecodes`
  const filters = new URLSearchParams(Object.entries(form.values).filter(([k, v]) => k !== 'cursor' && k !== 'tab' && v))
  const withTab = (to: Tab, extra: Record<string, string> = {}) => `${base}?${new URLSearchParams({ tab: to, ...Object.fromEntries(filters), ...extra })}`
  const tabLabel: Record<Tab, string> = { active: t('ecodes.tab.active'), used: t('ecodes.tab.used'), expired: t('ecodes.tab.expired'), disposed: t('ecodes.tab.disposed') }
  return (
    <section class="stack">
      <h1>{t('ecodes.title')}</h1>
      {p.reportsWaiting > 0 && (
        <p class="alert" role="status">
          {t('ecodes.reportsWaiting', { count: p.reportsWaiting })} <a href={`/o/${slug}/requests`}>{t('ecodes.reportsLink')}</a>
        </p>
      )}
      <nav class="subnav" aria-label={t('ecodes.tabs')}>
        <ul>
          {TABS.map((x) => (
            <li>
              <a href={withTab(x)} aria-current={x === tab ? 'page' : undefined}>
                {tabLabel[x]}
                {p.counts && ` (${p.counts[x]})`}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <FormErrors t={t} form={form} />
      <form method="get" action={base} class="filters">
        <input type="hidden" name="tab" value={tab} />
        <Field t={t} form={form} name="q" label={t('ecodes.filter.code')} hint={t('ecodes.filter.codeHint')} autocomplete="off" />
        <Select
          t={t}
          form={form}
          name="variant"
          label={t('ecodes.filter.variant')}
          options={[{ value: '', label: t('ecodes.filter.allVariants') }, ...p.variants.map((v) => ({ value: v.id, label: `${v.productName} – ${v.name[lang]}` }))]}
        />
        <Field t={t} form={form} name="from" label={t('ecodes.filter.from')} type="date" />
        <Field t={t} form={form} name="to" label={t('ecodes.filter.to')} type="date" />
        <button type="submit" class="btn btn-secondary">
          {t('ecodes.filter.apply')}
        </button>
      </form>
      <p class="actions">
        <a href={`${base}.csv?${new URLSearchParams({ tab, ...Object.fromEntries(filters) })}`} download>
          {t('ecodes.csv')}
        </a>
        <a href={`/o/${slug}/warehouse`}>{t('ecodes.toWarehouse')}</a>
      </p>
      {p.rows.length === 0 ? (
        <p>{t('ecodes.empty')}</p>
      ) : (
        <PostForm action={`${base}/vouchers`} class="stack">
          <div class="table-wrap" tabindex={0} role="region" aria-label={t('ecodes.title')}>
            <table class="cards">
              <thead>
                <tr>
                  {tab === 'active' && (
                    <th scope="col">
                      <span class="visually-hidden">{t('ecodes.col.select')}</span>
                    </th>
                  )}
                  <th scope="col">{t('ecodes.col.code')}</th>
                  <th scope="col">{t('ecodes.col.product')}</th>
                  <th scope="col">{t('ecodes.col.created')}</th>
                  <th scope="col">{t('ecodes.col.expires')}</th>
                  <th scope="col">{t('ecodes.col.used')}</th>
                  <th scope="col">{t('ecodes.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((r) => (
                  <Row {...p} r={r} />
                ))}
              </tbody>
            </table>
          </div>
          {tab === 'active' && (
            <p>
              <button type="submit" class="btn btn-secondary">
                {t('ecodes.vouchers.selected')}
              </button>
            </p>
          )}
        </PostForm>
      )}
      {p.next && (
        <p>
          <a href={withTab(tab, { cursor: `${p.next.at}-${p.next.id}` })}>{t('ecodes.older')}</a>
        </p>
      )}
    </section>
  )
}

function Row(p: Props & { r: ListedECode }) {
  const { t, lang, slug, r, timeZone } = p
  const printed = formatECode(r.code)
  const at = `/o/${slug}/ecodes/${r.id}`
  const active = r.status === 'active'
  const daysLeft = Math.max(0, Math.floor((r.expiresAt.getTime() - p.now.getTime()) / DAY))
  return (
    <tr>
      {p.tab === 'active' && (
        <td class="pick">
          {active && (
            <label>
              <input type="checkbox" name="id" value={r.id} />
              <span class="visually-hidden">{t('ecodes.select', { code: printed })}</span>
            </label>
          )}
        </td>
      )}
      <td data-label={t('ecodes.col.code')}>
        <Grouped value={printed} />
        {r.recipientName && <div class="small muted">{t('ecodes.for', { name: r.recipientName })}</div>}
      </td>
      <td data-label={t('ecodes.col.product')}>
        {r.productName} – {r.variantName[lang]}
      </td>
      <td data-label={t('ecodes.col.created')}>{formatDate(lang, r.createdAt, timeZone)}</td>
      <td data-label={t('ecodes.col.expires')}>
        {formatDate(lang, r.expiresAt, timeZone)}
        {active && <div class="small muted">{t('ecodes.daysLeft', { count: daysLeft })}</div>}
      </td>
      <td data-label={t('ecodes.col.used')}>{r.usedAt ? `${formatDateTime(lang, r.usedAt, timeZone)} · ${r.usedByName ?? '—'}` : '—'}</td>
      <td>
        {active ? (
          <span class="actions">
            <a href={`${at}/voucher.pdf`}>
              <ForItem label={t('ecodes.action.voucher')} item={printed} sep=" – " />
            </a>
            <a href={`${at}/sendings/new`}>
              <ForItem label={t('ecodes.action.send')} item={printed} />
            </a>
            <a href={`${at}/personalization`}>
              <ForItem label={t('ecodes.action.personalize')} item={printed} />
            </a>
            <a href={`${at}/disposal`}>
              <ForItem label={t('ecodes.action.dispose')} item={printed} />
            </a>
          </span>
        ) : (
          '—'
        )}
      </td>
    </tr>
  )
}
