// Step 4 (SPEC §7): the lines with net, VAT and gross, how to pay, and the terms of sale.
import type { FormState } from '../../forms/validate'
import { formatMoney, type Language, type Translate } from '../../i18n'
import type { OrderVat, PaymentMethod } from '../../db/schema'
import type { VatTotals } from '../../domain/vat'
import { looksLikePec } from '../../domain/orgs'
import type { PricedLine } from '../../services/pricing'
import type { Org } from '../../services/orgs'
import { Checkbox, FormErrors } from '../components/form'
import { CheckoutFrame } from './steps'

type LinesProps = {
  t: Translate
  lang: Language
  currency: string
  lines: PricedLine[]
  totals: VatTotals
  vat: OrderVat
  /** "To pay" while something is to be paid (the summary, an unpaid order); a paid or cancelled order shows its total. */
  due?: boolean
}

/** The order's lines and totals, as in the summary, on the order page and in the invoice. */
export function LinesTable({ t, lang, currency, lines, totals, vat, due = true }: LinesProps) {
  const money = (minor: number) => formatMoney(lang, minor, currency)
  const rate = vat.kind === 'reverse_charge' ? t('checkout.reverseCharge') : `${vat.ratePercent} %`
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-label={t('checkout.lines')}>
      <table class="lines cards">
        <thead>
          <tr>
            <th scope="col">{t('checkout.col.item')}</th>
            <th scope="col">{t('checkout.col.quantity')}</th>
            <th scope="col">{t('checkout.col.net')}</th>
            <th scope="col">{t('checkout.col.vat', { rate })}</th>
            <th scope="col">{t('checkout.col.gross')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <td>
                <strong>{l.label[lang]}</strong>
              </td>
              <td data-label={t('checkout.col.quantity')}>{l.quantity}</td>
              <td data-label={t('checkout.col.net')}>{money(l.netMinor)}</td>
              <td data-label={t('checkout.col.vat', { rate })}>{money(l.vatMinor)}</td>
              <td data-label={t('checkout.col.gross')}>{money(l.netMinor + l.vatMinor)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('checkout.total')}</th>
            <td></td>
            <td data-label={t('checkout.col.net')}>{money(totals.netMinor)}</td>
            <td data-label={t('checkout.col.vat', { rate })}>{money(totals.vatMinor)}</td>
            <td data-label={t('checkout.col.gross')}>
              <strong>{money(totals.grossMinor)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p class="to-pay">{t(due ? 'checkout.toPay' : 'order.total', { gross: money(totals.grossMinor), net: money(totals.netMinor), vat: money(totals.vatMinor) })}</p>
      {vat.kind === 'reverse_charge' && <p class="small">{t('checkout.reverseChargeNote')}</p>}
    </div>
  )
}

type SummaryProps = LinesProps & { org: Org; form: FormState; termsVersion: string; methods: readonly PaymentMethod[] }

export function SummaryView(p: SummaryProps) {
  const { t, org, form } = p
  const method = form.values.paymentMethod ?? p.methods[0]
  return (
    <CheckoutFrame t={t} step={4}>
      <h2>{t('checkout.summary.title')}</h2>
      <p>{t('checkout.summary.buyer', { org: org.name, email: org.billingEmail })}</p>
      {looksLikePec(org.billingEmail) && (
        <p class="warning" role="note">
          {t('checkout.pecWarning')}
        </p>
      )}
      <LinesTable {...p} />
      <FormErrors t={t} form={form} />
      <form method="post" action="/checkout/orders" novalidate class="stack">
        <fieldset class={form.errors.paymentMethod ? 'choices has-error' : 'choices'}>
          <legend>{t('checkout.paymentMethod')}</legend>
          {p.methods.map((m) => (
            <label class="choice">
              <input type="radio" name="paymentMethod" value={m} checked={method === m} required />
              <span>
                <strong>{t(`checkout.method.${m}`)}</strong> <span class="small">{t(`checkout.method.${m}.hint`)}</span>
              </span>
            </label>
          ))}
          {form.errors.paymentMethod && <p class="error">{t(form.errors.paymentMethod)}</p>}
        </fieldset>
        <Checkbox t={t} form={form} name="terms" label={t('checkout.terms', { version: p.termsVersion })} required />
        <button type="submit" class="btn">
          {t('checkout.confirm')}
        </button>
      </form>
      <p>
        <a href={`/checkout/billing?org=${org.slug}`}>{t('common.back')}</a>
      </p>
    </CheckoutFrame>
  )
}
