// Manual renewal (SPEC §8), a step of the daily renewals job: a paid subscription that will not be
// charged automatically — renewal by card off, or on with no live saved method at the provider in
// use — gets one renewal order for the next period, to pay by bank transfer (or by card or PayPal
// from its page), 14 days before its period ends; its administrators get reminders 14 (with the
// order), 7 and 1 day before, until the order is paid or cancelled (src/domain/lifecycle.ts).
// Safe to repeat or to run twice at once: the order is found again inside the transaction that would
// place another, and each reminder is a lifecycle notice keyed by subscription, period end and day.
import { and, eq, gt, lte, sql } from 'drizzle-orm'
import type { BatchItem } from '../db/client'
import type { CatalogProduct } from '../db/catalog'
import { lifecycleNotices, orders, subscriptions } from '../db/schema'
import { deletionDate } from '../domain/lapse'
import { dueReminder, manualRenewalWindow, type ReminderDay } from '../domain/lifecycle'
import { formatDate, formatMoney } from '../i18n'
import { manualRenewalMail } from '../mail/templates/lifecycle'
import { count, type StepContext } from './steps'
import { eachSubscription } from './steps'
import { noticeStatements, orgAdmins, withBilling, type Recipient } from './notices'
import { getOrder, orderLinesOf, orderUrl, type Order } from './orders'
import { liveMethod, periodRenewalOrder, renewalOrder, type Renewal } from './renewals'

export const MANUAL_RENEWAL_NOTICE = 'renewal.manual'

export function manualRenewalNoticeKey(subscriptionId: string, periodEnd: Date, day: ReminderDay): string {
  return `manual-renewal:${subscriptionId}:${periodEnd.getTime()}:${day}`
}

/** The step: active subscriptions whose period ends within the reminder window, a page at a time by (end, id). */
export function manualRenewals(x: StepContext): Promise<void> {
  // Zero counts too, so that every run's record says what this step did.
  for (const key of ['orders_placed', 'reminded']) count(x, key, 0)
  const { from, to } = manualRenewalWindow(x.now)
  const s = subscriptions
  return eachSubscription(
    x,
    {
      where: and(eq(s.status, 'active'), gt(s.periodEnd, from), lte(s.periodEnd, to))!,
      order: [s.periodEnd, s.id],
      after: ({ sub }) => sql`(${s.periodEnd}, ${s.id}) > (${sub.periodEnd!.getTime()}, ${sub.id})`,
      label: 'manual renewal of subscription',
    },
    async ({ sub, org }, product) => {
      const { periodEnd, periodMonths } = sub
      if (sub.snapshot.isFree || periodEnd === null || periodMonths === null || renewalTurnedOff(product, sub.scheduledPlanId)) return
      const day = dueReminder(periodEnd, x.now, org.timeZone)
      if (day !== null) await renewManually(x, { deps: x.deps, sub: { ...sub, periodEnd, periodMonths }, org, product, now: x.now }, day)
    },
  )
}

/** Renewal turned off: the free plan is scheduled for the next period, so there is nothing to order. */
function renewalTurnedOff(product: CatalogProduct, scheduledPlanId: string | null): boolean {
  return scheduledPlanId !== null && product.plans.find((p) => p.id === scheduledPlanId)?.isFree === true
}

async function renewManually(x: StepContext, r: Renewal, day: ReminderDay): Promise<void> {
  const { deps, sub, org } = r
  // A card that will be charged 7 days before the end is the card step's business, not a transfer.
  if (sub.autoRenew && (await liveMethod(deps, org.id))) return
  const known = await periodRenewalOrder(deps.db, org.id, sub.id, sub.periodEnd.getTime(), true)
  // Paid, or cancelled by an operator (the customer does not want it): no new order, no reminder.
  if (known && known.status !== 'pending_payment') return
  let order: Order | undefined
  if (known) order = await getOrder(deps.db, org.id, known.id)
  else {
    const placed = await renewalOrder(r, 'transfer')
    if (placed.placed) count(x, 'orders_placed')
    order = placed.order
  }
  if (order?.status !== 'pending_payment') return
  if (await remind(r, order, day)) count(x, 'reminded')
}

/**
 * Sends reminder `day` once. Its notice row is inserted only while the order is still unpaid (an
 * operator marking it paid at the same moment wins), and the e-mails only if that row was new.
 */
async function remind({ deps, sub, org, product, now }: Renewal, order: Order, day: ReminderDay): Promise<boolean> {
  const { db, config } = deps
  const notice = { key: manualRenewalNoticeKey(sub.id, sub.periodEnd, day), orgId: org.id, kind: MANUAL_RENEWAL_NOTICE }
  const admins = await orgAdmins(db, org.id)
  // The order goes to the billing address too (whoever pays the transfers), in the order's language,
  // unless an administrator already reads it there.
  const recipients = withBilling(admins, { email: order.billing.billingEmail, language: order.language as Recipient['language'] })
  const lines = await orderLinesOf(db, org.id, order.id)
  const deletes = deletionDate(sub.periodEnd, product.graceDays, org.timeZone)
  const render = ({ language: lang }: Recipient) =>
    manualRenewalMail(
      { lang, vendor: config.vendorName },
      {
        first: day === 14,
        item: lines[0]?.label[lang] ?? order.number,
        number: order.number,
        amount: formatMoney(lang, order.grossMinor, order.currency),
        end: formatDate(lang, sub.periodEnd, org.timeZone),
        transfer: order.paymentMethod === 'transfer' ? { seller: config.vendor.legalName, account: config.vendor.bankAccount, online: config.paymentMethods.includes('card') } : null,
        lapse: product.lapsePolicy === 'read_only_then_delete' ? { policy: product.lapsePolicy, deletes: formatDate(lang, deletes, org.timeZone) } : { policy: product.lapsePolicy },
        url: orderUrl(deps, org.slug, order.id),
      },
    )
  // noticeStatements' first statement (the notice row) is swapped for one gated on the unpaid order.
  const [, ...mails] = noticeStatements(db, notice, recipients, render, now)
  const row = db
    .insert(lifecycleNotices)
    .select(sql`select ${notice.key}, ${notice.orgId}, ${notice.kind}, ${now.getTime()} from ${orders} where ${orders.id} = ${order.id} and ${orders.status} = 'pending_payment'`)
    .onConflictDoNothing()
  const [inserted] = await db.batch([row, ...mails] as [BatchItem, ...BatchItem[]])
  return inserted.rowsAffected === 1
}
