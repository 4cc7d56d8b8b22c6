// The back office's organizations (SPEC §15): search, one org's picture, granting a paid plan or
// warehouse units, and the org's history (the same pages its administrators see).
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { GrantPlanForm, GrantUnitsForm, OrgSearch } from '../forms/grants'
import { parseForm, parseWith, type FormState } from '../forms/validate'
import { cachedCatalog } from '../db/catalog-cache'
import { orgOverview, searchOrgs } from '../services/ops-orgs'
import { grantPlan, grantUnits } from '../services/grants'
import { formatDate } from '../i18n'
import { emptyForm } from '../views/components/form'
import { OpsOrgView, OrgSearchView } from '../views/ops/orgs'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import { historyRoutes } from './history'

export const opsOrgRoutes = new Hono<AppEnv>()

opsOrgRoutes.get('/', async (c) => {
  const parsed = parseWith(OrgSearch, { q: c.req.query('q') ?? '' })
  const q = parsed.ok ? parsed.data.q : ''
  const orgs = await searchOrgs(c.var.deps, q)
  return page(c, c.var.t('ops.orgs'), <OrgSearchView t={c.var.t} lang={c.var.lang} q={q} orgs={orgs} />)
})

/** Operators may open any org, live or deleted; an unknown id is a 404. The org was read in the request's first batch. */
const loadOrg = createMiddleware<AppEnv>(async (c, next) => {
  const org = c.var.opsOrg
  if (!org || org.id !== c.req.param('id')) return c.notFound()
  c.set('org', org)
  await next()
})
opsOrgRoutes.use('/:id', loadOrg)
opsOrgRoutes.use('/:id/*', loadOrg)

async function orgPage(c: Ctx, forms: { planForm?: FormState; unitsForm?: FormState } = {}, status: 200 | 404 | 409 | 422 = 200) {
  const { deps, org, t, lang } = c.var
  const [overview, catalog] = await Promise.all([orgOverview(deps, org.id), cachedCatalog(deps.db)])
  const planOptions = catalog
    .filter((p) => p.kind === 'subscription' && p.active)
    .flatMap((p) => p.plans.filter((pl) => pl.active && !pl.isFree).map((pl) => ({ value: pl.id, label: `${p.name} — ${pl.name}` })))
  const variantOptions = catalog
    .filter((p) => p.kind === 'virtual' && p.active)
    .flatMap((p) => p.variants.filter((v) => v.active).map((v) => ({ value: v.id, label: `${p.name} — ${v.name[lang]}` })))
  return page(
    c,
    org.name,
    <OpsOrgView
      t={t}
      lang={lang}
      org={org}
      overview={overview}
      grants={overview.grants}
      planOptions={planOptions}
      variantOptions={variantOptions}
      planForm={forms.planForm ?? emptyForm({ months: '12' })}
      unitsForm={forms.unitsForm ?? emptyForm()}
      now={c.var.now}
    />,
    status,
  )
}

opsOrgRoutes.get('/:id', (c) => orgPage(c))

opsOrgRoutes.post('/:id/plan-grants', async (c) => {
  const { org, lang } = c.var
  const r = await parseForm(c, GrantPlanForm)
  if (!r.ok) return orgPage(c, { planForm: r }, 422)
  const granted = await grantPlan(c.var.deps, org, c.var.user!, { planId: r.data.plan, months: r.data.months }, c.var.now)
  if (!granted.ok) {
    const status = granted.error === 'conflict' ? 409 : granted.error === 'plan_not_found' ? 404 : 422
    return orgPage(c, { planForm: { values: r.values, errors: { _form: `ops.grantPlan.error.${granted.error}` } } }, status)
  }
  return seeOther(c, `/ops/orgs/${org.id}`, 'ops.grantPlan.done', {
    plan: granted.planName,
    date: formatDate(lang, granted.periodEnd, org.timeZone),
    number: granted.licenceNumber,
  })
})

opsOrgRoutes.post('/:id/unit-grants', async (c) => {
  const { org } = c.var
  const r = await parseForm(c, GrantUnitsForm)
  if (!r.ok) return orgPage(c, { unitsForm: r }, 422)
  const granted = await grantUnits(c.var.deps, org, c.var.user!, { variantId: r.data.variant, units: r.data.units, note: r.data.note }, c.var.now)
  if (!granted.ok) return orgPage(c, { unitsForm: { values: r.values, errors: { _form: `ops.grantUnits.error.${granted.error}` } } }, 404)
  return seeOther(c, `/ops/orgs/${org.id}#grant-units`, 'ops.grantUnits.done', { count: r.data.units })
})

opsOrgRoutes.route('/:id', historyRoutes((c) => `/ops/orgs/${c.var.org.id}`))
