import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { apiKeys, history, licences, memberships, subscriptions, usageEvents, usageTotals } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { apiCall, orgWithKey as helperOrgWithKey } from '../helpers/api'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const orgWithKey = (email: string, products?: string[]) => helperOrgWithKey(t, email, products)
const call = (key: string | null, method: string, path: string, body?: unknown) => apiCall(t, key, method, path, body)
const usage = (key: string, body: Record<string, unknown>) => call(key, 'POST', '/usage', body)

describe('API keys', () => {
  it('are shown once, stored only as a hash, recorded in the history, and revocable', async () => {
    const { b, slug, key, org } = await orgWithKey('keys@example.com')
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.orgId, org.id))
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(key)
    const list = await (await b.get(`/o/${slug}/settings/api-keys`)).text()
    expect(list).not.toContain(key)
    expect(list).toContain(key.slice(0, 10))
    // Revoking is one tap away only from a question that names the key (a <details>, no script needed).
    const confirm = /<details class="confirm"><summary class="btn btn-danger btn-compact">Revoke<\/summary><div>(.*?)<\/div><\/details>/s.exec(list)
    expect(textOf(confirm![1]!)).toBe(`Revoke the key ${row!.name}? Apps using it stop working at once; this can’t be undone. Revoke ${row!.name}`)
    expect(confirm![1]).toContain(`<form method="post" action="/o/${slug}/api-keys/${row!.id}/revocation">`)
    expect((await call(key, 'GET', '/entitlements')).status).toBe(200)
    expect((await b.post(`/o/${slug}/api-keys/${row!.id}/revocation`)).status).toBe(303)
    const refused = await call(key, 'GET', '/entitlements')
    expect(refused.status).toBe(401)
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
    const kinds = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)).map((h) => h.kind)
    expect(kinds.slice(-2)).toEqual(['api_key.created', 'api_key.revoked'])
  })

  it('answer 401 problem+json for a missing, malformed or unknown key', async () => {
    for (const key of [null, 'nope', 'kon_unknownunknownunknownunknown12']) {
      const res = await call(key, 'GET', '/entitlements')
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ status: 401, type: 'https://kontor.dev/problems/unauthorized' })
    }
  })

  it('are managed by administrators only; another org’s key id is a 404', async () => {
    const { slug, org } = await orgWithKey('keys2@example.com')
    const member = await createUser(t.deps, { email: 'keys2-member@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const mb = t.browser()
    await mb.post('/login', { email: member.email, password: PASSWORD })
    expect((await mb.get(`/o/${slug}/settings/api-keys`)).status).toBe(403)
    expect((await mb.post(`/o/${slug}/api-keys`, { name: 'x' })).status).toBe(403)
    const other = await orgWithKey('keys3@example.com')
    const [theirKey] = await t.db.select().from(apiKeys).where(eq(apiKeys.orgId, org.id))
    expect((await other.b.post(`/o/${other.slug}/api-keys/${theirKey!.id}/revocation`)).status).toBe(404)
    expect((await t.db.select().from(apiKeys).where(eq(apiKeys.id, theirKey!.id)).get())!.revokedAt).toBeNull()
  })
})

describe('GET /api/v1/entitlements', () => {
  it('lists the org’s licences, plans, status and every quota with limit, use and reset time', async () => {
    const { key } = await orgWithKey('ent@example.com')
    const res = await call(key, 'GET', '/entitlements')
    const body = (await res.json()) as { products: { product: string; plan: string; status: string; licence: string; quotas: unknown[] }[] }
    const sek = body.products.find((p) => p.product === 'sekretariat')!
    expect(sek).toMatchObject({ plan: 'green', status: 'active', period_end: null })
    expect(sek.licence).toMatch(/^KT-/)
    expect(sek.quotas).toEqual([
      { key: 'contracts', kind: 'monthly', limit: 10, used: 0, resets_at: '2026-11-30T23:00:00.000Z' },
      { key: 'correspondence', kind: 'monthly', limit: 10, used: 0, resets_at: '2026-11-30T23:00:00.000Z' },
      // Seats are the org's members against its biggest seat limit: Certyfikaty's free plan allows 5.
      { key: 'users', kind: 'seats', limit: 5, used: 1, resets_at: null },
    ])
    expect(body.products.map((p) => p.product).sort()).toEqual(['certyfikaty', 'sekretariat'])
  })
})

describe('POST /api/v1/usage', () => {
  it('counts usage and refuses the 11th contract on a plan allowing 10 with 409 quota_exceeded', async () => {
    const { key } = await orgWithKey('usage1@example.com')
    for (let i = 0; i < 10; i++) {
      const res = await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: `c-${i}` })
      expect(res.status).toBe(201)
      expect(await res.json()).toMatchObject({ used: i + 1, limit: 10 })
    }
    const refused = await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'c-10' })
    expect(refused.status).toBe(409)
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await refused.json()).toMatchObject({
      type: 'https://kontor.dev/problems/quota_exceeded',
      status: 409,
      quota: 'contracts',
      limit: 10,
      used: 10,
      resets_at: '2026-11-30T23:00:00.000Z',
    })
  })

  it('is exact under concurrency: 50 parallel calls against a limit of 10 give exactly 10 successes', async () => {
    const { key, org } = await orgWithKey('usage3@example.com')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => usage(key, { quota: 'contracts', quantity: 1, idempotency_key: `p-${i}` })))
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(10)
    expect(statuses.filter((s) => s === 409)).toHaveLength(40)
    const rows = await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))
    expect(rows).toHaveLength(10)
    // Every 201 is a row and every row a 201: the keys answered 201 are exactly the keys stored,
    // and each answer saw its own count (1 to 10, none twice).
    const counted = await Promise.all(results.map(async (r, i) => (r.status === 201 ? { key: `p-${i}`, used: ((await r.json()) as { used: number }).used } : null)))
    const answered = counted.filter((c) => c !== null)
    expect(answered.map((c) => c.key).sort()).toEqual(rows.map((r) => r.idempotencyKey).sort())
    expect(answered.map((c) => c.used).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // The month's total, which the limit is checked against, is the sum of its events.
    expect((await t.db.select().from(usageTotals).where(eq(usageTotals.orgId, org.id))).map((x) => [x.quotaKey, x.used])).toEqual([['contracts', 10]])
  })

  it('notes when the key was last used at most once a minute, not on every report', async () => {
    const { key, org } = await orgWithKey('usage-touch@example.com')
    const lastUsed = async () => (await t.db.select().from(apiKeys).where(eq(apiKeys.orgId, org.id)).get())!.lastUsedAt?.getTime() ?? null
    const start = t.clock.now().getTime()
    try {
      expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'touch-1' })).status).toBe(201)
      expect(await lastUsed()).toBe(start)
      t.clock.advance(59_000)
      expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'touch-2' })).status).toBe(201)
      expect(await lastUsed()).toBe(start)
      t.clock.advance(2_000)
      expect((await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'touch-3' })).status).toBe(201)
      expect(await lastUsed()).toBe(start + 61_000)
    } finally {
      t.clock.set(new Date(start))
    }
  })

  it('lets total quotas go down again (a deleted template frees its slot at once) but monthly ones only count up', async () => {
    const { key } = await orgWithKey('usage4@example.com')
    expect((await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't1' })).status).toBe(201)
    expect((await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't2' })).status).toBe(409)
    expect((await usage(key, { quota: 'templates', quantity: -1, idempotency_key: 't3' })).status).toBe(201)
    expect((await usage(key, { quota: 'templates', quantity: 1, idempotency_key: 't4' })).status).toBe(201)
    const neg = await usage(key, { quota: 'certificates', quantity: -1, idempotency_key: 'c1' })
    expect(neg.status).toBe(422)
    expect(await neg.json()).toMatchObject({ type: 'https://kontor.dev/problems/negative_monthly' })
    expect((await usage(key, { quota: 'templates', quantity: -5, idempotency_key: 't5' })).status).toBe(422)
  })

  it('answers 423 read_only while the subscription is read-only', async () => {
    const { key, org } = await orgWithKey('usage5@example.com')
    await t.db.update(subscriptions).set({ status: 'read_only' }).where(eq(subscriptions.orgId, org.id))
    const res = await usage(key, { quota: 'contracts', quantity: 1, idempotency_key: 'r1' })
    expect(res.status).toBe(423)
    expect(await res.json()).toMatchObject({ type: 'https://kontor.dev/problems/read_only', status: 423 })
    const ent = (await (await call(key, 'GET', '/entitlements')).json()) as { products: { status: string }[] }
    expect(ent.products.every((p) => p.status === 'read_only')).toBe(true)
  })

  it('refuses bad bodies with 422 problem+json and counts nothing', async () => {
    const { key, org } = await orgWithKey('usage6@example.com')
    const bodies: unknown[] = [
      {},
      { quota: 'contracts', quantity: 0, idempotency_key: 'x' },
      { quota: 'contracts', quantity: 1.5, idempotency_key: 'x' },
      { quota: 'contracts', quantity: '1', idempotency_key: 'x' },
      { quota: 'contracts', quantity: 1 },
      { quota: 'nope', quantity: 1, idempotency_key: 'x' },
      { quota: 'users', quantity: 1, idempotency_key: 'x' },
      '{not json',
    ]
    for (const body of bodies) {
      const res = await usage(key, body as Record<string, unknown>)
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(body)).toBeLessThan(500)
      expect(res.headers.get('Content-Type'), JSON.stringify(body)).toBe('application/problem+json')
    }
    expect(await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))).toHaveLength(0)
  })

  it('counts each org separately: another org’s key never touches this org', async () => {
    const a = await orgWithKey('iso-a@example.com')
    const b = await orgWithKey('iso-b@example.com')
    await usage(a.key, { quota: 'contracts', quantity: 4, idempotency_key: 'k' })
    await usage(b.key, { quota: 'contracts', quantity: 1, idempotency_key: 'k' })
    const ent = (await (await call(a.key, 'GET', '/entitlements')).json()) as { products: { product: string; quotas: { key: string; used: number }[] }[] }
    expect(ent.products.find((p) => p.product === 'sekretariat')!.quotas.find((q) => q.key === 'contracts')!.used).toBe(4)
  })

  it('moves the meters on the dashboard', async () => {
    const { b, slug, key } = await orgWithKey('usage7@example.com')
    await usage(key, { quota: 'contracts', quantity: 7, idempotency_key: 'seven' })
    expect(textOf(await (await b.get(`/o/${slug}`)).text())).toContain('7 of 10 contracts this month')
  })
})

describe('POST /api/v1/licences/validate', () => {
  it('answers valid with product, plan and expiry for the org’s licence, typed any way', async () => {
    const { key, org } = await orgWithKey('lic@example.com', ['sekretariat'])
    const [lic] = await t.db.select().from(licences).where(eq(licences.orgId, org.id))
    const res = await call(key, 'POST', '/licences/validate', { licence_number: lic!.number.toLowerCase().replace(/-/g, ' ') })
    expect(await res.json()).toEqual({ valid: true, licence_number: lic!.number, product: 'sekretariat', plan: 'green', expires_at: null })
  })

  it('answers not valid for another org’s licence exactly as for an unknown one', async () => {
    const a = await orgWithKey('lic-a@example.com', ['sekretariat'])
    const b = await orgWithKey('lic-b@example.com', ['sekretariat'])
    const [lic] = await t.db.select().from(licences).where(eq(licences.orgId, a.org.id))
    expect(await (await call(b.key, 'POST', '/licences/validate', { licence_number: lic!.number })).json()).toEqual({ valid: false })
    expect(await (await call(b.key, 'POST', '/licences/validate', { licence_number: 'KT-0000-0000-0000' })).json()).toEqual({ valid: false })
    expect((await call(b.key, 'POST', '/licences/validate', {})).status).toBe(422)
  })
})
