// The checkout (SPEC §7), four steps that work without JavaScript: /buy (choose) → sign in or
// register (the cart waits in a cookie) → /checkout/billing (which org, its data) →
// /checkout/summary (lines, VAT, payment method, terms) → POST /checkout/orders.
import { Hono } from 'hono'
import { parseWith, readForm, type FormState } from '../forms/validate'
import { billingForm, orderForm, parseChoice } from '../forms/checkout'
import { cachedCatalog } from '../db/catalog-cache'
import type { CatalogProduct } from '../db/catalog'
import type { MessageKey } from '../i18n'
import { buyerProblem, buyingOrgs, confirmBillingData, offerFor, placeCheckoutOrder, summaryFor } from '../services/checkout'
import { draftLines, type CartItem } from '../services/pricing'
import { needsCodiceFiscale } from '../domain/codice-fiscale'
import { emptyForm } from '../views/components/form'
import { CatalogView, ChooseView } from '../views/checkout/choose'
import { AccountStepView } from '../views/checkout/steps'
import { BillingView, ChooseOrgView } from '../views/checkout/billing'
import { SummaryView } from '../views/checkout/summary'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import { clearCart, readCart, writeCart } from './cart'
import { continueToPayment } from './payment-flow'
import { comparable, PlanComparisonView } from '../views/plans/compare'

export const checkoutRoutes = new Hono<AppEnv>()

const onSale = (products: CatalogProduct[]) =>
  products.filter((p) => p.active && (p.kind === 'virtual' ? p.variants.some((v) => v.active) : p.plans.some((pl) => pl.active && !pl.isFree)))

checkoutRoutes.get('/buy', async (c) => {
  const products = onSale(await cachedCatalog(c.var.deps.db))
  return page(c, c.var.t('checkout.title'), <CatalogView t={c.var.t} lang={c.var.lang} products={products} />)
})

checkoutRoutes.get('/buy/:product', async (c) => {
  const product = onSale(await cachedCatalog(c.var.deps.db)).find((p) => p.key === c.req.param('product'))
  if (!product) return c.notFound()
  const cart = readCart(c)
  // The comparison's "Choose Silver" names the plan; a plan not on sale is simply not preselected.
  const named = product.plans.find((p) => p.key === c.req.query('plan') && p.active && !p.isFree)
  const preselected = named && product.billingPeriods[0] !== undefined ? { product: product.key, plan: named.key, period: product.billingPeriods[0], addons: {} } : null
  const chosen = cart?.item.product === product.key && !named ? cart.item : preselected
  return page(c, c.var.t('checkout.title'), <ChooseView t={c.var.t} lang={c.var.lang} product={product} chosen={chosen} />)
})

// Every plan of a product with its prices and limits (src/views/plans/compare.tsx).
checkoutRoutes.get('/buy/:product/plans', async (c) => {
  const product = (await cachedCatalog(c.var.deps.db)).find((p) => p.key === c.req.param('product') && comparable(p))
  if (!product) return c.notFound()
  return page(c, c.var.t('compare.title', { product: product.name }), <PlanComparisonView t={c.var.t} lang={c.var.lang} product={product} />)
})

checkoutRoutes.post('/buy/:product', async (c) => {
  const { t, lang, deps } = c.var
  const product = onSale(await cachedCatalog(deps.db)).find((p) => p.key === c.req.param('product'))
  if (!product) return c.notFound()
  const refuse = (error: MessageKey, chosen: CartItem | null) =>
    page(c, t('checkout.title'), <ChooseView t={t} lang={lang} product={product} chosen={chosen} error={error} />, 422)
  const parsed = parseChoice(product.kind, product.key, await readForm(c))
  if (!parsed.ok) return refuse(parsed.error, null)
  const checked = draftLines(product, parsed.item)
  if (!checked.ok) return refuse(`checkout.error.${checked.error}`, parsed.item)
  writeCart(c, { item: parsed.item })
  return seeOther(c, '/checkout')
})

/** The cart and its product at today's prices; without a usable cart the buyer starts again at /buy. */
async function cartOffer(c: Ctx) {
  const cart = readCart(c)
  if (!cart) return null
  const offered = await offerFor(c.var.deps, cart.item)
  return offered.ok ? { cart, offer: offered.offer } : null
}

// Step 2 for visitors; for signed-in buyers, on to the org and its billing data.
checkoutRoutes.get('/checkout', async (c) => {
  const found = await cartOffer(c)
  if (!found) return c.redirect('/buy', 303)
  if (!c.var.user) return page(c, c.var.t('checkout.title'), <AccountStepView t={c.var.t} />)
  return c.redirect(found.cart.org ? `/checkout/billing?org=${encodeURIComponent(found.cart.org)}` : '/checkout/billing', 303)
})

/** The signed-in buyer's org named in the query or form, among the orgs they administer (read with the session). */
function buyingOrg(c: Ctx, slug: string | undefined) {
  const orgs = buyingOrgs(c.var.orgs)
  return { orgs, org: slug ? orgs.find((o) => o.slug === slug) : orgs.length === 1 ? orgs[0] : undefined }
}

checkoutRoutes.get('/checkout/billing', async (c) => {
  const { t, deps, now } = c.var
  const found = await cartOffer(c)
  if (!found) return c.redirect('/buy', 303)
  if (!c.var.user) return c.redirect('/checkout', 303)
  const { orgs, org } = buyingOrg(c, c.req.query('org'))
  if (!org) return page(c, t('checkout.title'), <ChooseOrgView t={t} orgs={orgs} />)
  const problem = await buyerProblem(deps, org, found.offer.product, now)
  // A missing e-invoicing code or codice fiscale is given right here, in the form.
  const shown = problem === 'einvoice_missing' || problem === 'codice_fiscale_missing' ? null : problem
  return page(c, t('checkout.title'), <BillingView t={t} org={org} form={emptyForm()} problem={shown} productName={found.offer.product.name} asksCodiceFiscale={needsCodiceFiscale(deps.config.vendor.country, org)} />, shown ? 422 : 200)
})

checkoutRoutes.post('/checkout/billing', async (c) => {
  const { t, deps, now } = c.var
  const found = await cartOffer(c)
  if (!found) return seeOther(c, '/buy')
  if (!c.var.user) return seeOther(c, '/checkout')
  const values = await readForm(c)
  const { org } = buyingOrg(c, values.org)
  if (!org) return c.notFound()
  const product = found.offer.product
  const render = (form: FormState, problem: Awaited<ReturnType<typeof buyerProblem>>) =>
    page(c, t('checkout.title'), <BillingView t={t} org={org} form={form} problem={problem} productName={product.name} asksCodiceFiscale={needsCodiceFiscale(deps.config.vendor.country, org)} />, 422)
  const r = parseWith(billingForm(org, deps.config.vendor.country), values)
  if (!r.ok) return render(r, null)
  const { billingEmail, einvoiceId, codiceFiscale } = r.data
  const updated = await confirmBillingData(deps, org, c.var.user, { billingEmail, einvoiceId, codiceFiscale }, now)
  const problem = await buyerProblem(deps, updated, product, now)
  if (problem) return render(emptyForm(values), problem)
  writeCart(c, { ...found.cart, org: org.slug })
  return seeOther(c, '/checkout/summary')
})

async function summaryPage(c: Ctx, form: FormState, status: 200 | 422 = 200) {
  const { t, lang, deps, now } = c.var
  const found = await cartOffer(c)
  if (!found) return c.redirect('/buy', 303)
  if (!c.var.user) return c.redirect('/checkout', 303)
  const { org } = buyingOrg(c, found.cart.org)
  if (!org || (await buyerProblem(deps, org, found.offer.product, now))) return c.redirect('/checkout/billing', 303)
  const s = summaryFor(deps, org, found.offer)
  const view = <SummaryView t={t} lang={lang} currency={found.offer.product.currency} org={org} form={form} termsVersion={deps.config.termsOfSaleVersion} methods={deps.config.paymentMethods} {...s} />
  return page(c, t('checkout.title'), view, status)
}

checkoutRoutes.get('/checkout/summary', (c) => summaryPage(c, emptyForm()))

checkoutRoutes.post('/checkout/orders', async (c) => {
  const { deps, now, lang } = c.var
  if (!c.var.user) return seeOther(c, '/checkout')
  const values = await readForm(c)
  const r = parseWith(orderForm(deps.config.paymentMethods), values)
  if (!r.ok) return summaryPage(c, r, 422)
  const found = await cartOffer(c)
  if (!found) return seeOther(c, '/buy')
  const { org } = buyingOrg(c, found.cart.org)
  if (!org) return seeOther(c, '/checkout/billing')
  const placed = await placeCheckoutOrder(deps, { org, user: c.var.user, item: found.cart.item, paymentMethod: r.data.paymentMethod, language: lang }, now)
  if (!placed.ok) return seeOther(c, '/checkout/billing')
  clearCart(c)
  return continueToPayment(c, org.id, org.slug, placed.id)
})
