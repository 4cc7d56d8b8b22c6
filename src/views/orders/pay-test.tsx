// The test provider's payment page: what a hosted payment page shows, with the two outcomes.
import { formatMoney, type Language, type Translate } from '../../i18n'
import type { Order } from '../../services/orders'
import type { payments } from '../../db/schema'
import { testHostedMethod } from '../../payments/test-provider'

type Props = { t: Translate; lang: Language; payment: typeof payments.$inferSelect; order: Order; back: string }

export function TestPaymentView({ t, lang, payment, order, back }: Props) {
  const open = payment.status === 'pending'
  return (
    <section class="card narrow stack pay-test">
      <p class="tag">{t('payTest.badge')}</p>
      <h1>{t('payTest.heading', { amount: formatMoney(lang, payment.amountMinor, payment.currency) })}</h1>
      <p>{t('payTest.order', { number: order.number, method: t(`checkout.method.${testHostedMethod(payment.providerRef)}`) })}</p>
      <p class="small muted">{t('payTest.explain')}</p>
      {open ? (
        <div class="actions">
          <form method="post" action={`/pay/test/${payment.id}/approval`}>
            <button type="submit" class="btn">
              {t('payTest.approve')}
            </button>
          </form>
          <form method="post" action={`/pay/test/${payment.id}/decline`}>
            <button type="submit" class="btn btn-danger">
              {t('payTest.decline')}
            </button>
          </form>
        </div>
      ) : (
        <p class="notice">{t(`payment.status.${payment.status}`)}</p>
      )}
      <p>
        <a href={back}>{t('payTest.back')}</a>
      </p>
    </section>
  )
}
