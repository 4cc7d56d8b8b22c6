// Deleting a read-only org after its grace period (SPEC §8), for the daily purge: the warnings to its
// administrators and billing address 7 days and 1 day before the deletion date, the deletion itself
// on that date, and the confirmation after it. A subscription of the org still `active` (another product, even on a
// free plan) means the org is still in use: then only the lapsed product goes (src/services/org-erasure.ts).
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { orgs, subscriptions } from '../db/schema'
import { readTogether, type BatchItem, type Executor } from '../db/client'
import { guard, writePlanned } from '../db/guard'
import type { CatalogProduct } from '../db/catalog'
import { recordHistory, systemActor } from '../db/history'
import { deletionDate, nearestDue } from '../domain/lapse'
import { formatDate } from '../i18n'
import { enqueueMail } from '../mail/outbox'
import { deletionDoneMail, deletionWarningMail, type DeletionMailData, type DeletionScope } from '../mail/templates/purges'
import { orgAdmins, orgPayers, orgPayersReads, payersFrom, sendNotice, type Recipient } from './notices'
import { readOnlyState } from './read-only'
import { eraseOrg, eraseProduct, pendingOrdersQuery } from './org-erasure'
import type { Subscription } from './subscriptions'
import type { Org } from './orgs'

/** Warnings before the deletion, in days; the nearest last. */
export const DELETION_WARNING_DAYS = [7, 1] as const
export type DeletionWarning = (typeof DELETION_WARNING_DAYS)[number]

/**
 * The warning a run at `now` owes: the nearest one due, each from the start of its calendar day in
 * the org's zone (like the renewal reminders). A late run sends only that one — an earlier one
 * would name the same date. Null before the first and from the deletion on.
 */
export function deletionWarningDue(deletesAt: Date, now: Date, timeZone: string): DeletionWarning | null {
  return nearestDue(deletesAt, DELETION_WARNING_DAYS, now, timeZone)
}

/**
 * A coarse bound for the database: a read-only subscription that lapsed after this moment owes
 * nothing at `now`. The first warning comes at most 8 days (the 7, plus the rest of its day) and two
 * DST hours before the deletion, which is the shortest grace period after the lapse.
 */
export function deletionScanBound(now: Date, shortestGraceDays: number): Date {
  return new Date(now.getTime() + (9 - shortestGraceDays) * 86_400_000)
}

/** A read-only subscription found by the purge, with its org and product. */
export type Lapsed = { sub: Subscription; org: Org; product: CatalogProduct }

export type LapsedOutcome = { did: 'nothing' } | { did: 'warned'; mails: number } | { did: 'deleted'; scope: DeletionScope; mails: number }

/** What the purge does about one read-only subscription at `now`: nothing yet, a warning, or the deletion. */
export async function handleLapsed(deps: Deps, x: Lapsed, now: Date): Promise<LapsedOutcome> {
  const { sub, org, product } = x
  const lapsedAt = sub.periodEnd ?? sub.periodStart
  const deletesAt = deletionDate(lapsedAt, product.graceDays, org.timeZone)
  const warning = deletionWarningDue(deletesAt, now, org.timeZone)
  if (warning === null && now.getTime() < deletesAt.getTime()) return { did: 'nothing' }
  const scope: DeletionScope = (await otherActive(deps.db, org.id, sub.id)) ? 'product' : 'org'
  // The whole org goes on the first of its deletion dates (the one its banner names); a later
  // read-only subscription neither warns about its own date nor acts on it.
  if (scope === 'org' && !(await isFirstToGo(deps, org, sub.id))) return { did: 'nothing' }
  if (warning !== null) {
    const recipients = await orgPayers(deps.db, org)
    const notice = { key: `deletion-warning:${sub.id}:${deletesAt.getTime()}:${warning}`, orgId: org.id, kind: 'deletion.warning' }
    const planPage = `${deps.config.baseUrl}/o/${org.slug}/products/${product.key}/plan`
    const mail = (r: Recipient) => deletionWarningMail(ctx(deps, r), mailData(x, scope, lapsedAt, deletesAt, r, planPage))
    const sent = await sendNotice(deps, notice, mail, now, recipients)
    return sent ? { did: 'warned', mails: recipients.length } : { did: 'nothing' }
  }
  const done = await deleteLapsed(deps, x, { lapsedAt, deletesAt }, now)
  return done ? { did: 'deleted', ...done } : { did: 'nothing' }
}

function otherActive(db: Executor, orgId: string, subId: string): Promise<boolean> {
  return db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.status, 'active'), ne(subscriptions.id, subId)))
    .get()
    .then((row) => row !== undefined)
}

/** Whether this subscription's deletion comes first among the org's read-only ones (ties: the smaller id). */
async function isFirstToGo(deps: Deps, org: Org, subId: string): Promise<boolean> {
  const lapses = (await readOnlyState(deps, org))?.lapses ?? []
  const [first] = lapses.sort((a, b) => a.deletesAt.getTime() - b.deletesAt.getTime() || (a.subscriptionId < b.subscriptionId ? -1 : 1))
  return first?.subscriptionId === subId
}

/**
 * The deletion, in one batch planned on a read (src/db/guard.ts): whether another subscription is
 * live (so only the product goes), the administrators and billing address to tell — read before the
 * memberships and address go — and the unpaid orders to cancel. The batch's guards abort it if any
 * of that changed, or if the subscription is no longer the read-only one the run saw (renewed or
 * unlocked meanwhile); of concurrent runs one deletes and the others find nothing to do.
 */
async function deleteLapsed(deps: Deps, x: Lapsed, dates: { lapsedAt: Date; deletesAt: Date }, now: Date): Promise<{ scope: DeletionScope; mails: number } | null> {
  const { sub, org, product } = x
  const { db } = deps
  const s = subscriptions
  const stillReadOnly = and(eq(s.id, sub.id), eq(s.orgId, org.id), eq(s.status, 'read_only'), eq(s.periodStart, sub.periodStart))
  const otherActiveSql = sql`exists (select 1 from ${s} where ${s.orgId} = ${org.id} and ${s.status} = 'active' and ${s.id} <> ${sub.id})`
  return writePlanned<{ scope: DeletionScope; mails: number } | null>(db, async () => {
    const read = await readTogether(db, {
      sub: db.select({ id: s.id }).from(s).where(stillReadOnly),
      other: db.select({ active: sql<number>`${otherActiveSql}` }).from(sql`(select 1)`),
      billing: db.select({ email: orgs.billingEmail }).from(orgs).where(eq(orgs.id, org.id)),
      ...orgPayersReads(db, org.id),
      pendingOrg: pendingOrdersQuery(db, org.id),
      pendingSub: pendingOrdersQuery(db, org.id, sub.id),
    })
    if (read.sub.length === 0) return { done: null }
    const scope: DeletionScope = read.other[0]?.active ? 'product' : 'org'
    const billingEmail = read.billing[0]?.email ?? ''
    const recipients = payersFrom(read, billingEmail)
    const pending = scope === 'org' ? read.pendingOrg : read.pendingSub
    const erase = scope === 'org' ? eraseOrg(db, org.id, pending, now) : eraseProduct(db, org.id, sub, pending, now)
    const orderIds = pending.map((o) => o.id)
    const pendingNow = pendingOrdersQuery(db, org.id, scope === 'org' ? undefined : sub.id)
    // Told the date it happened (a late run deletes after the date announced); the link only where something is left to open.
    const home = `${deps.config.baseUrl}/o/${org.slug}`
    const mails = recipients.map((r) =>
      enqueueMail(db, { to: r.email, language: r.language, template: 'deletion.done', mail: deletionDoneMail(ctx(deps, r), mailData(x, scope, dates.lapsedAt, now, r, home)), now }),
    )
    const batch: BatchItem[] = [
      guard(db, sql`exists (select 1 from ${s} where ${stillReadOnly})`),
      guard(db, scope === 'product' ? otherActiveSql : sql`not ${otherActiveSql}`),
      guard(db, sql`(select json_group_array(id) from ${pendingNow.as('p')}) = ${JSON.stringify(orderIds)}`),
      guard(db, sql`(select json_group_array(email) from ${orgAdmins(db, org.id).as('a')}) = ${JSON.stringify(read.admins.map((a) => a.email))}`),
      guard(db, sql`(select ${orgs.billingEmail} from ${orgs} where ${orgs.id} = ${org.id}) = ${billingEmail}`),
      db.update(s).set({ status: 'ended' }).where(stillReadOnly),
      ...erase,
      recordHistory(db, {
        orgId: org.id,
        actor: systemActor('purges'),
        kind: scope === 'org' ? 'org.deleted' : 'subscription.deleted',
        subject: scope === 'org' ? { type: 'org', id: org.id } : { type: 'subscription', id: sub.id },
        details: { product: product.name, lapsedAt: dates.lapsedAt.toISOString(), deletesAt: dates.deletesAt.toISOString(), cancelledOrders: pending.map((o) => o.number) },
        at: now,
      }),
      ...mails,
    ]
    return { batch, after: () => ({ scope, mails: recipients.length }) }
  })
}

const ctx = (deps: Deps, r: Recipient) => ({ lang: r.language, vendor: deps.config.vendorName })

/** The warning links to the plan page, which offers renewal and the free plan. */
function mailData({ org, product }: Lapsed, scope: DeletionScope, lapsedAt: Date, date: Date, r: Recipient, url: string): DeletionMailData {
  const day = (d: Date) => formatDate(r.language, d, org.timeZone)
  return { scope, org: org.name, product: product.name, lapsed: day(lapsedAt), date: day(date), url }
}
