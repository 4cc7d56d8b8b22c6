// The transaction history (SPEC §7): orders with status and invoice, payments, saved methods.
import { formatDate, formatDateTime, formatMoney, type Language, type Translate } from '../../i18n'
import type { listOrders, listPayments } from '../../services/orders'
import type { listSavedMethods } from '../../services/saved-methods'
import { PostForm } from '../components/post-form'
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
          <table>
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
                  <td>
                    <a href={`/o/${slug}/orders/${order.id}`}>{order.number}</a>
                  </td>
                  <td>{formatDate(lang, order.createdAt, p.timeZone)}</td>
                  <td>{formatMoney(lang, order.grossMinor, order.currency)}</td>
                  <td>
                    <span class={`status status-${order.status}`}>{t(`order.status.${order.status}`)}</span>
                  </td>
                  <td>{invoiceId ? <a href={`/o/${slug}/invoices/${invoiceId}`}>{invoiceNumber}</a> : '—'}</td>
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
          <table>
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
                  <td>{formatDateTime(lang, payment.createdAt, p.timeZone)}</td>
                  <td>{orderNumber}</td>
                  <td>{formatMoney(lang, payment.amountMinor, payment.currency)}</td>
                  <td>{t(`payment.status.${payment.status}`)}</td>
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
              <span class="actions">
                {p.testProvider && (
                  <PostForm action={`/o/${slug}/payment-methods/${m.id}/declines`}>
                    <input type="hidden" name="declines" value={m.declines ? 'off' : 'on'} />
                    <button type="submit" class="btn btn-small btn-secondary">
                      <ForItem label={t(m.declines ? 'transactions.acceptAgain' : 'transactions.makeDecline')} item={m.label} sep=" – " />
                    </button>
                  </PostForm>
                )}
                <PostForm action={`/o/${slug}/payment-methods/${m.id}/removal`}>
                  <button type="submit" class="btn btn-small btn-danger">
                    <ForItem label={t('transactions.remove')} item={m.label} />
                  </button>
                </PostForm>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
