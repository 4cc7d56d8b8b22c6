// The plans of a product compared (issue 16, docs/rules.md "Pages on a phone"): a public page per
// product with each plan's price per period and every limit, which the checkout, the plan page, the
// seat refusal and an over-limit dashboard link to.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { plans, products, subscriptions, usageEvents } from '../../src/db/schema'
import { invalidateCatalog } from '../../src/db/catalog-cache'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser } from '../helpers/users'
import { apiCall, orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const main = (html: string) => textOf(/<main[\s\S]*<\/main>/.exec(html)![0])
/** The comparison table, row by row, each cell's text (a visually hidden part included). */
const rowsOf = (html: string) =>
  [.../<table class="compare">[\s\S]*?<\/table>/.exec(html)![0].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1]!)))

/** Sets one limit of an org's subscription to a product, as a catalog edit would for a new subscription. */
async function setLimit(orgId: string, productKey: string, quota: string, limit: number) {
  const product = (await t.db.select().from(products).where(eq(products.key, productKey)).get())!
  const sub = (await t.db.select().from(subscriptions).where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.productId, product.id))).get())!
  await t.db.update(subscriptions).set({ snapshot: { ...sub.snapshot, limits: { ...sub.snapshot.limits, [quota]: limit } } }).where(eq(subscriptions.id, sub.id))
}

describe('the plan comparison', () => {
  it('shows every plan of a product to anyone: price per period and every limit, in the catalog’s order', async () => {
    const res = await t.browser().get('/buy/sekretariat/plans')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(main(html)).toContain('Sekretariat: plans compared Office register of contracts and correspondence.')
    // The free plan's limits are the catalog's to decide; the paid plans' are checked to the number.
    const free = expect.stringMatching(/^(\d+|unlimited)$/)
    expect(rowsOf(html)).toEqual([
      ['', 'Green', 'Silver', 'Gold', 'Platinum'],
      ['Price, PLN / 1 month', 'free', '29.00', '59.00', '99.00'],
      ['Price, PLN / 1 year', 'free', '290.00', '590.00', '990.00'],
      ['contracts a month', free, '100', '500', 'unlimited'],
      ['correspondence entries a month', free, '100', '500', 'unlimited'],
      ['users', free, '3', '10', '25'],
      ['Buy', '', 'Choose Silver', 'Choose Gold', 'Choose Platinum'],
    ])
    expect(main(html)).toContain('Users include administrators. Prices are net; VAT is added in the summary.')
    // A public page: stored by the browser, asked for again each time.
    expect(res.headers.get('Cache-Control')).toBe('private, no-cache')
  })

  it('lists a product’s add-on packs with their prices and how many may be bought', async () => {
    const html = await (await t.browser().get('/buy/certified-platform/plans')).text()
    expect(rowsOf(html).slice(1, 3)).toEqual([
      ['Price, EUR / 1 year', 'free', '300.00'],
      ['Price, EUR / 2 years', 'free', '540.00'],
    ])
    expect(main(html)).toContain('Add-on packs, for a paid plan +1 user: €20.00 / 1 year · €36.00 / 2 years (up to 14 packs) +50 external users: €50.00 / 1 year · €90.00 / 2 years')
  })

  it('speaks the reader’s language', async () => {
    const html = await (await t.browser().get('/buy/sekretariat/plans', { 'Accept-Language': 'pl' })).text()
    expect(main(html)).toContain('Sekretariat: porównanie planów')
    const rows = rowsOf(html)
    expect(rows[2]).toEqual(['Cena, PLN / 1 rok', 'bezpłatny', '290,00', '590,00', '990,00'])
    expect(rows[3]!.slice(2)).toEqual(['100', '500', 'bez limitu'])
    expect(rows[3]![0]).toBe('umowy miesięcznie')
    expect(rows.at(-1)!.slice(2)).toEqual(['Wybierz Silver', 'Wybierz Gold', 'Wybierz Platinum'])
  })

  it('answers 404 for a product without plans, an unknown one and one no longer offered, and leaves out plans no longer offered', async () => {
    expect((await t.browser().get('/buy/simplysign/plans')).status).toBe(404)
    expect((await t.browser().get('/buy/nothing-like-it/plans')).status).toBe(404)
    await t.db.update(plans).set({ active: false }).where(eq(plans.key, 'platinum'))
    await t.db.update(products).set({ active: false }).where(eq(products.key, 'certyfikaty'))
    invalidateCatalog(t.db)
    try {
      expect((await t.browser().get('/buy/certyfikaty/plans')).status).toBe(404)
      expect(rowsOf(await (await t.browser().get('/buy/sekretariat/plans')).text())[0]).toEqual(['', 'Green', 'Silver', 'Gold'])
    } finally {
      await t.db.update(plans).set({ active: true }).where(eq(plans.key, 'platinum'))
      await t.db.update(products).set({ active: true }).where(eq(products.key, 'certyfikaty'))
      invalidateCatalog(t.db)
    }
  })

  it('leads "Choose Gold" to the checkout with Gold chosen; a plan not on sale chooses nothing', async () => {
    const html = await (await t.browser().get('/buy/sekretariat/plans')).text()
    expect(html).toContain('<a class="btn btn-secondary btn-compact" href="/buy/sekretariat?plan=gold">Choose<span class="visually-hidden"> Gold</span></a>')
    const chosen = await (await t.browser().get('/buy/sekretariat?plan=gold')).text()
    expect(chosen).toMatch(/<input type="radio" name="plan" value="gold" checked=""/)
    expect(chosen).not.toMatch(/value="silver" checked=""/)
    // The free plan and unknown keys leave the first paid plan chosen, as without a query.
    for (const plan of ['green', 'diamond']) expect(await (await t.browser().get(`/buy/sekretariat?plan=${plan}`)).text()).toMatch(/value="silver" checked=""/)
  })
})

describe('what links to it', () => {
  it('the checkout’s first step and the plan page of a subscription product', async () => {
    expect(await (await t.browser().get('/buy/sekretariat')).text()).toContain('<a href="/buy/sekretariat/plans">Compare plans</a>')
    expect(await (await t.browser().get('/buy/simplysign')).text()).not.toContain('Compare plans')
    const { b, slug } = await adminWithOrg(t, 'plan-page@example.com')
    expect(await (await b.get(`/o/${slug}/products/sekretariat/plan`)).text()).toContain('<a href="/buy/sekretariat/plans">Compare plans</a>')
  })

  it('the seat refusal, naming the plan', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'seats@example.com')
    await createUser(t.deps, { email: 'one-too-many@example.com' })
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
    await setLimit(org.id, 'certyfikaty', 'users', 1)
    const res = await b.post(`/o/${slug}/members`, { email: 'one-too-many@example.com' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(textOf(html)).toContain('The Free plan of Certyfikaty allows 1 user (administrators included) and you have 1.')
    expect(html).toContain('<a href="/buy/certyfikaty/plans">See the plans</a>')
  })

  it('the dashboard of an org over a limit, for that product only', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'over@example.com')
    const colleague = await createUser(t.deps, { email: 'colleague-over@example.com' })
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
    await setLimit(org.id, 'certyfikaty', 'users', 99)
    await setLimit(org.id, 'sekretariat', 'users', 99)
    expect((await b.post(`/o/${slug}/members`, { email: colleague.email })).status).toBe(303)
    const before = await (await b.get(`/o/${slug}`)).text()
    expect(before).not.toContain('/plans"')
    // Certyfikaty's plan now allows fewer certificates this month than were issued: its card links to
    // the comparison. (Seats count against the org's biggest limit, here Sekretariat's 99: not over.)
    await setLimit(org.id, 'certyfikaty', 'certificates', 1)
    const certyfikaty = (await t.db.select().from(products).where(eq(products.key, 'certyfikaty')).get())!
    await t.db.insert(usageEvents).values([1, 2].map((i) => ({ orgId: org.id, productId: certyfikaty.id, quotaKey: 'certificates', quantity: 1, at: t.clock.now(), idempotencyKey: `over-${i}` })))
    const html = await (await b.get(`/o/${slug}`)).text()
    expect(html).toContain('<a href="/buy/certyfikaty/plans">Compare plans<span class="visually-hidden"> – Certyfikaty</span></a>')
    expect(html).not.toContain('/buy/sekretariat/plans')
  })

  it('the vendor API’s quota_exceeded problem, for the vendor app to show its user', async () => {
    const { key, org } = await orgWithKey(t, 'api-over@example.com', ['certyfikaty'])
    await setLimit(org.id, 'certyfikaty', 'templates', 0)
    const refused = await apiCall(t, key, 'POST', '/usage', { product: 'certyfikaty', quota: 'templates', quantity: 1, idempotency_key: 'one' })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ type: 'https://kontor.dev/problems/quota_exceeded', limit: 0, plans: 'http://localhost/buy/certyfikaty/plans' })
  })
})
