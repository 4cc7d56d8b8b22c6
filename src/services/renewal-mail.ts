// The e-mail to an org's administrators when an automatic renewal charge is declined (SPEC §8).
// Written by settlePayment inside the transaction that records the decline, whoever reports it
// (the renewals job or the provider's webhook), so it goes out exactly once per declined attempt.
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Executor } from '../db/client'
import { memberships, orderLines, orders, orgs, payments, savedMethods, users } from '../db/schema'
import { nextAttemptAt, parseRenewalKey, renewalKey } from '../domain/renewals'
import { formatDate, formatMoney } from '../i18n'
import { enqueueMail } from '../mail/outbox'
import { renewalDeclinedMail } from '../mail/templates/renewals'
import { orderUrl } from './orders'

type Payment = typeof payments.$inferSelect

export async function enqueueRenewalDeclined(tx: Executor, deps: Deps, payment: Payment, now: Date): Promise<number> {
  const key = payment.renewalKey ? parseRenewalKey(payment.renewalKey) : null
  if (!key) return 0
  const order = await tx.select().from(orders).where(eq(orders.id, payment.orderId)).get()
  const org = await tx.select().from(orgs).where(eq(orgs.id, payment.orgId)).get()
  if (!order || !org) return 0
  // One statement after another: they share the transaction's connection.
  const line = await tx.select({ label: orderLines.label }).from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.position).get()
  const first = await tx.select({ createdAt: payments.createdAt }).from(payments).where(eq(payments.renewalKey, renewalKey(key.subscriptionId, key.periodStart, 1))).get()
  const method = await tx
    .select({ label: savedMethods.label })
    .from(savedMethods)
    .where(and(eq(savedMethods.orgId, org.id), eq(savedMethods.provider, payment.provider === 'stripe' ? 'stripe' : 'test'), isNull(savedMethods.removedAt)))
    .orderBy(desc(savedMethods.createdAt))
    .get()
  const admins = await tx
    .select({ email: users.email, language: users.language })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, org.id), eq(memberships.role, 'admin')))
  const next = nextAttemptAt(first?.createdAt ?? payment.createdAt, key.attemptNo)
  for (const admin of admins) {
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
    await enqueueMail(tx, { to: admin.email, language: lang, template: 'renewal.declined', mail, now })
  }
  return admins.length
}
