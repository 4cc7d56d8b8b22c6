// The digest job (SPEC §10, §13), every 15 minutes: each administrator with pending requests in
// any of their orgs gets at most one digest per 24 h — when something new arrived since the last
// one, or as a reminder while items stay pending. The rule is src/domain/digest.ts; here it is
// fed from the database, and each digest row is written under its window key in the same batch as
// its e-mail, so a second run at the same time writes neither.
import { and, eq, inArray, lte, max } from 'drizzle-orm'
import type { Deps } from '../deps'
import { digests, memberships, orgRequests, orgs, users } from '../db/schema'
import { generateId } from '../auth/tokens'
import { digestDecision, digestWindowKey, type PendingItem } from '../domain/digest'
import { enqueueMailIfChanged } from '../mail/outbox'
import { digestMail } from '../mail/templates/digest'
import type { JobCounts } from './runner'

type Admin = { email: string; language: 'en' | 'pl' | 'it'; items: (PendingItem & { kind: string; org: { name: string; slug: string } })[] }

export async function runDigests(deps: Deps, now: Date): Promise<JobCounts> {
  const { db, config } = deps
  // Every pending item, once for each administrator of its org.
  const rows = await db
    .select({ userId: memberships.userId, email: users.email, language: users.language, id: orgRequests.id, kind: orgRequests.kind, createdAt: orgRequests.createdAt, orgName: orgs.name, slug: orgs.slug })
    .from(orgRequests)
    .innerJoin(orgs, eq(orgs.id, orgRequests.orgId))
    .innerJoin(memberships, and(eq(memberships.orgId, orgRequests.orgId), eq(memberships.role, 'admin')))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(orgRequests.status, 'pending'), lte(orgRequests.createdAt, now)))
  const admins = new Map<string, Admin>()
  for (const r of rows) {
    const admin = admins.get(r.userId) ?? { email: r.email, language: r.language, items: [] }
    admin.items.push({ id: r.id, kind: r.kind, createdAt: r.createdAt, org: { name: r.orgName, slug: r.slug } })
    admins.set(r.userId, admin)
  }
  if (admins.size === 0) return { admins: 0, sent: 0 }

  const last = new Map(
    (
      await db
        .select({ userId: digests.userId, at: max(digests.sentAt) })
        .from(digests)
        .where(inArray(digests.userId, [...admins.keys()]))
        .groupBy(digests.userId)
    ).map((d) => [d.userId, d.at ? new Date(d.at) : null]),
  )

  let sent = 0
  for (const [userId, admin] of admins) {
    const lastDigestAt = last.get(userId) ?? null
    const decision = digestDecision(admin.items, lastDigestAt, now)
    if (!decision.send) continue
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
    if (inserted.rowsAffected === 1) sent += 1
  }
  return { admins: admins.size, sent }
}
