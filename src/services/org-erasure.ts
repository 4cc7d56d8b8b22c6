// What deleting a read-only org removes (SPEC §8; docs/rules.md "What deleting an org keeps"), as statements
// run inside the deletion's transaction (src/services/org-deletion.ts): the whole org when no other
// subscription of it is live, or only the lapsed product when one is.
import { and, eq, inArray, isNotNull, ne, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../db/client'
import {
  apiKeys,
  blobChunks,
  blobs,
  ecodes,
  history,
  historyErasures,
  invitations,
  licences,
  memberPermissions,
  memberships,
  orders,
  orgRequests,
  orgs,
  payments,
  savedMethods,
  statements,
  subscriptions,
  usageEvents,
  warehouseGrants,
  warehouseStock,
} from '../db/schema'

/**
 * Cancels the unpaid orders matched, quietly (the deletion e-mail says what happened), and the
 * payment attempts still open on them: nobody pays for what no longer exists. A payment that
 * arrives anyway is recorded for a refund (settlePayment's "order_not_pending"). Returns their numbers.
 */
async function cancelPendingOrders(tx: Executor, which: SQL | undefined, now: Date): Promise<string[]> {
  const cancelled = await tx
    .update(orders)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(and(which, eq(orders.status, 'pending_payment')))
    .returning({ id: orders.id, number: orders.number })
  if (cancelled.length > 0) {
    await tx
      .update(payments)
      .set({ status: 'cancelled', completedAt: now })
      .where(and(inArray(payments.orderId, cancelled.map((o) => o.id)), eq(payments.status, 'pending')))
  }
  return cancelled.map((o) => o.number)
}

/**
 * Only the lapsed product goes (the org has another live subscription): its licence, its usage,
 * members' permissions on it and the unpaid orders for that subscription (a renewal, upgrade or
 * add-on order). The subscription itself was ended by the caller and stays as `ended`.
 */
export async function eraseProduct(tx: Executor, orgId: string, sub: { id: string; productId: string }, now: Date): Promise<string[]> {
  await tx.delete(licences).where(and(eq(licences.orgId, orgId), eq(licences.subscriptionId, sub.id)))
  await tx.delete(usageEvents).where(and(eq(usageEvents.orgId, orgId), eq(usageEvents.productId, sub.productId)))
  await tx.delete(memberPermissions).where(and(eq(memberPermissions.orgId, orgId), eq(memberPermissions.productId, sub.productId)))
  return cancelPendingOrders(tx, and(eq(orders.orgId, orgId), sql`json_extract(${orders.purchase}, '$.subscriptionId') = ${sub.id}`), now)
}

/**
 * The whole org goes. Kept: the org row (soft-deleted, with its name, country, legal form and tax
 * id, so the kept orders and invoices still say whose they are; address, billing e-mail and e-invoice
 * id emptied); its subscriptions as `ended`; orders, order lines, payments and invoices, with the
 * person who placed an order and the billing e-mail (not printed on the invoice) removed; e-codes it
 * issued that another org redeemed, without who created them or the voucher's personal text, so
 * the recipients keep their unit and see the code as used; the history's timeline (when, what kind,
 * on what) with every person and detail removed. The users themselves stay: they are people who
 * may belong to other orgs. Everything else of the org is deleted.
 */
export async function eraseOrg(tx: Executor, orgId: string, now: Date): Promise<string[]> {
  await tx.update(subscriptions).set({ status: 'ended' }).where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended')))
  const cancelled = await cancelPendingOrders(tx, eq(orders.orgId, orgId), now)
  await tx
    .update(orders)
    .set({ placedBy: null, billing: sql`json_set(${orders.billing}, '$.billingEmail', '')` })
    .where(eq(orders.orgId, orgId))

  await tx.delete(memberPermissions).where(eq(memberPermissions.orgId, orgId))
  for (const table of [memberships, invitations, apiKeys, licences, usageEvents, warehouseStock, warehouseGrants, orgRequests]) {
    await tx.delete(table).where(eq(table.orgId, orgId))
  }
  // Saved methods are removed, not deleted yet: the purge detaches them at the provider (no call
  // inside a transaction), then deletes them. Their label ("Visa •••• 4242") goes now, and so do
  // those already detached.
  await tx.delete(savedMethods).where(and(eq(savedMethods.orgId, orgId), isNotNull(savedMethods.detachedAt)))
  await tx
    .update(savedMethods)
    .set({ removedAt: sql`coalesce(${savedMethods.removedAt}, ${now.getTime()})`, label: '' })
    .where(eq(savedMethods.orgId, orgId))
  // The statements' scans live in the database's blob store: gone in this same transaction.
  const scans = tx.select({ key: statements.fileKey }).from(statements).where(eq(statements.orgId, orgId))
  await tx.delete(blobChunks).where(inArray(blobChunks.key, scans))
  await tx.delete(blobs).where(inArray(blobs.key, scans))
  await tx.delete(statements).where(eq(statements.orgId, orgId))

  // Codes another org redeemed stay: the recipient's unit is in its own warehouse, and the code must
  // still read as used on the redemption page. Every other code of the org goes (active ones stop
  // working: a voucher for it now finds nothing, SPEC §8).
  const redeemedByOthers = sql`${ecodes.status} = 'used' and coalesce(${ecodes.usedByOrgId}, ${orgId}) <> ${orgId}`
  await tx.delete(ecodes).where(and(eq(ecodes.orgId, orgId), sql`not (${redeemedByOthers})`))
  await tx.update(ecodes).set({ createdBy: null, recipientName: null, message: null }).where(eq(ecodes.orgId, orgId))
  // Codes of other issuers this org redeemed: the issuer still sees the org's name, not the person.
  await tx.update(ecodes).set({ usedByUserId: null }).where(eq(ecodes.usedByOrgId, orgId))

  // The history is append-only except for an erased org (the triggers of migrations/0001).
  await tx.insert(historyErasures).values({ orgId, erasedAt: now }).onConflictDoNothing()
  await tx
    .update(history)
    .set({
      actorId: null,
      actorLabel: sql`case when ${history.actorType} = 'system' then ${history.actorLabel} else '' end`,
      subjectId: sql`case when ${history.subjectType} = 'user' then null else ${history.subjectId} end`,
      details: null,
    })
    .where(eq(history.orgId, orgId))

  await tx
    .update(orgs)
    .set({ deletedAt: now, addressLine: '', postalCode: '', city: '', billingEmail: '', einvoiceId: null, lastLoginAt: null })
    .where(eq(orgs.id, orgId))
  return cancelled
}
