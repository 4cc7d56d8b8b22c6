// Buying (SPEC §7): orders with their lines, payment attempts, saved payment methods, provider
// events, invoices, and the counters that number orders and invoices without gaps.
import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'
import { users } from './accounts'
import { orgs } from './orgs'
import type { Localized } from './catalog'
import type { PlanSnapshot } from './subscriptions'

/**
 * What an order buys, fixed when it is placed; fulfilment does exactly this once it is paid.
 * Prices are not here: they are the order's lines, computed from the catalog at checkout.
 */
export type Purchase =
  | { kind: 'subscription'; productId: string; planId: string; periodMonths: number; addonPacks: Record<string, number>; snapshot: PlanSnapshot }
  /** A dearer plan for the rest of the current period (the end does not move). */
  | { kind: 'plan_change'; productId: string; subscriptionId: string; fromPlanId: string; planId: string; periodEnd: number; snapshot: PlanSnapshot }
  /** More add-on packs for the rest of the current period. */
  | { kind: 'addons'; productId: string; subscriptionId: string; addonPacks: Record<string, number>; periodEnd: number }
  | { kind: 'units'; productId: string; variantId: string; quantity: number }
  /**
   * The next period of a subscription (renewals, SPEC §8), starting at the current period's end.
   * planId / periodMonths / snapshot are those of the next period: a scheduled downgrade or
   * frequency change takes effect here (the snapshot is absent on orders placed before it existed).
   */
  | { kind: 'renewal'; productId: string; subscriptionId: string; planId: string; periodMonths: number; periodStart: number; snapshot?: PlanSnapshot }

/** The buyer as the order was placed: invoices show this even if the org changes or is deleted. */
export type BillingSnapshot = {
  name: string
  legalForm: 'company' | 'sole_trader' | 'person'
  country: string
  taxId: string | null
  addressLine: string
  postalCode: string
  city: string
  billingEmail: string
  einvoiceId: string | null
  /** An Italian private person's codice fiscale (an Italian seller's FatturaPA names them by it); absent on orders placed before it was asked. */
  codiceFiscale?: string | null
}

export type OrderVat = { kind: 'standard' | 'reverse_charge'; ratePercent: number }

export const PAYMENT_METHODS = ['card', 'paypal', 'transfer'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/**
 * Why an order was cancelled, shown on its page: nobody paid the transfer within 14 days, its
 * subscription lapsed, an operator cancelled it, or its org was deleted.
 */
export const CANCEL_REASONS = ['unpaid', 'lapse', 'operator', 'org_deleted'] as const
export type CancelReason = (typeof CANCEL_REASONS)[number]

/** One row per calendar month of order numbers (`2026/11`) and per year of invoice numbers (`2026`). */
export const numberCounters = sqliteTable('number_counters', {
  series: text('series').primaryKey(),
  last: integer('last').notNull(),
})

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** KON/YYYY/MM/NNNNNN, from the month's counter in the same transaction as the insert. */
    number: text('number').notNull(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    placedBy: text('placed_by').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['subscription', 'plan_change', 'addons', 'units', 'renewal'] }).notNull(),
    status: text('status', { enum: ['pending_payment', 'paid', 'cancelled'] }).notNull(),
    currency: text('currency', { enum: ['PLN', 'EUR'] }).notNull(),
    netMinor: integer('net_minor').notNull(),
    vatMinor: integer('vat_minor').notNull(),
    grossMinor: integer('gross_minor').notNull(),
    vat: text('vat', { mode: 'json' }).$type<OrderVat>().notNull(),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
    purchase: text('purchase', { mode: 'json' }).$type<Purchase>().notNull(),
    billing: text('billing', { mode: 'json' }).$type<BillingSnapshot>().notNull(),
    /** Language of the buyer's e-mails and invoice. */
    language: text('language').notNull(),
    termsVersion: text('terms_version').notNull(),
    termsAcceptedAt: integer('terms_accepted_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
    paidAt: integer('paid_at', { mode: 'timestamp_ms' }),
    /** Who settled it: the provider (card, PayPal) or an operator (transfer). */
    paidVia: text('paid_via', { enum: ['provider', 'operator'] }),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    /** Why it was cancelled (null on orders cancelled before the reason was kept). */
    cancelReason: text('cancel_reason', { enum: CANCEL_REASONS }),
    /** Set if fulfilment found the subscription changed since the order (an operator sorts it out). */
    fulfilmentProblem: text('fulfilment_problem'),
  },
  (t) => [
    uniqueIndex('orders_number_unique').on(t.number),
    index('orders_org_created').on(t.orgId, t.createdAt),
    index('orders_status_created').on(t.status, t.createdAt),
    index('orders_gross').on(t.grossMinor),
  ],
)

export const orderLines = sqliteTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** What the line is, in each language (the invoice is printed in the buyer's). */
    label: text('label', { mode: 'json' }).$type<Localized>().notNull(),
    quantity: integer('quantity').notNull(),
    unitNetMinor: integer('unit_net_minor').notNull(),
    netMinor: integer('net_minor').notNull(),
    /** Hundredths of a percent (23 % → 2300). */
    vatRateBp: integer('vat_rate_bp').notNull(),
    vatMinor: integer('vat_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.position] })],
)

/**
 * One row per attempt to take money for an order, written before the provider is called: its id
 * is the idempotency key, so a retry after a timeout can never charge twice.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    orgId: text('org_id').notNull(),
    provider: text('provider', { enum: ['test', 'stripe', 'manual'] }).notNull(),
    /** hosted: the buyer pays on the provider's page; off_session: a saved method is charged; manual: an operator saw the transfer. */
    kind: text('kind', { enum: ['hosted', 'off_session', 'manual'] }).notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'unknown', 'cancelled'] }).notNull(),
    /** How the money was to come: what the invoice names (null on attempts made before it was kept). */
    method: text('method', { enum: PAYMENT_METHODS }),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** The provider's id (Checkout Session, PaymentIntent) once known. */
    providerRef: text('provider_ref'),
    /** For renewals (issue 7): one attempt per subscription and period start. */
    renewalKey: text('renewal_key'),
    error: text('error'),
    createdAt: createdAt(),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('payments_order').on(t.orderId),
    // The org's payments, newest first, on its transactions page (without it, every payment of the installation was read).
    index('payments_org_created').on(t.orgId, t.createdAt),
    uniqueIndex('payments_provider_ref').on(t.provider, t.providerRef).where(sql`${t.providerRef} is not null`),
    uniqueIndex('payments_renewal_key').on(t.renewalKey).where(sql`${t.renewalKey} is not null`),
  ],
)

/** A card or PayPal account saved at the provider for renewals; the org's newest live one is used. */
export const savedMethods = sqliteTable(
  'saved_methods',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: ['test', 'stripe'] }).notNull(),
    customerRef: text('customer_ref').notNull(),
    methodRef: text('method_ref').notNull(),
    /** What the buyer recognises: "Visa •••• 4242", "PayPal". */
    label: text('label').notNull(),
    /** A card or a PayPal account: what a renewal charged on it was paid with. */
    method: text('method', { enum: ['card', 'paypal'] }),
    /** Test provider only: the "card" declines every charge (to try dunning). */
    declines: integer('declines', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
    /** When the provider confirmed it can no longer be charged (src/services/saved-methods.ts); null while that is owed. */
    detachedAt: integer('detached_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('saved_methods_org').on(t.orgId, t.createdAt),
    uniqueIndex('saved_methods_ref').on(t.provider, t.methodRef),
    // The methods still to detach at the provider: removed, not yet detached.
    index('saved_methods_to_detach').on(t.provider, t.removedAt).where(sql`removed_at is not null and detached_at is null`),
  ],
)

/** Provider events already handled: the key is inserted in the same transaction as the effect. */
export const providerEvents = sqliteTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
)

/**
 * The seller on an invoice, as configured when it was issued. `country` and `regimeFiscale` decide
 * the e-invoice (FA(3) or FatturaPA); invoices issued before they were kept lack them.
 */
export type SellerSnapshot = { name: string; addressLines: string[]; taxId: string; bankAccount: string; country?: string; regimeFiscale?: string }

export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    /** FV/YYYY/NNNNNN, from the year's counter in the same transaction as the payment. */
    number: text('number').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    orgId: text('org_id').notNull(),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
    seller: text('seller', { mode: 'json' }).$type<SellerSnapshot>().notNull(),
  },
  (t) => [uniqueIndex('invoices_number_unique').on(t.number), uniqueIndex('invoices_order_unique').on(t.orderId), index('invoices_org_issued').on(t.orgId, t.issuedAt)],
)

/** Units of virtual products an org holds, per variant (SPEC §9); never below zero. */
export const warehouseStock = sqliteTable(
  'warehouse_stock',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    variantId: text('variant_id').notNull(),
    units: integer('units').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.variantId] }), check('warehouse_stock_units_not_negative', sql`${t.units} >= 0`)],
)
