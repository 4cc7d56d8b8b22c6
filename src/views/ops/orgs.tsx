// The back office's organizations (SPEC §15): search by name or tax id, and one org with its
// members, subscriptions and licences, licences from activated units, warehouse grants and the two
// grant forms.
import type { FormState } from '../../forms/validate'
import { formatDate, formatDateTime, formatNumber, type Language, type Translate } from '../../i18n'
import { displayTaxId } from '../../domain/tax-id'
import { freeValidUntil } from '../../domain/lapse'
import type { Org } from '../../services/orgs'
import type { orgOverview } from '../../services/ops-orgs'
import type { listWarehouseGrants } from '../../services/grants'
import { Field, FormErrors, Select } from '../components/form'
import { OpsMenu } from './ops'
import { validity } from '../orgs/unit-licences'
import { UNIT_LICENCES_SHOWN } from '../../services/unit-licences'
import { Grouped } from '../components/grouped'

type Option = { value: string; label: string }

export function OrgSearchView({ t, lang, q, orgs }: { t: Translate; lang: Language; q: string; orgs: Org[] }) {
  return (
    <>
      <h1>{t('ops.orgs')}</h1>
      <OpsMenu t={t} current="orgs" />
      <form method="get" action="/ops/orgs" class="filters" role="search">
        <Field t={t} form={{ values: { q }, errors: {} }} name="q" label={t('ops.orgs.search')} type="search" />
        <button type="submit" class="btn btn-secondary">
          {t('ops.orgs.searchSubmit')}
        </button>
      </form>
      {!q && <p class="muted">{t('ops.orgs.newest')}</p>}
      {orgs.length === 0 ? (
        <p>{t('ops.orgs.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.orgs.col.name')}</th>
                <th scope="col">{t('ops.orgs.col.taxId')}</th>
                <th scope="col">{t('ops.orgs.col.country')}</th>
                <th scope="col">{t('ops.orgs.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {orgs.map((o) => (
                <tr>
                  <td data-label={t('ops.orgs.col.name')}>
                    <a href={`/ops/orgs/${o.id}`}>{o.name}</a>
                  </td>
                  <td data-label={t('ops.orgs.col.taxId')}>{o.taxId ? displayTaxId(o.taxId) : '–'}</td>
                  <td data-label={t('ops.orgs.col.country')}>{o.country}</td>
                  <td data-label={t('ops.orgs.col.created')}>{formatDate(lang, o.createdAt, o.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

type DetailProps = {
  t: Translate
  lang: Language
  org: Org
  overview: Awaited<ReturnType<typeof orgOverview>>
  grants: Awaited<ReturnType<typeof listWarehouseGrants>>
  planOptions: Option[]
  variantOptions: Option[]
  planForm: FormState
  unitsForm: FormState
  now: Date
}

export function OpsOrgView(p: DetailProps) {
  const { t, org } = p
  const base = `/ops/orgs/${org.id}`
  return (
    <>
      <h1>{org.name}</h1>
      <OpsMenu t={t} current="orgs" />
      <p class="muted">
        {org.taxId ? `${displayTaxId(org.taxId)} · ` : ''}
        {org.city}, {org.country} · {org.billingEmail} · <a href={`${base}/history`}>{t('ops.orgs.history')}</a>
      </p>
      <section class="card" aria-labelledby="subs-h">
        <h2 id="subs-h">{t('ops.orgs.subscriptions')}</h2>
        {p.overview.subscriptions.length === 0 ? (
          <p>{t('ops.orgs.noSubscriptions')}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{t('ops.orgs.col.product')}</th>
                  <th scope="col">{t('ops.orgs.col.plan')}</th>
                  <th scope="col">{t('ops.orgs.col.source')}</th>
                  <th scope="col">{t('ops.orgs.col.until')}</th>
                  <th scope="col">{t('ops.orgs.col.licence')}</th>
                </tr>
              </thead>
              <tbody>
                {p.overview.subscriptions.map(({ subscription: s, productName, licenceNumber }) => (
                  <tr>
                    <td data-label={t('ops.orgs.col.product')}>{productName}</td>
                    <td data-label={t('ops.orgs.col.plan')}>{s.snapshot.planName}</td>
                    <td data-label={t('ops.orgs.col.source')}>{t(`ops.orgs.source.${s.source}`)}</td>
                    <td data-label={t('ops.orgs.col.until')}>{until(p, s)}</td>
                    <td data-label={t('ops.orgs.col.licence')}>{licenceNumber && <Grouped value={licenceNumber} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <UnitLicencesTable {...p} />
      <GrantPlanSection {...p} base={base} />
      <GrantUnitsSection {...p} base={base} />
      <section class="card" aria-labelledby="members-h">
        <h2 id="members-h">{t('ops.orgs.members')}</h2>
        <ul>
          {p.overview.members.map((m) => (
            <li>
              {m.name} &lt;{m.email}&gt; · {t(`org.role.${m.role}`)}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

/** How long a subscription holds, as the customer's dashboard says it (a free plan: while someone signs in yearly). */
function until({ t, lang, org }: DetailProps, s: DetailProps['overview']['subscriptions'][number]['subscription']): string {
  const at = (d: Date) => formatDateTime(lang, d, org.timeZone)
  if (s.status === 'read_only' && s.periodEnd) return t('ops.orgs.readOnlySince', { date: at(s.periodEnd) })
  if (s.periodEnd) return at(s.periodEnd)
  if (s.snapshot.isFree) return t('ops.orgs.freeValidity', { date: at(freeValidUntil(org.lastLoginAt, s.periodStart, org.timeZone)) })
  return t('ops.orgs.noEnd')
}

/** The licences the org's activated units became (issue 16 rule 3), newest first. */
function UnitLicencesTable(p: DetailProps) {
  const { t, lang, org } = p
  const list = p.overview.unitLicences
  return (
    <section class="card" aria-labelledby="unit-licences-h">
      <h2 id="unit-licences-h">{t('unitLicences.title')}</h2>
      {list.length === 0 ? (
        <p>{t('ops.orgs.noUnitLicences')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('unitLicences.col.product')}</th>
                <th scope="col">{t('ops.orgs.col.licence')}</th>
                <th scope="col">{t('unitLicences.col.validity')}</th>
              </tr>
            </thead>
            <tbody>
              {list.slice(0, UNIT_LICENCES_SHOWN).map((l) => (
                <tr>
                  <td data-label={t('unitLicences.col.product')}>
                    {l.product} — {l.variant[lang]}
                  </td>
                  <td data-label={t('ops.orgs.col.licence')}>
                    <Grouped value={l.number} />
                  </td>
                  <td data-label={t('unitLicences.col.validity')}>{validity(t, lang, l, p.now, org.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.length > UNIT_LICENCES_SHOWN && <p class="muted">{t('unitLicences.more', { count: UNIT_LICENCES_SHOWN })}</p>}
    </section>
  )
}

function GrantPlanSection(p: DetailProps & { base: string }) {
  const { t } = p
  return (
    <section class="card" id="grant-plan" aria-labelledby="grant-plan-h">
      <h2 id="grant-plan-h">{t('ops.grantPlan.title')}</h2>
      <p class="muted">{t('ops.grantPlan.intro')}</p>
      <FormErrors t={t} form={p.planForm} />
      <form method="post" action={`${p.base}/plan-grants`}>
        <Select t={t} form={p.planForm} name="plan" label={t('ops.grantPlan.plan')} options={p.planOptions} />
        <Field t={t} form={p.planForm} name="months" label={t('ops.grantPlan.months')} inputmode="numeric" required maxlength={2} />
        <button type="submit" class="btn">
          {t('ops.grantPlan.submit')}
        </button>
      </form>
    </section>
  )
}

function GrantUnitsSection(p: DetailProps & { base: string }) {
  const { t, lang, org } = p
  return (
    <section class="card" id="grant-units" aria-labelledby="grant-units-h">
      <h2 id="grant-units-h">{t('ops.grantUnits.title')}</h2>
      <FormErrors t={t} form={p.unitsForm} />
      <form method="post" action={`${p.base}/unit-grants`}>
        <Select t={t} form={p.unitsForm} name="variant" label={t('ops.grantUnits.variant')} options={p.variantOptions} />
        <Field t={t} form={p.unitsForm} name="units" label={t('ops.grantUnits.units')} inputmode="numeric" required maxlength={6} />
        <Field t={t} form={p.unitsForm} name="note" label={t('ops.grantUnits.note')} required maxlength={500} />
        <button type="submit" class="btn">
          {t('ops.grantUnits.submit')}
        </button>
      </form>
      <h3>{t('ops.grantUnits.granted')}</h3>
      {p.grants.length === 0 ? (
        <p class="muted">{t('ops.grantUnits.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.grantUnits.col.when')}</th>
                <th scope="col">{t('ops.grantUnits.col.variant')}</th>
                <th scope="col">{t('ops.grantUnits.col.units')}</th>
                <th scope="col">{t('ops.grantUnits.col.note')}</th>
              </tr>
            </thead>
            <tbody>
              {p.grants.map(({ grant, variantName }) => (
                <tr>
                  <td data-label={t('ops.grantUnits.col.when')}>{formatDateTime(lang, grant.createdAt, org.timeZone)}</td>
                  <td data-label={t('ops.grantUnits.col.variant')}>{variantName[lang]}</td>
                  <td data-label={t('ops.grantUnits.col.units')}>{formatNumber(lang, grant.units)}</td>
                  <td data-label={t('ops.grantUnits.col.note')}>{grant.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
