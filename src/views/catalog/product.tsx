// A product in the back office (SPEC §4): the form to create one, and its page with the form to
// change it and its quotas, plans, add-ons and variants.
import type { Child } from 'hono/jsx'
import type { FormState } from '../../forms/validate'
import { CURRENCIES, LAPSE_POLICIES, PRODUCT_KINDS } from '../../forms/catalog'
import type { CatalogProduct } from '../../db/catalog'
import type { Language, Translate } from '../../i18n'
import { Checkbox, Field, Select } from '../components/form'
import { AddonList, catalogPath, EditLink, PlansTable, VariantList } from './catalog'
import { ActiveCheckbox, CatalogForm, CatalogPage, LocalizedFields, WholeField } from './shell'

export const PRODUCT_FORM_ID = 'product-form'

/** The fields that can change after creation. */
function ProductFields({ t, form }: { t: Translate; form: FormState }) {
  return (
    <>
      <Field t={t} form={form} name="name" label={t('catalog.field.name')} required maxlength={100} />
      <LocalizedFields t={t} form={form} name="description" label={t('catalog.field.description')} maxlength={500} />
      <Field t={t} form={form} name="billingPeriods" label={t('catalog.field.periods')} hint={t('catalog.field.periodsHint')} maxlength={40} />
      <Select
        t={t}
        form={form}
        name="lapsePolicy"
        label={t('catalog.field.lapsePolicy')}
        options={LAPSE_POLICIES.map((l) => ({ value: l, label: t(`catalog.lapsePolicy.${l}`) }))}
      />
      <WholeField t={t} form={form} name="graceDays" label={t('catalog.field.graceDays')} required />
      <WholeField t={t} form={form} name="freeValidityMonths" label={t('catalog.field.freeValidity')} required />
      <Checkbox t={t} form={form} name="businessOnly" label={t('catalog.field.businessOnly')} />
      <ActiveCheckbox t={t} form={form} />
    </>
  )
}

export function NewProductForm({ t, form }: { t: Translate; form: FormState }) {
  return (
    <CatalogForm t={t} id={PRODUCT_FORM_ID} action="/ops/catalog/products" form={form} submit={t('catalog.create')}>
      <Field t={t} form={form} name="key" label={t('catalog.field.key')} hint={t('catalog.field.keyHint')} required maxlength={40} />
      <Select t={t} form={form} name="kind" label={t('catalog.field.kind')} options={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`catalog.kind.${k}`) }))} />
      <Select t={t} form={form} name="currency" label={t('catalog.field.currency')} options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
      <ProductFields t={t} form={form} />
    </CatalogForm>
  )
}

export function NewProductView({ t, form }: { t: Translate; form: FormState }) {
  return (
    <CatalogPage t={t} title={t('catalog.product.new')} back={{ href: '/ops/catalog', label: t('catalog.title') }}>
      <NewProductForm t={t} form={form} />
    </CatalogPage>
  )
}

export function EditProductForm({ t, product, form }: { t: Translate; product: CatalogProduct; form: FormState }) {
  return (
    <CatalogForm
      t={t}
      id={PRODUCT_FORM_ID}
      action={catalogPath.product(product.id)}
      form={form}
      submit={t('common.save')}
      note={t('catalog.fixed', { key: product.key, kind: t(`catalog.kind.${product.kind}`), currency: product.currency })}
    >
      <ProductFields t={t} form={form} />
    </CatalogForm>
  )
}

type PageProps = { t: Translate; lang: Language; product: CatalogProduct; form: FormState }

/** A section of the product page: heading, what there is (or "none yet"), and the link to add one. */
function Part(p: { t: Translate; id: string; title: string; empty: boolean; add: { href: string; label: string }; children: Child }) {
  return (
    <section class="card" aria-labelledby={p.id}>
      <h2 id={p.id}>{p.title}</h2>
      {p.empty ? <p class="muted">{p.t('catalog.none')}</p> : p.children}
      <p>
        <a class="btn btn-secondary" href={p.add.href}>
          {p.add.label}
        </a>
      </p>
    </section>
  )
}

export function ProductView({ t, lang, product, form }: PageProps) {
  const base = catalogPath.product(product.id)
  return (
    <CatalogPage t={t} title={product.name} back={{ href: '/ops/catalog', label: t('catalog.title') }}>
      <div class="stack">
        <EditProductForm t={t} product={product} form={form} />
        {product.kind === 'subscription' ? (
          <>
            <Part t={t} id="quotas" title={t('catalog.quotas')} empty={product.quotas.length === 0} add={{ href: `${base}/quotas/new`, label: t('catalog.quota.new') }}>
              <ul class="list">
                {product.quotas.map((q) => (
                  <li>
                    {q.label[lang]} <code>{q.key}</code> · {t(`catalog.quotaKind.${q.kind}`)} · <EditLink t={t} href={catalogPath.quota(product.id, q.key)} name={q.label[lang]} />
                  </li>
                ))}
              </ul>
            </Part>
            <Part t={t} id="plans" title={t('catalog.plans')} empty={product.plans.length === 0} add={{ href: `${base}/plans/new`, label: t('catalog.plan.new') }}>
              <PlansTable t={t} lang={lang} product={product} editable />
            </Part>
            <Part t={t} id="addons" title={t('catalog.addons')} empty={product.addons.length === 0} add={{ href: `${base}/addons/new`, label: t('catalog.addon.new') }}>
              <AddonList t={t} lang={lang} product={product} editable />
            </Part>
          </>
        ) : (
          <Part t={t} id="variants" title={t('catalog.variants')} empty={product.variants.length === 0} add={{ href: `${base}/variants/new`, label: t('catalog.variant.new') }}>
            <VariantList t={t} lang={lang} product={product} editable />
          </Part>
        )}
      </div>
    </CatalogPage>
  )
}

