// E-code expiry in the purge over simulated days (SPEC §9, §13): the people who manage an org's codes
// are warned 30 days before they expire — at most one mail per org a day, counts per variant and
// date, each code announced once, a late run catching up in one mail — and active codes become
// `expired` at their expiry instant (valid up to, not including it). Runs repeated or overlapping
// mark and mail once.
import { describe, expect, it } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { ecodes, lifecycleNotices, memberPermissions, memberships, outbox, products, variants } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { runPurges } from '../../src/jobs/purges'
import { findECode } from '../../src/services/ecode-list'
import { disposeECode, generateECodes } from '../../src/services/ecodes'
import { redeemECode } from '../../src/services/redemption'
import type { Org } from '../../src/services/orgs'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { cron, dump, purgeAt } from '../helpers/purges'
import { createUser } from '../helpers/users'
import { invalidateCatalog } from '../../src/db/catalog-cache'

const T0 = '2026-11-20T10:00:00Z'

async function setUp() {
  const t = await testApp({ now: T0 })
  await t.seedCatalog()
  const variant = async (key: string) => (await t.db.select().from(variants).where(eq(variants.key, key)).get())!
  const simplysign = (await t.db.select().from(products).where(eq(products.key, 'simplysign')).get())!
  return { t, simplysign, oneYear: await variant('signature-1y'), twoYears: await variant('signature-2y') }
}
type World = Awaited<ReturnType<typeof setUp>>

/** Codes made through the service, as of the app clock: units added, then generated; their ids. */
async function generate(w: World, org: Org, user: { id: string }, variantId: string, n: number) {
  const { t } = w
  await addStock(t.db, org.id, variantId, n)
  const before = new Set((await t.db.select({ id: ecodes.id }).from(ecodes).where(eq(ecodes.orgId, org.id))).map((r) => r.id))
  expect(await generateECodes(t.deps, org, user as never, 'admin', variantId, n, t.clock.now())).toEqual({ ok: true, count: n })
  return (await t.db.select({ id: ecodes.id }).from(ecodes).where(eq(ecodes.orgId, org.id))).map((r) => r.id).filter((id) => !before.has(id))
}


const warningsTo = (t: TestApp, to: string) =>
  t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'ecode.expiry_warning'))).orderBy(outbox.createdAt, outbox.id)
const statuses = async (t: TestApp, ids: string[]) => (await t.db.select({ status: ecodes.status }).from(ecodes).where(inArray(ecodes.id, ids))).map((r) => r.status).sort()

describe('e-codes about to expire', () => {
  it('warns the administrators and the members allowed the product 30 days before, with counts per variant and date, once a day, each code once, and a late run catches up in one mail', async () => {
    const w = await setUp()
    const { t } = w
    const A = await adminWithOrg(t, 'codes@example.com')
    const B = await adminWithOrg(t, 'other@example.com')
    const piotr = await createUser(t.deps, { email: 'piotr@example.com', language: 'pl' })
    const ola = await createUser(t.deps, { email: 'ola@example.com' })
    await t.db.insert(memberships).values([
      { orgId: A.org.id, userId: piotr.id, role: 'member', createdAt: t.clock.now() },
      { orgId: A.org.id, userId: ola.id, role: 'member', createdAt: t.clock.now() },
    ])
    await t.db.insert(memberPermissions).values({ orgId: A.org.id, userId: piotr.id, productId: w.simplysign.id })

    // 20 November 2026: seven one-year-signature codes (valid 24 months); one is redeemed by B, one disposed.
    const first = await generate(w, A.org, A.user, w.oneYear.id, 7)
    const [used] = first
    const usedCode = await codeOf(t, A.org, used!)
    expect(await redeemECode(t.deps, B.user as never, usedCode, B.slug, t.clock.now())).toMatchObject({ ok: true })
    expect(await disposeECode(t.deps, A.org, A.user as never, (await findECode(t.db, A.org.id, first[1]!))!, t.clock.now())).toEqual({ ok: true })
    // Two days later two two-year-signature codes; ten days later three more one-year ones.
    t.clock.set('2026-11-22T10:00:00Z')
    const second = await generate(w, A.org, A.user, w.twoYears.id, 2)
    t.clock.set('2026-11-30T10:00:00Z')
    const third = await generate(w, A.org, A.user, w.oneYear.id, 3)

    // They expire on 20 November 2028 at 11:00 in Warsaw: the warning is due from the start of 21 October.
    expect(await purgeAt(t, cron('2028-10-20'))).toMatchObject({ ecode_warnings: 0 })
    expect(await purgeAt(t, cron('2028-10-21'))).toMatchObject({ ecode_warnings: 1 })
    const [en] = await warningsTo(t, 'codes@example.com')
    expect(en!.subject).toBe(`5 e-codes of ${A.org.name} expire within 30 days`)
    expect(en!.text).toContain(`These e-codes of ${A.org.name} have not been used and expire soon:\n\n5 codes for SimplySign (signature, 1 year), expiring on 20 November 2028\n\nAn expired code can no longer be redeemed`)
    expect(en!.text).toContain(`See the active e-codes:\nhttp://localhost/o/${A.slug}/ecodes?tab=active`)
    const [pl] = await warningsTo(t, 'piotr@example.com')
    expect(pl!.subject).toBe(`5 e-kodów organizacji ${A.org.name} wygasa w ciągu 30 dni`)
    expect(pl!.text).toContain('5 kodów na SimplySign (podpis, 1 rok), ważnych do 20 listopada 2028')
    // A member without permission for SimplySign cannot act on the codes: not mailed.
    expect(await warningsTo(t, 'ola@example.com')).toEqual([])

    // Again the same day, and the next day: nothing (the two-year codes are due on the 23rd).
    expect(await purgeAt(t, cron('2028-10-21'))).toMatchObject({ ecode_warnings: 0 })
    expect(await purgeAt(t, cron('2028-10-22'))).toMatchObject({ ecode_warnings: 0 })
    expect(await warningsTo(t, 'codes@example.com')).toHaveLength(1)

    // The cron was down from the 23rd to the 31st: one mail with both missed batches, the first not again.
    expect(await purgeAt(t, cron('2028-11-01'))).toMatchObject({ ecode_warnings: 1 })
    const late = (await warningsTo(t, 'codes@example.com'))[1]!
    expect(late.subject).toBe(`5 e-codes of ${A.org.name} expire within 30 days`)
    expect(late.text).toContain(
      '2 codes for SimplySign (signature, 2 years), expiring on 22 November 2028\n\n3 codes for SimplySign (signature, 1 year), expiring on 30 November 2028',
    )
    expect(late.text).not.toContain('20 November 2028')

    // A code made now with a one-month validity expires before the end of what was just announced:
    // announced by the next day's warning all the same.
    await t.db.update(variants).set({ ecodeValidityMonths: 1 }).where(eq(variants.id, w.oneYear.id))
    invalidateCatalog(t.db) // as the operator pages do after an edit
    t.clock.set('2028-11-01T10:00:00Z')
    await generate(w, A.org, A.user, w.oneYear.id, 1)
    expect(await purgeAt(t, cron('2028-11-02'))).toMatchObject({ ecode_warnings: 1 })
    expect((await warningsTo(t, 'codes@example.com'))[2]!.text).toContain('1 code for SimplySign (signature, 1 year), expiring on 1 December 2028')
    expect(await purgeAt(t, cron('2028-11-03'))).toMatchObject({ ecode_warnings: 0 })

    expect(await warningsTo(t, 'codes@example.com')).toHaveLength(3)
    expect(await warningsTo(t, 'piotr@example.com')).toHaveLength(3)
    expect(await warningsTo(t, 'other@example.com')).toEqual([])
    expect((await t.db.select().from(lifecycleNotices).where(eq(lifecycleNotices.orgId, A.org.id))).map((n) => n.key).sort()).toEqual(
      ['2028-10-21', '2028-11-01', '2028-11-02'].map((d) => `ecode-expiry:${A.org.id}:${d}`).sort(),
    )
    expect([...second, ...third]).toHaveLength(5)
  })

  it('become expired at their expiry instant, not a moment before; used and disposed codes stay as they are', async () => {
    const w = await setUp()
    const { t } = w
    const A = await adminWithOrg(t, 'expiring@example.com')
    const B = await adminWithOrg(t, 'redeemer@example.com')
    const ids = await generate(w, A.org, A.user, w.oneYear.id, 4)
    expect(await redeemECode(t.deps, B.user as never, await codeOf(t, A.org, ids[0]!), B.slug, t.clock.now())).toMatchObject({ ok: true })
    expect(await disposeECode(t.deps, A.org, A.user as never, (await findECode(t.db, A.org.id, ids[1]!))!, t.clock.now())).toEqual({ ok: true })
    const expiresAt = (await t.db.select().from(ecodes).where(eq(ecodes.id, ids[2]!)).get())!.expiresAt
    expect(expiresAt.toISOString()).toBe('2028-11-20T10:00:00.000Z')

    expect(await purgeAt(t, cron('2028-11-20'))).toMatchObject({ ecodes_expired: 0 })
    expect(await purgeAt(t, new Date(expiresAt.getTime() - 1))).toMatchObject({ ecodes_expired: 0 })
    expect(await statuses(t, ids)).toEqual(['active', 'active', 'disposed', 'used'])
    expect(await purgeAt(t, expiresAt)).toMatchObject({ ecodes_expired: 2 })
    expect(await statuses(t, ids)).toEqual(['disposed', 'expired', 'expired', 'used'])
    expect(await purgeAt(t, cron('2028-11-21'))).toMatchObject({ ecodes_expired: 0 })
  })
})

describe('runs repeated or overlapping', () => {
  it('mail each org once and mark each code once, twice in a row or two at once (pages of 1), and leave the same database', async () => {
    const w = await setUp()
    const { t } = w
    const orgs = await Promise.all(['one', 'two', 'three'].map((name) => adminWithOrg(t, `${name}@example.com`)))
    const ids: string[] = []
    for (const o of orgs) ids.push(...(await generate(w, o.org, o.user, w.oneYear.id, 2)))

    t.clock.set(cron('2028-10-21'))
    const warned = await Promise.all([runPurges(t.deps, cron('2028-10-21'), 1), runPurges(t.deps, cron('2028-10-21'), 1)])
    expect(warned.flatMap((r) => r.errors)).toEqual([])
    expect(warned.reduce((n, r) => n + (r.counts.ecode_warnings ?? 0), 0)).toBe(3)
    for (const o of orgs) expect(await warningsTo(t, o.user.email)).toHaveLength(1)
    const afterWarning = await dump(t)
    await runPurges(t.deps, cron('2028-10-21'), 1)
    expect(await dump(t)).toBe(afterWarning)

    const at = new Date('2028-11-20T10:00:00Z')
    t.clock.set(at)
    const expired = await Promise.all([runPurges(t.deps, at, 1), runPurges(t.deps, at, 1)])
    expect(expired.reduce((n, r) => n + (r.counts.ecodes_expired ?? 0), 0)).toBe(6)
    expect(await statuses(t, ids)).toEqual(Array(6).fill('expired'))
    const afterExpiry = await dump(t)
    expect(await runPurges(t.deps, at, 1)).toMatchObject({ counts: { ecodes_expired: 0, ecode_warnings: 0 }, errors: [] })
    expect(await dump(t)).toBe(afterExpiry)
  })
})

/** The canonical code of a row (as the voucher prints it, without spaces). */
async function codeOf(t: TestApp, org: Org, id: string): Promise<string> {
  const { decryptECode } = await import('../../src/auth/ecode-crypto')
  const row = (await findECode(t.db, org.id, id))!
  return decryptECode(t.config.ecodeSecrets.encryptionKey, row.sealed)
}

