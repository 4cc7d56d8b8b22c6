// Step 3 (SPEC §7): which org buys, and its billing data shown for confirmation. The billing
// e-mail and the Italian e-invoicing code can be corrected here; the rest on the org's data page.
import type { FormState } from '../../forms/validate'
import type { Translate } from '../../i18n'
import { displayTaxId } from '../../domain/tax-id'
import { looksLikePec } from '../../domain/orgs'
import type { BuyerProblem } from '../../services/checkout'
import type { Org } from '../../services/orgs'
import { Field, FormErrors } from '../components/form'
import { CheckoutFrame } from './steps'

export function ChooseOrgView({ t, orgs }: { t: Translate; orgs: Org[] }) {
  return (
    <CheckoutFrame t={t} step={3}>
      <h2>{t('checkout.billing.whichOrg')}</h2>
      {orgs.length === 0 ? (
        <p>{t('checkout.billing.noOrg')}</p>
      ) : (
        <form method="get" action="/checkout/billing" class="stack">
          <fieldset class="choices">
            <legend>{t('checkout.billing.org')}</legend>
            {orgs.map((o, i) => (
              <label class="choice">
                <input type="radio" name="org" value={o.slug} checked={i === 0} required />
                <span>
                  <strong>{o.name}</strong> <span class="small">{o.taxId ? displayTaxId(o.taxId) : t('org.legalForm.person')}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit" class="btn">
            {t('checkout.continue')}
          </button>
        </form>
      )}
      <p>
        <a href="/orgs/new">{t('checkout.billing.addCompany')}</a>
      </p>
    </CheckoutFrame>
  )
}

type BillingProps = {
  t: Translate
  org: Org
  form: FormState
  problem: BuyerProblem | null
  productName: string
  /** An Italian private person buying from an Italian seller: the e-invoice names them by their codice fiscale. */
  asksCodiceFiscale: boolean
}

export function BillingView({ t, org, form, problem, productName, asksCodiceFiscale }: BillingProps) {
  const email = form.values.billingEmail ?? org.billingEmail
  return (
    <CheckoutFrame t={t} step={3}>
      <h2>{t('checkout.billing.title')}</h2>
      <dl class="facts">
        <dt>{t('org.field.name')}</dt>
        <dd>{org.name}</dd>
        <dt>{t('org.field.taxId')}</dt>
        <dd>{org.taxId ? displayTaxId(org.taxId) : '—'}</dd>
        <dt>{t('checkout.billing.address')}</dt>
        <dd>
          {org.addressLine}, {org.postalCode} {org.city}, {org.country}
        </dd>
      </dl>
      <p class="small">
        <a href={`/o/${org.slug}/settings/company`}>{t('checkout.billing.editOrg')}</a>
      </p>
      {problem === 'business_only' ? (
        <p class="alert" role="alert">
          {t('checkout.error.business_only', { product: productName })}
        </p>
      ) : problem === 'already_subscribed' ? (
        <p class="alert" role="alert">
          {t('checkout.error.already_subscribed', { product: productName })}
        </p>
      ) : (
        <>
          <FormErrors t={t} form={form} />
          <form method="post" action="/checkout/billing" novalidate class="stack">
            <input type="hidden" name="org" value={org.slug} />
            <Field t={t} form={{ ...form, values: { ...form.values, billingEmail: email } }} name="billingEmail" label={t('org.field.billingEmail')} type="email" required />
            {looksLikePec(email) && (
              <p class="warning" role="note">
                {t('checkout.pecWarning')}
              </p>
            )}
            <Field
              t={t}
              form={{ ...form, values: { ...form.values, einvoiceId: form.values.einvoiceId ?? org.einvoiceId ?? '' } }}
              name="einvoiceId"
              label={t('org.field.einvoiceId')}
              hint={t('org.field.einvoiceIdHint')}
            />
            {asksCodiceFiscale && (
              <Field
                t={t}
                form={{ ...form, values: { ...form.values, codiceFiscale: form.values.codiceFiscale ?? org.codiceFiscale ?? '' } }}
                name="codiceFiscale"
                label={t('checkout.codiceFiscale')}
                hint={t('checkout.codiceFiscaleHint')}
                required
                maxlength={24}
                autocomplete="off"
              />
            )}
            <button type="submit" class="btn">
              {t('checkout.continue')}
            </button>
          </form>
        </>
      )}
      <p>
        <a href="/checkout/billing">{t('checkout.billing.otherOrg')}</a>
      </p>
    </CheckoutFrame>
  )
}
