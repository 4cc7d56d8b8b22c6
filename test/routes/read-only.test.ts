import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, invoices, memberships, orders, products, savedMethods, subscriptions } from '../../src/db/schema'
import { markOrderPaid } from '../../src/services/payments'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { createUser, signedIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const operator = (await createUser(t.deps, { email: 'read-only-operator@example.com', operator: true })) as never
const sekretariat = (await t.db.select().from(products).where(eq(products.key, 'sekretariat')).get())!

// The yearly Silver period ended at midnight of 1 November 2026 in Warsaw, unpaid: read-only for the
// product's 30 grace days, deleted at midnight of 1 December 2026.
const LAPSED = new Date('2026-10-31T23:00:00Z')
const BANNER =
  'This organization is read-only The Sekretariat subscription lapsed on 1 November 2026 without being renewed. Everything can still be viewed and exported, but nothing can be changed. The organization’s data will be deleted on 1 December 2026.'

/**
 * An org that bought Sekretariat Silver (so it has an order and an invoice), an API key and Certyfikaty
 * on the free plan; then its Sekretariat subscription is put into read_only directly, as the lapse job will.
 */
async function readOnlyOrg(email: string) {
  const buyer = await adminWithOrg(t, email)
  const { b, slug, org } = buyer
  await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })
  const keyPage = await (await b.post(`/o/${slug}/api-keys`, { name: 'ERP' })).text()
  const key = /<code class="key big">(kon_[a-z0-9]+)<\/code>/.exec(keyPage)![1]!
  const order = await orderFor(t, buyer, 'transfer')
  expect(await markOrderPaid(t.deps, order.id, operator, t.clock.now())).toEqual({ ok: true })
  const invoice = (await t.db.select().from(invoices).where(eq(invoices.orgId, org.id)).get())!
  await t.db
    .update(subscriptions)
    .set({ status: 'read_only', periodStart: new Date('2025-10-31T23:00:00Z'), periodEnd: LAPSED })
    .where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, sekretariat.id)))
  return { ...buyer, key, invoice }
}

const api = async (key: string, method: string, path: string, body?: unknown) =>
  await t.app.request(`http://localhost/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
const pageText = async (b: Browser, path: string) => textOf(await (await b.get(path)).text())
const historyCount = async (orgId: string) => (await t.db.select({ id: history.id }).from(history).where(eq(history.orgId, orgId))).length
const sekretariatOf = async (orgId: string) =>
  (await t.db.select().from(subscriptions).where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.productId, sekretariat.id))).get())!

/** The documented exceptions (docs/rules.md, "Read-only orgs"); every other mutating route must answer 423. */
const ALLOWED = [
  'POST /o/:slug/products/:product/plan/free-switch',
  'POST /o/:slug/orders/:id/payments',
  'POST /o/:slug/orders/:id/payment-method',
  'POST /o/:slug/ecodes/vouchers',
  'POST /o/:slug/membership/removal',
  'POST /o/:slug/payment-methods/:id/removal',
  'POST /api/v1/licences/validate',
]

/** Every route the app registers for a change under /o/:slug or /api/v1, computed, so a new one is walked too. */
function mutatingRoutes() {
  const seen = new Set<string>()
  for (const r of t.app.routes) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue
    if (!r.path.startsWith('/o/:slug/') && !r.path.startsWith('/api/v1/')) continue
    seen.add(`${r.method} ${r.path}`)
  }
  return [...seen].map((route) => {
    const [method, path] = route.split(' ') as [string, string]
    return { route, method, path }
  })
}

describe('a read-only org', () => {
  it('shows every page with the banner naming the lapse and deletion dates and offering renewal and the free plan', async () => {
    const { b, slug } = await readOnlyOrg('ro-pages@example.com')
    for (const path of ['', '/settings/users', '/history', '/ecodes', '/orders', '/warehouse', '/settings/api-keys', '/products/sekretariat/plan']) {
      const res = await b.get(`/o/${slug}${path}`)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(textOf(html), path).toContain(`${BANNER} Renew Sekretariat Switch to the free plan`)
      expect(html, path).toContain('href="/buy/sekretariat"')
      expect(html, path).toContain(`href="/o/${slug}/products/sekretariat/plan#read-only-free"`)
    }
    const plan = await pageText(b, `/o/${slug}/products/sekretariat/plan`)
    expect(plan).toContain('Unlock with the free plan Green The free plan starts now with its limits')
  })

  it('shows the forms the guard would refuse disabled, and the allowed ones usable; a healthy org’s are all usable', async () => {
    const { b, slug, org } = await readOnlyOrg('ro-forms@example.com')
    // A second administrator, so that leaving is offered at all (the sole one is not offered it).
    const second = await createUser(t.deps, { email: 'ro-forms-second@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: second.id, role: 'admin', createdAt: t.clock.now() })
    const form = (html: string, action: string) => {
      const at = html.indexOf(`action="${action}"`)
      expect(at, action).toBeGreaterThan(-1)
      return html.slice(at, html.indexOf('</form>', at))
    }
    const locked = (html: string, action: string) => form(html, action).includes('<fieldset class="locked" disabled="">')
    const users = await (await b.get(`/o/${slug}/settings/users`)).text()
    expect(locked(users, `/o/${slug}/members`)).toBe(true)
    expect(locked(users, `/o/${slug}/membership/removal`)).toBe(false)
    const plan = await (await b.get(`/o/${slug}/products/sekretariat/plan`)).text()
    expect(locked(plan, `/o/${slug}/products/sekretariat/plan/free-switch`)).toBe(false)
    const home = await (await b.get(`/o/${slug}`)).text()
    expect(locked(home, `/o/${slug}/subscriptions`)).toBe(true)
    const keys = await (await b.get(`/o/${slug}/settings/api-keys`)).text()
    expect(locked(keys, `/o/${slug}/api-keys`)).toBe(true)
    // The same pages of an org that is not read-only lock nothing.
    const healthy = await adminWithOrg(t, 'ro-forms-healthy@example.com')
    expect(await (await healthy.b.get(`/o/${healthy.slug}/settings/users`)).text()).not.toContain('class="locked"')
  })

  it('still serves the history CSV and the invoice PDF', async () => {
    const { b, slug, invoice } = await readOnlyOrg('ro-exports@example.com')
    const csv = await b.get(`/o/${slug}/history.csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    expect(await csv.text()).toContain('order.paid')
    const pdf = await b.get(`/o/${slug}/invoices/${invoice.id}`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
  })

  it('refuses every mutating route under /o/:slug and /api/v1 with 423, except the documented few, and changes nothing', async () => {
    const { b, slug, org, key } = await readOnlyOrg('ro-walk@example.com')
    const routes = mutatingRoutes()
    // A broken filter must not pass vacuously: the app has dozens of such routes.
    expect(routes.length).toBeGreaterThan(25)
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(ALLOWED))
    const before = await historyCount(org.id)
    for (const { route, method, path } of routes) {
      // Real slug and product; a dummy for every other id, since the guard answers before any handler.
      const url = path.replace(':slug', slug).replace(':product', 'sekretariat').replace(/:\w+(\{[^}]*\})?/g, 'x')
      const res = url.startsWith('/api/v1/')
        ? await api(key, method, url.slice('/api/v1'.length), {})
        : await b.send(url, { method, body: '', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' } })
      if (ALLOWED.includes(route)) {
        expect(res.status, route).not.toBe(423)
        continue
      }
      expect(res.status, route).toBe(423)
      if (url.startsWith('/api/v1/')) {
        expect(res.headers.get('Content-Type'), route).toBe('application/problem+json')
        expect(await res.json(), route).toMatchObject({ type: 'https://kontor.dev/problems/read_only', status: 423 })
      } else {
        const text = textOf(await res.text())
        expect(text, route).toContain(BANNER)
        expect(text, route).toContain('Not changed: the organization is read-only')
      }
    }
    expect(await historyCount(org.id)).toBe(before)
  })

  it('refuses the free switch of a product that is not the lapsed one', async () => {
    const { b, slug } = await readOnlyOrg('ro-other@example.com')
    const res = await b.post(`/o/${slug}/products/certyfikaty/plan/free-switch`, { mode: 'now', confirm: 'on' })
    expect(res.status).toBe(423)
  })

  it('reports read_only with the dates in the API entitlements and answers 423 to a usage write', async () => {
    const { key } = await readOnlyOrg('ro-api@example.com')
    const ent = await (await api(key, 'GET', '/entitlements')).json()
    expect(ent).toMatchObject({ read_only: true, lapsed_at: '2026-10-31T23:00:00.000Z', deletes_at: '2026-11-30T23:00:00.000Z' })
    const res = await api(key, 'POST', '/usage', { product: 'certyfikaty', quota: 'certificates', quantity: 1, idempotency_key: 'ro-1' })
    expect(res.status).toBe(423)
    expect(await res.json()).toMatchObject({ type: 'https://kontor.dev/problems/read_only', product: 'sekretariat', deletes_at: '2026-11-30T23:00:00.000Z' })
    const valid = await api(key, 'POST', '/licences/validate', { licence_number: 'nothing-like-it' })
    expect(valid.status).toBe(200)
  })
})

describe('a person’s own affairs in a read-only org', () => {
  it('lets a member leave it (the last administrator still can’t)', async () => {
    const { b, slug, org } = await readOnlyOrg('ro-leave@example.com')
    const member = await signedIn(t, 'ro-leaving-member@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    const left = await member.b.post(`/o/${slug}/membership/removal`)
    expect(left.headers.get('Location')).toBe('/orgs')
    expect(await t.db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, member.user.id)))).toHaveLength(0)
    expect((await b.post(`/o/${slug}/membership/removal`)).status).toBe(409)
  })

  it('lets an administrator remove a saved card, while testing declines on it stays refused', async () => {
    const { b, slug, org } = await readOnlyOrg('ro-card-removal@example.com')
    const method = { id: crypto.randomUUID(), orgId: org.id, provider: 'test' as const, customerRef: 'tc_ro', methodRef: 'tpm_ro', label: 'Test card •••• 4242', createdAt: t.clock.now() }
    await t.db.insert(savedMethods).values(method)
    expect((await b.post(`/o/${slug}/payment-methods/${method.id}/declines`, { declines: 'on' })).status).toBe(423)
    const removed = await b.post(`/o/${slug}/payment-methods/${method.id}/removal`)
    expect(removed.headers.get('Location')).toBe(`/o/${slug}/orders`)
    expect((await t.db.select().from(savedMethods).where(eq(savedMethods.id, method.id)).get())!.removedAt).toEqual(t.clock.now())
  })
})

describe('unlocking a read-only org', () => {
  it('by switching the lapsed product to the free plan now: the banner goes and changes work again', async () => {
    const { b, slug, org, key } = await readOnlyOrg('ro-free@example.com')
    const later = await b.post(`/o/${slug}/products/sekretariat/plan/free-switch`, { mode: 'at_period_end' })
    expect(later.status).toBe(422)
    expect(textOf(await later.text())).toContain('A lapsed subscription can only move to the free plan now.')
    const unconfirmed = await b.post(`/o/${slug}/products/sekretariat/plan/free-switch`, { mode: 'now' })
    expect(unconfirmed.status).toBe(422)
    expect((await sekretariatOf(org.id)).status).toBe('read_only')

    const res = await b.post(`/o/${slug}/products/sekretariat/plan/free-switch`, { mode: 'now', confirm: 'on' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/o/${slug}/products/sekretariat/plan`)
    const sub = await sekretariatOf(org.id)
    expect([sub.status, sub.snapshot.planName, sub.snapshot.isFree, sub.periodEnd, sub.source, sub.addonPacks]).toEqual(['active', 'Green', true, null, 'free', {}])
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds.at(-1)).toBe('plan.switched_to_free')
    const dashboard = await pageText(b, `/o/${slug}`)
    expect(dashboard).not.toContain('read-only')
    expect((await b.post(`/o/${slug}/api-keys`, { name: 'Again' })).status).toBe(200)
    expect((await api(key, 'GET', '/entitlements').then((r) => r.json())).read_only).toBe(false)
    expect((await api(key, 'POST', '/usage', { product: 'certyfikaty', quota: 'certificates', quantity: 1, idempotency_key: 'ro-2' })).status).toBe(201)
  })

  it('by buying a paid plan at checkout and paying the order: the banner goes', async () => {
    const { b, slug, org, key } = await readOnlyOrg('ro-buy@example.com')
    // Checkout lives outside /o/:slug, so a read-only org can buy.
    expect((await b.post('/buy/sekretariat', { plan: 'silver', period: '12' })).status).toBe(303)
    await b.post('/checkout/billing', { org: slug, billingEmail: org.billingEmail, einvoiceId: '' })
    const placed = await b.post('/checkout/orders', { paymentMethod: 'transfer', terms: 'on' })
    expect(placed.status).toBe(303)
    const order = (await t.db.select().from(orders).where(and(eq(orders.orgId, org.id), eq(orders.status, 'pending_payment'))).get())!
    expect(await pageText(b, `/o/${slug}/orders/${order.id}`)).toContain(BANNER)

    expect(await markOrderPaid(t.deps, order.id, operator, t.clock.now())).toEqual({ ok: true })
    const sub = await sekretariatOf(org.id)
    expect([sub.status, sub.snapshot.planName, sub.periodEnd?.toISOString()]).toEqual(['active', 'Silver', '2027-11-20T10:00:00.000Z'])
    expect(await pageText(b, `/o/${slug}`)).not.toContain('read-only')
    expect((await api(key, 'GET', '/entitlements').then((r) => r.json())).read_only).toBe(false)
  })

  it('lets a read-only org start paying a card order from the order page', async () => {
    const buyer = await readOnlyOrg('ro-card@example.com')
    const order = await orderFor(t, buyer, 'card')
    const res = await buyer.b.post(`/o/${buyer.slug}/orders/${order.id}/payments`)
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toMatch(/^http:\/\/localhost\/pay\/test\/\w+$/)
  })
})
