// Settings → Users (SPEC §2): members, roles, adding by e-mail, invitations, leaving.
import { Hono } from 'hono'
import { z } from 'zod'
import { parseForm, type FormState } from '../forms/validate'
import { EmailForm } from '../forms/account'
import { userActor } from '../db/history'
import { addMember, changeRole, inviteMember, readMembersPage, removeMember, setPermissions } from '../services/members'
import type { SeatLimit } from '../services/seats'
import { planComparisonPath } from '../views/plans/compare'
import { emptyForm } from '../views/components/form'
import { MembersView } from '../views/members/members'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther, throttled } from './http'
import { requireAdmin } from './tenant'

export const memberPages = new Hono<AppEnv>()

const RoleForm = z.object({ role: z.enum(['admin', 'member'], { message: 'field.required' }) })

async function membersPage(c: Ctx, extra: { form?: FormState; invite?: string; notice?: string; noticeLink?: string } = {}, status: 200 | 404 | 409 | 422 = 200) {
  const { org, deps, t } = c.var
  const { members, invited, permissions, products } = await readMembersPage(deps, org.id, c.var.now)
  return page(
    c,
    t('members.title'),
    <MembersView
      t={t}
      lang={c.var.lang}
      slug={org.slug}
      orgName={org.name}
      timeZone={org.timeZone}
      meId={c.var.user!.id}
      members={members}
      invited={invited}
      products={products}
      permissions={permissions}
      form={extra.form ?? emptyForm()}
      invite={extra.invite}
      notice={extra.notice}
      noticeLink={extra.noticeLink}
      pending={c.var.orgPending}
    />,
    status,
  )
}

/** Every seat is taken: the plan that sets the limit, the count, and its plan page (409). */
function seatsFull(c: Ctx, values: FormState['values'], seats: SeatLimit) {
  const notice = c.var.t('members.seatsFull', { plan: seats.plan, product: seats.product, count: seats.limit, used: seats.used })
  return membersPage(c, { form: { values, errors: {} }, notice, noticeLink: planComparisonPath(seats.productKey) }, 409)
}

const usersPath = (c: Ctx) => `/o/${c.var.org.slug}/settings/users`

memberPages.get('/settings/users', requireAdmin, (c) => membersPage(c))

memberPages.post('/members', requireAdmin, async (c) => {
  const r = await parseForm(c, EmailForm)
  if (!r.ok) return membersPage(c, { form: r }, 422)
  const added = await addMember(c.var.deps, c.var.org, c.var.user!, r.data.email, c.var.now)
  if (!added.ok && added.error === 'throttled') return throttled(c, added.retryAfterSeconds)
  if (!added.ok && added.error === 'no_account') return membersPage(c, { form: { values: r.values, errors: {} }, invite: r.data.email }, 404)
  if (!added.ok && added.error === 'seats_full') return seatsFull(c, r.values, added.seats)
  if (!added.ok) return membersPage(c, { form: { values: r.values, errors: { email: 'members.alreadyMember' } } }, 409)
  return seeOther(c, usersPath(c), 'members.added', { name: added.name })
})

memberPages.post('/invitations', requireAdmin, async (c) => {
  const r = await parseForm(c, EmailForm)
  if (!r.ok) return membersPage(c, { form: r }, 422)
  const sent = await inviteMember(c.var.deps, c.var.org, c.var.user!, r.data.email, c.var.now)
  if (!sent.ok && sent.error === 'throttled') return throttled(c, sent.retryAfterSeconds)
  if (!sent.ok) return seatsFull(c, r.values, sent.seats)
  return seeOther(c, usersPath(c), 'members.invited', { email: r.data.email })
})

memberPages.post('/members/:userId/role', requireAdmin, async (c) => {
  const r = await parseForm(c, RoleForm)
  if (!r.ok) return membersPage(c, {}, 422)
  const done = await changeRole(c.var.deps, c.var.org, userActor(c.var.user!), c.req.param('userId'), r.data.role, c.var.now)
  if (!done.ok && done.error === 'not_found') return c.notFound()
  if (!done.ok) return membersPage(c, { notice: c.var.t('members.lastAdmin') }, 409)
  // Demoting yourself ends your access to this page.
  if (c.req.param('userId') === c.var.user!.id && r.data.role === 'member') return seeOther(c, `/o/${c.var.org.slug}`, 'members.roleChanged')
  return seeOther(c, usersPath(c), 'members.roleChanged')
})

memberPages.post('/members/:userId/permissions', requireAdmin, async (c) => {
  const body = await c.req.parseBody({ all: true })
  const raw = body.product
  const keys = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((k): k is string => typeof k === 'string')
  const done = await setPermissions(c.var.deps, c.var.org, userActor(c.var.user!), c.req.param('userId'), keys, c.var.now)
  if (!done.ok && done.error === 'not_found') return c.notFound()
  if (!done.ok) return membersPage(c, { notice: c.var.t(done.error === 'admin' ? 'members.permissions.admin' : 'products.error.not_found') }, 422)
  return seeOther(c, usersPath(c), 'members.permissions.saved')
})

memberPages.post('/members/:userId/removal', requireAdmin, async (c) => {
  const done = await removeMember(c.var.deps, c.var.org, userActor(c.var.user!), c.req.param('userId'), c.var.now)
  if (!done.ok && done.error === 'not_found') return c.notFound()
  if (!done.ok) return membersPage(c, { notice: c.var.t('members.lastAdmin') }, 409)
  if (c.req.param('userId') === c.var.user!.id) return seeOther(c, '/orgs', 'members.left')
  return seeOther(c, usersPath(c), 'members.removed')
})

// Any member may leave, except the last administrator.
memberPages.post('/membership/removal', async (c) => {
  const done = await removeMember(c.var.deps, c.var.org, userActor(c.var.user!), c.var.user!.id, c.var.now)
  if (!done.ok) return page(c, c.var.t('members.title'), <p class="alert">{c.var.t('members.lastAdmin')}</p>, 409)
  return seeOther(c, '/orgs', 'members.left')
})
