// The licences an org's activated units became (issue 16 rule 3), on its dashboard: product and
// variant, the licence number in its groups, and its validity in the org's zone.
import { Grouped } from '../components/grouped'
import { formatDate, type Language, type Translate } from '../../i18n'
import { UNIT_LICENCES_SHOWN, type UnitLicence } from '../../services/unit-licences'

/** "valid 20 November 2026 – 20 November 2027", or "expired on …" once past. */
export function validity(t: Translate, lang: Language, l: UnitLicence, now: Date, timeZone: string): string {
  const from = formatDate(lang, l.validFrom, timeZone)
  if (!l.validUntil) return t('unitLicences.validFrom', { from })
  const until = formatDate(lang, l.validUntil, timeZone)
  return l.validUntil <= now ? t('unitLicences.expired', { until }) : t('unitLicences.valid', { from, until })
}

export function UnitLicencesSection({ t, lang, licences, now, timeZone }: { t: Translate; lang: Language; licences: UnitLicence[]; now: Date; timeZone: string }) {
  if (licences.length === 0) return null
  return (
    <section class="card stack" aria-labelledby="unit-licences-h" id="unit-licences">
      <h2 id="unit-licences-h">{t('unitLicences.title')}</h2>
      <ul class="list">
        {licences.slice(0, UNIT_LICENCES_SHOWN).map((l) => (
          <li>
            <strong>
              {l.product} — {l.variant[lang]}
            </strong>
            <br />
            <Grouped value={l.number} /> · <span class={l.validUntil && l.validUntil <= now ? 'muted' : undefined}>{validity(t, lang, l, now, timeZone)}</span>
          </li>
        ))}
      </ul>
      {licences.length > UNIT_LICENCES_SHOWN && <p class="muted">{t('unitLicences.more', { count: UNIT_LICENCES_SHOWN })}</p>}
    </section>
  )
}
