// The forms for the parts of a product (SPEC §4): plans (prices per period and limits per quota),
// quotas, add-ons and variants. Each renders as a card on its own page and as the htmx fragment.
import type { FormState } from '../../forms/validate'
import { limitField, QUOTA_KINDS } from '../../forms/catalog'
import type { CatalogProduct } from '../../db/catalog'
import type { Language, Translate } from '../../i18n'
import { Checkbox, Field, Select } from '../components/form'
import { ActiveCheckbox, CatalogForm, LocalizedFields, PriceFields, WholeField } from './shell'

export const PART_FORM_ID = 'part-form'

/** `action` is where the form posts; a new part also gets the fields fixed at creation. */
type FormProps = { t: Translate; lang: Language; product: CatalogProduct; form: FormState; action: string; isNew: boolean }

function KeyField({ t, form }: { t: Translate; form: FormState }) {
  return <Field t={t} form={form} name="key" label={t('catalog.field.key')} hint={t('catalog.field.keyHint')} required maxlength={40} />
}

const submitLabel = (t: Translate, isNew: boolean) => (isNew ? t('catalog.create') : t('common.save'))

export function PlanForm({ t, lang, product, form, action, isNew }: FormProps) {
  return (
    <CatalogForm t={t} id={PART_FORM_ID} action={action} form={form} submit={submitLabel(t, isNew)} note={isNew ? undefined : t('catalog.snapshotNote')}>
      {isNew && <KeyField t={t} form={form} />}
      <Field t={t} form={form} name="name" label={t('catalog.field.name')} required maxlength={100} />
      <WholeField t={t} form={form} name="rank" label={t('catalog.field.rank')} required />
      <Checkbox t={t} form={form} name="isFree" label={t('catalog.field.isFree')} />
      <PriceFields t={t} form={form} periods={product.billingPeriods} currency={product.currency} hint={t('catalog.field.priceHint')} />
      {product.quotas.map((q) => (
        <WholeField t={t} form={form} name={limitField(q.key)} label={t('catalog.field.limit', { quota: q.label[lang] })} hint={t('catalog.field.limitHint')} />
      ))}
      <ActiveCheckbox t={t} form={form} />
    </CatalogForm>
  )
}

export function QuotaForm({ t, form, action, isNew }: FormProps) {
  return (
    <CatalogForm t={t} id={PART_FORM_ID} action={action} form={form} submit={submitLabel(t, isNew)}>
      {isNew && <KeyField t={t} form={form} />}
      {isNew && <Select t={t} form={form} name="kind" label={t('catalog.field.kind')} options={QUOTA_KINDS.map((k) => ({ value: k, label: t(`catalog.quotaKind.${k}`) }))} />}
      <LocalizedFields t={t} form={form} name="label" label={t('catalog.field.label')} maxlength={100} />
      <WholeField t={t} form={form} name="position" label={t('catalog.field.position')} required />
    </CatalogForm>
  )
}

export function AddonForm({ t, lang, product, form, action, isNew }: FormProps) {
  return (
    <CatalogForm t={t} id={PART_FORM_ID} action={action} form={form} submit={submitLabel(t, isNew)}>
      {isNew && (
        <Select t={t} form={form} name="quotaKey" label={t('catalog.field.quota')} options={product.quotas.map((q) => ({ value: q.key, label: `${q.label[lang]} (${q.key})` }))} />
      )}
      <LocalizedFields t={t} form={form} name="name" label={t('catalog.field.name')} maxlength={100} />
      <WholeField t={t} form={form} name="packSize" label={t('catalog.field.packSize')} required />
      <WholeField t={t} form={form} name="maxPacks" label={t('catalog.field.maxPacks')} hint={t('catalog.field.maxPacksHint')} />
      <PriceFields t={t} form={form} periods={product.billingPeriods} currency={product.currency} />
      <ActiveCheckbox t={t} form={form} />
    </CatalogForm>
  )
}

export function VariantForm({ t, product, form, action, isNew }: FormProps) {
  return (
    <CatalogForm t={t} id={PART_FORM_ID} action={action} form={form} submit={submitLabel(t, isNew)}>
      {isNew && <KeyField t={t} form={form} />}
      <LocalizedFields t={t} form={form} name="name" label={t('catalog.field.name')} maxlength={100} />
      <WholeField t={t} form={form} name="termMonths" label={t('catalog.field.term')} required />
      <Field t={t} form={form} name="unitPrice" label={t('catalog.field.unitPrice', { currency: product.currency })} inputmode="decimal" required maxlength={20} />
      <WholeField t={t} form={form} name="ecodeValidityMonths" label={t('catalog.field.ecodeValidity')} required />
      <ActiveCheckbox t={t} form={form} />
    </CatalogForm>
  )
}
