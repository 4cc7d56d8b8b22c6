import { describe, expect, it } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import { history, licences, memberships, orgs, planLimits, plans, subscriptions, usageEvents, usageTotals } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { quotaUseSql } from '../../src/services/subscriptions'
import { testApp, textOf } from '../helpers/app'
import { createUser, nextNip, PASSWORD } from '../helpers/users'
import { invalidateCatalog } from '../../src/db/catalog-cache'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const catalog = await loadCatalog(t.db)
const sekretariat = catalog.find((p) => p.key === 'sekretariat')!

async function adminWithOrg(email: string, legalForm = 'company') {
  const user = await createUser(t.deps, { email })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  const res = await b.post('/orgs', {
    name: `Org of ${email}`,
    country: 'PL',
    legalForm,
    taxId: legalForm === 'person' ? '' : nextNip(),
    addressLine: 'ul. Polna 3',
    postalCode: '00-003',
    city: 'Warszawa',
    billingEmail: email,
  })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  return { user, b, slug, org }
}

const meters = async (b: ReturnType<typeof t.browser>, slug: string, product: string) => {
  const html = await (await b.get(`/o/${slug}`)).text()
  return textOf(new RegExp(`id="product-${product}"[\\s\\S]*?</article>`).exec(html)![0])
}

describe('activating a free plan', () => {
  it('takes one click: a subscription with the plan frozen as it is today, a licence number, and a history entry', async () => {
    const { b, slug, org } = await adminWithOrg('free1@example.com')
    expect(await meters(b, slug, 'sekretariat')).toContain('Activate the free plan: Green')
    const res = await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    expect(res.status).toBe(303)
    const sub = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id)).get()
    expect(sub).toMatchObject({ status: 'active', source: 'free', periodEnd: null })
    expect(sub!.snapshot).toEqual({ planKey: 'green', planName: 'Green', isFree: true, limits: { contracts: 10, correspondence: 10, users: 3 }, addonPackSizes: {} })
    const licence = await t.db.select().from(licences).where(eq(licences.subscriptionId, sub!.id)).get()
    expect(licence!.number).toMatch(/^KT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const page = textOf(await (await b.follow(res)).text())
    expect(page).toContain(`The free plan is active. Licence number: ${licence!.number}.`)
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds).toEqual(['org.created', 'plan.activated'])
  })

  it('shows every quota as a meter with words: used of limit, and when monthly ones reset in the org’s time zone', async () => {
    const { b, slug, org } = await adminWithOrg('free2@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const at = (iso: string) => new Date(iso)
    await t.db.insert(usageEvents).values([
      ...Array.from({ length: 7 }, (_, i) => ({ orgId: org.id, productId: sekretariat.id, quotaKey: 'contracts', quantity: 1, at: at('2026-11-10T10:00:00Z'), idempotencyKey: `c${i}` })),
      // 31 October 23:30 UTC is already 1 November in Warsaw: it counts this month.
      { orgId: org.id, productId: sekretariat.id, quotaKey: 'correspondence', quantity: 2, at: at('2026-10-31T23:30:00Z'), idempotencyKey: 'k1' },
      // 31 October 22:30 UTC is still October in Warsaw: it does not.
      { orgId: org.id, productId: sekretariat.id, quotaKey: 'correspondence', quantity: 5, at: at('2026-10-31T22:30:00Z'), idempotencyKey: 'k2' },
    ])
    const text = await meters(b, slug, 'sekretariat')
    expect(text).toContain('7 of 10 contracts this month, resets on 1 December 2026')
    expect(text).toContain('2 of 10 correspondence entries this month, resets on 1 December 2026')
    expect(text).toContain('1 of 3 users')
    expect(text).not.toContain('Over the limit')
    // The bars: green with room left (7 of 10 is under 75 %); amber from 75 %, red from 90 %.
    const html = await (await b.get(`/o/${slug}`)).text()
    expect(html).toContain('<meter min="0" max="10" low="7.5" high="9" optimum="0" value="7" aria-label="7 of 10 contracts this month">')
    expect(html).toContain('<meter min="0" max="3" low="2.25" high="2.7" optimum="0" value="1" aria-label="1 of 3 users">')
  })

  it('reads each quota’s use from its period’s row of usage_totals, or sums a range of the covering usage index, never the org’s older rows', async () => {
    const plan = await t.db.all<{ detail: string }>(sql`explain query plan ${quotaUseSql('org', { start: new Date(1), end: new Date(2) })}`)
    const details = plan.map((p) => p.detail).join(' | ')
    expect(details).toMatch(/SEARCH x USING INDEX sqlite_autoindex_usage_totals_1 \(org_id=\? AND product_id=\? AND quota_key=\? AND period_start=\? AND period_end=\?\)/)
    expect(details).toMatch(/USING COVERING INDEX usage_org_quota_at_qty \(org_id=\? AND product_id=\? AND quota_key=\? AND at>\? AND at<\?\)/)
    expect(details).not.toMatch(/SCAN (u|x)\b/)
  })

  it('shows the period’s row of usage_totals once a usage report opened it, without summing the events again', async () => {
    const { b, slug, org } = await adminWithOrg('free2b@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const at = (iso: string) => new Date(iso)
    await t.db.insert(usageEvents).values(Array.from({ length: 3 }, (_, i) => ({ orgId: org.id, productId: sekretariat.id, quotaKey: 'contracts', quantity: 1, at: at('2026-11-10T10:00:00Z'), idempotencyKey: `t${i}` })))
    expect(await meters(b, slug, 'sekretariat')).toContain('3 of 10 contracts this month')
    // November in Warsaw, as a usage report opens it (src/db/usage-report.ts): from it on, migration
    // 0026's triggers keep the row equal to the sum. It is set apart from the sum here, to tell which is read.
    await t.db.insert(usageTotals).values({ orgId: org.id, productId: sekretariat.id, quotaKey: 'contracts', periodStart: Date.parse('2026-10-31T23:00:00Z'), periodEnd: Date.parse('2026-11-30T23:00:00Z'), used: 6 })
    expect(await meters(b, slug, 'sekretariat')).toContain('6 of 10 contracts this month')
    await t.db.insert(usageEvents).values({ orgId: org.id, productId: sekretariat.id, quotaKey: 'contracts', quantity: 2, at: at('2026-11-11T10:00:00Z'), idempotencyKey: 't9' })
    expect(await meters(b, slug, 'sekretariat')).toContain('8 of 10 contracts this month')
    // A total quota's period is all time: 0 to the largest Date.
    expect(await meters(b, slug, 'sekretariat')).toContain('0 of 10 correspondence entries this month')
  })

  it('an org over a limit keeps everything and the dashboard says so', async () => {
    const { b, slug, org } = await adminWithOrg('free3@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    for (const email of ['extra3a@example.com', 'extra3b@example.com', 'extra3c@example.com']) {
      const u = await createUser(t.deps, { email })
      await t.db.insert(memberships).values({ orgId: org.id, userId: u.id, role: 'member', createdAt: t.clock.now() })
    }
    const text = await meters(b, slug, 'sekretariat')
    expect(text).toContain('4 of 3 users')
    expect(text).toContain('Over the limit of 3 users by 1: nothing is removed')
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toHaveLength(4)
  })

  it('never changes what an org has when the catalog changes later', async () => {
    const { b, slug } = await adminWithOrg('free4@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })
    const certyfikaty = catalog.find((p) => p.key === 'certyfikaty')!
    const freePlan = certyfikaty.plans.find((p) => p.isFree)!
    await t.db.update(planLimits).set({ limit: 3 }).where(and(eq(planLimits.planId, freePlan.id), eq(planLimits.quotaKey, 'templates')))
    invalidateCatalog(t.db) // as the operator pages do after an edit
    expect(await meters(b, slug, 'certyfikaty')).toContain('0 of 1 templates')
    await t.db.update(planLimits).set({ limit: 1 }).where(and(eq(planLimits.planId, freePlan.id), eq(planLimits.quotaKey, 'templates')))
    invalidateCatalog(t.db) // as the operator pages do after an edit
  })

  it('is refused the second time (409) and for a product without a free plan, writing nothing', async () => {
    const { b, slug, org } = await adminWithOrg('free5@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const again = await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('This organization already has this product.')
    const both = await Promise.all([1, 2].map(() => b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })))
    expect(both.map((r) => r.status).sort()).toEqual([303, 409])
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toHaveLength(2)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'simplysign' })).status).toBe(404)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'nope' })).status).toBe(404)
    const p = catalog.find((x) => x.key === 'sekretariat')!
    await t.db.update(plans).set({ isFree: false }).where(eq(plans.id, p.plans[0]!.id))
    invalidateCatalog(t.db) // as the operator pages do after an edit
    const { b: b2, slug: slug2 } = await adminWithOrg('free5b@example.com')
    expect((await b2.post(`/o/${slug2}/subscriptions`, { product: 'sekretariat' })).status).toBe(422)
    await t.db.update(plans).set({ isFree: true }).where(eq(plans.id, p.plans[0]!.id))
    invalidateCatalog(t.db) // as the operator pages do after an edit
  })

  it('refuses a business-only product to a private person', async () => {
    const { b, slug, org } = await adminWithOrg('person@example.com', 'person')
    const res = await b.post(`/o/${slug}/subscriptions`, { product: 'certified-platform' })
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('only for companies and sole traders')
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toHaveLength(0)
  })

  it('is for administrators: a member gets 403 and does not see the button', async () => {
    const { slug, org } = await adminWithOrg('free6@example.com')
    const member = await createUser(t.deps, { email: 'member6@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const mb = t.browser()
    await mb.post('/login', { email: 'member6@example.com', password: PASSWORD })
    const page = textOf(await (await mb.get(`/o/${slug}`)).text())
    expect(page).not.toContain('Activate')
    expect(page).toContain('No product has been shared with you yet.')
    expect((await mb.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(403)
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toHaveLength(0)
  })

  it('another org’s dashboard and activation answer 404', async () => {
    const { slug, org } = await adminWithOrg('free7@example.com')
    const { b: other } = await adminWithOrg('free7other@example.com')
    expect((await other.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(404)
    expect(await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).toHaveLength(0)
  })
})
