// The list of a user's orgs, and an org's start page.
import { formatDate, type Language, type Translate } from '../../i18n'
import type { Org, Role } from '../../services/orgs'
import { displayTaxId } from '../../domain/tax-id'
import { LeaveForm } from '../members/members'
import type { ProductState } from '../../services/subscriptions'
import { ProductsSection } from './products'
import { UnitLicencesSection } from './unit-licences'
import type { UnitLicence } from '../../services/unit-licences'
import { PostForm } from '../components/post-form'

export function OrgListView({ t, orgs }: { t: Translate; orgs: { slug: string; name: string; role: Role }[] }) {
  return (
    <>
      <h1>{t('org.list.title')}</h1>
      {orgs.length === 0 ? (
        <p>{t('org.list.empty')}</p>
      ) : (
        <ul class="list">
          {orgs.map((o) => (
            <li>
              <a href={`/o/${o.slug}`}>{o.name}</a> <span class="tag tag-quiet">{t(`org.role.${o.role}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <a class="btn" href="/orgs/new">
        {t('org.list.add')}
      </a>
    </>
  )
}

/**
 * At the top of "My products" for a member who joined by claiming the company (SPEC §3): their rights
 * are limited, and the two ways to full rights — ask an administrator (one open request at a time), or
 * a signed statement checked by the vendor.
 */
function LimitedRights({ t, lang, org, pendingSince }: { t: Translate; lang: Language; org: Org; pendingSince: Date | null }) {
  return (
    <section class="notice limited" aria-labelledby="rights-h">
      <p id="rights-h">{t('rights.limited', { org: org.name })}</p>
      {pendingSince ? (
        <p>{t('rights.pending', { date: formatDate(lang, pendingSince, org.timeZone) })}</p>
      ) : (
        <>
          <p>{t('rights.howTo')}</p>
          <div class="actions">
            <PostForm action={`/o/${org.slug}/admin-rights-requests`}>
              <button type="submit" class="btn">
                {t('rights.ask')}
              </button>
            </PostForm>
            <a class="btn btn-secondary" href={`/o/${org.slug}/statement`}>
              {t('rights.statement')}
            </a>
          </div>
          <p class="muted small">
            {t('rights.askHint')} {t('rights.statementHint')}
          </p>
        </>
      )}
    </section>
  )
}

type HomeProps = {
  t: Translate
  lang: Language
  org: Org
  role: Role
  products: ProductState[]
  unitLicences?: { list: UnitLicence[]; now: Date }
  limited?: { pendingSince: Date | null } | null
}

export function OrgHomeView({ t, lang, org, role, products, unitLicences, limited = null }: HomeProps) {
  const country = new Intl.DisplayNames([lang], { type: 'region' }).of(org.country) ?? org.country
  return (
    <>
      <h1>{org.name}</h1>
      <p class="muted">{t('org.home.yourRole', { role: t(`org.role.${role}`) })}</p>
      {role === 'member' && limited && <LimitedRights t={t} lang={lang} org={org} pendingSince={limited.pendingSince} />}
      <ProductsSection t={t} lang={lang} slug={org.slug} org={org} isAdmin={role === 'admin'} products={products} />
      {unitLicences && <UnitLicencesSection t={t} lang={lang} licences={unitLicences.list} now={unitLicences.now} timeZone={org.timeZone} />}
      <section class="card" aria-labelledby="company-h">
        <h2 id="company-h">{t('org.home.company')}</h2>
        <dl class="facts">
          <dt>{t('org.field.legalForm')}</dt>
          <dd>{t(`org.legalForm.${org.legalForm}`)}</dd>
          {org.taxId && (
            <>
              <dt>{t('org.field.taxId')}</dt>
              <dd>{displayTaxId(org.taxId)}</dd>
            </>
          )}
          <dt>{t('org.field.addressLine')}</dt>
          <dd>
            {org.addressLine}, {org.postalCode} {org.city}, {country}
          </dd>
          <dt>{t('org.field.billingEmail')}</dt>
          <dd>{org.billingEmail}</dd>
          {org.einvoiceId && (
            <>
              <dt>{t('org.field.einvoiceId')}</dt>
              <dd>{org.einvoiceId}</dd>
            </>
          )}
          {org.codiceFiscale && (
            <>
              <dt>{t('checkout.codiceFiscale')}</dt>
              <dd>{org.codiceFiscale}</dd>
            </>
          )}
          <dt>{t('org.field.timeZone')}</dt>
          <dd>{org.timeZone}</dd>
        </dl>
        {role === 'admin' && (
          <a class="btn btn-secondary" href={`/o/${org.slug}/settings/company`}>
            {t('org.home.edit')}
          </a>
        )}
      </section>
      {role === 'member' && <LeaveForm t={t} slug={org.slug} />}
    </>
  )
}
