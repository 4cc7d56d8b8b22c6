// The checkout's rules (SPEC §7): what a cart costs for a given org and whether that org may buy
// it; and placing the order, with every check made again at that moment (forms can be stale).
import { and, eq, ne } from 'drizzle-orm'
import type { Deps } from '../deps'
import { cachedCatalog } from '../db/catalog-cache'
import type { CatalogProduct } from '../db/catalog'
import { orgs, subscriptions, type PaymentMethod, type Purchase } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import type { User } from '../auth/session'
import { needsEinvoiceId } from '../domain/orgs'
import { needsCodiceFiscale } from '../domain/codice-fiscale'
import type { Language } from '../i18n'
import { placeOrder } from './orders'
import { cartProduct, draftLines, orgVat, priceLines, type CartItem, type CartProblem, type DraftLine } from './pricing'
import { snapshotOf } from './subscriptions'
import type { Org } from './orgs'
import type { MemberOrg } from './request-context'

export type Offer = { product: CatalogProduct; lines: DraftLine[] }

/** The cart at today's catalog prices, or why it can't be bought at all. */
export async function offerFor(deps: Deps, item: CartItem): Promise<{ ok: true; offer: Offer } | { ok: false; error: CartProblem }> {
  const product = cartProduct(await cachedCatalog(deps.db), item)
  if (!product) return { ok: false, error: 'product_not_found' }
  const lines = draftLines(product, item)
  return lines.ok ? { ok: true, offer: { product, lines: lines.lines } } : lines
}

export type BuyerProblem = 'business_only' | 'einvoice_missing' | 'codice_fiscale_missing' | 'already_subscribed'

/**
 * Whether this org may buy the product: businesses-only products refuse private persons, Italian
 * businesses need an SDI code or PEC for the e-invoice, an Italian seller's Italian private person
 * a codice fiscale, and a product with a paid period still running is changed on its plan page
 * rather than bought again.
 */
export async function buyerProblem(deps: Deps, org: Org, product: CatalogProduct, now: Date): Promise<BuyerProblem | null> {
  if (product.businessOnly && org.legalForm === 'person') return 'business_only'
  if (needsEinvoiceId(org.country, org.legalForm) && !org.einvoiceId) return 'einvoice_missing'
  if (needsCodiceFiscale(deps.config.vendor.country, org) && !org.codiceFiscale) return 'codice_fiscale_missing'
  if (product.kind === 'subscription') {
    const live = await deps.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, product.id), ne(subscriptions.status, 'ended')))
      .get()
    if (live && !live.snapshot.isFree && live.status === 'active' && live.periodEnd && live.periodEnd > now) return 'already_subscribed'
  }
  return null
}

/** The orgs in which the user may buy: the live ones they administer, from their orgs as read with the session (src/services/request-context.ts). */
export function buyingOrgs(orgs: MemberOrg[]): Org[] {
  return orgs.filter((o) => o.role === 'admin').map(({ role: _role, pending: _pending, readOnlyRows: _readOnly, ...org }) => org)
}

/** The summary's figures: lines with VAT for this org, and the totals. */
export function summaryFor(deps: Deps, org: Org, offer: Offer) {
  const vat = orgVat(org, deps.config.vendor)
  return { vat, ...priceLines(offer.lines, vat) }
}

function purchaseOf(product: CatalogProduct, item: CartItem): Purchase {
  if ('variant' in item) {
    const variant = product.variants.find((v) => v.key === item.variant)!
    return { kind: 'units', productId: product.id, variantId: variant.id, quantity: item.quantity }
  }
  const plan = product.plans.find((p) => p.key === item.plan)!
  const addonPacks = Object.fromEntries(Object.entries(item.addons).filter(([, n]) => n > 0))
  return { kind: 'subscription', productId: product.id, planId: plan.id, periodMonths: item.period, addonPacks, snapshot: snapshotOf(product, plan) }
}

export type PlaceResult = { ok: true; id: string; number: string } | { ok: false; error: CartProblem | BuyerProblem }

/** Step 4's "Confirm and order": the cart and the buyer are checked again, then the order is placed. */
export async function placeCheckoutOrder(
  deps: Deps,
  input: { org: Org; user: User; item: CartItem; paymentMethod: PaymentMethod; language: Language },
  now: Date,
): Promise<PlaceResult> {
  const offered = await offerFor(deps, input.item)
  if (!offered.ok) return offered
  const { product, lines } = offered.offer
  const problem = await buyerProblem(deps, input.org, product, now)
  if (problem) return { ok: false, error: problem }
  const placed = await placeOrder(deps, {
    org: input.org,
    user: input.user,
    purchase: purchaseOf(product, input.item),
    currency: product.currency,
    lines,
    paymentMethod: input.paymentMethod,
    language: input.language,
    now,
  })
  return { ok: true, ...placed }
}

/** Step 3's corrections to the billing e-mail, the e-invoicing code and the codice fiscale (null: not asked, kept), recorded like any org change. */
export async function confirmBillingData(
  deps: Deps,
  org: Org,
  user: User,
  input: { billingEmail: string; einvoiceId: string | null; codiceFiscale: string | null },
  now: Date,
): Promise<Org> {
  const values = { billingEmail: input.billingEmail, einvoiceId: input.einvoiceId, ...(input.codiceFiscale ? { codiceFiscale: input.codiceFiscale } : {}) }
  const changed = Object.fromEntries(
    (Object.keys(values) as (keyof typeof values)[]).filter((k) => org[k] !== values[k]).map((k) => [k, { from: org[k], to: values[k] }]),
  )
  if (Object.keys(changed).length === 0) return org
  const { db } = deps
  await db.batch([
    db.update(orgs).set(values).where(eq(orgs.id, org.id)),
    recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'org.updated', subject: { type: 'org', id: org.id }, details: changed, at: now }),
  ])
  return { ...org, ...values }
}
