// What the plan page's parts share: the page's data, where a refused form belongs, its message, and
// the folding of the changes it offers.
import type { Child } from 'hono/jsx'
import type { FormValues } from '../../forms/validate'
import type { Plan } from '../../db/catalog'
import type { OrderVat, PaymentMethod } from '../../db/schema'
import type { Language, MessageKey, Translate } from '../../i18n'
import type { AddonOffer, PaidTerm, PlanProblem, PlanState, UpgradeQuote } from '../../services/plan-changes'
import type { priceLines } from '../../services/pricing'

export type Section = 'page' | 'scheduled' | 'upgrade' | 'addons' | 'downgrade' | 'period' | 'free' | 'renewal'

export type PlanPageModel = {
  slug: string
  timeZone: string
  state: PlanState
  /** The paid period in progress, or why there is none. */
  term: { ok: true; term: PaidTerm } | { ok: false; error: PlanProblem }
  upgrades: { quote: UpgradeQuote; priced: ReturnType<typeof priceLines> }[]
  addons: AddonOffer[]
  downgrades: Plan[]
  periods: { months: number; netMinor: number }[]
  freePlan: Plan | null
  vat: OrderVat
  termsVersion: string
  /** The payment methods offered, in order (PAYMENTS=transfer-only: just the transfer). */
  paymentMethods: readonly PaymentMethod[]
  /** Renewed early: the paid next period has not started yet, and purchases are priced on it (issue 16). */
  renewedEarly?: boolean
  /** A refused form: where it was, what it held and why (422 / 409). */
  form?: { section: Section; values: FormValues; error: MessageKey }
}

export type SectionProps = { t: Translate; lang: Language; m: PlanPageModel; term: PaidTerm; action: string }

/** The refusal of a section's form, next to it. */
export function SectionError({ t, m, section }: { t: Translate; m: PlanPageModel; section: Section }) {
  if (m.form?.section !== section) return null
  return (
    <p class="alert" role="alert">
      {t(m.form.error)}
    </p>
  )
}

/** The current plan, so a form from a page that is out of date changes nothing. */
export const From = ({ term }: { term: PaidTerm }) => <input type="hidden" name="from" value={term.current.key} />

/**
 * One change the plan page offers (upgrade, add-on packs, a cheaper plan, the renewal frequency, the
 * free plan), folded until opened: five forms one under another made the page ~3,500 px long on a
 * phone; folded, it is a list of what can change. Open when its own form was just refused, so the
 * reason is in view.
 */
export function Change({ m, section, title, children }: { m: PlanPageModel; section: Section; title: string; children: Child }) {
  return (
    <details class="card change" open={m.form?.section === section}>
      <summary>
        <h2 id={`${section}-h`}>{title}</h2>
      </summary>
      {children}
    </details>
  )
}
