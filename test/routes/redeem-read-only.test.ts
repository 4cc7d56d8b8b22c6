// Redemption and read-only orgs (SPEC §8, §9): a read-only org can't receive a code (it takes no
// changes, a unit in its warehouse included), while a read-only issuer's codes keep working for
// their recipients.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, orgs, products, subscriptions, users, warehouseStock } from '../../src/db/schema'
import { redeemECode } from '../../src/services/redemption'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { ecodeRow, issueCodes } from '../helpers/ecodes'
import { nextNip } from '../helpers/users'

const IP = 'x-test-ip'
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { clientIpHeader: IP } })
await t.seedCatalog()
const certyfikaty = (await t.db.select().from(products).where(eq(products.key, 'certyfikaty')).get())!

let ipCounter = 0
const freshIp = () => `198.51.100.${++ipCounter}`
const get = (b: Browser, path: string) => b.get(path, { [IP]: freshIp() })
const post = (b: Browser, path: string, form: Record<string, string>) => b.post(path, form, { [IP]: freshIp() })
const stockOf = async (orgId: string) => (await t.db.select().from(warehouseStock).where(eq(warehouseStock.orgId, orgId)).get())?.units ?? 0
const redeemedIn = (orgId: string) => t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, 'ecode.redeemed')))

/** The org takes the free Certyfikaty plan and has it lapse into read-only, as the lapse job would. */
async function makeReadOnly(b: Browser, slug: string, orgId: string) {
  await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })
  await setReadOnly(orgId)
}
const setReadOnly = (orgId: string) =>
  t.db
    .update(subscriptions)
    .set({ status: 'read_only' })
    .where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.productId, certyfikaty.id)))

/** An administrator of a read-only org who also runs a second, healthy org. */
async function adminOfTwo(email: string) {
  const a = await adminWithOrg(t, email)
  await makeReadOnly(a.b, a.slug, a.org.id)
  const name = `Second org of ${email}`
  await a.b.post('/orgs', { name, country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: email })
  const healthy = (await t.db.select().from(orgs).where(eq(orgs.name, name)).get())!
  return { ...a, healthy }
}

describe('redeeming into a read-only org', () => {
  it('shows the read-only org greyed with the reason and chooses the healthy one', async () => {
    const issuer = await adminWithOrg(t, 'ro-redeem-issuer1@example.com')
    const receiver = await adminOfTwo('ro-redeem-page@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const html = await (await get(receiver.b, `/r/${code}`)).text()
    expect(textOf(html)).toContain(
      `${receiver.org.name} Read-only: it can receive codes again once renewed or switched to the free plan ${receiver.healthy.name} A new organization`,
    )
    expect(html).toContain(`value="${receiver.slug}" disabled=""`)
    expect(html).toContain(`value="${receiver.healthy.slug}" checked=""`)
  })

  it('refuses it with 423 and the reason, changing nothing; the healthy org then receives the code', async () => {
    const issuer = await adminWithOrg(t, 'ro-redeem-issuer2@example.com')
    const receiver = await adminOfTwo('ro-redeem-post@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const refused = await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug })
    expect(refused.status).toBe(423)
    expect(textOf(await refused.text())).toContain(
      'This organization is read-only since a subscription lapsed, so it can’t receive the code. Renew it or switch it to the free plan first, or choose another organization.',
    )
    expect((await ecodeRow(t, code!)).status).toBe('active')
    expect(await stockOf(receiver.org.id)).toBe(0)
    expect(await redeemedIn(receiver.org.id)).toHaveLength(0)

    const done = await post(receiver.b, `/r/${code}/redemption`, { org: receiver.healthy.slug })
    expect(done.headers.get('Location')).toBe(`/o/${receiver.healthy.slug}/warehouse`)
    expect(await stockOf(receiver.healthy.id)).toBe(1)
  })

  it('refuses it when the org lapses between the check and the update (the update itself is conditional)', async () => {
    const issuer = await adminWithOrg(t, 'ro-redeem-issuer3@example.com')
    const receiver = await adminWithOrg(t, 'ro-redeem-race@example.com')
    await receiver.b.post(`/o/${receiver.slug}/subscriptions`, { product: 'certyfikaty' })
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const user = (await t.db.select().from(users).where(eq(users.id, receiver.user.id)).get())!
    // The lapse lands just before the redemption's batch.
    const db = new Proxy(t.db, {
      get(target, prop, r) {
        if (prop !== 'batch') return Reflect.get(target, prop, r)
        return async (statements: Parameters<typeof target.batch>[0]) => {
          await setReadOnly(receiver.org.id)
          return target.batch(statements)
        }
      },
    })
    expect(await redeemECode({ ...t.deps, db }, user, code!, receiver.slug, t.clock.now())).toEqual({ ok: false, error: 'read_only' })
    expect((await ecodeRow(t, code!)).status).toBe('active')
    expect(await stockOf(receiver.org.id)).toBe(0)
    expect(await redeemedIn(receiver.org.id)).toHaveLength(0)
  })

  it('still lets others redeem the codes of a read-only issuer: recipients keep what they were given', async () => {
    const issuer = await adminWithOrg(t, 'ro-redeem-issuer4@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    await makeReadOnly(issuer.b, issuer.slug, issuer.org.id)
    const receiver = await adminWithOrg(t, 'ro-redeem-recipient@example.com')
    expect((await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug })).status).toBe(303)
    expect(await stockOf(receiver.org.id)).toBe(1)
    expect((await ecodeRow(t, code!)).status).toBe('used')
  })
})
