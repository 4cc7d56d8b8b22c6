// A claim by licence number that found every seat of the company taken (SPEC §3, §5): the claimant
// proved the licence number but did not join; what the plan allows, and what happens next.
import type { Translate } from '../../i18n'
import type { SeatLimit } from '../../services/seats'

export function ClaimNoSeatView({ t, company, seats }: { t: Translate; company: string; seats: SeatLimit }) {
  return (
    <section class="card narrow">
      <h1>{t('seats.claimFull.title', { org: company })}</h1>
      <p class="alert" role="status">
        {t('seats.claimFull.text', { org: company, plan: seats.plan, product: seats.product, count: seats.limit })}
      </p>
      <p>{t('seats.claimFull.next')}</p>
      <p>
        <a href={`/buy/${seats.productKey}`}>{t('seats.claimFull.plans', { product: seats.product })}</a>
      </p>
    </section>
  )
}
