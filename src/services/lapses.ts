// The end of an unrenewed paid period (SPEC §8), a step of the daily renewals job. A paid
// subscription still active at its period end was not renewed (a paid renewal moves the end):
//   - renewal turned off to the free plan → the free plan from the old end (not a lapse);
//   - the period's last automatic charge still has no answer → it waits: the money may have been taken;
//   - otherwise it lapses by the product's policy: `downgrade_to_free` → the free plan's limits on the
//     same subscription (nothing issued stops working; usage over the limits stays, additions are
//     refused), `read_only_then_delete` → read-only from the old end, deleted the grace days later.
// The period's unpaid renewal order is cancelled in the same batch, quietly (the mail says so). One
// conditional update per subscription gates the history row, the mails and the cancellation, so runs
// repeated or overlapping change and mail once.
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { BatchItem } from '../db/client'
import { orders, payments, subscriptions } from '../db/schema'
import type { CatalogProduct, Plan } from '../db/catalog'
import { recordHistoryIfChanged, systemActor } from '../db/history'
import type { HistoryKind } from '../domain/history-kinds'
import { deletionDate } from '../domain/lapse'
import { MAX_ATTEMPTS, renewalKey } from '../domain/renewals'
import { enqueueMailIfChanged } from '../mail/outbox'
import type { RenderedMail } from '../mail/templates/layout'
import { freeStartedMail, lapsedReadOnlyMail, lapsedToFreeMail, lapseLinks } from '../mail/templates/lapse'
import { count, eachSubscription, type StepContext } from './steps'
import { orgPayers, type Recipient } from './notices'
import { renewByCard } from './renewals'
import { snapshotOf, type Subscription } from './subscriptions'
import type { Org } from './orgs'

const actor = systemActor('renewals')
type Due = Subscription & { periodEnd: Date; periodMonths: number }

/** Paid subscriptions still active at or after their period end, a page at a time by (end, id). */
export function lapseAtPeriodEnd(x: StepContext): Promise<void> {
  const s = subscriptions
  return eachSubscription(
    x,
    {
      where: and(eq(s.status, 'active'), lte(s.periodEnd, x.now), sql`json_extract(${s.snapshot}, '$.isFree') = 0`)!,
      order: [s.periodEnd, s.id],
      after: ({ sub }) => sql`(${s.periodEnd}, ${s.id}) > (${sub.periodEnd!.getTime()}, ${sub.id})`,
      label: 'lapse of subscription',
    },
    ({ sub, org }, product) => {
      const { periodEnd, periodMonths } = sub
      if (periodEnd === null || periodMonths === null) return Promise.resolve(count(x, 'skipped'))
      return endPeriod(x, { ...sub, periodEnd, periodMonths }, org, product)
    },
  )
}

async function endPeriod(x: StepContext, sub: Due, org: Org, product: CatalogProduct): Promise<void> {
  if (await chargeUnanswered(x, sub, org, product)) return count(x, 'lapse_deferred')
  const { db } = x.deps
  const [order, recipients] = await Promise.all([unpaidRenewalOrder(x, sub), orgPayers(db, org)])
  const c = { x, sub, org, product, order, recipients }
  const scheduled = product.plans.find((p) => p.id === sub.scheduledPlanId)
  if (scheduled?.isFree) return startFree(c, scheduled)
  if (product.lapsePolicy === 'read_only_then_delete') return lapseReadOnly(c)
  const free = product.plans.find((p) => p.isFree && p.active)
  // A catalog mistake an operator must fix: the run records it every day until then.
  if (!free) throw new Error(`${product.key} lapses to the free plan but has none`)
  return lapseToFree(c, free)
}

/**
 * Whether the period's last automatic charge still has no answer. The card step reconciles such an
 * attempt only up to 7 days past the end and only with renewal on, so it is asked here again: the
 * provider's answer renews the period or lets it lapse. Not found at the provider with no saved
 * method left to charge, it never took money: the lapse goes ahead.
 */
async function chargeUnanswered(x: StepContext, sub: Due, org: Org, product: CatalogProduct): Promise<boolean> {
  const keys = Array.from({ length: MAX_ATTEMPTS }, (_, i) => renewalKey(sub.id, sub.periodEnd.getTime(), i + 1))
  const attempts = await x.deps.db.select({ key: payments.renewalKey, status: payments.status }).from(payments).where(inArray(payments.renewalKey, keys))
  const last = attempts.sort((a, b) => keys.indexOf(a.key!) - keys.indexOf(b.key!)).at(-1)
  if (!last || (last.status !== 'pending' && last.status !== 'unknown')) return false
  const step = await renewByCard(x.deps, sub, org, product, x.now)
  if (step === 'renewed') count(x, 'renewed')
  return step === 'unknown' || step === 'in_progress'
}

/** The renewal order of the period that ended, if it is still waiting for payment. */
function unpaidRenewalOrder(x: StepContext, sub: Due) {
  return x.deps.db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(
      and(
        eq(orders.orgId, sub.orgId),
        eq(orders.kind, 'renewal'),
        eq(orders.status, 'pending_payment'),
        sql`json_extract(${orders.purchase}, '$.subscriptionId') = ${sub.id}`,
        sql`json_extract(${orders.purchase}, '$.periodStart') = ${sub.periodEnd.getTime()}`,
      ),
    )
    .get()
}

type Ending = { x: StepContext; sub: Due; org: Org; product: CatalogProduct; order: { id: string; number: string } | undefined; recipients: Recipient[] }

/** The free plan from the old end on the same subscription (and licence); add-on packs end with the paid period. */
function freeTerms(product: CatalogProduct, free: Plan, sub: Due) {
  return {
    planId: free.id,
    snapshot: snapshotOf(product, free),
    periodMonths: null,
    periodStart: sub.periodEnd,
    periodEnd: null,
    source: 'free' as const,
    addonPacks: {},
    autoRenew: false,
    scheduledPlanId: null,
    scheduledPeriodMonths: null,
  }
}

const planName = ({ product, sub }: Ending) => product.plans.find((p) => p.id === sub.planId)?.name ?? sub.snapshot.planName
const mailTo = ({ x, org }: Ending, r: Recipient) => ({ lang: r.language, vendor: x.deps.config.vendorName, timeZone: org.timeZone })
const links = ({ x, org, product }: Ending) => lapseLinks(x.deps.config.baseUrl, org.slug, product.key)
const about = (e: Ending) => ({ product: e.product.name, org: e.org.name, plan: planName(e), date: e.sub.periodEnd })

/** Renewal was turned off to the free plan: it starts at the period end. Not a lapse: a short mail, no offer. */
function startFree(e: Ending, free: Plan) {
  const mail = (r: Recipient) => freeStartedMail(mailTo(e, r), { ...about(e), free: free.name, url: links(e).products })
  return apply(e, 'switched_to_free', { ...freeTerms(e.product, free, e.sub), status: 'active' }, 'plan.free_started', { plan: { from: planName(e), to: free.name } }, 'lapse.free_started', mail)
}

function lapseToFree(e: Ending, free: Plan) {
  const mail = (r: Recipient) => lapsedToFreeMail(mailTo(e, r), { ...about(e), free: free.name, order: e.order?.number ?? null, url: links(e).buy })
  const details = { plan: { from: planName(e), to: free.name }, ...(e.order ? { order: e.order.number } : {}) }
  return apply(e, 'lapsed', { ...freeTerms(e.product, free, e.sub), status: 'active' }, 'plan.lapsed', details, 'lapse.free_plan', mail)
}

/** Read-only from the period end, which stays as the lapse date the deletion counts from (readOnlyState). */
function lapseReadOnly(e: Ending) {
  const deletes = deletionDate(e.sub.periodEnd, e.product.graceDays, e.org.timeZone)
  const free = e.product.plans.find((p) => p.isFree && p.active)
  const l = links(e)
  const mail = (r: Recipient) =>
    lapsedReadOnlyMail(mailTo(e, r), { ...about(e), deletes, order: e.order?.number ?? null, buyUrl: l.buy, free: free ? { plan: free.name, url: l.freePlan } : null })
  const details = { plan: planName(e), deletesAt: deletes.toISOString(), ...(e.order ? { order: e.order.number } : {}) }
  return apply(e, 'lapsed', { status: 'read_only' as const }, 'plan.lapsed_read_only', details, 'lapse.read_only', mail)
}

/**
 * One batch: the change on the condition that the subscription is still active with the period end
 * read, then — each only if the one before it wrote (changes()) — its history row, one mail per
 * recipient (administrators and billing address) and the quiet cancellation of the period's unpaid
 * renewal order.
 */
async function apply(
  e: Ending,
  counted: 'lapsed' | 'switched_to_free',
  set: Partial<typeof subscriptions.$inferInsert>,
  kind: HistoryKind,
  details: Record<string, unknown>,
  template: string,
  render: (r: Recipient) => RenderedMail,
): Promise<void> {
  const { x, sub, org, recipients, order } = e
  const { db } = x.deps
  const s = subscriptions
  const statements: BatchItem[] = [
    db.update(s).set(set).where(and(eq(s.id, sub.id), eq(s.status, 'active'), eq(s.periodEnd, sub.periodEnd))),
    recordHistoryIfChanged(db, { orgId: org.id, actor, kind, subject: { type: 'subscription', id: sub.id }, details: { product: e.product.name, ...details }, at: x.now }),
    ...recipients.map((r) => enqueueMailIfChanged(db, { to: r.email, language: r.language, template, mail: render(r), now: x.now })),
    ...(order ? cancelQuietly(e, order) : []),
  ]
  const [changed] = await db.batch(statements as [BatchItem, ...BatchItem[]])
  if (changed.rowsAffected !== 1) return
  count(x, counted)
  count(x, 'mailed', recipients.length)
}

/**
 * The renewal order can no longer be paid once its period has lapsed (a new purchase starts a new
 * period): cancelled with a history row and no mail of its own, and its open attempts with it.
 * Placed after the mails, whose inserts carry the lapse's changes() on to it.
 */
function cancelQuietly({ x, org }: Ending, order: { id: string; number: string }): BatchItem[] {
  const { db } = x.deps
  const now = x.now
  return [
    db
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: 'lapse' })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment'), sql`changes() > 0`)),
    recordHistoryIfChanged(db, { orgId: org.id, actor, kind: 'order.cancelled', subject: { type: 'order', id: order.id }, details: { number: order.number, reason: 'lapse' }, at: now }),
    db
      .update(payments)
      .set({ status: 'cancelled', completedAt: now })
      .where(and(eq(payments.orderId, order.id), inArray(payments.status, ['pending', 'unknown']), sql`exists (select 1 from ${orders} where ${orders.id} = ${order.id} and ${orders.status} = 'cancelled')`)),
  ]
}
