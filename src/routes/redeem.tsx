// Public redemption /r/<code> (SPEC §9, §16): the page of a code, redeeming it for an org, and
// reporting a mistake on a personalized voucher. No account needed to look; guessing is throttled
// in the database per IP address — failed look-ups only, refused before the look-up once over.
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { normalizeECode } from '../domain/ecode'
import { parseForm, type FormState } from '../forms/validate'
import { RedeemForm, ReportForm } from '../forms/redeem'
import type { MessageKey } from '../i18n'
import { lookUpCounted, lookUpECode, receivingOrgs, redeemECode, type ECodeState, type FoundECode } from '../services/redemption'
import { isPersonalized, reportMistake } from '../services/ecode-reports'
import { emptyForm } from '../views/components/form'
import { CodeNotFoundView, EnterCodeView, RedeemView } from '../views/redeem/page'
import type { AppEnv } from './env'
import { clientIp, page, seeOther, throttled, type Ctx } from './http'
import { clearRedeem, readRedeem, writeRedeem } from './redeem-cookie'

export const redeemRoutes = new Hono<AppEnv>()

redeemRoutes.use(async (c, next) => {
  await next()
  // A code's page is for its holder, not for search engines.
  c.header('X-Robots-Tag', 'noindex')
})

type Found = { code: string; ecode: FoundECode; state: ECodeState }

/**
 * The code of the URL, or the 404 page, or 429 once the address is over its limits: one batch that
 * counts the look-up only if it fails (src/services/redemption.ts, lookUpCounted).
 */
async function find(c: Ctx, code: string | null): Promise<Found | Response> {
  const r = await lookUpCounted(c.var.deps, code, clientIp(c), c.var.now)
  if (r.found === 'throttled') return throttled(c, r.retryAfterSeconds)
  if (!r.found) return page(c, c.var.t('redeem.notFound.title'), <CodeNotFoundView t={c.var.t} />, 404)
  return { code: code!, ecode: r.ecode, state: r.state }
}

/** What every action on /r/:code starts with. */
function lookUp(c: Ctx): Promise<Found | Response> {
  return find(c, normalizeECode(c.req.param('code') ?? ''))
}

async function codePage(c: Ctx, f: Found, opts: { status?: ContentfulStatusCode; error?: MessageKey; report?: FormState } = {}) {
  const { user, t, lang } = c.var
  const active = f.state === 'active'
  // A code that can no longer be redeemed stops steering sign-ins here.
  if (!active && readRedeem(c) === f.code) clearRedeem(c)
  const orgs = user && active ? await receivingOrgs(c.var.deps, user.id, f.ecode.productId) : null
  const report = active && isPersonalized(f.ecode) ? (opts.report ?? emptyForm()) : null
  return page(c, t('redeem.title'), <RedeemView t={t} lang={lang} code={f.code} ecode={f.ecode} state={f.state} orgs={orgs} error={opts.error} report={report} />, opts.status)
}

/**
 * A box to type a code in; what is typed goes to its page (normalized when it can be). Also answers
 * /r/ — a code's address with the code left off (src/app.tsx) — rather than a bare 404.
 */
export function enterCode(c: Ctx) {
  c.header('X-Robots-Tag', 'noindex')
  const typed = (c.req.query('code') ?? '').slice(0, 100)
  if (!typed) return page(c, c.var.t('redeem.enter.title'), <EnterCodeView t={c.var.t} />)
  return c.redirect(`/r/${encodeURIComponent(normalizeECode(typed) ?? typed)}`, 303)
}

redeemRoutes.get('/', enterCode)

redeemRoutes.get('/:code', async (c) => {
  const raw = c.req.param('code')
  const code = normalizeECode(raw)
  // One address per code, whatever was typed or scanned.
  if (code && code !== raw) return c.redirect(`/r/${code}`, 301)
  const f = await find(c, code)
  return f instanceof Response ? f : codePage(c, f)
})

redeemRoutes.post('/:code/redemption', async (c) => {
  const f = await lookUp(c)
  if (f instanceof Response) return f
  if (f.state !== 'active') return codePage(c, f, { status: 409 })
  const user = c.var.user
  if (!user) {
    // The code waits in a cookie while its holder signs in or registers and activates.
    writeRedeem(c, f.code)
    return seeOther(c, '/login', 'redeem.signInFirst')
  }
  const form = await parseForm(c, RedeemForm)
  if (!form.ok) return codePage(c, f, { status: 422, error: 'redeem.error.chooseOrg' })
  if (form.data.org === 'new') {
    writeRedeem(c, f.code)
    return seeOther(c, '/orgs/new')
  }
  const r = await redeemECode(c.var.deps, user, f.code, form.data.org, c.var.now)
  if (r.ok) {
    clearRedeem(c)
    return seeOther(c, `/o/${r.org.slug}/warehouse`, 'redeem.done', { product: `${f.ecode.productName}, ${f.ecode.variantName[c.var.lang]}`, org: r.org.name })
  }
  if (r.error === 'not_allowed') return codePage(c, f, { status: 422, error: 'redeem.error.chooseOrg' })
  if (r.error === 'read_only') return codePage(c, f, { status: 423, error: 'redeem.error.readOnly' })
  // Used, expired or disposed since the page was shown: the page as it is now.
  const now = await lookUpECode(c.var.deps, f.code, c.var.now)
  return now.found ? codePage(c, { code: f.code, ecode: now.ecode, state: now.state }, { status: 409 }) : c.notFound()
})

redeemRoutes.post('/:code/reports', async (c) => {
  const f = await lookUp(c)
  if (f instanceof Response) return f
  const form = await parseForm(c, ReportForm)
  if (!form.ok) return codePage(c, f, { status: 422, report: form })
  const r = await reportMistake(c.var.deps, f.ecode, f.code, form.data, { ip: clientIp(c), language: c.var.lang }, c.var.now)
  if (r.ok) return seeOther(c, `/r/${f.code}`, 'report.sent')
  if (r.error === 'throttled') return throttled(c, r.retryAfterSeconds)
  const error = r.error === 'too_many_reports' ? 'report.error.tooMany' : 'report.error.closed'
  return codePage(c, f, { status: 409, report: { values: form.values, errors: { _form: error } } })
})
