// The e-mail to an org's administrators when an automatic renewal charge is declined (SPEC §8).
// Its statements go into the batch that records the decline (src/services/payments.ts), whoever
// reports it (the renewals job or the provider's webhook), so it goes out exactly once per declined
// attempt. What the mail says is read first, in one batch.
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type BatchItem } from '../db/client'
import { memberships, orderLines, orders, orgs, payments, savedMethods, users } from '../db/schema'
import { nextAttemptAt, parseRenewalKey, renewalKey } from '../domain/renewals'
import { formatDate, formatMoney } from '../i18n'
import { enqueueMail } from '../mail/outbox'
import { renewalDeclinedMail } from '../mail/templates/renewals'
import { orderUrl } from './orders'

type Payment = typeof payments.$inferSelect

/** The declined-renewal e-mails to the org's administrators, as statements for the decline's batch. */
export async function renewalDeclinedMails(deps: Deps, payment: Payment, now: Date): Promise<BatchItem[]> {
  const key = payment.renewalKey ? parseRenewalKey(payment.renewalKey) : null
  if (!key) return []
  const { db } = deps
  const read = await readTogether(db, {
    order: db.select().from(orders).where(eq(orders.id, payment.orderId)),
    org: db.select().from(orgs).where(eq(orgs.id, payment.orgId)),
    line: db.select({ label: orderLines.label }).from(orderLines).where(eq(orderLines.orderId, payment.orderId)).orderBy(orderLines.position).limit(1),
    first: db.select({ createdAt: payments.createdAt }).from(payments).where(eq(payments.renewalKey, renewalKey(key.subscriptionId, key.periodStart, 1))),
    method: db
      .select({ label: savedMethods.label })
      .from(savedMethods)
      .where(and(eq(savedMethods.orgId, payment.orgId), eq(savedMethods.provider, payment.provider === 'stripe' ? 'stripe' : 'test'), isNull(savedMethods.removedAt)))
      .orderBy(desc(savedMethods.createdAt))
      .limit(1),
    admins: db
      .select({ email: users.email, language: users.language })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, payment.orgId), eq(memberships.role, 'admin'))),
  })
  const [order] = read.order
  const [org] = read.org
  if (!order || !org) return []
  const [line] = read.line
  const [first] = read.first
  const [method] = read.method
  const { admins } = read
  const next = nextAttemptAt(first?.createdAt ?? payment.createdAt, key.attemptNo)
  return admins.map((admin) => {
    const lang = admin.language
    const mail = renewalDeclinedMail(
      { lang, vendor: deps.config.vendorName },
      {
        item: line?.label[lang] ?? order.number,
        number: order.number,
        amount: formatMoney(lang, order.grossMinor, order.currency),
        method: method?.label ?? '—',
        periodEnd: formatDate(lang, new Date(key.periodStart), org.timeZone),
        nextAttempt: next ? formatDate(lang, next, org.timeZone) : null,
        url: orderUrl(deps, org.slug, order.id),
      },
    )
    return enqueueMail(db, { to: admin.email, language: lang, template: 'renewal.declined', mail, now })
  })
}
