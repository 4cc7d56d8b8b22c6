// The back office's organizations: search, one org's picture, granting a paid plan and warehouse
// units, the org's history for operators (SPEC §15, §6).
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, licences, orgs, subscriptions, warehouseGrants } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { testApp, textOf, type Browser } from '../helpers/app'
import { readRequestContext } from '../../src/services/request-context'
import { sessionCookieName } from '../../src/auth/cookie'
import { createUser, nextNip, PASSWORD } from '../helpers/users'
import { operatorWithAuthenticator } from '../helpers/operators'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const catalog = await loadCatalog(t.db)
const sekretariat = catalog.find((p) => p.key === 'sekretariat')!
const plan = (key: string) => sekretariat.plans.find((p) => p.key === key)!
const signature1y = catalog.find((p) => p.key === 'simplysign')!.variants.find((v) => v.key === 'signature-1y')!
const { b: ops } = await operatorWithAuthenticator(t, 'operator@example.com')

async function customerOrg(email: string, name: string, taxId = nextNip()) {
  const user = await createUser(t.deps, { email })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  const res = await b.post('/orgs', { name, country: 'PL', legalForm: 'company', taxId, addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: email })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  return { user, b, slug, org }
}

describe('finding an organization', () => {
  it('by part of its name in any case, or by its tax id typed with dashes', async () => {
    const { org } = await customerOrg('find1@example.com', 'Zakład Kominiarski Ryś', 'PL 526-025-09-95')
    await customerOrg('find2@example.com', 'Other Company')
    const byName = textOf(await (await ops.get('/ops/orgs?q=KOMINIARSKI')).text())
    expect(byName).toContain('Zakład Kominiarski Ryś')
    expect(byName).not.toContain('Other Company')
    const byTaxId = await (await ops.get('/ops/orgs?q=526-025-09-95')).text()
    expect(byTaxId).toContain(`href="/ops/orgs/${org.id}"`)
    expect(textOf(await (await ops.get('/ops/orgs?q=%25')).text())).toContain('No organization matches.')
  })

  it('shows the org with its members and products; an unknown id is a 404', async () => {
    const { org, slug, b } = await customerOrg('pic1@example.com', 'Picture Ltd')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const page = textOf(await (await ops.get(`/ops/orgs/${org.id}`)).text())
    expect(page).toContain('Picture Ltd')
    expect(page).toContain('pic1@example.com')
    // The operator is not in the org: no org bar or org menu frames the page.
    expect(page).not.toContain('Organization: Picture Ltd')
    expect(page).toMatch(/Sekretariat Green free plan valid while someone signs in at least once a year; lapses on \d+ \w+ \d{4}, \d\d:\d\d KT-/)
    expect((await ops.get('/ops/orgs/nope')).status).toBe(404)
  })

  it('is for operators only: customers get the same 404 as a missing page, and nothing is granted', async () => {
    const { org, b } = await customerOrg('nosy@example.com', 'Nosy Ltd')
    expect((await b.get('/ops/orgs')).status).toBe(404)
    expect((await b.get(`/ops/orgs/${org.id}`)).status).toBe(404)
    expect((await b.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('gold').id, months: '12' })).status).toBe(404)
    expect((await b.post(`/ops/orgs/${org.id}/unit-grants`, { variant: signature1y.id, units: '5', note: 'x' })).status).toBe(404)
    expect((await t.browser().get('/ops/orgs')).headers.get('Location')).toBe('/login')
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toEqual([])
    expect(await t.db.select().from(warehouseGrants).where(eq(warehouseGrants.orgId, org.id))).toEqual([])
  })
})

describe('the org a back-office path names', () => {
  it('is read with the session, for an operator only: a deleted org opens, a customer’s request never reads it', async () => {
    const { org, b } = await customerOrg('gone@example.com', 'Gone Ltd')
    await t.db.update(orgs).set({ deletedAt: t.clock.now() }).where(eq(orgs.id, org.id))
    expect(textOf(await (await ops.get(`/ops/orgs/${org.id}`)).text())).toContain('Gone Ltd')
    const context = (browser: Browser) =>
      readRequestContext(t.deps, { token: browser.cookies.get(sessionCookieName(t.config)), path: `/ops/orgs/${org.id}/history`, real: t.clock.now() })
    expect((await context(ops)).opsOrg?.name).toBe('Gone Ltd')
    // The statement itself asks for an operator's session: the org's own administrator gets nothing.
    expect((await context(b)).opsOrg).toBeNull()
    expect((await context(t.browser())).opsOrg).toBeNull()
  })
})

describe('granting a paid plan', () => {
  it('creates a subscription and licence for whole months in the org’s zone, which the customer sees with its end date', async () => {
    const { org, slug, b } = await customerOrg('grant1@example.com', 'Grant One')
    const res = await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('gold').id, months: '12' })
    expect(res.status).toBe(303)
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get())!
    // 20 Nov 2026 11:00 in Warsaw → 20 Nov 2027 11:00 in Warsaw.
    expect(sub).toMatchObject({ source: 'grant', status: 'active', periodMonths: 12, periodEnd: new Date('2027-11-20T10:00:00Z') })
    expect(sub.snapshot).toMatchObject({ planKey: 'gold', isFree: false, limits: { contracts: 500, correspondence: 500, users: 10 } })
    const licence = (await t.db.select().from(licences).where(eq(licences.subscriptionId, sub.id)).get())!
    expect(textOf(await (await ops.follow(res)).text())).toContain(`Gold granted until 20 November 2027. Licence number: ${licence.number}.`)
    const customer = textOf(await (await b.get(`/o/${slug}`)).text())
    expect(customer).toContain('Valid until 20 November 2027')
    expect(customer).toContain('0 of 500 contracts this month')
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'plan.granted')))
    expect(entry).toMatchObject({ actorType: 'operator', actorLabel: expect.stringContaining('operator@example.com') })
    expect(entry!.details).toMatchObject({ plan: 'Gold', months: 12, licence: licence.number })
  })

  it('moves an org on the free plan to the paid one and keeps its licence number', async () => {
    const { org, slug, b } = await customerOrg('grant2@example.com', 'Grant Two')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const before = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!
    expect((await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('silver').id, months: '1' })).status).toBe(303)
    const subs = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))
    expect(subs).toHaveLength(1)
    expect(subs[0]).toMatchObject({ id: before.subscriptionId, source: 'grant', periodEnd: new Date('2026-12-20T10:00:00Z') })
    expect(subs[0]!.snapshot.planName).toBe('Silver')
    expect(await t.db.select().from(licences).where(eq(licences.orgId, org.id))).toEqual([before])
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'plan.granted')))
    expect(entry!.details).toMatchObject({ previousPlan: 'Green', plan: 'Silver' })
  })

  it('refuses a free plan, an unknown plan and bad month counts, writing nothing', async () => {
    const { org } = await customerOrg('grant3@example.com', 'Grant Three')
    const free = await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('green').id, months: '12' })
    expect(free.status).toBe(422)
    expect(textOf(await free.text())).toContain('A free plan is not granted: the organization activates it itself.')
    expect((await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: 'no-such-plan', months: '12' })).status).toBe(404)
    for (const months of ['0', '61', '1.5', '-3', 'twelve', '']) {
      const res = await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('gold').id, months })
      expect(res.status, months).toBe(422)
      expect(textOf(await res.text())).toContain('Enter a whole number of months from 1 to 60.')
    }
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toEqual([])
    expect(await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'plan.granted')))).toEqual([])
  })

  it('refuses a cross-site form post', async () => {
    const { org } = await customerOrg('grant4@example.com', 'Grant Four')
    const res = await ops.post(`/ops/orgs/${org.id}/plan-grants`, { plan: plan('gold').id, months: '12' }, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toEqual([])
  })
})

describe('granting warehouse units', () => {
  it('stores the grant with its reason and tells the org in its history', async () => {
    const { org } = await customerOrg('units1@example.com', 'Units One')
    const res = await ops.post(`/ops/orgs/${org.id}/unit-grants`, { variant: signature1y.id, units: '25', note: 'Conference giveaway' })
    expect(res.status).toBe(303)
    expect(textOf(await (await ops.follow(res)).text())).toMatch(/25 units granted\.[\s\S]*signature, 1 year 25 Conference giveaway/)
    const grants = await t.db.select().from(warehouseGrants).where(eq(warehouseGrants.orgId, org.id))
    expect(grants).toEqual([expect.objectContaining({ variantId: signature1y.id, units: 25, note: 'Conference giveaway' })])
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'warehouse.granted')))
    expect(entry!.details).toMatchObject({ product: 'SimplySign', units: 25, note: 'Conference giveaway' })
  })

  it('refuses zero, too many, missing reasons and unknown variants, writing nothing', async () => {
    const { org } = await customerOrg('units2@example.com', 'Units Two')
    const cases: [Record<string, string>, number, string][] = [
      [{ variant: signature1y.id, units: '0', note: 'x' }, 422, 'Enter a whole number of units from 1 to 100,000.'],
      [{ variant: signature1y.id, units: '100001', note: 'x' }, 422, 'Enter a whole number of units from 1 to 100,000.'],
      [{ variant: signature1y.id, units: '3', note: '  ' }, 422, 'Say why, in a few words.'],
      [{ variant: 'nope', units: '3', note: 'x' }, 404, 'There is no such product variant on sale.'],
      [{ variant: sekretariat.id, units: '3', note: 'x' }, 404, 'There is no such product variant on sale.'],
    ]
    for (const [form, status, message] of cases) {
      const res = await ops.post(`/ops/orgs/${org.id}/unit-grants`, form)
      expect(res.status, JSON.stringify(form)).toBe(status)
      expect(textOf(await res.text())).toContain(message)
    }
    expect(await t.db.select().from(warehouseGrants).where(eq(warehouseGrants.orgId, org.id))).toEqual([])
  })
})

describe('an org’s history for operators', () => {
  it('lists every org’s history and exports it as CSV, with the operator’s grants in it', async () => {
    const { org } = await customerOrg('hist1@example.com', 'History One')
    await ops.post(`/ops/orgs/${org.id}/unit-grants`, { variant: signature1y.id, units: '2', note: 'Goodwill' })
    const page = await (await ops.get(`/ops/orgs/${org.id}/history`)).text()
    expect(textOf(page)).toContain('Units granted to the warehouse')
    expect(textOf(page)).toContain('Organization created')
    expect(page).toContain(`href="/ops/orgs/${org.id}/history.csv"`)
    const csv = await ops.get(`/ops/orgs/${org.id}/history.csv`)
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer())
    expect(body.startsWith('\uFEFF')).toBe(true)
    expect(body).toContain('warehouse.granted')
  })
})
