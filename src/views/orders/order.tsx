// One order (SPEC §7): its status, lines and totals; for a pending transfer the amount, account and
// title to pay with; for a pending card or PayPal order a "Pay now" button; once paid, the invoice.
import { formatDateTime, formatMoney, type Language, type Translate } from '../../i18n'
import type { VendorConfig } from '../../config'
import type { PaymentMethod } from '../../db/schema'
import type { Order } from '../../services/orders'
import type { PricedLine } from '../../services/pricing'
import type { VatTotals } from '../../domain/vat'
import { generate } from 'lean-qr'
import { toSvgDataURL } from 'lean-qr/extras/svg'
import { OFFLINE_LABEL } from '../../einvoice/kod1'
import { LinesTable } from '../checkout/summary'
import { PostForm } from '../components/post-form'

type Props = {
  t: Translate
  lang: Language
  slug: string
  order: Order
  lines: PricedLine[]
  totals: VatTotals
  invoice: { id: string; number: string } | null
  /** The invoice's structured e-invoice: FA(3) with its KOD I, or FatturaPA; null where there is none. */
  einvoice: { format: 'FA3' | 'FPR12'; ksef: { link: string; label: string } | null } | null
  vendor: VendorConfig
  /** Card and PayPal, when this panel takes them: a renewal awaiting a transfer may be paid so instead. */
  online: readonly PaymentMethod[]
  timeZone: string
  /** The outcome of the attempt the buyer just came back from, if any. */
  returned: 'succeeded' | 'failed' | 'pending' | null
}

export function OrderView(p: Props) {
  const { t, lang, order } = p
  const money = (minor: number) => formatMoney(lang, minor, order.currency)
  // A card or PayPal order left from before the panel turned transfer-only is paid by transfer too.
  const byTransfer = order.paymentMethod === 'transfer' || p.online.length === 0
  return (
    <section class="card stack">
      <h1>{t('order.title', { number: order.number })}</h1>
      <p>
        <span class={`status status-${order.status}`}>{t(`order.status.${order.status}`)}</span> · {t('order.placed', { date: formatDateTime(lang, order.createdAt, p.timeZone) })} ·{' '}
        {t(`checkout.method.${order.paymentMethod}`)}
      </p>
      {p.returned === 'failed' && order.status === 'pending_payment' && (
        <p class="alert" role="alert">
          {t('order.declined')}
        </p>
      )}
      {p.returned === 'pending' && order.status === 'pending_payment' && <p class="notice">{t('order.waiting')}</p>}
      {order.status === 'pending_payment' && byTransfer && (
        <div class="notice" role="note">
          <h2>{t('order.transfer.title')}</h2>
          <dl class="facts">
            <dt>{t('order.transfer.amount')}</dt>
            <dd>
              <strong>{money(order.grossMinor)}</strong>
            </dd>
            <dt>{t('order.transfer.recipient')}</dt>
            <dd>{p.vendor.legalName}</dd>
            <dt>{t('order.transfer.account')}</dt>
            <dd>
              <code class="key">{p.vendor.bankAccount}</code>
            </dd>
            <dt>{t('order.transfer.titleField')}</dt>
            <dd>
              <code class="key">{order.number}</code>
            </dd>
          </dl>
          <p class="small">{order.kind === 'renewal' ? t('order.renewal.note') : t('order.transfer.note')}</p>
          {order.kind === 'renewal' && p.online.length > 0 && (
            <PostForm action={`/o/${p.slug}/orders/${order.id}/payments`} class="actions">
              <span>{t('order.renewal.online')}</span>
              {p.online.map((m, i) => (
                <button type="submit" name="method" value={m} class={i === 0 ? 'btn' : 'btn btn-secondary'}>
                  {t(`checkout.method.${m}`)}
                </button>
              ))}
            </PostForm>
          )}
        </div>
      )}
      {order.status === 'pending_payment' && !byTransfer && (
        <PostForm action={`/o/${p.slug}/orders/${order.id}/payments`}>
          <button type="submit" class="btn">
            {t('order.payNow', { amount: money(order.grossMinor) })}
          </button>
        </PostForm>
      )}
      {order.status === 'paid' && <p class="flash">{t('order.paidNote')}</p>}
      <LinesTable t={t} lang={lang} currency={order.currency} lines={p.lines} totals={p.totals} vat={order.vat} />
      {p.invoice && (
        <p class="actions">
          <a class="btn btn-secondary" href={`/o/${p.slug}/invoices/${p.invoice.id}`} download>
            {t('order.invoice', { number: p.invoice.number })}
          </a>
          {p.einvoice && (
            <a class="btn btn-secondary" href={`/o/${p.slug}/invoices/${p.invoice.id}/xml`} download>
              {t(p.einvoice.format === 'FA3' ? 'order.einvoice.fa3' : 'order.einvoice.fatturapa')}
            </a>
          )}
        </p>
      )}
      {p.einvoice?.ksef && <KsefCode t={t} code={p.einvoice.ksef} />}
      {p.einvoice?.format === 'FPR12' && <p class="small">{t('order.sdi.notSent')}</p>}
      <p>
        <a href={`/o/${p.slug}/orders`}>{t('order.history')}</a>
      </p>
    </section>
  )
}

/**
 * KSeF's KOD I as on the PDF: the QR code of the link to the invoice in KSeF, labelled with its KSeF
 * number, or OFFLINE (explained) while KSeF has given it none; the link itself for those who can't scan.
 */
function KsefCode({ t, code }: { t: Translate; code: { link: string; label: string } }) {
  const qr = toSvgDataURL(generate(code.link), { on: '#000', off: '#fff', pad: 4, width: 200, height: 200 })
  const offline = code.label === OFFLINE_LABEL
  return (
    <figure class="stack">
      <img src={qr} width="200" height="200" alt={t('order.ksef.qrAlt')} />
      <figcaption>
        <strong>{code.label}</strong>
        <br />
        {offline ? t('order.ksef.offline') : t('order.ksef.number')}
        <br />
        <a href={code.link} rel="noopener noreferrer">
          {t('order.ksef.verify')}
        </a>
      </figcaption>
    </figure>
  )
}
