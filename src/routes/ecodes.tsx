// The e-code list and everything done to one code (SPEC §9): tabs, filter, CSV report, vouchers
// (one or a selection), personalization, sending by e-mail, disposal. Every route looks the code up
// within the org first (another org's id is a 404, like a missing one), then checks the person may
// manage its product (403), then its state (409 once it is no longer active).
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { DisposalForm, ECodeQuery, PersonalizationForm, SendForm } from '../forms/ecodes'
import { parseForm, parseWith, type FieldErrors, type FormState } from '../forms/validate'
import { ecodeLookupHash, decryptECode } from '../auth/ecode-crypto'
import { formatECode, normalizeECode } from '../domain/ecode'
import { startOfLocalDay, startOfNextLocalDay } from '../domain/time'
import { CSV_BOM, csvLine, csvSeparator } from '../domain/csv'
import { formatDate, formatDateTime } from '../i18n'
import { effectiveStatus, findECodeFor, findECodes, listECodes, listedPage, listRead, type ECodeCursor, type ECodeFilter, type ECodeRow } from '../services/ecode-list'
import { countRead, tabCounts } from '../services/ecode-counts'
import { readTogether } from '../db/client'
import { cachedCatalog } from '../db/catalog-cache'
import { disposeECode, personalizeECode, sendECode, vouchersPdf, type ChangeResult } from '../services/ecodes'
import { manageableProducts } from '../services/warehouse'
import { ECodeListView } from '../views/ecodes/list'
import { DisposalView, NoPermissionView, PersonalizationView, RefusedView, SendView, type CodeFacts } from '../views/ecodes/code'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'

export const ecodePages = new Hono<AppEnv>()

const PAGE_SIZE = 50
/** A selection of vouchers is one PDF; two pages of the list is plenty for one download. */
const MAX_VOUCHERS = 100

type Read = { ok: true; filter: ECodeFilter; cursor: ECodeCursor | null; values: Record<string, string> } | { ok: false; filter: ECodeFilter; values: Record<string, string>; errors: FieldErrors }

/** The filter from the query string: the code searched for by its hash, whole local days in the org's zone. */
async function readFilter(c: Ctx): Promise<Read> {
  const { deps, org, user, role } = c.var
  const values = Object.fromEntries(Object.entries(c.req.query()).map(([k, v]) => [k, String(v)]))
  // A member sees the codes of the products they may manage (the list's statement looks them up).
  const member = role === 'admin' ? undefined : user!.id
  const r = parseWith(ECodeQuery, values)
  if (!r.ok) return { ok: false, filter: { tab: 'active', member }, values, errors: r.errors }
  const errors: FieldErrors = {}
  const code = r.data.q ? normalizeECode(r.data.q) : undefined
  if (code === null) errors.q = 'ecodes.field.search'
  const from = r.data.from ? startOfLocalDay(r.data.from, org.timeZone) : undefined
  const to = r.data.to ? startOfNextLocalDay(r.data.to, org.timeZone) : undefined
  if (from === null) errors.from = 'field.date.invalid'
  if (to === null) errors.to = 'field.date.invalid'
  if (from && to && from >= to) errors.to = 'field.dateRange.invalid'
  const tab = r.data.tab
  if (Object.keys(errors).length) return { ok: false, filter: { tab, member }, values, errors }
  const lookupHash = code ? await ecodeLookupHash(deps.config.ecodeSecrets.lookupKey, code) : undefined
  return { ok: true, filter: { tab, lookupHash, variantId: r.data.variant, from: from ?? undefined, to: to ?? undefined, member }, cursor: r.data.cursor, values }
}

/** The variants of virtual products, for the filter: from the cached catalog, by product name and term. */
async function virtualVariants(c: Ctx) {
  const catalog = await cachedCatalog(c.var.deps.db)
  return catalog
    .filter((p) => p.kind === 'virtual')
    .flatMap((p) => p.variants.map((v) => ({ id: v.id, productName: p.name, name: v.name })))
}

ecodePages.get('/ecodes', async (c) => {
  const { deps, org, t, lang, now } = c.var
  const read = await readFilter(c)
  const form: FormState = { values: read.values, errors: read.ok ? {} : read.errors }
  // The tab counts and the page in one batch (one round trip).
  const [found, variantList] = await Promise.all([
    read.ok ? readTogether(deps.db, { counts: countRead(deps.db, org.id, read.filter, now), rows: listRead(deps.db, org.id, read.filter, read.cursor, now, PAGE_SIZE) }) : null,
    virtualVariants(c),
  ])
  const counts = found ? tabCounts(found.counts) : null
  const list = found ? await listedPage(deps, found.rows, now, PAGE_SIZE) : { rows: [], next: null }
  const view = (
    <ECodeListView
      t={t}
      lang={lang}
      slug={org.slug}
      timeZone={org.timeZone}
      now={now}
      tab={read.filter.tab}
      counts={counts}
      variants={variantList}
      rows={list.rows}
      next={list.next}
      form={form}
      reportsWaiting={c.var.orgPendingReports ?? 0}
    />
  )
  return page(c, t('ecodes.title'), view, read.ok ? 200 : 422)
})

ecodePages.get('/ecodes.csv', async (c) => {
  const { deps, org, t, lang, now } = c.var
  const read = await readFilter(c)
  if (!read.ok) return c.text(t(Object.values(read.errors)[0] ?? 'field.required'), 422)
  const sep = csvSeparator(lang)
  const status = { active: t('ecodes.status.active'), used: t('ecodes.status.used'), expired: t('ecodes.status.expired'), disposed: t('ecodes.status.disposed') }
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="ecodes-${org.slug}-${read.filter.tab}.csv"`)
  c.header('Cache-Control', 'private, no-store')
  return stream(c, async (out) => {
    const header = ['code', 'product', 'variant', 'status', 'created', 'expires', 'usedAt', 'usedBy'] as const
    await out.write(CSV_BOM + csvLine(header.map((h) => t(`ecodes.csv.${h}`)), sep) + '\r\n')
    let cursor: ECodeCursor | null = null
    do {
      const { rows, next } = await listECodes(deps, org.id, read.filter, cursor, now, 500)
      const lines = rows.map((r) =>
        csvLine(
          [
            formatECode(r.code),
            r.productName,
            r.variantName[lang],
            status[r.status],
            formatDateTime(lang, r.createdAt, org.timeZone),
            formatDate(lang, r.expiresAt, org.timeZone),
            r.usedAt ? formatDateTime(lang, r.usedAt, org.timeZone) : '',
            r.usedByName ?? '',
          ],
          sep,
        ),
      )
      if (lines.length) await out.write(lines.join('\r\n') + '\r\n')
      cursor = next
    } while (cursor)
  })
})

const forbidden = (c: Ctx) => page(c, c.var.t('ecodes.forbidden.title'), <NoPermissionView t={c.var.t} />, 403)
const refused = (c: Ctx, reason: Exclude<ChangeResult, { ok: true }>['error']) => page(c, c.var.t('ecodes.refused.title'), <RefusedView t={c.var.t} slug={c.var.org.slug} reason={reason} />, 409)

function pdf(c: Ctx, file: { bytes: Uint8Array<ArrayBuffer>; fileName: string }) {
  c.header('Content-Type', 'application/pdf')
  c.header('Content-Disposition', `attachment; filename="${file.fileName}"`)
  c.header('Cache-Control', 'private, no-store')
  return c.body(file.bytes)
}

/** Codes chosen on the list (checkboxes named `id`) as one PDF, a page each, in the list's order. */
ecodePages.post('/ecodes/vouchers', async (c) => {
  const { deps, org, user, role, lang, now } = c.var
  const body = await c.req.parseBody({ all: true })
  const ids = [body.id ?? []].flat().filter((x): x is string => typeof x === 'string')
  if (ids.length === 0) return seeOther(c, `/o/${org.slug}/ecodes`, 'ecodes.vouchers.none')
  if (ids.length > MAX_VOUCHERS) return seeOther(c, `/o/${org.slug}/ecodes`, 'ecodes.vouchers.tooMany', { count: MAX_VOUCHERS })
  const unique = [...new Set(ids)]
  const codes = await findECodes(deps.db, org.id, unique)
  if (codes.length !== unique.length) return c.notFound()
  const allowed = await manageableProducts(deps, org, user!, role)
  if (allowed && codes.some((x) => !allowed.includes(x.productId))) return forbidden(c)
  const inactive = codes.map((x) => effectiveStatus(x, now)).find((s) => s !== 'active')
  if (inactive) return refused(c, inactive as 'used' | 'expired' | 'disposed')
  return pdf(c, await vouchersPdf(deps, org, codes, lang, now))
})

type Loaded = { code: ECodeRow; facts: CodeFacts }

/** The org's code from the URL if this person may manage it and it is still active; else the refusal (404, 403 or 409). */
async function loadCode(c: Ctx): Promise<Loaded | Response> {
  const { deps, org, user, role, now } = c.var
  const code = await findECodeFor(deps.db, org.id, c.req.param('id') ?? '', role === 'admin' ? undefined : user!.id)
  if (!code) return c.notFound()
  if (!code.manageable) return forbidden(c)
  const status = effectiveStatus(code, now)
  if (status !== 'active') return refused(c, status)
  const plain = await decryptECode(deps.config.ecodeSecrets.encryptionKey, code.sealed)
  return { code, facts: { ...code, printed: formatECode(plain) } }
}

const common = (c: Ctx, facts: CodeFacts) => ({ t: c.var.t, lang: c.var.lang, slug: c.var.org.slug, timeZone: c.var.org.timeZone, code: facts })

ecodePages.get('/ecodes/:id/voucher.pdf', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  return pdf(c, await vouchersPdf(c.var.deps, c.var.org, [loaded.code], c.var.lang, c.var.now))
})

ecodePages.get('/ecodes/:id/personalization', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  const values = { recipientName: loaded.code.recipientName ?? '', message: loaded.code.message ?? '' }
  return page(c, c.var.t('ecodes.personalization.title'), <PersonalizationView {...common(c, loaded.facts)} form={{ values, errors: {} }} />)
})

ecodePages.post('/ecodes/:id/personalization', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  const form = await parseForm(c, PersonalizationForm)
  if (!form.ok) return page(c, c.var.t('ecodes.personalization.title'), <PersonalizationView {...common(c, loaded.facts)} form={form} />, 422)
  const r = await personalizeECode(c.var.deps, c.var.org, c.var.user!, loaded.code, form.data, c.var.now)
  if (!r.ok) return refused(c, r.error)
  return seeOther(c, `/o/${c.var.org.slug}/ecodes/${loaded.code.id}/personalization`, 'ecodes.personalized')
})

ecodePages.get('/ecodes/:id/sendings/new', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  const values = { recipientName: loaded.code.recipientName ?? '', email: '', message: loaded.code.message ?? '' }
  return page(c, c.var.t('ecodes.sending.title'), <SendView {...common(c, loaded.facts)} form={{ values, errors: {} }} />)
})

ecodePages.post('/ecodes/:id/sendings', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  const form = await parseForm(c, SendForm)
  if (!form.ok) return page(c, c.var.t('ecodes.sending.title'), <SendView {...common(c, loaded.facts)} form={form} />, 422)
  const r = await sendECode(c.var.deps, c.var.org, c.var.user!, loaded.code, form.data, c.var.lang, c.var.now)
  if (!r.ok) return refused(c, r.error)
  return seeOther(c, `/o/${c.var.org.slug}/ecodes`, 'ecodes.sent', { email: form.data.email })
})

ecodePages.get('/ecodes/:id/disposal', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  return page(c, c.var.t('ecodes.disposal.title'), <DisposalView {...common(c, loaded.facts)} form={{ values: {}, errors: {} }} />)
})

ecodePages.post('/ecodes/:id/disposal', async (c) => {
  const loaded = await loadCode(c)
  if (loaded instanceof Response) return loaded
  const form = await parseForm(c, DisposalForm)
  if (!form.ok) return page(c, c.var.t('ecodes.disposal.title'), <DisposalView {...common(c, loaded.facts)} form={form} />, 422)
  const r = await disposeECode(c.var.deps, c.var.org, c.var.user!, loaded.code, c.var.now)
  if (!r.ok) return refused(c, r.error)
  return seeOther(c, `/o/${c.var.org.slug}/ecodes?tab=disposed`, 'ecodes.disposed', { code: loaded.facts.printed })
})
