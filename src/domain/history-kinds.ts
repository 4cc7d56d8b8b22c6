// Every kind of row the operation history holds (SPEC §11). A row is written with one of these
// (`recordHistory` takes only a HistoryKind), and each has a sentence in every language
// (src/views/history/sentences.ts is a Record over them), so a new kind can't reach a page as its code.
export const HISTORY_KINDS = [
  // The org and its people
  'org.created',
  'org.updated',
  'org.deleted',
  'member.added',
  'member.invited',
  'member.joined',
  'member.claimed',
  'member.role_changed',
  'member.removed',
  'member.left',
  'member.permissions_changed',
  'admin_rights.requested',
  'admin_rights.approved',
  'admin_rights.declined',
  'statement.uploaded',
  'statement.approved',
  'statement.rejected',
  'api_key.created',
  'api_key.revoked',
  // Orders and payments
  'order.placed',
  'order.paid',
  'order.cancelled',
  'order.method_changed',
  'payment.failed',
  'payment.unmatched',
  'payment_method.removed',
  // Plans and subscriptions
  'plan.activated',
  'plan.granted',
  'plan.downgrade_scheduled',
  'plan.period_scheduled',
  'plan.period_unscheduled',
  'plan.change_unscheduled',
  'plan.free_scheduled',
  'plan.switched_to_free',
  'plan.auto_renew_on',
  'plan.auto_renew_off',
  'plan.free_started',
  'plan.lapsed',
  'plan.lapsed_read_only',
  'plan.free_lapsed',
  'subscription.deleted',
  // Warehouse and e-codes
  'warehouse.activated',
  'warehouse.granted',
  'ecode.generated',
  'ecode.disposed',
  'ecode.personalized',
  'ecode.sent',
  'ecode.redeemed',
  'ecode.used',
  'ecode.report_resolved',
  // The catalog (no org: the back office's own history)
  'catalog.product.created',
  'catalog.product.updated',
  'catalog.plan.created',
  'catalog.plan.updated',
  'catalog.quota.created',
  'catalog.quota.updated',
  'catalog.addon.created',
  'catalog.addon.updated',
  'catalog.variant.created',
  'catalog.variant.updated',
  // KSeF failures the Ministry declared, as operators recorded them (no org either)
  'einvoice.ksef_failure_declared',
  'einvoice.ksef_failure_ended',
] as const

export type HistoryKind = (typeof HISTORY_KINDS)[number]

export function isHistoryKind(value: string): value is HistoryKind {
  return (HISTORY_KINDS as readonly string[]).includes(value)
}
