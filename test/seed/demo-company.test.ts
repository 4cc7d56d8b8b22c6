// Issue 16, rule 12: a demo worth opening. The demo customer administers a company with a paid plan
// and a free plan whose meters are partly used, two members with different permissions, a paid order
// with its invoice and a transfer still to pay, warehouse units, e-codes in every tab (one with a
// mistake report waiting, so the yellow dot shows) and months of history — dated from the first start.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { history, invoices, orders, orgs, subscriptions, variants, warehouseStock } from '../../src/db/schema'
import { DAY } from '../../src/clock'
import { seedDemo, DEMO_CUSTOMER, DEMO_MEMBERS } from '../../src/seed/index'
import { DEMO_COMPANY } from '../../src/seed/demo-accounts'
import { testApp, textOf, type Browser } from '../helpers/app'

const FIRST_START = '2026-11-02T09:00:00Z'
const t = await testApp({ now: FIRST_START })
expect(await seedDemo(t.deps)).toBe(true)
const company = (await t.db.select().from(orgs).where(eq(orgs.name, DEMO_COMPANY.name)).get())!
const base = `/o/${company.slug}`

async function signIn(email: string, password: string): Promise<Browser> {
  const b = t.browser()
  expect((await b.post('/login', { email, password })).status).toBe(303)
  // The demo people read Polish; these checks read English.
  expect((await b.post('/language', { language: 'en', next: '/' })).status).toBe(303)
  return b
}
const anna = await signIn(DEMO_CUSTOMER.email, DEMO_CUSTOMER.password)
const text = async (b: Browser, path: string) => {
  const res = await b.get(path)
  expect(res.status, path).toBe(200)
  return textOf(await res.text())
}

describe('A demo worth opening (issue 16, rule 12)', () => {
  it('gives the demo customer a company with a valid NIP and an address, which they administer', async () => {
    expect(company).toMatchObject({ country: 'PL', legalForm: 'company', taxId: 'PL9990000014', addressLine: 'ul. Marszałkowska 10/12', city: 'Warszawa' })
    const home = await text(anna, base)
    expect(home).toContain('Biuro Rachunkowe Bilans sp. z o.o.')
    expect(home).toContain('Your role: administrator')
    expect(home).toContain('999-000-00-14')
  })

  it('has a paid plan and a free plan with this month’s meters partly used', async () => {
    const html = await (await anna.get(base)).text()
    const card = (key: string) => textOf(new RegExp(`id="product-${key}"[\\s\\S]*?</article>`).exec(html)![0])
    const sekretariat = card('sekretariat')
    expect(sekretariat).toContain('Silver')
    expect(sekretariat).toMatch(/Valid until \d+ \w+ 2027/)
    expect(sekretariat).toContain('23 of 100 contracts this month')
    expect(sekretariat).toContain('41 of 100 correspondence entries this month')
    const certyfikaty = card('certyfikaty')
    expect(certyfikaty).toContain('Free')
    expect(certyfikaty).toContain('Free plan: valid while someone signs in at least once a year')
    expect(certyfikaty).toMatch(/7 of \d+ certificates this month/)
  })

  it('has two members with different permissions, who can sign in and see what they were given', async () => {
    const users = await (await anna.get(`${base}/settings/users`)).text()
    const row = (name: string) => textOf(new RegExp(`${name}[\\s\\S]*?</tr>`).exec(users)![0])
    expect(textOf(users)).toContain('Anna Kowalska')
    expect(row('Ewa Nowak')).toContain('member')
    expect(row('Tomasz Wiśniewski')).toContain('member')
    const checked = (name: string) => [...new RegExp(`${name}[\\s\\S]*?</tr>`).exec(users)![0].matchAll(/value="([a-z-]+)" checked/g)].map((m) => m[1])
    expect(checked('Ewa Nowak')).toEqual(['sekretariat'])
    expect(checked('Tomasz Wiśniewski')).toEqual(['simplysign'])

    const [ewa, tomasz] = await Promise.all(DEMO_MEMBERS.map((m) => signIn(m.email, m.password)))
    const ewaHome = await text(ewa!, base)
    expect(ewaHome).toContain('Sekretariat')
    // Only the products she was given; the users meter may name the plan that sets the org's seat limit.
    expect(ewaHome.replace(/\(the limit of [^)]*\)/g, '')).not.toContain('Certyfikaty')
    // Added on purpose by the administrator: not told their rights are limited.
    expect(ewaHome).not.toContain('Your rights in')
    expect(await text(tomasz!, `${base}/ecodes`)).toContain('SimplySign')
  })

  it('has paid orders with their invoices and a bank transfer still to pay, numbered as the app numbers them', async () => {
    const rows = await t.db.select().from(orders).where(eq(orders.orgId, company.id)).orderBy(orders.createdAt)
    expect(rows.map((o) => o.status)).toEqual(['paid', 'paid', 'paid', 'pending_payment'])
    for (const o of rows) expect(o.number).toMatch(/^KON\/\d{4}\/\d{2}\/\d{6}$/)
    const pending = rows.at(-1)!
    expect([pending.paymentMethod, pending.createdAt.toISOString()]).toEqual(['transfer', new Date(Date.parse(FIRST_START) - 3 * DAY).toISOString()])
    const issued = await t.db.select().from(invoices).where(eq(invoices.orgId, company.id))
    expect(issued).toHaveLength(3)
    const page = await text(anna, `${base}/orders`)
    for (const i of issued) expect(page).toContain(i.number)
    const pdf = await anna.get(`${base}/invoices/${issued[0]!.id}`)
    expect([pdf.status, pdf.headers.get('Content-Type')]).toEqual([200, 'application/pdf'])
    expect(await text(anna, `${base}/orders/${pending.id}`)).toContain(`Transfer title ${pending.number}`)
  })

  it('has units in the warehouse and e-codes in every tab, one with a mistake report waiting: the yellow dot and the notice show', async () => {
    const stock = await t.db.select({ key: variants.key, units: warehouseStock.units }).from(warehouseStock).innerJoin(variants, eq(variants.id, warehouseStock.variantId)).where(eq(warehouseStock.orgId, company.id))
    expect(Object.fromEntries(stock.map((s) => [s.key, s.units]))).toEqual({ 'signature-1y': 4, 'signature-2y': 4 })
    expect(await text(anna, `${base}/warehouse`)).toContain('SimplySign')
    const html = await (await anna.get(`${base}/ecodes`)).text()
    const list = textOf(html)
    expect(list).toContain('Active (4)')
    expect(list).toContain('Used (1)')
    expect(list).toContain('Expired (1)')
    expect(list).toContain('Disposed (1)')
    expect(list).toContain('1 mistake report on a voucher is waiting.')
    expect(list).toContain('Jan Kowalski')
    expect(html).toMatch(/href="\/o\/[^"]+\/requests"[^>]*>[^<]*<span class="dot"/)
    expect(await text(anna, `${base}/ecodes?tab=used`)).toContain('Ewa Nowak')
  })

  it('has months of history, dated back from the first start', async () => {
    const rows = await t.db.select({ at: history.at, kind: history.kind }).from(history).where(eq(history.orgId, company.id)).orderBy(history.at)
    expect(rows.length).toBeGreaterThan(15)
    const first = Date.parse(FIRST_START)
    expect(rows[0]!.at.getTime()).toBeLessThan(first - 365 * DAY)
    expect(rows.at(-1)!.at.getTime()).toBeLessThanOrEqual(first)
    expect(rows.filter((r) => r.at.getTime() > first - 120 * DAY).length).toBeGreaterThan(10)
    expect([...new Set(rows.map((r) => r.kind))]).toEqual(expect.arrayContaining(['org.created', 'member.added', 'order.paid', 'plan.activated', 'ecode.used', 'ecode.disposed', 'ecode.personalized']))
    const page = await text(anna, `${base}/history`)
    expect(page).toContain('Anna Kowalska')
    const sekretariat = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, company.id)).all()).find((s) => s.snapshot.planName === 'Silver')!
    expect(sekretariat.periodStart.toISOString()).toBe(new Date(first - 93 * DAY).toISOString())
  })

  it('is seeded once: a second start seeds nothing more', async () => {
    expect(await seedDemo(t.deps)).toBe(false)
    expect(await t.db.select().from(orgs).where(eq(orgs.name, DEMO_COMPANY.name))).toHaveLength(1)
  })
})
