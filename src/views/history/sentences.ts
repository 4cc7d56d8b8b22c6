// One sentence per kind of history row (issue 16): what happened, naming whom and what, in the
// reader's language ("Kamil Zając: role changed from member to administrator"). A Record over every
// HistoryKind, so a kind the app writes can't lack one; null means a value it needs is missing
// (an erased org's row, an older row), and the kind's phrase is shown instead.
import type { HistoryKind } from '../../domain/history-kinds'
import { COUNTRIES } from '../../domain/orgs'
import { displayTaxId } from '../../domain/tax-id'
import { isMessageKey, type MessageKey } from '../../i18n'
import type { Facts } from './facts'

type Sentence = (f: Facts) => string | null

/** "member" / "administrator", as the sentence shows a role. */
const role = (f: Facts, value: string | null) => (value === 'admin' || value === 'member' ? f.t(`history.role.${value}`) : null)

/** "…; unpaid orders cancelled: ZAM/1, ZAM/2" when the row names some. */
function withCancelledOrders(f: Facts, sentence: string | null): string | null {
  const numbers = f.list('cancelledOrders')
  return sentence && numbers?.length ? `${sentence}; ${f.t('history.say.ordersCancelled', { numbers: numbers.join(', ') })}` : sentence
}

const ORG_FIELDS = ['name', 'country', 'legalForm', 'taxId', 'addressLine', 'postalCode', 'city', 'billingEmail', 'einvoiceId', 'codiceFiscale', 'timeZone'] as const

/** A company field's value as people read it: a country's name, a legal form in words, a NIP with its dashes. */
function fieldValue(f: Facts, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '–'
  const text = String(value)
  if (field === 'country' && (COUNTRIES as readonly string[]).includes(text)) return new Intl.DisplayNames([f.lang], { type: 'region' }).of(text) ?? text
  if (field === 'legalForm' && isMessageKey(`org.legalForm.${text}`)) return f.t(`org.legalForm.${text}` as MessageKey)
  if (field === 'taxId') return displayTaxId(text)
  return text
}

/** "city Łódź → Kraków, billing e-mail a@x → b@x" from org.updated's `{ field: { from, to } }`. */
function orgChanges(f: Facts): string | null {
  const details = f.row.details ?? {}
  const parts = ORG_FIELDS.flatMap((field) => {
    const change = details[field]
    if (!change || typeof change !== 'object' || !('to' in change)) return []
    return [`${f.t(`history.field.${field}`)} ${fieldValue(f, field, f.end(field, 'from'))} → ${fieldValue(f, field, f.end(field, 'to'))}`]
  })
  return parts.length ? parts.join(', ') : null
}

/** Product access: who got which products and who lost which (rows before issue 16 list the products held after). */
function permissions(f: Facts): string | null {
  const person = f.person()
  const given = f.list('given')
  const taken = f.list('taken')
  if (given && taken) {
    if (given.length && taken.length) return f.say('history.say.permissions.both', { person, given: f.and(given), taken: f.and(taken) })
    if (given.length) return f.say('history.say.permissions.given', { person, products: f.and(given) })
    if (taken.length) return f.say('history.say.permissions.taken', { person, products: f.and(taken) })
  }
  const held = f.list('products')
  if (!held) return null
  return held.length ? f.say('history.say.permissions.set', { person, products: f.and(held) }) : f.say('history.say.permissions.none', { person })
}

function orderPaid(f: Facts): string | null {
  const number = f.text('number') ?? f.row.subjectName
  const sentence = f.say(f.text('via') === 'operator' ? 'history.say.order.paidByOperator' : 'history.say.order.paid', { number, invoice: f.text('invoice') })
  const problem = f.text('problem')
  if (!sentence || !problem) return sentence
  const key = `history.problem.${problem}`
  return `${sentence}; ${f.t('history.say.order.problem', { problem: isMessageKey(key) ? f.t(key) : problem })}`
}

function freeLapsed(f: Facts): string | null {
  const about = { product: f.text('product'), plan: f.text('plan'), date: f.date('lastSignIn') }
  if (f.text('outcome') === 'read_only') return f.say('history.say.plan.freeLapsedReadOnly', { ...about, deletes: f.date('deletesAt') })
  const licence = f.text('licence')
  return licence ? f.say('history.say.plan.freeLapsedEnded', { ...about, licence }) : f.say('history.say.plan.freeLapsedEndedNoLicence', about)
}

/** "12.4 KB" for a statement's size in bytes. */
const size = (f: Facts) => {
  const bytes = f.number('size')
  return bytes === null ? null : `${new Intl.NumberFormat(f.lang, { maximumFractionDigits: 1 }).format(bytes / 1024)} KB`
}

/** A catalog row's variant name: localized in newer rows, else its key. */
const variantName = (f: Facts) => {
  const name = (f.row.details ?? {}).name
  if (name && typeof name === 'object' && f.lang in name) return String((name as Record<string, unknown>)[f.lang])
  return f.text('key')
}

const planChange = (key: MessageKey) => (f: Facts) => f.say(key, { product: f.text('product'), from: f.end('plan', 'from'), to: f.end('plan', 'to') })
const aboutProduct = (key: MessageKey) => (f: Facts) => f.say(key, { product: f.text('product') })

export const SENTENCES: Record<HistoryKind, Sentence> = {
  'org.created': (f) =>
    f.text('taxId') ? f.say('history.say.org.createdTaxId', { name: f.text('name'), taxId: displayTaxId(f.text('taxId')!) }) : f.say('history.say.org.created', { name: f.text('name') }),
  'org.updated': (f) => f.say('history.say.org.updated', { changes: orgChanges(f) }),
  'org.deleted': (f) => withCancelledOrders(f, f.say('history.say.org.deleted', { product: f.text('product'), lapsed: f.date('lapsedAt') })),
  'subscription.deleted': (f) => withCancelledOrders(f, f.say('history.say.subscription.deleted', { product: f.text('product'), lapsed: f.date('lapsedAt') })),
  'member.added': (f) => f.say('history.say.member.added', { person: f.person() }),
  'member.invited': (f) => f.say('history.say.member.invited', { email: f.text('email') }),
  'member.joined': (f) => f.say('history.say.member.joined', { person: f.person() }),
  'member.claimed': (f) => f.say('history.say.member.claimed', { person: f.person(), licence: f.text('licence'), date: f.date('statementAcceptedAt') }),
  'member.role_changed': (f) => f.say('history.say.member.role_changed', { person: f.person(), from: role(f, f.text('from')), to: role(f, f.text('to')) }),
  'member.removed': (f) => f.say('history.say.member.removed', { person: f.person() }),
  'member.left': (f) => f.say('history.say.member.left', { person: f.person() }),
  'member.permissions_changed': permissions,
  'admin_rights.requested': (f) => f.say('history.say.admin_rights.requested', { person: f.person() }),
  'admin_rights.approved': (f) => f.say('history.say.admin_rights.approved', { person: f.person() }),
  'admin_rights.declined': (f) =>
    f.text('reason') ? f.say('history.say.admin_rights.declinedReason', { person: f.person(), reason: f.text('reason') }) : f.say('history.say.admin_rights.declined', { person: f.person() }),
  'statement.uploaded': (f) => f.say('history.say.statement.uploaded', { file: f.text('file'), size: size(f) }),
  'statement.approved': (f) => f.say('history.say.statement.approved', { person: f.person() }),
  'statement.rejected': (f) => f.say('history.say.statement.rejected', { person: f.person(), reason: f.text('reason') }),
  'api_key.created': (f) => f.say('history.say.api_key.created', { name: f.text('name') ?? f.row.subjectName }),
  'api_key.revoked': (f) => f.say('history.say.api_key.revoked', { name: f.row.subjectName ?? f.text('name') }),
  'order.placed': (f) => {
    const method = f.text('payment')
    const payment = method === 'card' || method === 'paypal' || method === 'transfer' ? f.t(`history.payment.${method}`) : null
    return f.say('history.say.order.placed', { number: f.text('number'), total: f.money(f.text('total'), f.text('currency')), payment })
  },
  'order.paid': orderPaid,
  'order.cancelled': (f) => f.say(f.text('reason') === 'lapse' ? 'history.say.order.cancelledLapse' : 'history.say.order.cancelled', { number: f.text('number') ?? f.row.subjectName }),
  'order.method_changed': (f) => {
    const from = f.text('from')
    const method = from === 'card' || from === 'paypal' ? f.t(`history.payment.${from}`) : null
    return f.say('history.say.order.method_changed', { number: f.text('number') ?? f.row.subjectName, from: method })
  },
  'payment.failed': (f) => f.say('history.say.payment.failed', { number: f.row.subjectName }),
  'payment.unmatched': (f) => f.say('history.say.payment.unmatched', { number: f.row.subjectName }),
  'payment_method.removed': (f) => f.say('history.say.payment_method.removed', { method: f.row.subjectName }),
  'plan.activated': (f) => f.say('history.say.plan.activated', { product: f.text('product'), plan: f.text('plan'), licence: f.text('licence') }),
  'plan.granted': (f) => {
    const facts = { product: f.text('product'), plan: f.text('plan'), months: f.months(f.number('months')), until: f.date('until'), licence: f.text('licence') }
    const previous = f.text('previousPlan')
    return previous && previous !== facts.plan ? f.say('history.say.plan.grantedInstead', { ...facts, previous }) : f.say('history.say.plan.granted', facts)
  },
  'plan.downgrade_scheduled': planChange('history.say.plan.downgrade_scheduled'),
  'plan.period_scheduled': (f) => {
    const months = (which: 'from' | 'to') => {
      const n = Number(f.end('months', which))
      return Number.isInteger(n) && n > 0 ? f.months(n) : null
    }
    return f.say('history.say.plan.period_scheduled', { product: f.text('product'), from: months('from'), to: months('to') })
  },
  'plan.period_unscheduled': (f) => f.say('history.say.plan.period_unscheduled', { product: f.text('product'), months: f.months(f.number('months')) }),
  'plan.change_unscheduled': (f) => f.say('history.say.plan.change_unscheduled', { product: f.text('product'), plan: f.text('plan') }),
  'plan.free_scheduled': (f) => f.say('history.say.plan.free_scheduled', { product: f.text('product'), plan: f.text('plan') }),
  'plan.switched_to_free': (f) => {
    const sentence = planChange('history.say.plan.switched_to_free')(f)
    return sentence && f.text('unlocked') ? `${sentence}; ${f.t('history.say.plan.unlocked')}` : sentence
  },
  'plan.auto_renew_on': aboutProduct('history.say.plan.auto_renew_on'),
  'plan.auto_renew_off': aboutProduct('history.say.plan.auto_renew_off'),
  'plan.free_started': planChange('history.say.plan.free_started'),
  'plan.lapsed': (f) => {
    const sentence = planChange('history.say.plan.lapsed')(f)
    const order = f.text('order')
    return sentence && order ? `${sentence}; ${f.t('history.say.ordersCancelled', { numbers: order })}` : sentence
  },
  'plan.lapsed_read_only': (f) => {
    const sentence = f.say('history.say.plan.lapsed_read_only', { product: f.text('product'), plan: f.text('plan'), date: f.date('deletesAt') })
    const order = f.text('order')
    return sentence && order ? `${sentence}; ${f.t('history.say.ordersCancelled', { numbers: order })}` : sentence
  },
  'plan.free_lapsed': freeLapsed,
  'warehouse.activated': (f) => f.say('history.say.warehouse.activated', { item: f.item(), licence: f.text('licence'), until: f.date('until') }),
  'warehouse.granted': (f) => {
    const units = f.number('units')
    const facts = { units: units === null ? null : f.t('history.units', { count: units }), item: f.item() }
    return f.text('note') ? f.say('history.say.warehouse.grantedNote', { ...facts, note: f.text('note') }) : f.say('history.say.warehouse.granted', facts)
  },
  'ecode.generated': (f) => {
    const count = f.number('count')
    const left = f.number('unitsLeft')
    return f.say('history.say.ecode.generated', {
      count: count === null ? null : f.t('history.ecodes', { count }),
      item: f.item(),
      left: left === null ? null : f.t('history.units', { count: left }),
    })
  },
  'ecode.disposed': (f) => f.say('history.say.ecode.disposed', { code: f.text('code'), item: f.item() }),
  'ecode.personalized': (f) =>
    f.text('recipient') ? f.say('history.say.ecode.personalized', { item: f.item(), recipient: f.text('recipient') }) : f.say('history.say.ecode.personalizedCleared', { item: f.item() }),
  'ecode.sent': (f) => f.say('history.say.ecode.sent', { code: f.text('code'), item: f.item(), recipient: f.text('recipient'), email: f.text('to') }),
  'ecode.redeemed': (f) => f.say('history.say.ecode.redeemed', { code: f.text('code'), from: f.text('from'), item: f.item() }),
  'ecode.used': (f) => f.say('history.say.ecode.used', { code: f.text('code'), item: f.item(), by: f.text('by') }),
  'ecode.report_resolved': (f) =>
    f.text('note') ? f.say('history.say.ecode.reportResolvedNote', { code: f.text('code'), note: f.text('note') }) : f.say('history.say.ecode.report_resolved', { code: f.text('code') }),
  'catalog.product.created': (f) => f.say('history.say.catalog.product.created', { product: f.text('name') ?? f.text('key') }),
  'catalog.product.updated': (f) => f.say('history.say.catalog.product.updated', { product: f.text('name') ?? f.text('key') }),
  'catalog.plan.created': (f) => f.say('history.say.catalog.plan.created', { plan: f.text('name') ?? f.text('plan'), product: f.text('product') }),
  'catalog.plan.updated': (f) => f.say('history.say.catalog.plan.updated', { plan: f.text('name') ?? f.text('plan'), product: f.text('product') }),
  'catalog.quota.created': (f) => f.say('history.say.catalog.quota.created', { quota: f.text('quota'), product: f.text('product') }),
  'catalog.quota.updated': (f) => f.say('history.say.catalog.quota.updated', { quota: f.text('quota'), product: f.text('product') }),
  'catalog.addon.created': (f) => f.say('history.say.catalog.addon.created', { quota: f.text('quota'), product: f.text('product') }),
  'catalog.addon.updated': (f) => f.say('history.say.catalog.addon.updated', { product: f.text('product') }),
  'catalog.variant.created': (f) => f.say('history.say.catalog.variant.created', { variant: variantName(f), product: f.text('product') }),
  'catalog.variant.updated': (f) => f.say('history.say.catalog.variant.updated', { variant: variantName(f), product: f.text('product') }),
  'einvoice.ksef_failure_declared': (f) =>
    f.text('until') ? f.say('history.say.einvoice.ksef_failure_declared', { from: f.date('from'), until: f.date('until') }) : f.say('history.say.einvoice.ksef_failure_ongoing', { from: f.date('from') }),
  'einvoice.ksef_failure_ended': (f) => f.say('history.say.einvoice.ksef_failure_ended', { from: f.date('from'), until: f.date('until') }),
}
