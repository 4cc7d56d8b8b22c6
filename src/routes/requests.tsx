// The requests inbox of an org (SPEC §10) and asking for administrator rights (SPEC §3.1).
// Mounted behind requireMembership; the inbox and its actions are for administrators.
import { Hono } from 'hono'
import { z } from 'zod'
import { parseForm } from '../forms/validate'
import { askForAdminRights, decideAdminRights, dismissRequest, listPendingRequests } from '../services/requests'
import { resolveReport } from '../services/ecode-reports'
import { ResolveForm } from '../forms/redeem'
import { InboxView } from '../views/requests/inbox'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import type { MessageKey } from '../i18n'
import { requireAdmin } from './tenant'
import { oneLine } from '../forms/text'

export const requestPages = new Hono<AppEnv>()
requestPages.use('/requests', requireAdmin)
requestPages.use('/requests/*', requireAdmin)

const DeclineForm = z.object({ reason: oneLine(z.string().trim().max(500, { message: 'field.tooLong' })).optional().transform((v) => v || null) })

requestPages.post('/admin-rights-requests', async (c) => {
  const { org } = c.var
  const r = await askForAdminRights(c.var.deps, org, c.var.user!, c.var.role, c.var.now)
  return seeOther(c, `/o/${org.slug}`, r.ok ? 'rights.asked' : `rights.error.${r.error}`)
})

requestPages.get('/requests', async (c) => {
  const { org, t, lang } = c.var
  const items = await listPendingRequests(c.var.deps, org.id)
  return page(c, t('requests.title'), <InboxView t={t} lang={lang} org={org} items={items} />)
})

/** The inbox again with a message: 422 for bad input, 409 for a request already decided. */
async function inboxWith(c: Ctx, key: MessageKey, status: 409 | 422) {
  c.set('flash', { key })
  const items = await listPendingRequests(c.var.deps, c.var.org.id)
  return page(c, c.var.t('requests.title'), <InboxView t={c.var.t} lang={c.var.lang} org={c.var.org} items={items} />, status)
}

async function decide(c: Ctx, decision: 'approved' | 'declined', reason: string | null) {
  const { org } = c.var
  const r = await decideAdminRights(c.var.deps, org, c.var.user!, c.req.param('id') ?? '', decision, reason, c.var.now)
  if (!r.ok) return r.error === 'not_found' ? c.notFound() : inboxWith(c, `requests.error.${r.error}`, 409)
  return seeOther(c, `/o/${org.slug}/requests`, decision === 'approved' ? 'requests.approved' : 'requests.declined', { name: r.name })
}

requestPages.post('/requests/:id/approval', (c) => decide(c, 'approved', null))

requestPages.post('/requests/:id/decline', async (c) => {
  const form = await parseForm(c, DeclineForm)
  if (!form.ok) return inboxWith(c, 'field.tooLong', 422)
  return decide(c, 'declined', form.data.reason)
})

requestPages.post('/requests/:id/dismissal', async (c) => {
  const { org } = c.var
  const r = await dismissRequest(c.var.deps, org, c.var.user!, c.req.param('id'), c.var.now)
  if (!r.ok && r.error === 'not_found') return c.notFound()
  if (!r.ok) return inboxWith(c, 'requests.error.already_decided', 409)
  return seeOther(c, `/o/${org.slug}/requests`, 'requests.dismissed')
})

// A voucher mistake report (SPEC §9): resolved once the personalization is corrected; the reporter is e-mailed.
requestPages.post('/requests/:id/resolution', async (c) => {
  const { org } = c.var
  const form = await parseForm(c, ResolveForm)
  if (!form.ok) return inboxWith(c, 'field.tooLong', 422)
  const r = await resolveReport(c.var.deps, org, c.var.user!, c.req.param('id'), form.data.note, c.var.now)
  if (!r.ok && r.error === 'not_found') return c.notFound()
  if (!r.ok) return inboxWith(c, 'requests.error.already_decided', 409)
  return seeOther(c, `/o/${org.slug}/requests`, 'report.resolved')
})
