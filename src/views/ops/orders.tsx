// The back office's orders (SPEC §7, §15): the search by transfer title or amount, and one order
// with its lines, payment attempts and invoice, and for a pending one the forms that mark it paid
// or cancel it, each behind a box to tick so that a misclick does nothing.
import type { FormState } from '../../forms/validate'
import { formatDateTime, formatMoney, formatNumber, type Language, type MessageKey, type Translate } from '../../i18n'
import { displayTaxId } from '../../domain/tax-id'
import { ORDER_STATUS_FILTERS, paidTwice, SEARCH_LIMIT, type OpsOrder, type OrderRow, type OrderStatusFilter } from '../../services/ops-orders'
import { Checkbox, Field, FormErrors, Select } from '../components/form'
import { OpsMenu } from './ops'

type SearchProps = { t: Translate; lang: Language; timeZone: string; q: string; status: OrderStatusFilter; rows: OrderRow[] }

export function OrderSearchView({ t, lang, timeZone, q, status, rows }: SearchProps) {
  const statusOptions = ORDER_STATUS_FILTERS.map((s) => ({ value: s, label: t(`ops.orders.status.${s}`) }))
  return (
    <>
      <h1>{t('ops.orders')}</h1>
      <OpsMenu t={t} current="orders" />
      <p class="muted">{t('ops.orders.intro')}</p>
      <form method="get" action="/ops/orders" class="filters" role="search">
        <Field t={t} form={{ values: { q }, errors: {} }} name="q" label={t('ops.orders.search')} hint={t('ops.orders.searchHint')} type="search" maxlength={100} />
        <Select t={t} form={{ values: { status }, errors: {} }} name="status" label={t('ops.orders.statusFilter')} options={statusOptions} />
        <button type="submit" class="btn btn-secondary">
          {t('ops.orders.searchSubmit')}
        </button>
      </form>
      {!q && <p class="muted">{t('ops.orders.latest')}</p>}
      {rows.length === 0 ? (
        <p>
          {t('ops.orders.none')}{' '}
          {status !== 'all' && q && <a href={`/ops/orders?${new URLSearchParams({ q, status: 'all' })}`}>{t('ops.orders.searchAll')}</a>}
        </p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('ops.orders')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.orders.col.number')}</th>
                <th scope="col">{t('ops.orders.col.org')}</th>
                <th scope="col">{t('ops.orders.col.created')}</th>
                <th scope="col">{t('ops.orders.col.method')}</th>
                <th scope="col">{t('ops.orders.col.gross')}</th>
                <th scope="col">{t('ops.orders.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ order: o, orgId, orgName }) => (
                <tr>
                  <td data-label={t('ops.orders.col.number')}>
                    <a href={`/ops/orders/${o.id}`}>{o.number}</a>
                  </td>
                  <td data-label={t('ops.orders.col.org')}>
                    <a href={`/ops/orgs/${orgId}`}>{orgName}</a>
                  </td>
                  <td data-label={t('ops.orders.col.created')}>{formatDateTime(lang, o.createdAt, timeZone)}</td>
                  <td data-label={t('ops.orders.col.method')}>{t(`ops.orders.method.${o.paymentMethod}`)}</td>
                  <td data-label={t('ops.orders.col.gross')}>{formatMoney(lang, o.grossMinor, o.currency)}</td>
                  <td data-label={t('ops.orders.col.status')}>
                    <span class={`status status-${o.status}`}>{t(`ops.orders.status.${o.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length === SEARCH_LIMIT && <p class="muted">{t('ops.orders.limited', { count: SEARCH_LIMIT })}</p>}
    </>
  )
}

type DetailProps = { t: Translate; lang: Language; timeZone: string; o: OpsOrder; payForm: FormState; cancelForm: FormState; error?: MessageKey }

export function OrderDetailView(p: DetailProps) {
  const { t, lang, timeZone, o } = p
  const { order, org, invoice } = o
  const money = (minor: number) => formatMoney(lang, minor, order.currency)
  return (
    <>
      <h1>{t('ops.orders.detailTitle', { number: order.number })}</h1>
      <OpsMenu t={t} current="orders" />
      <p>
        <a href="/ops/orders">{t('ops.orders.back')}</a>
      </p>
      {p.error && (
        <div class="alert" role="alert">
          {t(p.error)}
        </div>
      )}
      {paidTwice(o.payments).length > 0 && (
        <div class="alert" role="alert">
          {t('ops.orders.paidTwiceAlert')}
        </div>
      )}
      <section class="card">
        <dl class="facts">
          <dt>{t('ops.orders.col.org')}</dt>
          <dd>
            <a href={`/ops/orgs/${org.id}`}>{org.name}</a>
          </dd>
          <dt>{t('ops.orders.col.created')}</dt>
          <dd>{formatDateTime(lang, order.createdAt, timeZone)}</dd>
          <dt>{t('ops.orders.col.status')}</dt>
          <dd>
            <span class={`status status-${order.status}`}>{t(`ops.orders.status.${order.status}`)}</span>
          </dd>
          <dt>{t('ops.orders.col.method')}</dt>
          <dd>{t(`ops.orders.method.${order.paymentMethod}`)}</dd>
          <dt>{t('ops.orders.col.gross')}</dt>
          <dd>{money(order.grossMinor)}</dd>
          <dt>{t('ops.orders.transferTitle')}</dt>
          <dd>
            <code class="key">{order.number}</code>
          </dd>
          {order.paidAt && (
            <>
              <dt>{t('ops.orders.paidAt')}</dt>
              <dd>
                {formatDateTime(lang, order.paidAt, timeZone)}
                {order.paidVia && ` · ${t(`ops.orders.paidVia.${order.paidVia}`)}`}
              </dd>
            </>
          )}
          {order.cancelledAt && (
            <>
              <dt>{t('ops.orders.cancelledAt')}</dt>
              <dd>
                {formatDateTime(lang, order.cancelledAt, timeZone)}
                {order.cancelReason && ` · ${t(`order.cancelReason.${order.cancelReason}`)}`}
              </dd>
            </>
          )}
          <dt>{t('ops.orders.invoice')}</dt>
          <dd>{invoice ? invoice.number : t('ops.orders.noInvoice')}</dd>
          {order.fulfilmentProblem && (
            <>
              <dt>{t('ops.orders.problem')}</dt>
              <dd>{order.fulfilmentProblem}</dd>
            </>
          )}
        </dl>
      </section>
      {order.status === 'pending_payment' && <PendingActions {...p} amount={money(order.grossMinor)} />}
      <section class="card" aria-labelledby="billing-h">
        <h2 id="billing-h">{t('ops.orders.billing')}</h2>
        <dl class="facts">
          <dt>{t('ops.orders.col.org')}</dt>
          <dd>{order.billing.name}</dd>
          <dt>{t('ops.orders.billing.taxId')}</dt>
          <dd>{order.billing.taxId ? displayTaxId(order.billing.taxId) : '–'}</dd>
          <dt>{t('ops.orders.billing.address')}</dt>
          <dd>
            {order.billing.addressLine}, {order.billing.postalCode} {order.billing.city}, {order.billing.country}
          </dd>
          <dt>{t('ops.orders.billing.email')}</dt>
          <dd>{order.billing.billingEmail}</dd>
          {order.billing.einvoiceId && (
            <>
              <dt>{t('ops.orders.billing.einvoice')}</dt>
              <dd>{order.billing.einvoiceId}</dd>
            </>
          )}
          {order.billing.codiceFiscale && (
            <>
              <dt>{t('checkout.codiceFiscale')}</dt>
              <dd>{order.billing.codiceFiscale}</dd>
            </>
          )}
        </dl>
      </section>
      <LinesSection {...p} money={money} />
      <PaymentsSection {...p} />
    </>
  )
}

function PendingActions(p: DetailProps & { amount: string }) {
  const { t, o } = p
  const base = `/ops/orders/${o.order.id}`
  const number = o.order.number
  return (
    <>
      <section class="card" id="mark-paid" aria-labelledby="pay-h">
        <h2 id="pay-h">{t('ops.orders.pay.title')}</h2>
        <p class="muted">{t('ops.orders.pay.intro')}</p>
        <FormErrors t={t} form={p.payForm} />
        <form method="post" action={`${base}/payment`}>
          <Checkbox t={t} form={p.payForm} name="received" label={t('ops.orders.pay.confirm', { amount: p.amount, number })} required />
          <button type="submit" class="btn">
            {t('ops.orders.pay.submit')}
          </button>
        </form>
      </section>
      <section class="card" id="cancel" aria-labelledby="cancel-h">
        <h2 id="cancel-h">{t('ops.orders.cancel.title')}</h2>
        <p class="muted">{t('ops.orders.cancel.intro')}</p>
        <FormErrors t={t} form={p.cancelForm} />
        <form method="post" action={`${base}/cancellation`}>
          <Checkbox t={t} form={p.cancelForm} name="cancel" label={t('ops.orders.cancel.confirm', { number })} required />
          <button type="submit" class="btn btn-danger">
            {t('ops.orders.cancel.submit')}
          </button>
        </form>
      </section>
    </>
  )
}

function LinesSection(p: DetailProps & { money: (minor: number) => string }) {
  const { t, lang, o, money } = p
  const { order } = o
  return (
    <section class="card" aria-labelledby="lines-h">
      <h2 id="lines-h">{t('ops.orders.lines')}</h2>
      <div class="table-wrap" tabindex={0} role="region" aria-label={t('checkout.lines')}>
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{t('ops.orders.col.item')}</th>
              <th scope="col">{t('ops.orders.col.quantity')}</th>
              <th scope="col">{t('ops.orders.col.net')}</th>
              <th scope="col">{t('ops.orders.col.vatRate')}</th>
              <th scope="col">{t('ops.orders.col.vat')}</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => (
              <tr>
                <td data-label={t('ops.orders.col.item')}>{l.label[lang]}</td>
                <td data-label={t('ops.orders.col.quantity')}>{formatNumber(lang, l.quantity)}</td>
                <td data-label={t('ops.orders.col.net')}>{money(l.netMinor)}</td>
                <td data-label={t('ops.orders.col.vatRate')}>{order.vat.kind === 'reverse_charge' ? t('ops.orders.reverseCharge') : `${formatNumber(lang, l.vatRateBp / 100)} %`}</td>
                <td data-label={t('ops.orders.col.vat')}>{money(l.vatMinor)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('ops.orders.total')}</th>
              <td></td>
              <td data-label={t('ops.orders.col.net')}>{money(order.netMinor)}</td>
              <td></td>
              <td data-label={t('ops.orders.col.vat')}>{money(order.vatMinor)}</td>
            </tr>
            <tr>
              <th scope="row">{t('ops.orders.col.gross')}</th>
              <td colspan={4}>{money(order.grossMinor)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  )
}

function PaymentsSection({ t, lang, timeZone, o }: DetailProps) {
  return (
    <section class="card" aria-labelledby="payments-h">
      <h2 id="payments-h">{t('ops.orders.payments')}</h2>
      {o.payments.length === 0 ? (
        <p class="muted">{t('ops.orders.noPayments')}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('transactions.payments')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.orders.col.when')}</th>
                <th scope="col">{t('ops.orders.col.provider')}</th>
                <th scope="col">{t('ops.orders.col.amount')}</th>
                <th scope="col">{t('ops.orders.col.status')}</th>
                <th scope="col">{t('ops.orders.col.error')}</th>
              </tr>
            </thead>
            <tbody>
              {o.payments.map((pay) => (
                <tr>
                  <td data-label={t('ops.orders.col.when')}>{formatDateTime(lang, pay.createdAt, timeZone)}</td>
                  <td data-label={t('ops.orders.col.provider')}>{pay.provider === 'manual' ? t('ops.orders.provider.manual') : pay.provider}</td>
                  <td data-label={t('ops.orders.col.amount')}>{formatMoney(lang, pay.amountMinor, pay.currency)}</td>
                  <td data-label={t('ops.orders.col.status')}>
                    <span class={`status status-${pay.status}`}>{t(`ops.orders.paymentStatus.${pay.status}`)}</span>
                  </td>
                  <td data-label={t('ops.orders.col.error')} class="small">{pay.error === 'order_not_pending' ? <strong>{t('ops.orders.paidTwice')}</strong> : (pay.error ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
