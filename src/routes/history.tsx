// An org's operation history (SPEC §11): filters, keyset pages, CSV report. Its administrators see it
// under /o/:slug, operators under /ops/orgs/:id (the same pages; `base` says where they live).
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { HistoryQuery } from '../forms/history'
import { parseWith, type FieldErrors } from '../forms/validate'
import { listHistory, type HistoryCursor, type HistoryFilter } from '../db/history'
import { readHistoryPage } from '../services/history-page'
import { startOfLocalDay, startOfNextLocalDay } from '../domain/time'
import { CSV_BOM, csvLine, csvSeparator } from '../domain/csv'
import { localIsoMinute } from '../domain/time'
import { HistoryView } from '../views/history/list'
import { describeActor, describeEntry, describeKind, describeSubject } from '../views/history/describe'
import type { AppEnv } from './env'
import { type Ctx, page } from './http'
import { requireAdmin } from './tenant'

/** The history pages of `c.var.org`, set by the middleware in front (membership or operator). */
export function historyRoutes(base: (c: Ctx) => string) {
  const routes = new Hono<AppEnv>()
  routes.get('/history', (c) => historyPage(c, base(c)))
  routes.get('/history.csv', historyCsv)
  return routes
}

export const historyPages = new Hono<AppEnv>()
  .use('/history', requireAdmin)
  .use('/history.csv', requireAdmin)
  .route('/', historyRoutes((c) => `/o/${c.var.org.slug}`))

const PAGE_SIZE = 50

/** The filter from the query string; dates are whole local days in the org's zone, "to" inclusive. */
function readFilter(c: Ctx): { ok: true; filter: HistoryFilter; cursor: HistoryCursor | null; values: Record<string, string> } | { ok: false; values: Record<string, string>; errors: FieldErrors } {
  const values = Object.fromEntries(Object.entries(c.req.query()).map(([k, v]) => [k, String(v)]))
  const r = parseWith(HistoryQuery, values)
  if (!r.ok) return { ok: false, values, errors: r.errors }
  const zone = c.var.org.timeZone
  const from = r.data.from ? startOfLocalDay(r.data.from, zone) : undefined
  const to = r.data.to ? startOfNextLocalDay(r.data.to, zone) : undefined
  const errors: FieldErrors = {}
  if (from === null) errors.from = 'field.date.invalid'
  if (to === null) errors.to = 'field.date.invalid'
  if (from && to && from >= to) errors.to = 'field.dateRange.invalid'
  if (Object.keys(errors).length) return { ok: false, values, errors }
  return { ok: true, filter: { kind: r.data.kind, actorId: r.data.actor, from: from ?? undefined, to: to ?? undefined }, cursor: r.data.cursor, values }
}

async function historyPage(c: Ctx, base: string) {
  const { org, deps, t, lang } = c.var
  const read = readFilter(c)
  const { facets, rows, next } = await readHistoryPage(deps, org.id, read.ok ? read : null, PAGE_SIZE)
  const form = { values: read.values, errors: read.ok ? {} : read.errors }
  const view = <HistoryView t={t} lang={lang} base={base} timeZone={org.timeZone} facets={facets} rows={rows} next={next} form={form} />
  return page(c, t('history.title'), view, read.ok ? 200 : 422)
}

async function historyCsv(c: Ctx) {
  const { org, deps, t, lang } = c.var
  const read = readFilter(c)
  if (!read.ok) return c.text(t(Object.values(read.errors)[0] ?? 'field.date.invalid'), 422)
  const sep = csvSeparator(lang)
  const filter = read.filter
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="history-${org.slug}.csv"`)
  c.header('Cache-Control', 'no-store')
  return stream(c, async (out) => {
    // When as "2026-12-07 01:48" in the org's zone, which Excel reads as a date and time in any language.
    const header = [t('history.col.when'), t('history.col.who'), t('history.col.what'), t('history.col.kind'), t('history.col.code'), t('history.col.subject')]
    await out.write(CSV_BOM + csvLine(header, sep) + '\r\n')
    const reader = { t, lang, timeZone: org.timeZone }
    let cursor: HistoryCursor | null = null
    do {
      const { rows, next } = await listHistory(deps.db, org.id, filter, cursor, 1000)
      const lines = rows.map((r) =>
        csvLine([localIsoMinute(r.at, org.timeZone), describeActor(t, r, lang), describeEntry(reader, r), describeKind(t, r.kind), r.kind, describeSubject(reader, r)], sep),
      )
      if (lines.length) await out.write(lines.join('\r\n') + '\r\n')
      cursor = next
    } while (cursor)
  })
}
