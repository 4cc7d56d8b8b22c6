// What can be bought for the rest of the current period (SPEC §8): a dearer plan or add-on packs,
// each with the proration formula and its numbers shown before the order is placed.
import { formatDate, formatMoney, type Language, type Translate } from '../../i18n'
import { Change, From, SectionError, type PlanPageModel, type Section, type SectionProps } from './shared'
import { amount } from './format'
import { PostForm } from '../components/post-form'

/** Net, VAT and gross of the order the form would place, as fulfilment will charge it. */
function Totals({ t, lang, m, totals }: { t: Translate; lang: Language; m: PlanPageModel; totals: { netMinor: number; vatMinor: number; grossMinor: number } }) {
  const money = (minor: number) => formatMoney(lang, minor, m.state.product.currency)
  const text =
    m.vat.kind === 'reverse_charge'
      ? t('plans.totalsReverse', { net: money(totals.netMinor), gross: money(totals.grossMinor) })
      : t('plans.totals', { net: money(totals.netMinor), rate: `${m.vat.ratePercent} %`, vat: money(totals.vatMinor), gross: money(totals.grossMinor) })
  return <span class="totals">{text}</span>
}

/** Payment method and the terms of sale, as at checkout; ids per section, two such forms share the page. */
function PayFields({ t, m, section }: { t: Translate; m: PlanPageModel; section: Section }) {
  const values = m.form?.section === section ? m.form.values : {}
  const method = values.method ?? m.paymentMethods[0]
  return (
    <>
      <fieldset class="choices">
        <legend>{t('plans.pay.method')}</legend>
        {m.paymentMethods.map((v) => (
          <label class="choice">
            <input type="radio" name="method" value={v} checked={method === v} required />
            <span>{t(`plans.pay.${v}`)}</span>
          </label>
        ))}
      </fieldset>
      <div class="check">
        <input id={`${section}-terms`} name="terms" type="checkbox" checked={values.terms === 'on'} required />
        <label for={`${section}-terms`}>{t('plans.pay.terms', { version: m.termsVersion })}</label>
      </div>
    </>
  )
}

export function UpgradeSection({ t, lang, m, term, action }: SectionProps) {
  const chosen = m.form?.section === 'upgrade' ? m.form.values.plan : undefined
  return (
    <Change m={m} section="upgrade" title={t('plans.upgrade.title')}>
      <SectionError t={t} m={m} section="upgrade" />
      {m.upgrades.length === 0 ? (
        <p class="muted">{t('plans.upgrade.none')}</p>
      ) : (
        <>
          <p>{t('plans.upgrade.intro', { date: formatDate(lang, term.periodEnd, m.timeZone) })}</p>
          <PostForm action={`${action}/upgrade-orders`} class="stack">
            <From term={term} />
            <fieldset class="choices">
              <legend>{t('plans.upgrade.plan')}</legend>
              <p class="small">{t('plans.upgrade.explain', { currency: m.state.product.currency })}</p>
              {m.upgrades.map(({ quote, priced }, i) => (
                <label class="choice" id={`upgrade-${quote.plan.key}`}>
                  <input type="radio" name="plan" value={quote.plan.key} checked={chosen ? chosen === quote.plan.key : i === 0} required />
                  <span>
                    <strong>{quote.plan.name}</strong>
                    <br />
                    {t('plans.upgrade.formula', {
                      new: amount(lang, quote.newNetMinor),
                      old: amount(lang, quote.oldNetMinor),
                      remaining: quote.proration.remainingDays,
                      period: quote.proration.periodDays,
                      charge: amount(lang, quote.proration.chargeMinor),
                    })}
                    <br />
                    <Totals t={t} lang={lang} m={m} totals={priced.totals} />
                  </span>
                </label>
              ))}
            </fieldset>
            <PayFields t={t} m={m} section="upgrade" />
            <button type="submit" class="btn">
              {t('plans.upgrade.submit')}
            </button>
          </PostForm>
        </>
      )}
    </Change>
  )
}

export function AddonSection({ t, lang, m, term, action }: SectionProps) {
  if (m.addons.length === 0) return null
  const values = m.form?.section === 'addons' ? m.form.values : {}
  return (
    <Change m={m} section="addons" title={t('plans.addons.title')}>
      <p>{t('plans.addons.intro')}</p>
      <SectionError t={t} m={m} section="addons" />
      <PostForm action={`${action}/addon-orders`} class="stack">
        <From term={term} />
        {m.addons.map(({ addon, held, packNetMinor, perPack }) => {
          const id = `packs-${addon.quotaKey}`
          const room = addon.maxPacks === null ? undefined : Math.max(0, addon.maxPacks - held)
          return (
            <div class="field" id={`addon-${addon.quotaKey}`}>
              <label for={id}>{t('plans.addons.packs', { addon: addon.name[lang] })}</label>
              <p class="hint">
                {addon.maxPacks === null ? t('plans.addons.heldNoMax', { held }) : t('plans.addons.held', { held, max: addon.maxPacks })}
                {perPack && (
                  <>
                    <br />
                    {t('plans.addons.formula', {
                      price: amount(lang, packNetMinor),
                      remaining: perPack.remainingDays,
                      period: perPack.periodDays,
                      charge: amount(lang, perPack.chargeMinor),
                    })}
                  </>
                )}
              </p>
              <input id={id} name={`packs.${addon.quotaKey}`} type="number" min={0} max={room} step={1} inputmode="numeric" value={values[`packs.${addon.quotaKey}`] ?? '0'} />
            </div>
          )
        })}
        <PayFields t={t} m={m} section="addons" />
        <button type="submit" class="btn">
          {t('plans.addons.submit')}
        </button>
      </PostForm>
    </Change>
  )
}
