import { describe, expect, it } from 'vitest'
import { and, eq, isNull, like } from 'drizzle-orm'
import { addonPrices, addons, history, orgs, planLimits, planPrices, plans, products, quotaDefs, subscriptions, variants } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { createAddon } from '../../src/services/catalog'
import { Browser, testApp, textOf } from '../helpers/app'
import { createUser, nextNip, PASSWORD } from '../helpers/users'
import { operatorWithAuthenticator } from '../helpers/operators'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const { b: ops } = await operatorWithAuthenticator(t, 'catalog-op1@example.com', 'Olga Operator')
const catalog = () => loadCatalog(t.db)
const product = async (key: string) => (await catalog()).find((p) => p.key === key)!
const sekretariat = await product('sekretariat')
const simplysign = await product('simplysign')
const green = sekretariat.plans.find((p) => p.key === 'green')!
const addon = (await product('certified-platform')).addons[0]!

/** Counts of every catalog table, to prove that a refused request wrote nothing. */
async function catalogCounts() {
  const tables = [products, plans, planPrices, planLimits, quotaDefs, addons, addonPrices, variants, history] as const
  return Promise.all(tables.map(async (table) => (await t.db.select().from(table)).length))
}

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
const errorOf = (html: string, field: string) => textOf(new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '')

async function expectCreated(res: Response, path: RegExp) {
  expect(res.status).toBe(303)
  expect(res.headers.get('Location')).toMatch(path)
  return res.headers.get('Location')!
}

const sekretariatPlan = (over: Record<string, string> = {}) => ({
  key: 'diamond',
  name: 'Diamond',
  rank: '5',
  price_1: '149,00',
  price_12: '1490.5',
  limit_contracts: '2000',
  limit_correspondence: '',
  limit_users: '50',
  active: 'on',
  ...over,
})

const greenForm = (limitContracts: string) => ({ name: 'Green', rank: '0', isFree: 'on', limit_contracts: limitContracts, limit_correspondence: '10', limit_users: '1', active: 'on' })

describe('catalog editing is for operators only', () => {
  const routes: [string, string][] = [
    ['GET', '/ops/catalog'],
    ['GET', '/ops/catalog/products/new'],
    ['POST', '/ops/catalog/products'],
    ['GET', `/ops/catalog/products/${sekretariat.id}`],
    ['POST', `/ops/catalog/products/${sekretariat.id}`],
    ['GET', `/ops/catalog/products/${sekretariat.id}/plans/new`],
    ['POST', `/ops/catalog/products/${sekretariat.id}/plans`],
    ['GET', `/ops/catalog/plans/${green.id}`],
    ['POST', `/ops/catalog/plans/${green.id}`],
    ['GET', `/ops/catalog/products/${sekretariat.id}/quotas/new`],
    ['POST', `/ops/catalog/products/${sekretariat.id}/quotas`],
    ['GET', `/ops/catalog/products/${sekretariat.id}/quotas/contracts`],
    ['POST', `/ops/catalog/products/${sekretariat.id}/quotas/contracts`],
    ['GET', `/ops/catalog/products/${sekretariat.id}/addons/new`],
    ['POST', `/ops/catalog/products/${sekretariat.id}/addons`],
    ['GET', `/ops/catalog/addons/${addon.id}`],
    ['POST', `/ops/catalog/addons/${addon.id}`],
    ['GET', `/ops/catalog/products/${simplysign.id}/variants/new`],
    ['POST', `/ops/catalog/products/${simplysign.id}/variants`],
    ['GET', `/ops/catalog/variants/${simplysign.variants[0]!.id}`],
    ['POST', `/ops/catalog/variants/${simplysign.variants[0]!.id}`],
  ]
  const body = { key: 'sneaky', name: 'Sneaky', kind: 'subscription', currency: 'PLN', rank: '1', price_1: '1.00', price_12: '1.00', labelEn: 'x', labelPl: 'x', labelIt: 'x' }
  const send = (b: Browser, method: string, path: string) => (method === 'GET' ? b.get(path) : b.post(path, body))

  it('sends signed-out visitors to sign in and answers customers 404 on every catalog route, writing nothing', async () => {
    await createUser(t.deps, { email: 'not-an-operator@example.com' })
    const customer = t.browser()
    await customer.post('/login', { email: 'not-an-operator@example.com', password: PASSWORD })
    const before = await catalogCounts()
    for (const [method, path] of routes) {
      const anonymous = await send(t.browser(), method, path)
      expect([path, anonymous.status, anonymous.headers.get('Location')]).toEqual([path, 303, '/login'])
      expect([path, (await send(customer, method, path)).status]).toEqual([path, 404])
    }
    expect(await catalogCounts()).toEqual(before)
  })

  it('refuses a form posted from another site with 403, writing nothing', async () => {
    const before = await catalogCounts()
    const res = await ops.post('/ops/catalog/products', { key: 'cross-site', name: 'X', kind: 'virtual', currency: 'PLN' }, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    const edit = await ops.post(`/ops/catalog/plans/${green.id}`, greenForm('0'), { Origin: 'https://evil.example' })
    expect(edit.status).toBe(403)
    expect(await catalogCounts()).toEqual(before)
  })
})

describe('operators build a product from scratch', () => {
  it('create a subscription product, a quota, a plan with prices and limits, and an add-on; pages and database agree', async () => {
    const form = (await (await ops.get('/ops/catalog/products/new')).text())
    expect(new Set(ids(form)).size).toBe(ids(form).length)
    const created = await ops.post('/ops/catalog/products', {
      key: 'archiwum',
      name: 'Archiwum',
      kind: 'subscription',
      currency: 'EUR',
      descriptionEn: 'Document archive.',
      descriptionPl: 'Archiwum dokumentów.',
      descriptionIt: 'Archivio di documenti.',
      billingPeriods: '12, 1, 12',
      lapsePolicy: 'read_only_then_delete',
      graceDays: '45',
      freeValidityMonths: '6',
      businessOnly: 'on',
      active: 'on',
    })
    const productPath = await expectCreated(created, /^\/ops\/catalog\/products\/[a-z0-9]+$/)
    const stored = (await product('archiwum'))
    expect(stored).toMatchObject({
      name: 'Archiwum',
      kind: 'subscription',
      currency: 'EUR',
      description: { en: 'Document archive.', pl: 'Archiwum dokumentów.', it: 'Archivio di documenti.' },
      billingPeriods: [1, 12],
      lapsePolicy: 'read_only_then_delete',
      graceDays: 45,
      freeValidityMonths: 6,
      businessOnly: true,
      active: true,
    })
    const page = textOf(await (await ops.follow(created)).text())
    expect(page).toContain('Archiwum was added to the catalog.')
    expect(page).toContain('Set when created: key archiwum, subscription, prices in EUR.')
    expect(page).toContain('Quotas None yet.')

    const quota = await ops.post(`${productPath}/quotas`, { key: 'documents', kind: 'total', labelEn: 'documents', labelPl: 'dokumenty', labelIt: 'documenti', position: '0' })
    await expectCreated(quota, /#quotas$/)
    await ops.post(`${productPath}/quotas`, { key: 'users', kind: 'seats', labelEn: 'users', labelPl: 'użytkownicy', labelIt: 'utenti', position: '1' })
    expect(await t.db.select({ key: quotaDefs.key, kind: quotaDefs.kind, position: quotaDefs.position }).from(quotaDefs).where(eq(quotaDefs.productId, stored.id))).toEqual([
      { key: 'documents', kind: 'total', position: 0 },
      { key: 'users', kind: 'seats', position: 1 },
    ])

    const planForm = await (await ops.get(`${productPath}/plans/new`)).text()
    expect(new Set(ids(planForm)).size).toBe(ids(planForm).length)
    expect(textOf(planForm)).toContain('Net price for 12 months (EUR)')
    expect(textOf(planForm)).toContain('Limit: documents')
    const plan = await ops.post(`${productPath}/plans`, { key: 'team', name: 'Team', rank: '1', price_1: '49,00', price_12: '490.5', limit_documents: '1000', limit_users: '', active: 'on' })
    await expectCreated(plan, /#plans$/)
    const team = (await product('archiwum')).plans[0]!
    expect(team).toMatchObject({ key: 'team', name: 'Team', rank: 1, isFree: false, active: true, prices: { 1: 4900, 12: 49050 }, limits: { documents: 1000, users: null } })
    expect(textOf(await (await ops.get(productPath)).text())).toContain('Team €49.00 €490.50 1000 unlimited Edit Team')

    const free = await ops.post(`${productPath}/plans`, { key: 'free', name: 'Free', rank: '0', isFree: 'on', price_1: '9.99', limit_documents: '10', limit_users: '1', active: 'on' })
    await expectCreated(free, /#plans$/)
    const freePlan = (await product('archiwum')).plans.find((p) => p.key === 'free')!
    expect(freePlan).toMatchObject({ isFree: true, prices: {}, limits: { documents: 10, users: 1 } })

    const addonRes = await ops.post(`${productPath}/addons`, {
      quotaKey: 'documents',
      nameEn: '+500 documents',
      namePl: '+500 dokumentów',
      nameIt: '+500 documenti',
      packSize: '500',
      maxPacks: '',
      price_1: '5',
      price_12: '50.00',
      active: 'on',
    })
    await expectCreated(addonRes, /#addons$/)
    const [added] = (await product('archiwum')).addons
    expect(added).toMatchObject({ quotaKey: 'documents', packSize: 500, maxPacks: null, prices: { 1: 500, 12: 5000 }, active: true })
    expect(textOf(await (await ops.get(productPath)).text())).toContain('+500 documents — 1 month: €5.00, 12 months: €50.00')
    expect(textOf(await (await ops.get('/ops/catalog')).text())).toContain('Archiwum subscription businesses only')
    for (const path of [productPath, `${productPath}/addons/new`, `${productPath}/quotas/new`, `/ops/catalog/plans/${team.id}`, `/ops/catalog/addons/${added!.id}`]) {
      const html = await (await ops.get(path)).text()
      expect([path, ids(html).length]).toEqual([path, new Set(ids(html)).size])
    }
  })

  it('create a virtual product and its variants', async () => {
    const created = await ops.post('/ops/catalog/products', {
      key: 'pieczec',
      name: 'Pieczęć',
      kind: 'virtual',
      currency: 'PLN',
      descriptionEn: 'Electronic seal.',
      descriptionPl: 'Pieczęć elektroniczna.',
      descriptionIt: 'Sigillo elettronico.',
      billingPeriods: '',
      lapsePolicy: 'downgrade_to_free',
      graceDays: '30',
      freeValidityMonths: '12',
      active: 'on',
    })
    const productPath = await expectCreated(created, /^\/ops\/catalog\/products\//)
    const page = textOf(await (await ops.follow(created)).text())
    expect(page).toContain('Variants None yet.')
    expect(page).not.toContain('Plans')
    const res = await ops.post(`${productPath}/variants`, {
      key: 'seal-1y',
      nameEn: 'seal, 1 year',
      namePl: 'pieczęć, 1 rok',
      nameIt: 'sigillo, 1 anno',
      termMonths: '12',
      unitPrice: '1 299,99',
      ecodeValidityMonths: '18',
      active: 'on',
    })
    await expectCreated(res, /#variants$/)
    const [variant] = (await product('pieczec')).variants
    expect(variant).toMatchObject({ key: 'seal-1y', name: { en: 'seal, 1 year', pl: 'pieczęć, 1 rok', it: 'sigillo, 1 anno' }, termMonths: 12, unitPriceMinor: 129999, ecodeValidityMonths: 18, active: true })
    expect(textOf(await (await ops.get(productPath)).text())).toContain('seal, 1 year — PLN 1,299.99 · e-codes valid 18 months')
    // A virtual product has no plans, quotas or add-ons.
    expect((await ops.get(`${productPath}/plans/new`)).status).toBe(404)
    expect((await ops.post(`${productPath}/quotas`, { key: 'x', kind: 'total', labelEn: 'x', labelPl: 'x', labelIt: 'x', position: '0' })).status).toBe(404)
  })

  it('record every change in the history without an org, as the operator', async () => {
    const rows = await t.db.select().from(history).where(and(isNull(history.orgId), like(history.kind, 'catalog.%'))).orderBy(history.id)
    expect(rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['catalog.product.created', 'catalog.quota.created', 'catalog.plan.created', 'catalog.addon.created', 'catalog.variant.created']),
    )
    expect(rows.every((r) => r.actorType === 'operator' && r.actorLabel.startsWith('Olga Operator <catalog-op'))).toBe(true)
    const team = rows.find((r) => r.kind === 'catalog.plan.created' && r.details?.plan === 'team')!
    expect(team.details).toMatchObject({ product: 'archiwum', prices: { 1: 4900, 12: 49050 }, limits: { documents: 1000, users: null } })
  })
})

describe('operators edit what exists', () => {
  it('change a product’s texts, periods and policies; its key, kind and currency stay', async () => {
    const p = await product('certyfikaty')
    const res = await ops.post(`/ops/catalog/products/${p.id}`, {
      key: 'renamed',
      kind: 'virtual',
      currency: 'EUR',
      name: 'Certyfikaty Plus',
      descriptionEn: 'More certificates.',
      descriptionPl: 'Więcej certyfikatów.',
      descriptionIt: 'Più certificati.',
      billingPeriods: '1,12,24',
      lapsePolicy: 'read_only_then_delete',
      graceDays: '14',
      freeValidityMonths: '24',
      active: 'on',
    })
    expect(res.status).toBe(303)
    expect(textOf(await (await ops.follow(res)).text())).toContain('Certyfikaty Plus was saved.')
    expect(await t.db.select().from(products).where(eq(products.id, p.id)).get()).toMatchObject({
      key: 'certyfikaty',
      kind: 'subscription',
      currency: 'PLN',
      name: 'Certyfikaty Plus',
      billingPeriods: [1, 12, 24],
      lapsePolicy: 'read_only_then_delete',
      graceDays: 14,
      freeValidityMonths: 24,
      businessOnly: false,
    })
  })

  it('change a plan: prices and limits are replaced together, the key stays', async () => {
    const silver = sekretariat.plans.find((p) => p.key === 'silver')!
    const form = await (await ops.get(`/ops/catalog/plans/${silver.id}`)).text()
    expect(form).toContain('value="29.00"')
    expect(form).toContain('name="limit_users" type="text" value="3"')
    const res = await ops.post(`/ops/catalog/plans/${silver.id}`, { key: 'gold', name: 'Silver+', rank: '1', price_1: '39', price_12: '390,00', limit_contracts: '', limit_correspondence: '150', limit_users: '4' })
    expect(res.headers.get('Location')).toBe(`/ops/catalog/products/${sekretariat.id}#plans`)
    const after = (await product('sekretariat')).plans.find((p) => p.id === silver.id)!
    expect(after).toMatchObject({ key: 'silver', name: 'Silver+', active: false, prices: { 1: 3900, 12: 39000 }, limits: { contracts: null, correspondence: 150, users: 4 } })
  })

  it('change a quota’s labels and position; its key and kind stay', async () => {
    const res = await ops.post(`/ops/catalog/products/${sekretariat.id}/quotas/users`, { key: 'people', kind: 'total', labelEn: 'people', labelPl: 'osoby', labelIt: 'persone', position: '7' })
    expect(res.status).toBe(303)
    const users = (await product('sekretariat')).quotas.find((q) => q.key === 'users')!
    expect(users).toMatchObject({ kind: 'seats', position: 7, label: { en: 'people', pl: 'osoby', it: 'persone' } })
  })

  it('change an add-on (its quota stays) and a variant (its key stays)', async () => {
    const res = await ops.post(`/ops/catalog/addons/${addon.id}`, { quotaKey: 'storage_gb', nameEn: '+2 users', namePl: '+2 użytkowników', nameIt: '+2 utenti', packSize: '2', maxPacks: '7', price_12: '40', price_24: '72.00' })
    expect(res.status).toBe(303)
    const a = (await product('certified-platform')).addons.find((x) => x.id === addon.id)!
    expect(a).toMatchObject({ quotaKey: 'users', packSize: 2, maxPacks: 7, active: false, prices: { 12: 4000, 24: 7200 } })
    const v = simplysign.variants[0]!
    const edit = await ops.post(`/ops/catalog/variants/${v.id}`, { key: 'other', nameEn: 'signature, one year', namePl: 'podpis, rok', nameIt: 'firma, un anno', termMonths: '12', unitPrice: '319.00', ecodeValidityMonths: '24', active: 'on' })
    expect(edit.status).toBe(303)
    expect(await t.db.select().from(variants).where(eq(variants.id, v.id)).get()).toMatchObject({ key: 'signature-1y', unitPriceMinor: 31900, name: { en: 'signature, one year' } })
  })

  it('answer 404 for a part that does not exist', async () => {
    for (const path of ['/ops/catalog/products/nope', '/ops/catalog/plans/nope', '/ops/catalog/addons/nope', '/ops/catalog/variants/nope', `/ops/catalog/products/${sekretariat.id}/quotas/nope`]) {
      expect([path, (await ops.get(path)).status]).toEqual([path, 404])
    }
  })
})

describe('refused catalog changes say why next to the field and write nothing', () => {
  it('a product key already used answers 422', async () => {
    const before = await catalogCounts()
    const res = await ops.post('/ops/catalog/products', { key: 'sekretariat', name: 'Again', kind: 'subscription', currency: 'PLN', descriptionEn: 'a', descriptionPl: 'b', descriptionIt: 'c', billingPeriods: '1', lapsePolicy: 'downgrade_to_free', graceDays: '30', freeValidityMonths: '12' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(errorOf(html, 'key')).toBe('Another product already has this key.')
    expect(html).toContain('value="Again"')
    expect(await catalogCounts()).toEqual(before)
  })

  it('plan, quota and variant keys already used in the product answer 422; the same key in another product is fine', async () => {
    const before = await catalogCounts()
    const plan = await ops.post(`/ops/catalog/products/${sekretariat.id}/plans`, sekretariatPlan({ key: 'gold' }))
    expect(plan.status).toBe(422)
    expect(errorOf(await plan.text(), 'key')).toBe('Another plan of this product already has this key.')
    const quota = await ops.post(`/ops/catalog/products/${sekretariat.id}/quotas`, { key: 'contracts', kind: 'total', labelEn: 'a', labelPl: 'b', labelIt: 'c', position: '0' })
    expect(quota.status).toBe(422)
    expect(errorOf(await quota.text(), 'key')).toBe('This product already has a quota with this key.')
    const variant = await ops.post(`/ops/catalog/products/${simplysign.id}/variants`, { key: 'signature-2y', nameEn: 'a', namePl: 'b', nameIt: 'c', termMonths: '24', unitPrice: '1', ecodeValidityMonths: '24' })
    expect(variant.status).toBe(422)
    expect(errorOf(await variant.text(), 'key')).toBe('Another variant of this product already has this key.')
    const addon = await ops.post(`/ops/catalog/products/${(await product('certified-platform')).id}/addons`, { quotaKey: 'users', nameEn: 'a', namePl: 'b', nameIt: 'c', packSize: '1', price_12: '1', price_24: '1' })
    expect(addon.status).toBe(422)
    expect(errorOf(await addon.text(), 'quotaKey')).toBe('This quota already has an add-on; change that one instead.')
    expect(await catalogCounts()).toEqual(before)
    const elsewhere = await ops.post(`/ops/catalog/products/${(await product('certyfikaty')).id}/plans`, { key: 'gold', name: 'Gold', rank: '3', price_1: '1', price_12: '10', price_24: '20', limit_templates: '', limit_certificates: '', limit_users: '' })
    expect(elsewhere.status).toBe(303)
  })

  it('a second free plan answers 422, when created and when an existing plan is made free', async () => {
    const before = await catalogCounts()
    const res = await ops.post(`/ops/catalog/products/${sekretariat.id}/plans`, sekretariatPlan({ key: 'free-two', isFree: 'on' }))
    expect(res.status).toBe(422)
    expect(errorOf(await res.text(), 'isFree')).toBe('This product already has a free plan, and a product may have only one.')
    const gold = sekretariat.plans.find((p) => p.key === 'gold')!
    const edit = await ops.post(`/ops/catalog/plans/${gold.id}`, sekretariatPlan({ name: 'Gold', isFree: 'on' }))
    expect(edit.status).toBe(422)
    expect(await catalogCounts()).toEqual(before)
    expect((await t.db.select().from(plans).where(eq(plans.id, gold.id)).get())!.isFree).toBe(false)
  })

  it.each([
    ['12.345', 'Use at most 2 decimals, e.g. 49.99.'],
    ['-1', 'An amount cannot be negative.'],
    ['abc', 'Enter an amount such as 49.00 or 49,00.'],
  ])('the amount %s answers 422 and nothing is written', async (amount, message) => {
    const before = await catalogCounts()
    const res = await ops.post(`/ops/catalog/products/${sekretariat.id}/plans`, sekretariatPlan({ key: `bad-${before[1]}`, price_12: amount }))
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(errorOf(html, 'price_12')).toBe(message)
    expect(html).toContain(`value="${amount}"`)
    const variant = await ops.post(`/ops/catalog/variants/${simplysign.variants[1]!.id}`, { nameEn: 'a', namePl: 'b', nameIt: 'c', termMonths: '24', unitPrice: amount, ecodeValidityMonths: '24' })
    expect(variant.status).toBe(422)
    expect(errorOf(await variant.text(), 'unitPrice')).toBe(message)
    expect(await catalogCounts()).toEqual(before)
  })

  it('a paid plan needs a price for every period, limits are whole numbers, and htmx gets just the form card back', async () => {
    const res = await ops.post(`/ops/catalog/products/${sekretariat.id}/plans`, sekretariatPlan({ key: 'Bad Key', price_1: '', limit_users: '1.5' }), { 'HX-Request': 'true' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).not.toContain('<html')
    expect(html).toMatch(/^<section class="card" id="part-form"/)
    expect(errorOf(html, 'key')).toBe('Use 2 to 40 lower-case letters, digits, “-” or “_”, starting with a letter.')
    expect(errorOf(html, 'limit_users')).toBe('Enter a whole number, 0 or more.')
    // Whether each period has a price is judged once every field reads well.
    const missing = await ops.post(`/ops/catalog/products/${sekretariat.id}/plans`, sekretariatPlan({ key: 'no-price', price_1: '' }))
    expect(missing.status).toBe(422)
    expect(errorOf(await missing.text(), 'price_1')).toBe('Enter the net price for this period.')
    expect(await t.db.select().from(plans).where(eq(plans.key, 'no-price'))).toEqual([])
  })

  it('a subscription product needs billing periods and a virtual one has none', async () => {
    const base = { name: 'P', currency: 'PLN', descriptionEn: 'a', descriptionPl: 'b', descriptionIt: 'c', lapsePolicy: 'downgrade_to_free', graceDays: '30', freeValidityMonths: '12' }
    const sub = await ops.post('/ops/catalog/products', { ...base, key: 'no-periods', kind: 'subscription', billingPeriods: '' })
    expect(errorOf(await sub.text(), 'billingPeriods')).toBe('A subscription product needs at least one billing period.')
    const virtual = await ops.post('/ops/catalog/products', { ...base, key: 'with-periods', kind: 'virtual', billingPeriods: '12' })
    expect(errorOf(await virtual.text(), 'billingPeriods')).toBe('A virtual product is sold by the unit: leave the billing periods empty.')
    const bad = await ops.post('/ops/catalog/products', { ...base, key: 'bad-periods', kind: 'subscription', billingPeriods: '1, 0.5' })
    expect(bad.status).toBe(422)
    expect(await t.db.select().from(products).where(like(products.key, '%periods'))).toEqual([])
  })
})

describe('the catalog never changes what subscribers bought', () => {
  async function orgOnFreeSekretariat(email: string) {
    await createUser(t.deps, { email })
    const b = t.browser()
    await b.post('/login', { email, password: PASSWORD })
    const res = await b.post('/orgs', { name: `Org of ${email}`, country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: email })
    const slug = res.headers.get('Location')!.replace('/o/', '')
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
    const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
    const meters = async () => textOf(/id="product-sekretariat"[\s\S]*?<\/article>/.exec(await (await b.get(`/o/${slug}`)).text())![0])
    return { org, meters }
  }

  it('an org on the free plan keeps its limit when an operator lowers it; an org activating afterwards gets the new one', async () => {
    const before = await orgOnFreeSekretariat('kept-limit@example.com')
    expect(await before.meters()).toContain('0 of 10 contracts this month')
    const res = await ops.post(`/ops/catalog/plans/${green.id}`, greenForm('5'))
    expect(res.status).toBe(303)
    expect((await product('sekretariat')).plans.find((p) => p.id === green.id)!.limits.contracts).toBe(5)

    expect(await before.meters()).toContain('0 of 10 contracts this month')
    const kept = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, before.org.id)).get()
    expect(kept!.snapshot.limits.contracts).toBe(10)

    const after = await orgOnFreeSekretariat('new-limit@example.com')
    expect(await after.meters()).toContain('0 of 5 contracts this month')
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, after.org.id)).get())!.snapshot.limits.contracts).toBe(5)
  })

  it('unticking active takes a plan off sale: subscribers keep it, nobody new can activate it', async () => {
    const holder = await orgOnFreeSekretariat('holder@example.com')
    const { active: _, ...unticked } = greenForm('5')
    expect((await ops.post(`/ops/catalog/plans/${green.id}`, unticked)).status).toBe(303)
    expect(await holder.meters()).toContain('0 of 5 contracts this month')
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, holder.org.id)).get())!.status).toBe('active')
    await expect(orgOnFreeSekretariat('too-late@example.com')).rejects.toThrow()
  })
})

describe('two operators at once', () => {
  it('adding an add-on for the same quota twice at the same moment: the database keeps one, the other is told', async () => {
    const sek = await product('sekretariat')
    const quota = sek.quotas.find((q) => !sek.addons.some((a) => a.quotaKey === q.key))!
    const input = { quotaKey: quota.key, name: { en: 'Pack', pl: 'Pakiet', it: 'Pacchetto' }, packSize: 5, maxPacks: null, active: true, prices: { 1: 500, 12: 5000 } }
    const actor = { type: 'operator', id: null, label: 'test' } as const
    // Both start from the same catalog read, so the check in code lets both through.
    const results = await Promise.all([createAddon(t.deps, actor, sek, input, t.clock.now()), createAddon(t.deps, actor, sek, input, t.clock.now())])
    expect(results.map((r) => r.ok).sort()).toEqual([false, true])
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'quota_taken' })
    expect(await t.db.select().from(addons).where(and(eq(addons.productId, sek.id), eq(addons.quotaKey, quota.key)))).toHaveLength(1)
  })
})
