// What deleting a read-only org removes (SPEC §8; docs/rules.md "What deleting an org keeps"), as statements
// for the deletion's batch (src/services/org-deletion.ts): the whole org when no other subscription
// of it is live, or only the lapsed product when one is.
import { and, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm'
import type { BatchItem, Executor } from '../db/client'
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
  usageTotals,
  warehouseGrants,
  warehouseStock,
} from '../db/schema'

/** Unpaid orders as read before the deletion's batch: its guard checks they are still exactly these. */
export type PendingOrder = { id: string; number: string }

/** The unpaid orders of the org, or of one subscription of it, for the deletion's read. */
export function pendingOrdersQuery(db: Executor, orgId: string, subscriptionId?: string) {
  return db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(and(eq(orders.orgId, orgId), eq(orders.status, 'pending_payment'), subscriptionId ? sql`json_extract(${orders.purchase}, '$.subscriptionId') = ${subscriptionId}` : undefined))
    .orderBy(orders.id)
}

/**
 * Cancels the unpaid orders read, quietly (the deletion e-mail says what happened), and the payment
 * attempts still open on them: nobody pays for what no longer exists. A payment that arrives anyway
 * is recorded for a refund (settlePayment's "order_not_pending").
 */
function cancelPendingOrders(tx: Executor, pending: PendingOrder[], now: Date): BatchItem[] {
  if (pending.length === 0) return []
  const ids = pending.map((o) => o.id)
  return [
    tx.update(orders).set({ status: 'cancelled', cancelledAt: now, cancelReason: 'org_deleted' }).where(and(inArray(orders.id, ids), eq(orders.status, 'pending_payment'))),
    tx.update(payments).set({ status: 'cancelled', completedAt: now }).where(and(inArray(payments.orderId, ids), eq(payments.status, 'pending'))),
  ]
}

/**
 * Only the lapsed product goes (the org has another live subscription): its licence, its usage,
 * members' permissions on it and the unpaid orders for that subscription (a renewal, upgrade or
 * add-on order). The subscription itself is ended by the caller's batch and stays as `ended`.
 */
export function eraseProduct(tx: Executor, orgId: string, sub: { id: string; productId: string }, pending: PendingOrder[], now: Date): BatchItem[] {
  return [
    tx.delete(licences).where(and(eq(licences.orgId, orgId), eq(licences.subscriptionId, sub.id))),
    // The use's totals first: the events' delete trigger then finds no total to take them from.
    tx.delete(usageTotals).where(and(eq(usageTotals.orgId, orgId), eq(usageTotals.productId, sub.productId))),
    tx.delete(usageEvents).where(and(eq(usageEvents.orgId, orgId), eq(usageEvents.productId, sub.productId))),
    tx.delete(memberPermissions).where(and(eq(memberPermissions.orgId, orgId), eq(memberPermissions.productId, sub.productId))),
    ...cancelPendingOrders(tx, pending, now),
  ]
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
export function eraseOrg(tx: Executor, orgId: string, pending: PendingOrder[], now: Date): BatchItem[] {
  // The statements' scans live in the database's blob store: gone in this same batch.
  const scans = tx.select({ key: statements.fileKey }).from(statements).where(eq(statements.orgId, orgId))
  // Codes another org redeemed stay: the recipient's unit is in its own warehouse, and the code must
  // still read as used on the redemption page. Every other code of the org goes (active ones stop
  // working: a voucher for it now finds nothing, SPEC §8).
  const redeemedByOthers = sql`${ecodes.status} = 'used' and coalesce(${ecodes.usedByOrgId}, ${orgId}) <> ${orgId}`
  return [
    tx.update(subscriptions).set({ status: 'ended' }).where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended'))),
    ...cancelPendingOrders(tx, pending, now),
    tx
      .update(orders)
      .set({ placedBy: null, billing: sql`json_set(${orders.billing}, '$.billingEmail', '')` })
      .where(eq(orders.orgId, orgId)),
    tx.delete(memberPermissions).where(eq(memberPermissions.orgId, orgId)),
    ...[memberships, invitations, apiKeys, licences, usageTotals, usageEvents, warehouseStock, warehouseGrants, orgRequests].map((table) => tx.delete(table).where(eq(table.orgId, orgId))),
    // Saved methods are removed, not deleted yet: the purge detaches them at the provider (never a
    // call in the middle of a write), then deletes them. Their label ("Visa •••• 4242") goes now,
    // and so do those already detached.
    tx.delete(savedMethods).where(and(eq(savedMethods.orgId, orgId), isNotNull(savedMethods.detachedAt))),
    tx
      .update(savedMethods)
      .set({ removedAt: sql`coalesce(${savedMethods.removedAt}, ${now.getTime()})`, label: '' })
      .where(eq(savedMethods.orgId, orgId)),
    tx.delete(blobChunks).where(inArray(blobChunks.key, scans)),
    tx.delete(blobs).where(inArray(blobs.key, scans)),
    tx.delete(statements).where(eq(statements.orgId, orgId)),
    tx.delete(ecodes).where(and(eq(ecodes.orgId, orgId), sql`not (${redeemedByOthers})`)),
    tx.update(ecodes).set({ createdBy: null, recipientName: null, message: null }).where(eq(ecodes.orgId, orgId)),
    // Codes of other issuers this org redeemed: the issuer still sees the org's name, not the person.
    tx.update(ecodes).set({ usedByUserId: null }).where(eq(ecodes.usedByOrgId, orgId)),
    // The history is append-only except for an erased org (the triggers of migrations/0001).
    tx.insert(historyErasures).values({ orgId, erasedAt: now }).onConflictDoNothing(),
    tx
      .update(history)
      .set({
        actorId: null,
        actorLabel: sql`case when ${history.actorType} = 'system' then ${history.actorLabel} else '' end`,
        subjectId: sql`case when ${history.subjectType} = 'user' then null else ${history.subjectId} end`,
        details: null,
      })
      .where(eq(history.orgId, orgId)),
    tx
      .update(orgs)
      .set({ deletedAt: now, addressLine: '', postalCode: '', city: '', billingEmail: '', einvoiceId: null, codiceFiscale: null, lastLoginAt: null })
      .where(eq(orgs.id, orgId)),
  ]
}
