// Organizations (SPEC §2): the list, adding a company, an org's start page, company data.
import { Hono } from 'hono'
import { parseForm, parseWith, readForm, withoutSecrets, type FormState } from '../forms/validate'
import { ClaimForm, TaxIdStep } from '../forms/claims'
import { claimOrg, companyByTaxId, type CompanyLookup } from '../services/claims'
import { orgHome } from '../services/org-home'
import { ClaimNoSeatView } from '../views/orgs/claim-no-seat'
import { ClaimView, TaxIdStepView } from '../views/orgs/claim'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { activateFreePlan, orgProducts } from '../services/subscriptions'
import { OrgForm } from '../forms/org'
import { createOrg, updateOrg, type Org } from '../services/orgs'
import { emptyForm } from '../views/components/form'
import { EditOrgView, NewOrgView } from '../views/orgs/org-form'
import { OrgHomeView, OrgListView } from '../views/orgs/home'
import { displayTaxId } from '../domain/tax-id'
import { defaultCountry } from '../domain/country'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther, throttled } from './http'
import { requireUser } from './guards'
import { requireAdmin } from './tenant'
import { readCart } from './cart'
import { redeemPath } from './redeem-cookie'

/** /orgs: the signed-in user's orgs and adding a company. */
export const orgsRoutes = new Hono<AppEnv>()
orgsRoutes.use(requireUser)

/** /o/:slug/…: an org's own pages; mounted behind requireMembership (see app.tsx). */
export const orgPages = new Hono<AppEnv>()

orgsRoutes.get('/', (c) => page(c, c.var.t('org.list.title'), <OrgListView t={c.var.t} orgs={c.var.orgs} />))

// Adding a company starts from the tax id (SPEC §3): a free one leads to the company form, one
// that a live org has leads to the claim (a licence number of that org and the statement).
/** The country a new company's form starts with: from the reader's language and browser (src/domain/country.ts). */
const startCountry = (c: Ctx) => defaultCountry(c.var.lang, c.req.header('Accept-Language'))

orgsRoutes.get('/new', (c) => page(c, c.var.t('org.new.title'), <TaxIdStepView t={c.var.t} lang={c.var.lang} form={emptyForm({ country: startCountry(c) })} />))

orgsRoutes.post('/new', async (c) => {
  const { t, lang } = c.var
  const r = await parseForm(c, TaxIdStep)
  if (!r.ok) return page(c, t('org.new.title'), <TaxIdStepView t={t} lang={lang} form={r} />, 422)
  // Naming the company that has the tax id is within the claim throttle (services/claims.ts).
  const found = await companyByTaxId(c.var.deps, c.var.user!, r.data.taxId, c.var.now)
  if (!found.ok) return throttled(c, found.retryAfterSeconds)
  if (found.org) return claimPage(c, found.org.name, emptyForm({ country: r.data.country, taxId: r.data.taxId }))
  const form = emptyForm({ country: r.data.country, taxId: displayTaxId(r.data.taxId), billingEmail: c.var.user!.email })
  return page(c, t('org.new.title'), <NewOrgView t={t} lang={lang} form={form} />)
})

/** The company form straight away (a private person has no tax id), prefilled from the query. */
orgsRoutes.get('/new/details', (c) => {
  const { country, legalForm } = c.req.query()
  const form = emptyForm({ billingEmail: c.var.user!.email, country: country || startCountry(c), ...(legalForm ? { legalForm } : {}) })
  return page(c, c.var.t('org.new.title'), <NewOrgView t={c.var.t} lang={c.var.lang} form={form} />)
})

const claimPage = (c: Ctx, company: string, form: FormState, status: ContentfulStatusCode = 200) =>
  page(c, c.var.t('claim.title'), <ClaimView t={c.var.t} company={company} form={form} />, status)

orgsRoutes.post('/', async (c) => {
  const { t, lang } = c.var
  const r = await parseForm(c, OrgForm)
  if (!r.ok) return page(c, t('org.new.title'), <NewOrgView t={t} lang={lang} form={r} />, 422)
  // A company someone registered meanwhile (or the first step skipped): the claim is offered, as
  // in the first step and within the same throttle.
  const found = r.data.taxId ? await companyByTaxId(c.var.deps, c.var.user!, r.data.taxId, c.var.now) : { ok: true as const, org: undefined }
  if (!found.ok) return throttled(c, found.retryAfterSeconds)
  if (found.org) return claimPage(c, found.org.name, emptyForm({ country: r.data.country, taxId: found.org.taxId ?? '' }), 409)
  const created = await createOrg(c.var.deps, c.var.user!, r.data, c.var.now)
  if (!created.ok) {
    const form: FormState = { values: r.values, errors: { taxId: 'field.taxId.taken' } }
    return page(c, t('org.new.title'), <NewOrgView t={t} lang={lang} form={form} />, 409)
  }
  // A company added in the middle of a checkout goes straight back to it, as the buyer.
  if (readCart(c)) return seeOther(c, `/checkout/billing?org=${created.org.slug}`, 'org.created')
  // One added to receive an e-code goes back to the code, where it is now offered.
  const redeeming = redeemPath(c)
  if (redeeming) return seeOther(c, redeeming, 'org.created')
  return seeOther(c, `/o/${created.org.slug}`, 'org.created')
})

orgsRoutes.post('/claims', async (c) => {
  const r = await parseForm(c, ClaimForm)
  const values = withoutSecrets(r.values)
  // No live org with the tax id (any more): back to the first step, which says what to do.
  const noCompany = () => page(c, c.var.t('org.new.title'), <TaxIdStepView t={c.var.t} lang={c.var.lang} form={emptyForm({ country: values.country || startCountry(c), taxId: values.taxId ?? '' })} />, 422)
  if (!r.ok) {
    // The form again with its errors, naming the company — a reveal like the first step's.
    const found = await taxIdCompany(c, values)
    if (!found.ok) return throttled(c, found.retryAfterSeconds)
    return found.org ? claimPage(c, found.org.name, { values, errors: r.errors }, 422) : noCompany()
  }
  const claimed = await claimOrg(c.var.deps, c.var.user!, r.data, c.var.now)
  if (!claimed.ok && claimed.error === 'throttled') return throttled(c, claimed.retryAfterSeconds)
  if (!claimed.ok && claimed.error === 'no_company') return noCompany()
  if (!claimed.ok && claimed.error === 'seats_full') {
    return page(c, c.var.t('seats.claimFull.title', { org: claimed.org.name }), <ClaimNoSeatView t={c.var.t} company={claimed.org.name} seats={claimed.seats} />, 409)
  }
  if (!claimed.ok) return claimPage(c, claimed.company, { values, errors: { _form: 'claim.noMatch' } }, 422)
  return seeOther(c, `/o/${claimed.org.slug}`, claimed.alreadyMember ? 'claim.alreadyMember' : 'claim.joined', { org: claimed.org.name })
})

/** The company a claim form's (possibly malformed) tax id names, to show the form again. */
async function taxIdCompany(c: Ctx, values: Record<string, string>): Promise<CompanyLookup> {
  const r = parseWith(TaxIdStep, { country: values.country ?? '', taxId: values.taxId ?? '' })
  return r.ok ? companyByTaxId(c.var.deps, c.var.user!, r.data.taxId, c.var.now) : { ok: true, org: undefined }
}

orgPages.get('/', async (c) => {
  const { deps, org, role, user } = c.var
  const home = await orgHome(deps, org, user!.id, role, c.var.now)
  return page(c, org.name, <OrgHomeView t={c.var.t} lang={c.var.lang} org={org} role={role} products={home.products} unitLicences={{ list: home.unitLicences, now: c.var.now }} limited={home.limited} />)
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
  codiceFiscale: org.codiceFiscale ?? '',
})

orgPages.get('/settings/company', requireAdmin, (c) =>
  page(c, c.var.t('org.edit.title'), <EditOrgView t={c.var.t} lang={c.var.lang} slug={c.var.org.slug} sellerCountry={c.var.deps.config.vendor.country} form={emptyForm(orgFormValues(c.var.org))} />),
)

orgPages.post('/settings/company', requireAdmin, async (c) => {
  const { t, lang, org } = c.var
  const r = await parseForm(c, OrgForm)
  if (!r.ok) return page(c, t('org.edit.title'), <EditOrgView t={t} lang={lang} slug={org.slug} sellerCountry={c.var.deps.config.vendor.country} form={r} />, 422)
  // A new tax id that another org has is named "taken": a reveal, within the claim throttle.
  if (r.data.taxId && r.data.taxId !== org.taxId) {
    const found = await companyByTaxId(c.var.deps, c.var.user!, r.data.taxId, c.var.now)
    if (!found.ok) return throttled(c, found.retryAfterSeconds)
  }
  const updated = await updateOrg(c.var.deps, org, c.var.user!, r.data, c.var.now)
  if (!updated.ok) {
    const form: FormState = { values: r.values, errors: { taxId: 'field.taxId.taken' } }
    return page(c, t('org.edit.title'), <EditOrgView t={t} lang={lang} slug={org.slug} sellerCountry={c.var.deps.config.vendor.country} form={form} />, 409)
  }
  return seeOther(c, `/o/${org.slug}/settings/company`, 'org.edit.saved')
})
