// Issue 16, rule 2: free plans that make sense. The demo catalog's free plans give what their
// products and the seeds say (aleSekretariat Green: 10 contracts and 10 correspondence entries a
// month; Certified Platform: 1 administrator and 14 users) and never fewer seats than the cheapest
// paid plan, so activating them marks nothing over a limit; an over-limit notice names the limit
// and by how much.
import { describe, expect, it } from 'vitest'
import { memberships, usageEvents } from '../../src/db/schema'
import { loadCatalog } from '../../src/db/catalog'
import { DEMO_CATALOG } from '../../src/seed/catalog'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const catalog = await loadCatalog(t.db)
const byKey = (key: string) => catalog.find((p) => p.key === key)!

async function orgWithMembers(tag: string, count: number) {
  const admin = await adminWithOrg(t, `${tag}@example.com`)
  for (let i = 1; i < count; i++) {
    const u = await createUser(t.deps, { email: `${tag}-m${i}@example.com` })
    await t.db.insert(memberships).values({ orgId: admin.org.id, userId: u.id, role: 'member', createdAt: t.clock.now() })
  }
  return admin
}

const card = (html: string, product: string) => textOf(new RegExp(`id="product-${product}"[\\s\\S]*?</article>`).exec(html)![0])

describe('Free plans that make sense', () => {
  it('the demo catalog’s free plans give what the seeds and the descriptions say, and no fewer seats than the cheapest paid plan', () => {
    expect(byKey('sekretariat').plans.find((p) => p.isFree)!.limits).toEqual({ contracts: 10, correspondence: 10, users: 3 })
    expect(byKey('sekretariat').quotas.filter((q) => q.kind === 'monthly').map((q) => q.key)).toEqual(['contracts', 'correspondence'])
    expect(byKey('certyfikaty').plans.find((p) => p.isFree)!.limits).toEqual({ templates: 1, certificates: 20, users: 5 })
    const platform = byKey('certified-platform')
    // "1 administrator and 14 users", as the description says (and seed 004's bundle).
    expect(platform.description.en).toContain('1 administrator and 14 users')
    expect(platform.plans.find((p) => p.isFree)!.limits.users).toBe(1 + 14)
    for (const spec of DEMO_CATALOG.filter((p) => p.plans?.some((pl) => pl.free))) {
      const seats = spec.quotas!.find((q) => q.kind === 'seats')!.key
      const free = spec.plans!.find((p) => p.free)!
      const paid = spec.plans!.filter((p) => !p.free).map((p) => p.limits[seats] ?? Infinity)
      expect(free.limits[seats], `${spec.key}: the free plan's seats`).toBeGreaterThanOrEqual(Math.min(...paid))
    }
  })

  it('an org of three activating every free plan sees no limit exceeded', async () => {
    const { b, slug } = await orgWithMembers('three', 3)
    for (const product of ['sekretariat', 'certyfikaty', 'certified-platform']) expect((await b.post(`/o/${slug}/subscriptions`, { product })).status).toBe(303)
    const html = await (await b.get(`/o/${slug}`)).text()
    expect(textOf(html)).not.toContain('Over the limit')
    expect(html).not.toContain('meter over')
    expect(card(html, 'sekretariat')).toContain('0 of 10 contracts this month')
    expect(card(html, 'sekretariat')).toContain('0 of 10 correspondence entries this month')
  })

  it('seats are counted against the org’s biggest limit, and a product’s card says which plan sets it', async () => {
    const { b, slug } = await orgWithMembers('seven', 7)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'certified-platform' })).status).toBe(303)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
    const html = await (await b.get(`/o/${slug}`)).text()
    expect(card(html, 'sekretariat')).toContain('7 of 15 users (the limit of the Free plan of Certified Platform, the organization’s biggest)')
    expect(card(html, 'certified-platform')).toContain('7 of 15 users')
    expect(card(html, 'certified-platform')).not.toContain('the organization’s biggest')
    expect(textOf(html)).not.toContain('Over the limit')
  })

  it('an over-limit notice names the limit and by how much', async () => {
    const { b, slug, org } = await orgWithMembers('over', 5)
    expect((await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })).status).toBe(303)
    // 12 contracts this month, as after a downgrade from a paid plan (usage above a limit stays).
    const sekretariat = byKey('sekretariat')
    await t.db.insert(usageEvents).values({ orgId: org.id, productId: sekretariat.id, quotaKey: 'contracts', quantity: 12, at: t.clock.now(), idempotencyKey: 'over-12' })
    const text = card(await (await b.get(`/o/${slug}`)).text(), 'sekretariat')
    expect(text).toContain('Over the limit of 10 contracts by 2: nothing is removed, but new additions are refused until you are under it again.')
    expect(text).toContain('Over the limit of 3 users by 2:')
    expect(text).not.toContain('correspondence entries by')
    const pl = await adminWithOrg(t, 'over-pl@example.com', { language: 'pl' })
    await t.db.insert(memberships).values({ orgId: pl.org.id, userId: (await createUser(t.deps, { email: 'over-pl-m1@example.com' })).id, role: 'member', createdAt: t.clock.now() })
    await pl.b.post(`/o/${pl.slug}/subscriptions`, { product: 'sekretariat' })
    await t.db.insert(usageEvents).values({ orgId: pl.org.id, productId: sekretariat.id, quotaKey: 'correspondence', quantity: 11, at: t.clock.now(), idempotencyKey: 'over-pl' })
    expect(card(await (await pl.b.get(`/o/${pl.slug}`)).text(), 'sekretariat')).toContain('Przekroczony limit 10 (wpisy korespondencji) o 1:')
  })
})
