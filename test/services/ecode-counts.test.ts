// The e-code tabs' counters (migration 0025, src/services/ecode-counts.ts) against the codes
// themselves: after every change that moves a code — generating, redeeming, disposing, the purge's
// expiry, an org's erasure — and with those changes racing each other, the counters per org,
// variant and status (and per day of creation) equal a GROUP BY of the codes, and the tabs' counts
// under every filter equal counting the codes one by one.
import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { ecodes, memberPermissions, memberships, products, users, variants } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { ecodeLookupHash } from '../../src/auth/ecode-crypto'
import { generateECode } from '../../src/domain/ecode'
import { runPurges } from '../../src/jobs/purges'
import { countECodes } from '../../src/services/ecode-counts'
import { effectiveStatus, findECode, type ECodeFilter, type Tab } from '../../src/services/ecode-list'
import { disposeECode, generateECodes } from '../../src/services/ecodes'
import { redeemECode } from '../../src/services/redemption'
import { eraseOrg } from '../../src/services/org-erasure'
import type { Org } from '../../src/services/orgs'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { issueCodes } from '../helpers/ecodes'
import { createUser } from '../helpers/users'

async function setUp() {
  const t = await testApp({ now: '2026-11-20T10:00:00Z' })
  await t.seedCatalog()
  const variant = async (key: string) => (await t.db.select().from(variants).where(eq(variants.key, key)).get())!
  const simplysign = (await t.db.select().from(products).where(eq(products.key, 'simplysign')).get())!
  const A = await adminWithOrg(t, 'issuer@example.com')
  const B = await adminWithOrg(t, 'receiver@example.com')
  const user = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)).get())!
  return { t, simplysign, oneYear: await variant('signature-1y'), twoYears: await variant('signature-2y'), A, B, adminA: await user(A.user.id), adminB: await user(B.user.id) }
}
type World = Awaited<ReturnType<typeof setUp>>

/** Generates `n` codes through the service at `at`, the units added first; the codes in clear. */
async function generate(w: World, variantId: string, n: number, at: string): Promise<string[]> {
  await addStock(w.t.db, w.A.org.id, variantId, n)
  const made: string[] = []
  const r = await generateECodes(w.t.deps, w.A.org as Org, w.adminA, 'admin', variantId, n, new Date(at), () => {
    const code = generateECode()
    made.push(code)
    return code
  })
  expect(r).toEqual({ ok: true, count: n })
  return made
}

const idOf = async (t: TestApp, code: string) =>
  (await t.db.select({ id: ecodes.id }).from(ecodes).where(eq(ecodes.lookupHash, await ecodeLookupHash(t.config.ecodeSecrets.lookupKey, code))).get())!.id

async function dispose(w: World, code: string, now: Date) {
  const row = (await findECode(w.t.db, w.A.org.id, await idOf(w.t, code)))!
  return disposeECode(w.t.deps, w.A.org as Org, w.adminA, row, now)
}

/** The counters as stored (rows at zero left aside) and as a GROUP BY of the codes would give them. */
async function expectCountersExact(t: TestApp) {
  const counters = await t.db.all(sql`select org_id, variant_id, status, n from ecode_counts where n <> 0 order by 1, 2, 3`)
  const codes = await t.db.all(sql`select org_id, variant_id, status, count(*) as n from ecodes group by 1, 2, 3 order by 1, 2, 3`)
  expect(counters).toEqual(codes)
  const days = await t.db.all(sql`select org_id, day, variant_id, status, n from ecode_day_counts where n <> 0 order by 1, 2, 3, 4`)
  const codeDays = await t.db.all(sql`select org_id, created_at / 86400000 as day, variant_id, status, count(*) as n from ecodes group by 1, 2, 3, 4 order by 1, 2, 3, 4`)
  expect(days).toEqual(codeDays)
}

/** The tabs' counts under a filter, by reading every code of the org. */
async function countedOneByOne(t: TestApp, orgId: string, f: ECodeFilter, now: Date): Promise<Record<Tab, number>> {
  const rows = await t.db.select().from(ecodes).where(eq(ecodes.orgId, orgId))
  const allowed = f.member ? new Set((await t.db.select().from(memberPermissions).where(eq(memberPermissions.userId, f.member))).map((p) => p.productId)) : null
  const counts: Record<Tab, number> = { active: 0, used: 0, expired: 0, disposed: 0 }
  for (const r of rows) {
    if (f.lookupHash && r.lookupHash !== f.lookupHash) continue
    if (f.variantId && r.variantId !== f.variantId) continue
    if (allowed && !allowed.has(r.productId)) continue
    if (f.from && r.createdAt < f.from) continue
    if (f.to && r.createdAt >= f.to) continue
    counts[effectiveStatus(r, now)]++
  }
  return counts
}

/** Every filter the list offers, with local (Warsaw) days and spans across and inside UTC days. */
async function filters(w: World, someCode: string): Promise<ECodeFilter[]> {
  const piotr = await createUser(w.t.deps, { email: `piotr-${someCode}@example.com` })
  const ola = await createUser(w.t.deps, { email: `ola-${someCode}@example.com` })
  const now = w.t.clock.now()
  await w.t.db.insert(memberships).values([
    { orgId: w.A.org.id, userId: piotr.id, role: 'member', createdAt: now },
    { orgId: w.A.org.id, userId: ola.id, role: 'member', createdAt: now },
  ])
  await w.t.db.insert(memberPermissions).values({ orgId: w.A.org.id, userId: piotr.id, productId: w.simplysign.id })
  const local = (day: string) => new Date(`${day}T23:00:00Z`)
  const spans = [
    { from: local('2026-11-20'), to: local('2026-11-24') },
    { from: local('2026-11-21') },
    { to: local('2026-11-23') },
    { from: local('2026-11-21'), to: local('2026-11-22') },
    { from: new Date('2026-11-20T12:00:00Z'), to: new Date('2026-11-27T11:00:00Z') },
  ]
  return [
    { tab: 'active' },
    { tab: 'active', variantId: w.oneYear.id },
    ...spans.map((s) => ({ tab: 'active' as const, ...s })),
    ...spans.map((s) => ({ tab: 'active' as const, variantId: w.twoYears.id, ...s })),
    { tab: 'active', member: piotr.id },
    { tab: 'active', member: ola.id },
    { tab: 'active', member: piotr.id, ...spans[0] },
    { tab: 'active', lookupHash: await ecodeLookupHash(w.t.config.ecodeSecrets.lookupKey, someCode) },
  ]
}

async function expectTabsExact(w: World, fs: ECodeFilter[], now: Date) {
  for (const f of fs) expect(await countECodes(w.t.db, w.A.org.id, f, now), `${JSON.stringify(f)} at ${now.toISOString()}`).toEqual(await countedOneByOne(w.t, w.A.org.id, f, now))
}

// Creation instants around Warsaw's and UTC's midnights (Warsaw is UTC+1 in November).
const MOMENTS = ['2026-11-20T10:00:00Z', '2026-11-20T23:30:00Z', '2026-11-21T12:00:00Z', '2026-11-22T00:10:00Z', '2026-11-23T22:59:00Z', '2026-11-24T23:00:00Z', '2026-11-25T05:00:00Z', '2026-11-27T11:00:00Z']

describe('the e-code counters', () => {
  it('match the codes after generating, redeeming, disposing, expiring and erasing, and so do the tabs under every filter', async () => {
    const w = await setUp()
    const { t } = w
    const made: string[] = []
    for (const [i, at] of MOMENTS.entries()) made.push(...(await generate(w, i % 2 ? w.twoYears.id : w.oneYear.id, 3, at)))
    await expectCountersExact(t)
    const fs = await filters(w, made[4]!)
    const now = new Date('2026-11-28T09:00:00Z')
    await expectTabsExact(w, fs, now)

    for (const code of made.slice(0, 4)) expect(await redeemECode(t.deps, w.adminB, code, w.B.slug, now)).toMatchObject({ ok: true })
    for (const code of made.slice(4, 7)) expect(await dispose(w, code, now)).toEqual({ ok: true })
    await expectCountersExact(t)
    await expectTabsExact(w, fs, now)

    // Past the first codes' validity: active in the counters, expired in the tabs until the purge marks them.
    const expiries = (await t.db.select({ at: ecodes.expiresAt }).from(ecodes).where(eq(ecodes.status, 'active'))).map((r) => r.at.getTime()).sort((a, b) => a - b)
    const later = new Date(expiries[0]! + 1)
    expect(expiries.filter((x) => x < later.getTime()).length).toBeGreaterThan(0)
    expect(expiries.filter((x) => x >= later.getTime()).length).toBeGreaterThan(0)
    await expectTabsExact(w, fs, later)
    const lapsed = (await countECodes(t.db, w.A.org.id, { tab: 'active' }, later)).expired
    await runPurges(t.deps, later)
    await expectCountersExact(t)
    expect((await t.db.select().from(ecodes).where(eq(ecodes.status, 'expired'))).length).toBe(lapsed)
    await expectTabsExact(w, fs, later)

    // The org erased: only the codes another org redeemed stay, and the counters with them.
    const [first, ...rest] = eraseOrg(t.db, w.A.org.id, [], later)
    await t.db.batch([first!, ...rest])
    await expectCountersExact(t)
    expect(await countECodes(t.db, w.A.org.id, { tab: 'active' }, later)).toEqual({ active: 0, used: 4, expired: 0, disposed: 0 })
  })

  it('stay exact when generations, redemptions, disposals and the purge race each other', async () => {
    const w = await setUp()
    const { t } = w
    const now = new Date('2026-11-28T09:00:00Z')
    t.clock.set(now)
    const codes = await generate(w, w.oneYear.id, 30, '2026-11-21T08:00:00Z')
    // Active codes already past their validity, for the purge to mark while a disposal tries them.
    const stale = await issueCodes(t, w.A.org, 'signature-2y', 6, { createdAt: new Date('2024-11-01T10:00:00Z'), expiresAt: new Date('2026-11-01T00:00:00Z') })
    await addStock(t.db, w.A.org.id, w.twoYears.id, 12)

    const three = <T>(f: () => Promise<T>) => [f(), f(), f()]
    const results = await Promise.all([
      // Units for 2 of these 4 generations of 6.
      ...Array.from({ length: 4 }, () => generateECodes(t.deps, w.A.org as Org, w.adminA, 'admin', w.twoYears.id, 6, now)),
      // Each code redeemed three times at once, and the first five also disposed at the same time.
      ...codes.slice(0, 10).flatMap((code) => three(() => redeemECode(t.deps, w.adminB, code, w.B.slug, now))),
      ...codes.slice(0, 5).map((code) => dispose(w, code, now)),
      ...codes.slice(10, 20).flatMap((code) => three(() => dispose(w, code, now))),
      ...stale.map((code) => dispose(w, code, now)),
      runPurges(t.deps, now),
    ])
    const ok = (r: unknown) => (r as { ok?: boolean }).ok === true
    const generated = results.slice(0, 4).filter(ok).length
    expect(generated).toBe(2)
    // Each of the first ten codes went exactly one way; each of the next ten was disposed once; the stale ones expired.
    const won = results.slice(4, 4 + 30 + 5).filter(ok).length
    expect(won).toBe(10)
    expect(results.slice(39, 39 + 30).filter(ok)).toHaveLength(10)
    expect(results.slice(69, 75).filter(ok)).toHaveLength(0)

    await expectCountersExact(t)
    const counts = await countECodes(t.db, w.A.org.id, { tab: 'active' }, now)
    expect(counts).toEqual(await countedOneByOne(t, w.A.org.id, { tab: 'active' }, now))
    const used = counts.used
    expect(counts).toEqual({ active: 10 + generated * 6, used, expired: 6, disposed: 20 - used })
  })
})
