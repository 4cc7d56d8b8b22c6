// Catalog editing in the back office (SPEC §4, §15), mounted under /ops/catalog behind the
// operator guard of opsRoutes. Each form posts to a resource: the collection to create, the item to
// change; a 422 shows the form again with its errors (just the card for htmx), success redirects.
import { Hono } from 'hono'
import type { z } from 'zod'
import { parseForm, type FormState } from '../forms/validate'
import { addonForm, addonValues, NewProductForm, newProductValues, NewQuotaForm, NewVariantForm, planForm, planValues, productEditForm, productValues, QuotaEditForm, quotaValues, VariantEditForm, variantValues } from '../forms/catalog'
import { cachedCatalog } from '../db/catalog-cache'
import type { CatalogProduct } from '../db/catalog'
import { operatorActor } from '../db/history'
import { createAddon, createPlan, createProduct, createQuota, createVariant, partById, productById, updateAddon, updatePlan, updateProduct, updateQuota, updateVariant } from '../services/catalog'
import type { MessageKey } from '../i18n'
import type { Localized } from '../db/schema'
import { emptyForm } from '../views/components/form'
import { catalogPath, CatalogOverview } from '../views/catalog/catalog'
import { CatalogPage } from '../views/catalog/shell'
import { EditProductForm, NewProductForm as NewProductCard, NewProductView, ProductView } from '../views/catalog/product'
import { AddonForm, PlanForm, QuotaForm, VariantForm } from '../views/catalog/part-forms'
import type { AppEnv } from './env'
import { type Ctx, page, pageOrFragment, seeOther } from './http'

export const opsCatalogRoutes = new Hono<AppEnv>()

const actor = (c: Ctx) => operatorActor(c.var.user!)
const failed = (values: FormState['values'], field: string, error: MessageKey): FormState => ({ values, errors: { [field]: error } })

opsCatalogRoutes.get('/', async (c) => {
  const { t, lang } = c.var
  const catalog = await cachedCatalog(c.var.deps.db)
  return page(
    c,
    t('catalog.title'),
    <CatalogPage t={t} title={t('catalog.title')}>
      <CatalogOverview t={t} lang={lang} catalog={catalog} />
    </CatalogPage>,
  )
})

// ---- Products -----------------------------------------------------------------------------------

const newProduct = (c: Ctx, form: FormState, status: 200 | 422 = 200) =>
  pageOrFragment(c, c.var.t('catalog.product.new'), <NewProductView t={c.var.t} form={form} />, <NewProductCard t={c.var.t} form={form} />, status)

const productPage = (c: Ctx, product: CatalogProduct, form: FormState, status: 200 | 422 = 200) =>
  pageOrFragment(c, product.name, <ProductView t={c.var.t} lang={c.var.lang} product={product} form={form} />, <EditProductForm t={c.var.t} product={product} form={form} />, status)

opsCatalogRoutes.get('/products/new', (c) => newProduct(c, emptyForm(newProductValues())))

opsCatalogRoutes.post('/products', async (c) => {
  const r = await parseForm(c, NewProductForm)
  if (!r.ok) return newProduct(c, r, 422)
  const created = await createProduct(c.var.deps, actor(c), r.data, c.var.now)
  if (!created.ok) return newProduct(c, failed(r.values, 'key', 'catalog.error.productKeyTaken'), 422)
  return seeOther(c, catalogPath.product(created.id), 'catalog.flash.created', { name: r.data.name })
})

opsCatalogRoutes.get('/products/:id', async (c) => {
  const product = await productById(c.var.deps.db, c.req.param('id'))
  return product ? productPage(c, product, emptyForm(productValues(product))) : c.notFound()
})

opsCatalogRoutes.post('/products/:id', async (c) => {
  const product = await productById(c.var.deps.db, c.req.param('id'))
  if (!product) return c.notFound()
  const r = await parseForm(c, productEditForm(product.kind))
  if (!r.ok) return productPage(c, product, r, 422)
  await updateProduct(c.var.deps, actor(c), product, r.data, c.var.now)
  return seeOther(c, catalogPath.product(product.id), 'catalog.flash.saved', { name: r.data.name })
})

// ---- The parts of a product: plans, quotas, add-ons, variants -----------------------------------

type PartPage = { product: CatalogProduct; title: string; View: typeof PlanForm; action: string; isNew: boolean }
/** How a service's refusal shows: which field, which message. */
type Failures = Record<string, [field: string, message: MessageKey]>
type Outcome = { ok: true } | { ok: false; error: string }

function partPage(c: Ctx, p: PartPage, form: FormState, status: 200 | 422 = 200) {
  const props = { t: c.var.t, lang: c.var.lang, product: p.product, form, action: p.action, isNew: p.isNew }
  const full = (
    <CatalogPage t={c.var.t} title={p.title} back={{ href: catalogPath.product(p.product.id), label: p.product.name }}>
      <p.View {...props} />
    </CatalogPage>
  )
  return pageOrFragment(c, p.title, full, <p.View {...props} />, status)
}

/** Parses the part's form and saves it: 422 with the errors or the refusal, else back to the product. */
async function savePart<S extends z.ZodType>(
  c: Ctx,
  p: PartPage,
  schema: S,
  save: (data: z.output<S>) => Promise<Outcome>,
  done: { anchor: string; name: (data: z.output<S>) => string; failures?: Failures },
) {
  const r = await parseForm(c, schema)
  if (!r.ok) return partPage(c, p, r, 422)
  const saved = await save(r.data)
  if (!saved.ok) {
    const [field, message] = done.failures?.[saved.error] ?? ['_form', 'common.fixErrors']
    return partPage(c, p, failed(r.values, field, message), 422)
  }
  const flash = p.isNew ? 'catalog.flash.created' : 'catalog.flash.saved'
  return seeOther(c, `${catalogPath.product(p.product.id)}#${done.anchor}`, flash, { name: done.name(r.data) })
}

/** GET …/products/:id/<segment>/new and POST …/products/:id/<segment>, for products of one kind. */
function creating<S extends z.ZodType>(spec: {
  segment: 'plans' | 'quotas' | 'addons' | 'variants'
  kind: CatalogProduct['kind']
  title: MessageKey
  View: PartPage['View']
  schema: (product: CatalogProduct) => S
  defaults: (product: CatalogProduct) => FormState['values']
  create: (c: Ctx, product: CatalogProduct, data: z.output<S>) => Promise<Outcome>
  name: (data: z.output<S>, c: Ctx) => string
  failures: Failures
}) {
  const load = async (c: Ctx) => {
    const product = await productById(c.var.deps.db, c.req.param('id') ?? '')
    if (product?.kind !== spec.kind) return null
    const p: PartPage = { product, title: c.var.t(spec.title), View: spec.View, action: `${catalogPath.product(product.id)}/${spec.segment}`, isNew: true }
    return p
  }
  opsCatalogRoutes.get(`/products/:id/${spec.segment}/new`, async (c) => {
    const p = await load(c)
    return p ? partPage(c, p, emptyForm(spec.defaults(p.product))) : c.notFound()
  })
  opsCatalogRoutes.post(`/products/:id/${spec.segment}`, async (c) => {
    const p = await load(c)
    if (!p) return c.notFound()
    return savePart(c, p, spec.schema(p.product), (data) => spec.create(c, p.product, data), { anchor: spec.segment, name: (data) => spec.name(data, c), failures: spec.failures })
  })
}

/** GET and POST of one existing part, at `path`; the form posts where it was shown. */
function editing<T, S extends z.ZodType>(spec: {
  path: string
  anchor: string
  find: (c: Ctx) => Promise<{ product: CatalogProduct; item: T } | null>
  title: (item: NoInfer<T>, c: Ctx) => string
  View: PartPage['View']
  schema: (product: CatalogProduct) => S
  values: (item: NoInfer<T>) => FormState['values']
  save: (c: Ctx, product: CatalogProduct, item: NoInfer<T>, data: z.output<S>) => Promise<Outcome>
  name: (data: z.output<S>, c: Ctx) => string
  failures?: Failures
}) {
  const load = async (c: Ctx) => {
    const found = await spec.find(c)
    if (!found) return null
    const p: PartPage = { product: found.product, title: spec.title(found.item, c), View: spec.View, action: c.req.path, isNew: false }
    return { ...found, p }
  }
  opsCatalogRoutes.get(spec.path, async (c) => {
    const found = await load(c)
    return found ? partPage(c, found.p, emptyForm(spec.values(found.item))) : c.notFound()
  })
  opsCatalogRoutes.post(spec.path, async (c) => {
    const found = await load(c)
    if (!found) return c.notFound()
    const { product, item, p } = found
    return savePart(c, p, spec.schema(product), (data) => spec.save(c, product, item, data), { anchor: spec.anchor, name: (data) => spec.name(data, c), failures: spec.failures })
  })
}

const inLang = (c: Ctx, text: Localized) => text[c.var.lang]
/** A plan, add-on or variant by the `:id` of the path. */
const partOf = <K extends 'plans' | 'addons' | 'variants'>(part: K) => {
  type Item = CatalogProduct[K][number]
  return async (c: Ctx): Promise<{ product: CatalogProduct; item: Item } | null> => {
    const found = await partById(c.var.deps.db, part, c.req.param('id') ?? '')
    return found && { product: found.product, item: found.part }
  }
}
const planOf = partOf('plans')
const addonOf = partOf('addons')
const variantOf = partOf('variants')

creating({
  segment: 'plans',
  kind: 'subscription',
  title: 'catalog.plan.new',
  View: PlanForm,
  schema: (product: CatalogProduct) => planForm(product, true),
  defaults: (product) => ({ rank: String(Math.max(0, ...product.plans.map((p) => p.rank + 1))), active: 'on' }),
  create: (c, product, data) => createPlan(c.var.deps, actor(c), product, data, c.var.now),
  name: (data) => data.name,
  failures: { key_taken: ['key', 'catalog.error.planKeyTaken'], free_taken: ['isFree', 'catalog.error.freeTaken'] },
})

editing({
  path: '/plans/:id',
  anchor: 'plans',
  find: planOf,
  title: (plan, c) => c.var.t('catalog.plan.edit', { name: plan.name }),
  View: PlanForm,
  schema: (product: CatalogProduct) => planForm(product, false),
  values: planValues,
  save: (c, product, plan, data) => updatePlan(c.var.deps, actor(c), product, plan.id, data, c.var.now),
  name: (data) => data.name,
  failures: { free_taken: ['isFree', 'catalog.error.freeTaken'] },
})

creating({
  segment: 'quotas',
  kind: 'subscription',
  title: 'catalog.quota.new',
  View: QuotaForm,
  schema: () => NewQuotaForm,
  defaults: (product) => ({ kind: 'monthly', position: String(product.quotas.length) }),
  create: (c, product, data) => createQuota(c.var.deps, actor(c), product, data, c.var.now),
  name: (data, c) => inLang(c, data.label),
  failures: { key_taken: ['key', 'catalog.error.quotaKeyTaken'] },
})

// A quota is named by its key within its product.
editing({
  path: '/products/:id/quotas/:key',
  anchor: 'quotas',
  find: async (c: Ctx) => {
    const product = await productById(c.var.deps.db, c.req.param('id') ?? '')
    const item = product?.kind === 'subscription' ? product.quotas.find((q) => q.key === c.req.param('key')) : undefined
    return product && item ? { product, item } : null
  },
  title: (quota, c) => c.var.t('catalog.quota.edit', { name: inLang(c, quota.label) }),
  View: QuotaForm,
  schema: () => QuotaEditForm,
  values: quotaValues,
  save: (c, product, quota, data) => updateQuota(c.var.deps, actor(c), product, quota.key, data, c.var.now),
  name: (data, c) => inLang(c, data.label),
})

creating({
  segment: 'addons',
  kind: 'subscription',
  title: 'catalog.addon.new',
  View: AddonForm,
  schema: (product: CatalogProduct) => addonForm(product, true),
  defaults: () => ({ packSize: '1', active: 'on' }),
  create: (c, product, data) => createAddon(c.var.deps, actor(c), product, data, c.var.now),
  name: (data, c) => inLang(c, data.name),
  failures: { quota_taken: ['quotaKey', 'catalog.error.addonQuotaTaken'] },
})

editing({
  path: '/addons/:id',
  anchor: 'addons',
  find: addonOf,
  title: (addon, c) => c.var.t('catalog.addon.edit', { name: inLang(c, addon.name) }),
  View: AddonForm,
  schema: (product: CatalogProduct) => addonForm(product, false),
  values: addonValues,
  save: (c, product, addon, data) => updateAddon(c.var.deps, actor(c), product, addon.id, data, c.var.now),
  name: (data, c) => inLang(c, data.name),
})

creating({
  segment: 'variants',
  kind: 'virtual',
  title: 'catalog.variant.new',
  View: VariantForm,
  schema: () => NewVariantForm,
  defaults: () => ({ termMonths: '12', ecodeValidityMonths: '24', active: 'on' }),
  create: (c, product, data) => createVariant(c.var.deps, actor(c), product, data, c.var.now),
  name: (data, c) => inLang(c, data.name),
  failures: { key_taken: ['key', 'catalog.error.variantKeyTaken'] },
})

editing({
  path: '/variants/:id',
  anchor: 'variants',
  find: variantOf,
  title: (variant, c) => c.var.t('catalog.variant.edit', { name: inLang(c, variant.name) }),
  View: VariantForm,
  schema: () => VariantEditForm,
  values: variantValues,
  save: (c, product, variant, data) => updateVariant(c.var.deps, actor(c), product, variant.id, data, c.var.now),
  name: (data, c) => inLang(c, data.name),
})
