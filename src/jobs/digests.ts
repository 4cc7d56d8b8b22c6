// The digest job (SPEC §10, §13), every 15 minutes: each administrator with pending requests in
// any of their orgs gets at most one digest per 24 h — when something new arrived since the last
// one, or as a reminder while items stay pending. The rule is src/domain/digest.ts; here it is
// fed from the database, and each digest row is written under its window key in the same batch as
// its e-mail, so a second run at the same time writes neither.
import { and, eq, gt, inArray, lte, max } from 'drizzle-orm'
import type { Deps } from '../deps'
import { digests, memberships, orgRequests, orgs, users } from '../db/schema'
import { generateId } from '../auth/tokens'
import { digestDecision, digestWindowKey, type PendingItem } from '../domain/digest'
import { enqueueMailIfChanged } from '../mail/outbox'
import { digestMail } from '../mail/templates/digest'
import { charged, RUN_BUDGET, spent, type Budget, type Budgeted } from '../services/steps'
import { NO_LEASE, type JobCounts, type RunContext } from './runner'

type Admin = { email: string; language: 'en' | 'pl' | 'it'; items: (PendingItem & { kind: string; org: { name: string; slug: string } })[] }

/** Administrators per page: their pending items and last digests are read a page at a time. */
export const DIGESTS_PAGE = 100

/**
 * Administrators with pending items a page at a time (by user id), each decided and, if due, sent
 * under the run's budget: a run that spends it stops, `unfinished`, and the next tick (15 minutes
 * on) goes on — the administrators it did not reach are still due then.
 */
export async function runDigests(deps: Deps, now: Date, page = DIGESTS_PAGE, budget: Budget = RUN_BUDGET, run: RunContext = NO_LEASE): Promise<JobCounts> {
  const counts: { admins: number; sent: number; unfinished?: number } = { admins: 0, sent: 0 }
  const x: Budgeted = { budget: { ...budget }, heartbeat: run.heartbeat }
  let after: string | null = null
  pages: for (;;) {
    if (spent(x)) break
    const admins = await pendingByAdmin(deps, now, page, after)
    if (admins.size === 0) break
    counts.admins += admins.size
    const last = await lastDigests(deps, [...admins.keys()])
    for (const [userId, admin] of admins) {
      const ran = await charged(x, async () => {
        if (await digestFor(deps, now, userId, admin, last.get(userId) ?? null)) counts.sent += 1
      })
      if (!ran) break pages
    }
    if (admins.size < page) break
    after = [...admins.keys()].reduce((a, b) => (a > b ? a : b))
  }
  if (x.unfinished) counts.unfinished = 1
  return counts
}

/** Every pending item, once for each administrator of its org, for the next page of administrators after `after`. */
async function pendingByAdmin({ db }: Deps, now: Date, page: number, after: string | null): Promise<Map<string, Admin>> {
  const pending = and(eq(orgRequests.status, 'pending'), lte(orgRequests.createdAt, now))
  const adminOf = and(eq(memberships.orgId, orgRequests.orgId), eq(memberships.role, 'admin'))
  const pageOfAdmins = db
    .selectDistinct({ userId: memberships.userId })
    .from(orgRequests)
    .innerJoin(memberships, adminOf)
    .where(and(pending, after === null ? undefined : gt(memberships.userId, after)))
    .orderBy(memberships.userId)
    .limit(page)
  const rows = await db
    .select({ userId: memberships.userId, email: users.email, language: users.language, id: orgRequests.id, kind: orgRequests.kind, createdAt: orgRequests.createdAt, orgName: orgs.name, slug: orgs.slug })
    .from(orgRequests)
    .innerJoin(orgs, eq(orgs.id, orgRequests.orgId))
    .innerJoin(memberships, adminOf)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(pending, inArray(memberships.userId, pageOfAdmins)))
  const admins = new Map<string, Admin>()
  for (const r of rows) {
    const admin = admins.get(r.userId) ?? { email: r.email, language: r.language, items: [] }
    admin.items.push({ id: r.id, kind: r.kind, createdAt: r.createdAt, org: { name: r.orgName, slug: r.slug } })
    admins.set(r.userId, admin)
  }
  return admins
}

async function lastDigests({ db }: Deps, userIds: string[]): Promise<Map<string, Date | null>> {
  const rows = await db.select({ userId: digests.userId, at: max(digests.sentAt) }).from(digests).where(inArray(digests.userId, userIds)).groupBy(digests.userId)
  return new Map(rows.map((d) => [d.userId, d.at ? new Date(d.at) : null]))
}

/** One administrator's digest if the rule says one is due: whether it was written (not by a run at the same time). */
async function digestFor({ db, config }: Deps, now: Date, userId: string, admin: Admin, lastDigestAt: Date | null): Promise<boolean> {
  const decision = digestDecision(admin.items, lastDigestAt, now)
  if (!decision.send) return false
  const perOrg = new Map<string, { name: string; count: number; url: string }>()
  // Mistake reports on vouchers are named apart: they wait on a correction, not on a yes or no.
  const visible = admin.items.filter((item) => item.createdAt <= now)
  const reports = visible.filter((item) => item.kind === 'ecode_report').length
  for (const item of admin.items) {
    const o = perOrg.get(item.org.slug) ?? { name: item.org.name, count: 0, url: `${config.baseUrl}/o/${item.org.slug}/requests` }
    o.count += 1
    perOrg.set(item.org.slug, o)
  }
  const [inserted] = await db.batch([
    db
      .insert(digests)
      .values({ id: generateId(), userId, windowKey: digestWindowKey(userId, lastDigestAt), sentAt: now, pending: decision.pending, newSince: decision.newSince })
      .onConflictDoNothing(),
    enqueueMailIfChanged(db, {
      to: admin.email,
      language: admin.language,
      template: 'digest',
      mail: digestMail({ lang: admin.language, vendor: config.vendorName }, { pending: decision.pending, reports, reminder: decision.reason === 'still_pending', orgs: [...perOrg.values()] }),
      now,
    }),
  ])
  return inserted.rowsAffected === 1
}
