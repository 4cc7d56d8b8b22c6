// Organizations (SPEC §2): the list, adding a company, an org's start page, company data.
import { Hono } from 'hono'
import { parseForm, readForm, type FormState } from '../forms/validate'
import { activateFreePlan, orgProducts, productsFor } from '../services/subscriptions'
import { OrgForm } from '../forms/org'
import { createOrg, updateOrg, type Org } from '../services/orgs'
import { emptyForm } from '../views/components/form'
import { EditOrgView, NewOrgView } from '../views/orgs/org-form'
import { OrgHomeView, OrgListView } from '../views/orgs/home'
import { displayTaxId } from '../domain/tax-id'
import type { AppEnv } from './env'
import { page, seeOther } from './http'
import { requireUser } from './guards'
import { requireAdmin } from './tenant'

/** /orgs: the signed-in user's orgs and adding a company. */
export const orgsRoutes = new Hono<AppEnv>()
orgsRoutes.use(requireUser)

/** /o/:slug/…: an org's own pages; mounted behind requireMembership (see app.tsx). */
export const orgPages = new Hono<AppEnv>()

orgsRoutes.get('/', (c) => page(c, c.var.t('org.list.title'), <OrgListView t={c.var.t} orgs={c.var.orgs} />))

orgsRoutes.get('/new', (c) =>
  page(c, c.var.t('org.new.title'), <NewOrgView t={c.var.t} lang={c.var.lang} form={emptyForm({ billingEmail: c.var.user!.email })} />),
)

orgsRoutes.post('/', async (c) => {
  const { t, lang } = c.var
  const r = await parseForm(c, OrgForm)
  if (!r.ok) return page(c, t('org.new.title'), <NewOrgView t={t} lang={lang} form={r} />, 422)
  const created = await createOrg(c.var.deps, c.var.user!, r.data, c.var.now)
  if (!created.ok) {
    const form: FormState = { values: r.values, errors: { taxId: 'field.taxId.taken' } }
    return page(c, t('org.new.title'), <NewOrgView t={t} lang={lang} form={form} />, 409)
  }
  return seeOther(c, `/o/${created.org.slug}`, 'org.created')
})

orgPages.get('/', async (c) => {
  const products = await productsFor(c.var.deps, c.var.org, c.var.user!.id, c.var.role, c.var.now)
  return page(c, c.var.org.name, <OrgHomeView t={c.var.t} lang={c.var.lang} org={c.var.org} role={c.var.role} products={products} />)
})

orgPages.post('/subscriptions', requireAdmin, async (c) => {
  const form = await readForm(c)
  const r = await activateFreePlan(c.var.deps, c.var.org, c.var.user!, String(form.product ?? ''), c.var.now)
  if (!r.ok) {
    const products = await orgProducts(c.var.deps, c.var.org, c.var.now)
    c.set('flash', { key: `products.error.${r.error}` })
    const status = r.error === 'already_subscribed' ? 409 : r.error === 'not_found' ? 404 : 422
    return page(c, c.var.org.name, <OrgHomeView t={c.var.t} lang={c.var.lang} org={c.var.org} role={c.var.role} products={products} />, status)
  }
  return seeOther(c, `/o/${c.var.org.slug}`, 'products.activated', { number: r.licenceNumber })
})

const orgFormValues = (org: Org) => ({
  name: org.name,
  country: org.country,
  legalForm: org.legalForm,
  taxId: org.taxId ? displayTaxId(org.taxId) : '',
  addressLine: org.addressLine,
  postalCode: org.postalCode,
  city: org.city,
  billingEmail: org.billingEmail,
  einvoiceId: org.einvoiceId ?? '',
})

orgPages.get('/settings/company', requireAdmin, (c) =>
  page(c, c.var.t('org.edit.title'), <EditOrgView t={c.var.t} lang={c.var.lang} slug={c.var.org.slug} form={emptyForm(orgFormValues(c.var.org))} />),
)

orgPages.post('/settings/company', requireAdmin, async (c) => {
  const { t, lang, org } = c.var
  const r = await parseForm(c, OrgForm)
  if (!r.ok) return page(c, t('org.edit.title'), <EditOrgView t={t} lang={lang} slug={org.slug} form={r} />, 422)
  const updated = await updateOrg(c.var.deps, org, c.var.user!, r.data, c.var.now)
  if (!updated.ok) {
    const form: FormState = { values: r.values, errors: { taxId: 'field.taxId.taken' } }
    return page(c, t('org.edit.title'), <EditOrgView t={t} lang={lang} slug={org.slug} form={form} />, 409)
  }
  return seeOther(c, `/o/${org.slug}/settings/company`, 'org.edit.saved')
})
