import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../src/db/catalog'
import { plans, products } from '../../src/db/schema'
import { generateId } from '../../src/auth/tokens'
import { seedDemo } from '../../src/seed/index'
import { totpAt, decodeKey } from '../../src/auth/totp'
import { testApp, textOf } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp()
expect(await seedDemo(t.deps)).toBe(true)

describe('the demo catalog seeded on first start', () => {
  it('is seeded once', async () => {
    expect(await seedDemo(t.deps)).toBe(false)
    expect(await t.db.select().from(products)).toHaveLength(4)
  })

  it('models Sekretariat: free Green with 10 + 10 a month and 3 users (Silver’s), paid plans monthly or yearly, read-only for 30 days then deletion', async () => {
    const s = (await loadCatalog(t.db)).find((p) => p.key === 'sekretariat')!
    expect(s).toMatchObject({ kind: 'subscription', currency: 'PLN', billingPeriods: [1, 12], lapsePolicy: 'read_only_then_delete', graceDays: 30 })
    expect(s.quotas.map((q) => [q.key, q.kind])).toEqual([['contracts', 'monthly'], ['correspondence', 'monthly'], ['users', 'seats']])
    expect(s.plans.map((p) => [p.name, p.isFree])).toEqual([['Green', true], ['Silver', false], ['Gold', false], ['Platinum', false]])
    expect(s.plans[0]!.limits).toEqual({ contracts: 10, correspondence: 10, users: 3 })
    expect(s.plans[1]!.prices).toEqual({ 1: 2900, 12: 29000 })
    expect(s.plans[2]!.prices[12]).toBe(59000)
    expect(s.plans[3]!.limits.contracts).toBeNull()
  })

  it('models Certyfikaty (1 template and 20 certificates a month free, 10 templates on Pro, back to free on lapse)', async () => {
    const c = (await loadCatalog(t.db)).find((p) => p.key === 'certyfikaty')!
    expect(c.lapsePolicy).toBe('downgrade_to_free')
    expect(c.plans.map((p) => [p.name, p.limits.templates])).toEqual([['Free', 1], ['Pro', 10]])
    expect(c.plans[0]!.limits.certificates).toBe(20)
  })

  it('models Certified Platform: 12 or 24 months, 15 seats, 100 external users, 5 GB, add-on packs, businesses only, a free version', async () => {
    const a = (await loadCatalog(t.db)).find((p) => p.key === 'certified-platform')!
    expect(a).toMatchObject({ currency: 'EUR', billingPeriods: [12, 24], businessOnly: true })
    const base = a.plans.find((p) => p.key === 'base')!
    expect(base.limits).toEqual({ users: 15, external_users: 100, storage_gb: 5 })
    expect(a.plans.some((p) => p.isFree)).toBe(true)
    expect(a.addons.map((x) => [x.quotaKey, x.packSize, x.maxPacks])).toEqual([
      ['users', 1, 14],
      ['external_users', 50, null],
      ['storage_gb', 5, null],
    ])
  })

  it('models SimplySign: a virtual product with 1- and 2-year variants whose e-codes are valid 24 months', async () => {
    const v = (await loadCatalog(t.db)).find((p) => p.key === 'simplysign')!
    expect(v.kind).toBe('virtual')
    expect(v.variants.map((x) => [x.termMonths, x.ecodeValidityMonths, x.name.pl])).toEqual([
      [12, 24, 'podpis, 1 rok'],
      [24, 24, 'podpis, 2 lata'],
    ])
  })

  it('allows at most one free plan per product (a database constraint)', async () => {
    const [s] = await t.db.select().from(products).limit(1)
    await expect(t.db.insert(plans).values({ id: generateId(), productId: s!.id, key: 'second-free', name: 'Second', rank: 9, isFree: true })).rejects.toThrow()
  })
})

describe('the catalog in the back office', () => {
  it('shows operators every product with prices per period and limits', async () => {
    await createUser(t.deps, { email: 'cat-op@example.com', operator: true })
    const b = t.browser()
    await b.post('/login', { email: 'cat-op@example.com', password: PASSWORD })
    const setup = await (await b.get('/login/2fa/setup')).text()
    const key = /name="key" value="([^"]+)"/.exec(setup)![1]!
    await b.post('/login/2fa/setup', { key, code: totpAt(decodeKey(key), t.clock.now()) })
    const page = textOf(await (await b.get('/ops/catalog')).text())
    expect(page).toContain('Sekretariat')
    expect(page).toContain('Silver PLN 29.00 PLN 290.00 100 100 3')
    expect(page).toContain('Platinum PLN 99.00 PLN 990.00 unlimited unlimited 25')
    expect(page).toContain('+1 user — 12 months: €20.00, 24 months: €36.00 (at most 14 packs)')
    expect(page).toContain('When unpaid: read-only for 30 days, then deleted')
  })
})
