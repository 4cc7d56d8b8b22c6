import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { ecodes, history, licences, memberPermissions, memberships, products, users, variants, warehouseStock } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { decryptECode, ecodeLookupHash } from '../../src/auth/ecode-crypto'
import { generateECodes } from '../../src/services/ecodes'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { signedIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

const variantByKey = async (key: string) => (await t.db.select().from(variants).where(eq(variants.key, key)).get())!
const oneYear = await variantByKey('signature-1y')
const twoYears = await variantByKey('signature-2y')
const simplySign = (await t.db.select().from(products).where(eq(products.key, 'simplysign')).get())!

const unitsLeft = async (orgId: string, variantId: string) =>
  (await t.db.select().from(warehouseStock).where(and(eq(warehouseStock.orgId, orgId), eq(warehouseStock.variantId, variantId))).get())?.units
const codesOf = (orgId: string) => t.db.select().from(ecodes).where(eq(ecodes.orgId, orgId))
const historyOf = (orgId: string, kind: string) => t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, kind)))

/** A member of the org, signed in; with `permitted`, allowed to manage SimplySign. */
async function memberOf(org: { id: string }, email: string, permitted: boolean) {
  const { user, b } = await signedIn(t, email)
  await t.db.insert(memberships).values({ orgId: org.id, userId: user.id, role: 'member', createdAt: t.clock.now() })
  if (permitted) await t.db.insert(memberPermissions).values({ orgId: org.id, userId: user.id, productId: simplySign.id })
  return { user, b }
}

describe('the warehouse page', () => {
  it('lists each variant with its available units in brackets, and the menu leads to it', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'stock@example.com')
    await t.db.batch([addStock(t.db, org.id, oneYear.id, 5), addStock(t.db, org.id, twoYears.id, 0)])
    const res = await b.get(`/o/${slug}/warehouse`)
    expect(res.status).toBe(200)
    const html = await res.text()
    const page = textOf(html)
    expect(page).toContain('SimplySign')
    expect(page).toContain('signature, 1 year (5)')
    expect(page).toContain('signature, 2 years (0)')
    expect(page).toContain('No units available.')
    expect(html).toContain(`href="/o/${slug}/warehouse" aria-current="page"`)
    expect(html).toContain(`action="/o/${slug}/warehouse/${oneYear.id}/ecodes"`)
    expect(html).not.toContain(`action="/o/${slug}/warehouse/${twoYears.id}/activations"`)
  })

  it('says where units come from when there are none', async () => {
    const { b, slug } = await adminWithOrg(t, 'empty-stock@example.com')
    expect(textOf(await (await b.get(`/o/${slug}/warehouse`)).text())).toContain('There are no units here yet.')
  })

  it('shows a member only the products they may manage', async () => {
    const { org, slug } = await adminWithOrg(t, 'owner-view@example.com')
    await addStock(t.db, org.id, oneYear.id, 3)
    const outsider = await memberOf(org, 'no-perm-view@example.com', false)
    expect(textOf(await (await outsider.b.get(`/o/${slug}/warehouse`)).text())).not.toContain('signature, 1 year')
    const permitted = await memberOf(org, 'perm-view@example.com', true)
    expect(textOf(await (await permitted.b.get(`/o/${slug}/warehouse`)).text())).toContain('signature, 1 year (3)')
  })
})

describe('activating a unit', () => {
  it('turns one unit into a licence that starts now and runs the variant’s 12 months, with a history row', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'activate@example.com')
    await addStock(t.db, org.id, oneYear.id, 2)
    const res = await b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`)
    expect(res.status).toBe(303)
    const [licence, ...more] = await t.db.select().from(licences).where(and(eq(licences.orgId, org.id), eq(licences.variantId, oneYear.id)))
    expect(more).toEqual([])
    expect(licence!.productId).toBe(simplySign.id)
    expect(licence!.subscriptionId).toBeNull()
    expect(licence!.validFrom.toISOString()).toBe('2026-11-20T10:00:00.000Z')
    expect(licence!.validUntil!.toISOString()).toBe('2027-11-20T10:00:00.000Z')
    expect(licence!.number).toMatch(/^KT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(await unitsLeft(org.id, oneYear.id)).toBe(1)
    const page = textOf(await (await b.follow(res)).text())
    expect(page).toContain(`Unit activated. Licence number ${licence!.number}, valid until 20 November 2027.`)
    expect(page).toContain('signature, 1 year (1)')
    const [row] = await historyOf(org.id, 'warehouse.activated')
    expect(row!.details).toMatchObject({ product: 'SimplySign', variant: 'signature, 1 year', licence: licence!.number })
  })

  it('counts a 2-year term in the org’s calendar: 24 months later, the same local time', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'activate-2y@example.com')
    await addStock(t.db, org.id, twoYears.id, 1)
    expect((await b.post(`/o/${slug}/warehouse/${twoYears.id}/activations`)).status).toBe(303)
    const licence = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!
    expect(licence.validUntil!.toISOString()).toBe('2028-11-20T10:00:00.000Z')
  })

  it('refuses when no unit is left (409), and two clicks on the last unit give one licence', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'last-unit@example.com')
    await addStock(t.db, org.id, oneYear.id, 1)
    const results = await Promise.all([b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`), b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`)])
    expect(results.map((r) => r.status).sort()).toEqual([303, 409])
    const refused = results.find((r) => r.status === 409)!
    expect(textOf(await refused.text())).toContain('There is no unit of this variant left to activate.')
    expect(await t.db.select().from(licences).where(eq(licences.orgId, org.id))).toHaveLength(1)
    expect(await unitsLeft(org.id, oneYear.id)).toBe(0)
  })

  it('answers 404 for a variant that is not a virtual product’s', async () => {
    const { b, slug } = await adminWithOrg(t, 'no-variant@example.com')
    expect((await b.post(`/o/${slug}/warehouse/nonexistent/activations`)).status).toBe(404)
    expect((await b.post(`/o/${slug}/warehouse/nonexistent/ecodes`, { quantity: '1' })).status).toBe(404)
  })
})

describe('generating e-codes', () => {
  it('takes the units and creates that many active codes, valid 24 months, hashed and encrypted, with one history row', async () => {
    const { b, slug, org, user } = await adminWithOrg(t, 'generate@example.com')
    await addStock(t.db, org.id, oneYear.id, 5)
    const res = await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '3' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/o/${slug}/ecodes?tab=active&variant=${oneYear.id}`)
    expect(textOf(await (await b.follow(res)).text())).toContain('3 e-codes generated.')
    expect(await unitsLeft(org.id, oneYear.id)).toBe(2)
    const codes = await codesOf(org.id)
    expect(codes).toHaveLength(3)
    for (const c of codes) {
      expect([c.status, c.productId, c.variantId, c.createdBy]).toEqual(['active', simplySign.id, oneYear.id, user.id])
      expect(c.expiresAt.toISOString()).toBe('2028-11-20T10:00:00.000Z')
      const plain = await decryptECode(t.config.ecodeSecrets.encryptionKey, c.sealed)
      expect(plain).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/)
      expect(c.lookupHash).toBe(await ecodeLookupHash(t.config.ecodeSecrets.lookupKey, plain))
      // Neither column holds the code itself.
      expect(c.sealed).not.toContain(plain)
    }
    const [row, ...more] = await historyOf(org.id, 'ecode.generated')
    expect(more).toEqual([])
    expect(row!.details).toMatchObject({ product: 'SimplySign', variant: 'signature, 1 year', count: 3 })
  })

  it('refuses more codes than units available with 422 and the number available, changing nothing', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'too-many@example.com')
    await addStock(t.db, org.id, oneYear.id, 2)
    const res = await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '3' })
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('Only 2 units are available. Choose fewer e-codes.')
    expect(await unitsLeft(org.id, oneYear.id)).toBe(2)
    expect(await codesOf(org.id)).toEqual([])
    expect(await historyOf(org.id, 'ecode.generated')).toEqual([])
  })

  it('refuses quantities outside 1 … 1,000 with the field’s message', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'bad-quantity@example.com')
    await addStock(t.db, org.id, oneYear.id, 2000)
    for (const quantity of ['0', '1001', '-1', '2.5', 'abc', '']) {
      const res = await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity })
      expect(res.status, quantity).toBe(422)
      expect(textOf(await res.text())).toContain('Enter a whole number from 1 to 1,000.')
    }
    expect(await unitsLeft(org.id, oneYear.id)).toBe(2000)
  })

  it('generates 1,000 codes at once', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'thousand@example.com')
    await addStock(t.db, org.id, twoYears.id, 1000)
    expect((await b.post(`/o/${slug}/warehouse/${twoYears.id}/ecodes`, { quantity: '1000' })).status).toBe(303)
    expect(await codesOf(org.id)).toHaveLength(1000)
    expect(await unitsLeft(org.id, twoYears.id)).toBe(0)
  })

  it('never takes more units than exist under concurrent requests: stock 10, five requests of 3 → three succeed', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'concurrent@example.com')
    await addStock(t.db, org.id, oneYear.id, 10)
    const results = await Promise.all(Array.from({ length: 5 }, () => b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '3' })))
    expect(results.map((r) => r.status).sort()).toEqual([303, 303, 303, 422, 422])
    for (const r of results.filter((r) => r.status === 422)) expect(textOf(await r.text())).toContain('Only 1 unit is available.')
    expect(await unitsLeft(org.id, oneYear.id)).toBe(1)
    expect(await codesOf(org.id)).toHaveLength(9)
    expect(await historyOf(org.id, 'ecode.generated')).toHaveLength(3)
  })

  it('reports a look-up hash collision as an error and rolls everything back', async () => {
    const { org, user: created } = await adminWithOrg(t, 'collision@example.com')
    const user = (await t.db.select().from(users).where(eq(users.id, created.id)).get())!
    await addStock(t.db, org.id, oneYear.id, 4)
    const same = () => 'K7QF3XMA9B4K2PZD'
    expect(await generateECodes(t.deps, org, user, 'admin', oneYear.id, 1, t.clock.now(), same)).toEqual({ ok: true, count: 1 })
    expect(await generateECodes(t.deps, org, user, 'admin', oneYear.id, 2, t.clock.now(), same)).toEqual({ ok: false, error: 'collision' })
    expect(await unitsLeft(org.id, oneYear.id)).toBe(3)
    expect(await codesOf(org.id)).toHaveLength(1)
    expect(await historyOf(org.id, 'ecode.generated')).toHaveLength(1)
  })
})

describe('who may act on the warehouse', () => {
  it('refuses members without permission on the product with 403, and lets permitted members act', async () => {
    const { org, slug } = await adminWithOrg(t, 'perm-owner@example.com')
    await addStock(t.db, org.id, oneYear.id, 5)
    const outsider = await memberOf(org, 'no-perm@example.com', false)
    for (const res of [await outsider.b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`), await outsider.b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '1' })]) {
      expect(res.status).toBe(403)
      expect(textOf(await res.text())).toContain('Only administrators and members with permission on this product can do this.')
    }
    expect(await unitsLeft(org.id, oneYear.id)).toBe(5)
    const permitted = await memberOf(org, 'perm@example.com', true)
    expect((await permitted.b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`)).status).toBe(303)
    expect((await permitted.b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '2' })).status).toBe(303)
    expect(await unitsLeft(org.id, oneYear.id)).toBe(2)
  })

  it('answers 404 to someone outside the org', async () => {
    const { slug, org } = await adminWithOrg(t, 'closed@example.com')
    await addStock(t.db, org.id, oneYear.id, 5)
    const { b } = await adminWithOrg(t, 'stranger@example.com')
    expect((await b.get(`/o/${slug}/warehouse`)).status).toBe(404)
    expect((await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '1' })).status).toBe(404)
    expect(await unitsLeft(org.id, oneYear.id)).toBe(5)
  })
})
