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
import { groupedHtml } from '../components/grouped'
import { escapeHtml, html, raw } from '../html'

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
  const labels = rowLabels(t)
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
                {p.rows.map((r) => row(p, labels, r))}
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

/** What every row repeats, translated and escaped once a page. */
function rowLabels(t: Translate) {
  const once = (text: string) => raw(escapeHtml(text))
  return {
    code: once(t('ecodes.col.code')),
    product: once(t('ecodes.col.product')),
    created: once(t('ecodes.col.created')),
    expires: once(t('ecodes.col.expires')),
    used: once(t('ecodes.col.used')),
    voucher: once(t('ecodes.action.voucher')),
    send: once(t('ecodes.action.send')),
    personalize: once(t('ecodes.action.personalize')),
    dispose: once(t('ecodes.action.dispose')),
    /** "12 days left", by count: a page's codes share a few. */
    daysLeft: memo((count: number) => once(t('ecodes.daysLeft', { count }))),
  }
}

function memo<K, V>(f: (key: K) => V): (key: K) => V {
  const done = new Map<K, V>()
  return (key) => {
    let v = done.get(key)
    if (v === undefined) done.set(key, (v = f(key)))
    return v
  }
}

// A row is an html template (src/views/html.ts), not JSX: fifty rows of about thirty elements each
// were half the page's CPU as JSX (docs/performance.md, issue 17). Every value interpolated is escaped;
// what a row repeats (the code, its address, the labels) is escaped once and put in as it is.
function row(p: Props, l: ReturnType<typeof rowLabels>, r: ListedECode) {
  const { t, lang, slug, timeZone } = p
  const code = formatECode(r.code)
  const printed = raw(escapeHtml(code))
  const at = raw(escapeHtml(`/o/${slug}/ecodes/${r.id}`))
  const active = r.status === 'active'
  const daysLeft = Math.max(0, Math.floor((r.expiresAt.getTime() - p.now.getTime()) / DAY))
  const pick =
    p.tab !== 'active'
      ? ''
      : html`<td class="pick">${active ? html`<label><input type="checkbox" name="id" value="${r.id}"/><span class="visually-hidden">${t('ecodes.select', { code })}</span></label>` : ''}</td>`
  // ForItem's markup (src/views/components/for-item.tsx), written out: one template for the four.
  const actions = active
    ? html`<span class="actions"><a href="${at}/voucher.pdf">${l.voucher}<span class="visually-hidden"> – ${printed}</span></a><a href="${at}/sendings/new">${l.send}<span class="visually-hidden"> ${printed}</span></a><a href="${at}/personalization">${l.personalize}<span class="visually-hidden"> ${printed}</span></a><a href="${at}/disposal">${l.dispose}<span class="visually-hidden"> ${printed}</span></a></span>`
    : '—'
  return html`<tr>${pick}<td data-label="${l.code}">${groupedHtml(code)}${r.recipientName ? html`<div class="small muted">${t('ecodes.for', { name: r.recipientName })}</div>` : ''}</td><td data-label="${l.product}">${r.productName} – ${r.variantName[lang]}</td><td data-label="${l.created}">${formatDate(lang, r.createdAt, timeZone)}</td><td data-label="${l.expires}">${formatDate(lang, r.expiresAt, timeZone)}${active ? html`<div class="small muted">${l.daysLeft(daysLeft)}</div>` : ''}</td><td data-label="${l.used}">${r.usedAt ? `${formatDateTime(lang, r.usedAt, timeZone)} · ${r.usedByName ?? '—'}` : '—'}</td><td>${actions}</td></tr>`
}
