// The org's requests inbox (SPEC §10) and administrator-rights requests (SPEC §3.1). Items of every
// kind live in org_requests; an administrator acts on them here: approves or declines a request
// for admin rights (the requester is e-mailed either way), or marks a claim notice as seen.
// Mistake reports on vouchers (kind 'ecode_report', no user) are resolved in ./ecode-reports.ts.
import { and, asc, count, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Db } from '../db/client'
import { memberships, orgRequests, users } from '../db/schema'
import { recordHistory, recordHistoryIfChanged, userActor } from '../db/history'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { enqueueMailIfChanged } from '../mail/outbox'
import { adminRightsDecidedMail } from '../mail/templates/members'
import type { Org } from './orgs'

export type InboxItem = Awaited<ReturnType<typeof listPendingRequests>>[number]

/** What waits for the org's administrators, oldest first. */
export function listPendingRequests(deps: Deps, orgId: string) {
  return deps.db
    .select({ request: orgRequests, name: users.name, email: users.email })
    .from(orgRequests)
    .leftJoin(users, eq(users.id, orgRequests.userId))
    .where(and(eq(orgRequests.orgId, orgId), eq(orgRequests.status, 'pending')))
    .orderBy(asc(orgRequests.createdAt))
}

/** How many items wait (the yellow dot); one index range. */
export async function pendingRequestCount(deps: Deps, orgId: string): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(orgRequests).where(and(eq(orgRequests.orgId, orgId), eq(orgRequests.status, 'pending')))
  return row?.n ?? 0
}

/** The user's open request for admin rights in the org, if any (a query for the caller's batch). */
export function openAdminRequestQuery(db: Db, orgId: string, userId: string) {
  return db
    .select()
    .from(orgRequests)
    .where(and(eq(orgRequests.orgId, orgId), eq(orgRequests.userId, userId), eq(orgRequests.kind, 'admin_rights'), eq(orgRequests.status, 'pending')))
    .limit(1)
}

export function openAdminRequest(deps: Deps, orgId: string, userId: string) {
  return openAdminRequestQuery(deps.db, orgId, userId).get()
}

export type AskResult = { ok: true } | { ok: false; error: 'already_admin' | 'already_requested' }

/** One click: a request for admin rights, at most one open per person and org (a unique index). */
export async function askForAdminRights(deps: Deps, org: Org, user: User, role: 'admin' | 'member', now: Date): Promise<AskResult> {
  if (role === 'admin') return { ok: false, error: 'already_admin' }
  const { db } = deps
  const id = generateId()
  try {
    await db.batch([
      db.insert(orgRequests).values({ id, orgId: org.id, kind: 'admin_rights', userId: user.id, status: 'pending', details: { email: user.email, name: user.name }, createdAt: now }),
      recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'admin_rights.requested', subject: { type: 'request', id }, details: { email: user.email }, at: now }),
    ])
  } catch (e) {
    if (uniqueViolation(e)?.startsWith('org_requests.')) return { ok: false, error: 'already_requested' }
    throw e
  }
  return { ok: true }
}

export type DecideResult = { ok: true; name: string } | { ok: false; error: 'not_found' | 'already_decided' | 'not_member' }

/**
 * Approves or declines a pending admin-rights request of this org. The request's status change is
 * conditional (`status = 'pending'`), and on approval the role change, the history row and the
 * e-mail each follow only if the statement before them changed a row — a double click, or two
 * administrators at once, decide once.
 *
 * An approval promotes a member and never adds one, so it needs no seat (issue 16 rule 1): it is
 * written only while the requester is a member, in the same statement, so someone removed after
 * the request was read is neither approved nor told they were, and the request closes.
 */
export async function decideAdminRights(deps: Deps, org: Org, admin: User, requestId: string, decision: 'approved' | 'declined', reason: string | null, now: Date): Promise<DecideResult> {
  const { db, config } = deps
  const found = await db
    .select({ request: orgRequests, user: users, role: memberships.role })
    .from(orgRequests)
    .innerJoin(users, eq(users.id, orgRequests.userId))
    .leftJoin(memberships, and(eq(memberships.orgId, orgRequests.orgId), eq(memberships.userId, orgRequests.userId)))
    .where(and(eq(orgRequests.id, requestId), eq(orgRequests.orgId, org.id), eq(orgRequests.kind, 'admin_rights')))
    .get()
  // Another org's request looks exactly like a missing one.
  if (!found) return { ok: false, error: 'not_found' }
  const { request, user } = found
  if (request.status !== 'pending') return { ok: false, error: 'already_decided' }
  // They left (or were removed) since asking: the request closes without making anyone admin.
  const closeForLeaver = async (): Promise<DecideResult> => {
    const closed = await db
      .update(orgRequests)
      .set({ status: 'dismissed', resolvedAt: now, resolvedBy: admin.id })
      .where(and(eq(orgRequests.id, request.id), eq(orgRequests.status, 'pending')))
    return { ok: false, error: closed.rowsAffected === 1 ? 'not_member' : 'already_decided' }
  }
  if (!found.role) return closeForLeaver()
  const requesterIsMember = sql`exists (select 1 from ${memberships} m where m.org_id = ${org.id} and m.user_id = ${user.id})`
  const resolve = db
    .update(orgRequests)
    .set({ status: decision, resolvedAt: now, resolvedBy: admin.id, reason })
    .where(and(eq(orgRequests.id, request.id), eq(orgRequests.status, 'pending'), decision === 'approved' ? requesterIsMember : undefined))
  const history = { orgId: org.id, actor: userActor(admin), subject: { type: 'user', id: user.id }, at: now }
  const mail = {
    to: user.email,
    language: user.language,
    template: `admin_rights.${decision}`,
    mail: adminRightsDecidedMail({ lang: user.language, vendor: config.vendorName }, { org: org.name, approved: decision === 'approved', reason, url: `${config.baseUrl}/o/${org.slug}` }),
    now,
  }
  const [changed] =
    decision === 'approved'
      ? await db.batch([
          resolve,
          db.run(sql`update ${memberships} set role = 'admin' where org_id = ${org.id} and user_id = ${user.id} and changes() > 0`),
          recordHistoryIfChanged(db, { ...history, kind: 'admin_rights.approved', details: { email: user.email } }),
          enqueueMailIfChanged(db, mail),
        ])
      : await db.batch([resolve, recordHistoryIfChanged(db, { ...history, kind: 'admin_rights.declined', details: { email: user.email, reason } }), enqueueMailIfChanged(db, mail)])
  if (changed.rowsAffected === 1) return { ok: true, name: user.name }
  // Still pending after an approval that changed nothing: the requester was removed meanwhile.
  return decision === 'approved' ? closeForLeaver() : { ok: false, error: 'already_decided' }
}

/** A claim notice (someone joined with a licence number) marked as seen; the member stays. */
export async function dismissRequest(deps: Deps, org: Org, admin: User, requestId: string, now: Date): Promise<{ ok: true } | { ok: false; error: 'not_found' | 'already_decided' }> {
  const { db } = deps
  const where = and(eq(orgRequests.id, requestId), eq(orgRequests.orgId, org.id), eq(orgRequests.kind, 'member_claimed'))
  const r = await db.update(orgRequests).set({ status: 'dismissed', resolvedAt: now, resolvedBy: admin.id }).where(and(where, eq(orgRequests.status, 'pending')))
  if (r.rowsAffected === 1) return { ok: true }
  return (await db.select({ id: orgRequests.id }).from(orgRequests).where(where).get()) ? { ok: false, error: 'already_decided' } : { ok: false, error: 'not_found' }
}
