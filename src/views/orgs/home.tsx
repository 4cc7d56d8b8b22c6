// The list of a user's orgs, and an org's start page.
import type { Language, Translate } from '../../i18n'
import type { Org, Role } from '../../services/orgs'
import { displayTaxId } from '../../domain/tax-id'
import { LeaveForm } from '../members/members'
import type { ProductState } from '../../services/subscriptions'
import { ProductsSection } from './products'

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

export function OrgHomeView({ t, lang, org, role, products }: { t: Translate; lang: Language; org: Org; role: Role; products: ProductState[] }) {
  const country = new Intl.DisplayNames([lang], { type: 'region' }).of(org.country) ?? org.country
  return (
    <>
      <h1>{org.name}</h1>
      <p class="muted">{t('org.home.yourRole', { role: t(`org.role.${role}`) })}</p>
      <ProductsSection t={t} lang={lang} slug={org.slug} timeZone={org.timeZone} isAdmin={role === 'admin'} products={products} />
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
