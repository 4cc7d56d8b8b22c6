// Issue 16, rule 10: a free plan's validity is shown to the customer and to the operator ("valid while
// someone signs in at least once a year; lapses on …"), a read-only org's dashboard does not call a
// past date "valid until", and a private person is not offered the free plan of a business-only product.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { orgs, products, subscriptions } from '../../src/db/schema'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { operatorWithAuthenticator } from '../helpers/operators'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const ops = await operatorWithAuthenticator(t, 'validity-ops@example.com')

/** The text of one product's card on the dashboard. */
async function productCard(b: Browser, slug: string, product: string) {
  const html = await (await b.get(`/o/${slug}`)).text()
  const card = new RegExp(`id="product-${product}"[\\s\\S]*?</article>`).exec(html)
  expect(card, product).not.toBeNull()
  return textOf(card![0])
}

describe('Free plan validity is shown (issue 16, rule 10)', () => {
  it('tells the customer and the operator that a free plan stays valid while someone signs in yearly, and when it lapses', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'free-validity@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    // The org's last sign-in was on 3 March 2026 (before the plan started): 12 months from the plan's start count.
    await t.db.update(orgs).set({ lastLoginAt: new Date('2026-03-03T08:00:00Z') }).where(eq(orgs.id, org.id))
    const text = 'Free plan: valid while someone signs in at least once a year; lapses on 20 November 2027.'
    expect(await productCard(b, slug, 'sekretariat')).toContain(text)
    expect(textOf(await (await ops.b.get(`/ops/orgs/${org.id}`)).text())).toContain('valid while someone signs in at least once a year; lapses on 20 Nov 2027')

    // A sign-in moves the date: it is counted from the later of the last sign-in and the plan's start.
    await t.db.update(orgs).set({ lastLoginAt: new Date('2027-02-10T12:00:00Z') }).where(eq(orgs.id, org.id))
    expect(await productCard(b, slug, 'sekretariat')).toContain('lapses on 10 February 2028.')
  })

  it('a read-only org’s dashboard says when the product lapsed, not "valid until" a past date', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'read-only-card@example.com')
    await b.post(`/o/${slug}/subscriptions`, { product: 'sekretariat' })
    const sekretariat = (await t.db.select().from(products).where(eq(products.key, 'sekretariat')).get())!
    await t.db
      .update(subscriptions)
      .set({ status: 'read_only', periodEnd: new Date('2026-10-31T23:00:00Z') })
      .where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, sekretariat.id)))
    const card = await productCard(b, slug, 'sekretariat')
    expect(card).not.toContain('Valid until')
    expect(card).not.toContain('lapses on')
    expect(card).toContain('Lapsed on 1 November 2026: read-only until it is renewed or switched to the free plan.')
    expect(textOf(await (await ops.b.get(`/ops/orgs/${org.id}`)).text())).toContain('read-only since 1 Nov 2026')
  })

  it('does not offer a private person the free plan of a business-only product, and says why', async () => {
    const person = await adminWithOrg(t, 'private-person@example.com', { legalForm: 'person' })
    const card = await productCard(person.b, person.slug, 'certified-platform')
    expect(card).not.toContain('Activate the free plan')
    expect(card).toContain('Only for companies and sole traders: not available to a private person.')
    // Products for everyone are still offered to the person.
    expect(await productCard(person.b, person.slug, 'sekretariat')).toContain('Activate the free plan: Green')
    // And a company is offered it.
    const company = await adminWithOrg(t, 'business@example.com')
    expect(await productCard(company.b, company.slug, 'certified-platform')).toContain('Activate the free plan: Free')
  })
})
