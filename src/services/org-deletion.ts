// Deleting a read-only org after its grace period (SPEC §8), for the daily purge: the warnings to its
// administrators and billing address 7 days and 1 day before the deletion date, the deletion itself
// on that date, and the confirmation after it. A subscription of the org still `active` (another product, even on a
// free plan) means the org is still in use: then only the lapsed product goes (src/services/org-erasure.ts).
import { and, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { subscriptions } from '../db/schema'
import type { Executor } from '../db/client'
import type { CatalogProduct } from '../db/catalog'
import { recordHistory, systemActor } from '../db/history'
import { deletionDate, nearestDue } from '../domain/lapse'
import { formatDate } from '../i18n'
import { enqueueMail } from '../mail/outbox'
import { deletionDoneMail, deletionWarningMail, type DeletionMailData, type DeletionScope } from '../mail/templates/purges'
import { orgPayers, sendNotice, type Recipient } from './notices'
import { readOnlyState } from './read-only'
import { eraseOrg, eraseProduct } from './org-erasure'
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
 * The deletion, in one transaction: a conditional update ends the subscription if it is still the
 * read-only one the run saw (not renewed or unlocked meanwhile); of concurrent runs only one gets
 * past it. Whether another subscription is live is read after it, inside the transaction, and so
 * are the administrators and billing address to tell — before the memberships and address go.
 */
async function deleteLapsed(deps: Deps, x: Lapsed, dates: { lapsedAt: Date; deletesAt: Date }, now: Date): Promise<{ scope: DeletionScope; mails: number } | null> {
  const { sub, org, product } = x
  return deps.db.transaction(async (tx) => {
    const [ended] = await tx
      .update(subscriptions)
      .set({ status: 'ended' })
      .where(and(eq(subscriptions.id, sub.id), eq(subscriptions.orgId, org.id), eq(subscriptions.status, 'read_only'), eq(subscriptions.periodStart, sub.periodStart)))
      .returning({ id: subscriptions.id })
    if (!ended) return null
    const scope: DeletionScope = (await otherActive(tx, org.id, sub.id)) ? 'product' : 'org'
    const recipients = await orgPayers(tx, org)
    const cancelledOrders = scope === 'org' ? await eraseOrg(tx, org.id, now) : await eraseProduct(tx, org.id, sub, now)
    await recordHistory(tx, {
      orgId: org.id,
      actor: systemActor('purges'),
      kind: scope === 'org' ? 'org.deleted' : 'subscription.deleted',
      subject: scope === 'org' ? { type: 'org', id: org.id } : { type: 'subscription', id: sub.id },
      details: { product: product.name, lapsedAt: dates.lapsedAt.toISOString(), deletesAt: dates.deletesAt.toISOString(), cancelledOrders },
      at: now,
    })
    // Told the date it happened (a late run deletes after the date announced); the link only where something is left to open.
    const home = `${deps.config.baseUrl}/o/${org.slug}`
    for (const r of recipients) {
      const mail = deletionDoneMail(ctx(deps, r), mailData(x, scope, dates.lapsedAt, now, r, home))
      await enqueueMail(tx, { to: r.email, language: r.language, template: 'deletion.done', mail, now })
    }
    return { scope, mails: recipients.length }
  })
}

const ctx = (deps: Deps, r: Recipient) => ({ lang: r.language, vendor: deps.config.vendorName })

/** The warning links to the plan page, which offers renewal and the free plan. */
function mailData({ org, product }: Lapsed, scope: DeletionScope, lapsedAt: Date, date: Date, r: Recipient, url: string): DeletionMailData {
  const day = (d: Date) => formatDate(r.language, d, org.timeZone)
  return { scope, org: org.name, product: product.name, lapsed: day(lapsedAt), date: day(date), url }
}
