// The subscription page of an org's product and the changes it offers (SPEC §8), for administrators:
// GET /o/:slug/products/:product/plan, and each change as a resource below it. Every refusal shows
// the page again with the reason next to the form (422; 409 when the subscription changed meanwhile).
import { Hono } from 'hono'
import { z } from 'zod'
import type { PaymentMethod } from '../db/schema'
import { offeredMethod } from '../forms/checkout'
import { parseWith, readForm, type FormResult, type FormValues } from '../forms/validate'
import type { MessageKey } from '../i18n'
import {
  addonOffers,
  cancelScheduled,
  downgradePlans,
  loadPlanState,
  orderAddons,
  orderUpgrade,
  paidTerm,
  periodOptions,
  scheduleDowngrade,
  schedulePeriod,
  setAutoRenew,
  switchToFree,
  upgradeQuotes,
  type Change,
  type PlanProblem,
  type PlanState,
} from '../services/plan-changes'
import { orgVat, priceLines } from '../services/pricing'
import { unlockWithFreePlan } from '../services/read-only'
import { PlanPageView, type PlanPageModel } from '../views/plans/page'
import type { Section } from '../views/plans/shared'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import { continueToPayment } from './payment-flow'
import { requireAdmin } from './tenant'

export const planPages = new Hono<AppEnv>()
const BASE = '/products/:product/plan'
planPages.use(BASE, requireAdmin)
planPages.use(`${BASE}/*`, requireAdmin)

const msg = (key: MessageKey) => ({ message: key })
const Terms = z.literal('on', msg('plans.error.terms'))
const PlanKey = z.string(msg('plans.error.plan_not_found')).trim().min(1, msg('plans.error.plan_not_found')).max(100, msg('plans.error.plan_not_found'))

/** The payment method is one of those this panel offers (PAYMENTS=transfer-only: the transfer). */
const upgradeForm = (methods: readonly PaymentMethod[]) => z.object({ plan: PlanKey, method: offeredMethod(methods, msg('plans.error.method')), terms: Terms })
/** Packs come as `packs.<quota key>` fields; an empty field is none. */
const addonForm = (methods: readonly PaymentMethod[]) => z.object({ method: offeredMethod(methods, msg('plans.error.method')), terms: Terms })
const ScheduleForm = z.union([
  z.object({ plan: PlanKey }),
  z.object({ period: z.string(msg('plans.error.form')).trim().regex(/^\d{1,3}$/, msg('plans.error.period_not_offered')).transform(Number) }),
], msg('plans.error.form'))
const CancelForm = z.object({ change: z.enum(['plan', 'period'], msg('plans.error.form')) })
const FreeForm = z.discriminatedUnion(
  'mode',
  [z.object({ mode: z.literal('at_period_end') }), z.object({ mode: z.literal('now'), confirm: z.literal('on', msg('plans.error.confirm')) })],
  msg('plans.error.form'),
)
const RenewalForm = z.object({ autoRenew: z.enum(['on', 'off'], msg('plans.error.form')) })

const planPath = (c: Ctx) => `/o/${c.var.org.slug}/products/${c.req.param('product')}/plan`

function pageModel(c: Ctx, state: PlanState, form?: PlanPageModel['form']): PlanPageModel {
  const { org, now, deps } = c.var
  const term = paidTerm(state.product, state.subscription, now)
  const vat = orgVat(org, deps.config.vendor)
  const paid = term.ok ? term.term : null
  const { product } = state
  return {
    slug: org.slug,
    timeZone: org.timeZone,
    state,
    term,
    upgrades: paid ? upgradeQuotes(product, paid, now, org.timeZone).map((quote) => ({ quote, priced: priceLines([quote.line], vat) })) : [],
    addons: paid ? addonOffers(product, paid, now, org.timeZone) : [],
    downgrades: paid ? downgradePlans(product, paid) : [],
    periods: paid ? periodOptions(product, paid) : [],
    freePlan: product.plans.find((p) => p.isFree && p.active) ?? null,
    vat,
    termsVersion: deps.config.termsOfSaleVersion,
    paymentMethods: deps.config.paymentMethods,
    renewedEarly: paid !== null && now < paid.sub.periodStart,
    form,
  }
}

function render(c: Ctx, state: PlanState, form?: PlanPageModel['form'], status: 200 | 409 | 422 = 200) {
  const { t, lang } = c.var
  return page(c, t('plans.title', { product: state.product.name }), <PlanPageView t={t} lang={lang} m={pageModel(c, state, form)} />, status)
}

planPages.get(BASE, async (c) => {
  const state = await loadPlanState(c.var.deps, c.var.org.id, c.req.param('product'))
  if (!state) return c.notFound()
  return render(c, state)
})

type Refusal = { refused: MessageKey; status?: 409 | 422 }
const problem = (r: { error: PlanProblem }): Refusal => ({ refused: `plans.error.${r.error}`, status: r.error === 'changed' ? 409 : 422 })
const invalid = (r: FormResult<unknown> & { ok: false }): Refusal => ({ refused: Object.values(r.errors)[0] ?? 'plans.error.form' })

/**
 * Runs a posted change against the paid period in progress. The form names the plan it was shown
 * with (`from`): a form from a page that is out of date is refused rather than applied to another plan.
 */
async function act(c: Ctx, section: Section | ((form: FormValues) => Section), run: (x: Change, form: FormValues, state: PlanState) => Promise<Response | Refusal>) {
  const { deps, org, user, now } = c.var
  const form = await readForm(c)
  const state = await loadPlanState(deps, org.id, c.req.param('product') ?? '')
  if (!state) return c.notFound()
  const term = paidTerm(state.product, state.subscription, now)
  let out: Response | Refusal
  if (!term.ok) out = problem(term)
  else if (form.from !== undefined && form.from !== term.term.current.key) out = problem({ error: 'changed' })
  else out = await run({ deps, org, user: user!, product: state.product, term: term.term, now }, form, state)
  if (out instanceof Response) return out
  // The page as it is now (a refusal changed nothing, but someone else may have), with the reason.
  const fresh = (await loadPlanState(deps, org.id, state.product.key)) ?? state
  const where = !term.ok ? 'page' : typeof section === 'function' ? section(form) : section
  return render(c, fresh, { section: where, values: form, error: out.refused }, out.status ?? 422)
}

planPages.post(`${BASE}/upgrade-orders`, (c) =>
  act(c, 'upgrade', async (x, form) => {
    const r = parseWith(upgradeForm(x.deps.config.paymentMethods), form)
    if (!r.ok) return invalid(r)
    const placed = await orderUpgrade(x, r.data.plan, { method: r.data.method, language: c.var.lang })
    if (!placed.ok) return problem(placed)
    return continueToPayment(c, x.org.id, x.org.slug, placed.orderId)
  }),
)

planPages.post(`${BASE}/addon-orders`, (c) =>
  act(c, 'addons', async (x, form) => {
    const r = parseWith(addonForm(x.deps.config.paymentMethods), form)
    if (!r.ok) return invalid(r)
    const wanted: Record<string, number> = {}
    for (const [name, value] of Object.entries(form)) {
      if (!name.startsWith('packs.') || value.trim() === '') continue
      if (!/^\d{1,5}$/.test(value.trim())) return problem({ error: 'bad_quantity' })
      wanted[name.slice('packs.'.length)] = Number(value)
    }
    const placed = await orderAddons(x, wanted, { method: r.data.method, language: c.var.lang })
    if (!placed.ok) return problem(placed)
    return continueToPayment(c, x.org.id, x.org.slug, placed.orderId)
  }),
)

/** A cheaper plan (`plan`) or another renewal frequency (`period`), both from the next period. */
planPages.post(`${BASE}/scheduled-change`, (c) =>
  act(
    c,
    (form) => (form.plan !== undefined ? 'downgrade' : 'period'),
    async (x, form) => {
      const r = parseWith(ScheduleForm, form)
      if (!r.ok) return invalid(r)
      const done = 'plan' in r.data ? await scheduleDowngrade(x, r.data.plan) : await schedulePeriod(x, r.data.period)
      return done.ok ? seeOther(c, planPath(c), 'plans.done.scheduled') : problem(done)
    },
  ),
)

planPages.post(`${BASE}/scheduled-change/cancellation`, (c) =>
  act(c, 'scheduled', async (x, form) => {
    const r = parseWith(CancelForm, form)
    if (!r.ok) return invalid(r)
    const done = await cancelScheduled(x, r.data.change)
    return done.ok ? seeOther(c, planPath(c), 'plans.done.cancelled') : problem(done)
  }),
)

planPages.post(`${BASE}/free-switch`, (c) => {
  // A read-only product has no paid period to act on: the free plan now is its way out (SPEC §8).
  if (c.var.readOnly?.lapses.some((l) => l.product.key === c.req.param('product'))) return unlockFree(c)
  return act(c, 'free', async (x, form) => {
    const r = parseWith(FreeForm, form)
    if (!r.ok) return invalid(r)
    const done = await switchToFree(x, r.data.mode)
    if (!done.ok) return problem(done)
    return seeOther(c, planPath(c), r.data.mode === 'now' ? 'plans.done.freeNow' : 'plans.done.freeAtEnd')
  })
})

async function unlockFree(c: Ctx) {
  const { deps, org, user, now } = c.var
  const form = await readForm(c)
  const state = await loadPlanState(deps, org.id, c.req.param('product') ?? '')
  if (!state?.subscription) return c.notFound()
  const r = parseWith(FreeForm, form)
  const refused = (error: MessageKey, status: 409 | 422 = 422) => render(c, state, { section: 'free', values: form, error }, status)
  if (!r.ok) return refused(Object.values(r.errors)[0] ?? 'plans.error.form')
  if (r.data.mode !== 'now') return refused('readOnly.free.onlyNow')
  const done = await unlockWithFreePlan(deps, org, user!, state.product, state.subscription, now)
  if (!done.ok) return refused(`plans.error.${done.error}`, done.error === 'changed' ? 409 : 422)
  return seeOther(c, planPath(c), 'plans.done.freeNow')
}

planPages.post(`${BASE}/auto-renewal`, (c) =>
  act(c, 'renewal', async (x, form, state) => {
    const r = parseWith(RenewalForm, form)
    if (!r.ok) return invalid(r)
    const on = r.data.autoRenew === 'on'
    const flash = on ? 'plans.done.renewalOn' : 'plans.done.renewalOff'
    // Already so: nothing to change or record.
    if (x.term.sub.autoRenew === on) return seeOther(c, planPath(c), flash)
    if (on && !state.hasSavedMethod) return problem({ error: 'no_saved_method' })
    const done = await setAutoRenew(x, on)
    return done.ok ? seeOther(c, planPath(c), flash) : problem(done)
  }),
)
