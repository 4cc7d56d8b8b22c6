// The transaction history (SPEC §7): orders with status and invoice, payments, saved methods.
import { formatDate, formatDateTime, formatMoney, type Language, type Translate } from '../../i18n'
import type { listOrders, listPayments } from '../../services/orders'
import type { listSavedMethods } from '../../services/saved-methods'
import { PostForm } from '../components/post-form'
import { ConfirmAction } from '../components/confirm'
import { ForItem } from '../components/for-item'

type Props = {
  t: Translate
  lang: Language
  slug: string
  timeZone: string
  orders: Awaited<ReturnType<typeof listOrders>>
  payments: Awaited<ReturnType<typeof listPayments>>
  methods: Awaited<ReturnType<typeof listSavedMethods>>
  testProvider: boolean
}

export function TransactionsView(p: Props) {
  const { t, lang, slug } = p
  return (
    <section class="card stack">
      <h1>{t('transactions.title')}</h1>
      <p>
        <a class="btn" href="/buy">
          {t('transactions.buy')}
        </a>
      </p>
      <h2>{t('transactions.orders')}</h2>
      {p.orders.length === 0 ? (
        <p class="muted">{t('transactions.noOrders')}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('transactions.orders')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('transactions.col.number')}</th>
                <th scope="col">{t('transactions.col.date')}</th>
                <th scope="col">{t('transactions.col.total')}</th>
                <th scope="col">{t('transactions.col.status')}</th>
                <th scope="col">{t('transactions.col.invoice')}</th>
              </tr>
            </thead>
            <tbody>
              {p.orders.map(({ order, invoiceId, invoiceNumber }) => (
                <tr>
                  <td data-label={t('transactions.col.number')}>
                    <a href={`/o/${slug}/orders/${order.id}`}>{order.number}</a>
                  </td>
                  <td data-label={t('transactions.col.date')}>{formatDate(lang, order.createdAt, p.timeZone)}</td>
                  <td data-label={t('transactions.col.total')}>{formatMoney(lang, order.grossMinor, order.currency)}</td>
                  <td data-label={t('transactions.col.status')}>
                    <span class={`status status-${order.status}`}>{t(`order.status.${order.status}`)}</span>
                  </td>
                  <td data-label={t('transactions.col.invoice')}>{invoiceId ? <a href={`/o/${slug}/invoices/${invoiceId}`}>{invoiceNumber}</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('transactions.payments')}</h2>
      {p.payments.length === 0 ? (
        <p class="muted">{t('transactions.noPayments')}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('transactions.payments')}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('transactions.col.date')}</th>
                <th scope="col">{t('transactions.col.number')}</th>
                <th scope="col">{t('transactions.col.amount')}</th>
                <th scope="col">{t('transactions.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {p.payments.map(({ payment, orderNumber }) => (
                <tr>
                  <td data-label={t('transactions.col.date')}>{formatDateTime(lang, payment.createdAt, p.timeZone)}</td>
                  <td data-label={t('transactions.col.number')}>{orderNumber}</td>
                  <td data-label={t('transactions.col.amount')}>{formatMoney(lang, payment.amountMinor, payment.currency)}</td>
                  <td data-label={t('transactions.col.status')}>{t(`payment.status.${payment.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('transactions.methods')}</h2>
      {p.methods.length === 0 ? (
        <p class="muted">{t('transactions.noMethods')}</p>
      ) : (
        <ul class="list">
          {p.methods.map((m) => (
            <li>
              <strong>{m.label}</strong> <span class="small muted">{formatDate(lang, m.createdAt, p.timeZone)}</span>
              {m.declines && <span class="tag">{t('transactions.declines')}</span>}
              <div class="actions">
                {p.testProvider && (
                  <PostForm action={`/o/${slug}/payment-methods/${m.id}/declines`}>
                    <input type="hidden" name="declines" value={m.declines ? 'off' : 'on'} />
                    <button type="submit" class="btn btn-small btn-secondary">
                      <ForItem label={t(m.declines ? 'transactions.acceptAgain' : 'transactions.makeDecline')} item={m.label} sep=" – " />
                    </button>
                  </PostForm>
                )}
                <ConfirmAction
                  action={`/o/${slug}/payment-methods/${m.id}/removal`}
                  label={t('transactions.remove')}
                  question={t('transactions.remove.confirm', { label: m.label })}
                  submit={t('transactions.remove.submit', { label: m.label })}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
