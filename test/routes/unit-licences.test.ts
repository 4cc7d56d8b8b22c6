// Issue 16, rule 3: an activated licence is listed. A warehouse unit activated into a licence shows
// on the org's dashboard with its validity (to administrators, and to members who may manage the
// product) and on the operator's org page.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { licences, memberPermissions, memberships, products, variants } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { operatorWithAuthenticator } from '../helpers/operators'
import { PASSWORD, signedIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const oneYear = (await t.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
const twoYears = (await t.db.select().from(variants).where(eq(variants.key, 'signature-2y')).get())!
const simplySign = (await t.db.select().from(products).where(eq(products.key, 'simplysign')).get())!
const { b: ops } = await operatorWithAuthenticator(t, 'operator@example.com')

/** The page's text with licence numbers read back whole (they are shown in groups that break only between them). */
const whole = (text: string) => text.replace(/(?<=\bKT(?:- ?[0-9A-Z]{4})*)- (?=[0-9A-Z]{4}\b)/g, '-')
const section = (html: string) => whole(textOf(/<section[^>]*id="unit-licences"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''))

describe('An activated licence is listed', () => {
  it('on the dashboard with its product, variant, number and validity, and on the operator’s org page', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'listed@example.com')
    await t.db.batch([addStock(t.db, org.id, oneYear.id, 1), addStock(t.db, org.id, twoYears.id, 1)])
    expect((await b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`)).status).toBe(303)
    t.clock.set(new Date('2026-11-20T11:00:00Z'))
    expect((await b.post(`/o/${slug}/warehouse/${twoYears.id}/activations`)).status).toBe(303)
    const [first, second] = await Promise.all(
      [oneYear, twoYears].map(async (v) => (await t.db.select().from(licences).where(and(eq(licences.orgId, org.id), eq(licences.variantId, v.id))).get())!.number),
    )

    const list = section(await (await b.get(`/o/${slug}`)).text())
    expect(list).toContain('Licences from activated units')
    // Newest first, each with its validity in the org's zone.
    expect(list).toContain(`SimplySign — signature, 2 years ${second} · valid 20 November 2026 – 20 November 2028`)
    expect(list).toContain(`SimplySign — signature, 1 year ${first} · valid 20 November 2026 – 20 November 2027`)
    expect(list.indexOf(second!)).toBeLessThan(list.indexOf(first!))

    const opsPage = whole(textOf(await (await ops.get(`/ops/orgs/${org.id}`)).text()))
    expect(opsPage).toContain('Licences from activated units')
    expect(opsPage).toContain(`SimplySign — signature, 1 year ${first} valid 20 November 2026 – 20 November 2027`)
    expect(opsPage).toContain(`SimplySign — signature, 2 years ${second} valid 20 November 2026 – 20 November 2028`)

    // Past its term, it says so (signed in again: the session has long ended by then).
    t.clock.set(new Date('2027-11-21T10:00:00Z'))
    const later = t.browser()
    expect((await later.post('/login', { email: 'listed@example.com', password: PASSWORD })).status).toBe(303)
    expect(section(await (await later.get(`/o/${slug}`)).text())).toContain(`${first} · expired on 20 November 2027`)
    t.clock.set(new Date('2026-11-20T10:00:00Z'))
  })

  it('a member sees the licences of the products they may manage, and no others', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'listed-members@example.com')
    await addStock(t.db, org.id, oneYear.id, 1)
    expect((await b.post(`/o/${slug}/warehouse/${oneYear.id}/activations`)).status).toBe(303)
    const number = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!.number
    const member = await signedIn(t, 'listed-member@example.com')
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    expect(await (await member.b.get(`/o/${slug}`)).text()).not.toContain(number)
    await t.db.insert(memberPermissions).values({ orgId: org.id, userId: member.user.id, productId: simplySign.id })
    expect(section(await (await member.b.get(`/o/${slug}`)).text())).toContain(number)
  })
})
