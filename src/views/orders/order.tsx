// One order (SPEC §7): its status, lines and totals; for a pending transfer the amount, account and
// title to pay with; for a pending card or PayPal order a "Pay now" button and the way to pay by
// transfer instead; once paid, when and how, and the invoice; once cancelled, when and why.
import { formatDate, formatDateTime, formatMoney, type Language, type Translate } from '../../i18n'
import type { VendorConfig } from '../../config'
import type { PaymentMethod } from '../../db/schema'
import type { Order } from '../../services/orders'
import type { PricedLine } from '../../services/pricing'
import type { VatTotals } from '../../domain/vat'
import type { EInvoiceState } from '../../db/schema'
import { generate } from 'lean-qr'
import { toSvgDataURL } from 'lean-qr/extras/svg'
import { OFFLINE_LABEL } from '../../einvoice/kod1'
import type { KsefCodes, QrCode } from '../../services/invoices'
import { LinesTable } from '../checkout/summary'
import { PostForm } from '../components/post-form'
import { Grouped } from '../components/grouped'

type Props = {
  t: Translate
  lang: Language
  slug: string
  order: Order
  lines: PricedLine[]
  totals: VatTotals
  invoice: { id: string; number: string } | null
  /** The invoice's structured e-invoice: FA(3) with its KOD I, or FatturaPA; null where there is none. */
  einvoice: { format: 'FA3' | 'FPR12'; ksef: KsefCodes | null; sdi: { state: EInvoiceState; number: string | null } | null; waitingForRate: string | null } | null
  vendor: VendorConfig
  /** Card and PayPal, when this panel takes them: a renewal awaiting a transfer may be paid so instead. */
  online: readonly PaymentMethod[]
  timeZone: string
  /** The outcome of the attempt the buyer just came back from, if any. */
  returned: 'succeeded' | 'failed' | 'pending' | null
  /** How a paid order was paid (the attempt that paid it), null otherwise. */
  paidWith: PaymentMethod | null
  /** Whether the panel takes bank transfers, so a card or PayPal order may switch to one. */
  transfers: boolean
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
              <Grouped value={p.vendor.bankAccount} />
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
        <>
          <PostForm action={`/o/${p.slug}/orders/${order.id}/payments`}>
            <button type="submit" class="btn">
              {t('order.payNow', { amount: money(order.grossMinor) })}
            </button>
          </PostForm>
          {p.transfers && <ToTransfer {...p} />}
        </>
      )}
      {order.status === 'paid' && (
        <p class="flash">
          {t('order.paidNote')} {order.paidAt && p.paidWith && t('order.paidOn', { date: formatDateTime(lang, order.paidAt, p.timeZone), method: t(`invoice.method.${p.paidWith}`) })}
        </p>
      )}
      {order.status === 'cancelled' && <Cancelled {...p} />}
      <LinesTable t={t} lang={lang} currency={order.currency} lines={p.lines} totals={p.totals} vat={order.vat} due={order.status === 'pending_payment'} />
      {p.invoice && (
        <p class="actions">
          <a class="btn btn-secondary" href={`/o/${p.slug}/invoices/${p.invoice.id}`} download>
            {t('order.invoice', { number: p.invoice.number })}
          </a>
          {p.einvoice && !p.einvoice.waitingForRate && (
            <a class="btn btn-secondary" href={`/o/${p.slug}/invoices/${p.invoice.id}/xml`} download>
              {t(p.einvoice.format === 'FA3' ? 'order.einvoice.fa3' : 'order.einvoice.fatturapa')}
            </a>
          )}
        </p>
      )}
      {p.einvoice?.waitingForRate && (
        // Its VAT in złoty needs the NBP's rate of that day, which the einvoices job fetches within minutes.
        <p class="small">{t('invoice.pln.xmlWaiting', { date: formatDate(lang, new Date(`${p.einvoice.waitingForRate}T12:00:00Z`)) })}</p>
      )}
      {p.einvoice?.ksef && (
        <div class="qr-codes">
          <KsefCode t={t} code={p.einvoice.ksef} />
          {p.einvoice.ksef.certificate && <CertificateCode t={t} code={p.einvoice.ksef.certificate} />}
        </div>
      )}
      {p.einvoice?.format === 'FPR12' && <p class="small">{sdiLine(t, p.einvoice.sdi)}</p>}
      <p>
        <a href={`/o/${p.slug}/orders`}>{t('order.history')}</a>
      </p>
    </section>
  )
}

/** A card or PayPal order awaiting payment (say, after a declined card) may be paid by transfer instead. */
function ToTransfer({ t, slug, order }: Props) {
  return (
    <section class="stack" aria-labelledby="to-transfer-h">
      <h2 id="to-transfer-h">{t('order.toTransfer.title')}</h2>
      <p class="small">{t('order.toTransfer.hint')}</p>
      <PostForm action={`/o/${slug}/orders/${order.id}/payment-method`}>
        <input type="hidden" name="method" value="transfer" />
        <button type="submit" class="btn btn-secondary">
          {t('order.toTransfer.submit')}
        </button>
      </PostForm>
    </section>
  )
}

/** When a cancelled order was cancelled, and why (orders cancelled before reasons were kept say only when). */
function Cancelled({ t, lang, order, timeZone }: Props) {
  return (
    <p role="status">
      {order.cancelledAt && <strong>{t('order.cancelledOn', { date: formatDateTime(lang, order.cancelledAt, timeZone) })}</strong>} {order.cancelReason && t(`order.cancelReason.${order.cancelReason}`)}{' '}
      {t('order.cancelledNothingDue')} <a href="/buy">{t('transactions.buy')}</a>
    </p>
  )
}

/**
 * KSeF's codes as on the PDF: KOD I, the QR code of the link to the invoice in KSeF, labelled with its
 * KSeF number, or OFFLINE (explained) while KSeF has given it none; on an offline invoice KOD II,
 * labelled CERTYFIKAT, by which KSeF confirms who issued it. The links too, for those who can't scan.
 */
function KsefCode({ t, code }: { t: Translate; code: QrCode }) {
  const caption = code.label === OFFLINE_LABEL ? t('order.ksef.offline') : t('order.ksef.number')
  return <QrFigure code={code} alt={t('order.ksef.qrAlt')} caption={caption} linkText={t('order.ksef.verify')} />
}

function CertificateCode({ t, code }: { t: Translate; code: QrCode }) {
  return <QrFigure code={code} alt={t('order.ksef.certificateAlt')} caption={t('order.ksef.certificate')} linkText={t('order.ksef.verifyIssuer')} />
}

function QrFigure({ code, alt, caption, linkText }: { code: QrCode; alt: string; caption: string; linkText: string }) {
  const qr = toSvgDataURL(generate(code.link), { on: '#000', off: '#fff', pad: 4, width: 200, height: 200 })
  return (
    <figure class="stack">
      <img src={qr} width="200" height="200" alt={alt} />
      <figcaption>
        <strong>{code.label}</strong>
        <br />
        {caption}
        <br />
        <a href={code.link} rel="noopener noreferrer">
          {linkText}
        </a>
      </figcaption>
    </figure>
  )
}

/** Where an Italian seller's e-invoice stands at SdI: not sent yet, or its state and SdI's identifier. */
function sdiLine(t: Translate, sdi: { state: EInvoiceState; number: string | null } | null): string {
  if (!sdi) return t('order.sdi.notSent')
  const state = t(`ops.einvoices.state.${sdi.state}`)
  return sdi.number ? t('order.sdi.stateWithId', { state, id: sdi.number }) : t('order.sdi.state', { state })
}
