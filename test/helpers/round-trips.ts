// A seeded world for measuring what pages ask of the database (issue 14, test/routes/round-trips*.ts):
// an org that bought Sekretariat Silver (paid order, invoice) and has Certyfikaty free, an order still
// waiting for its payment, e-codes, warehouse units, an API key, a member who asked for
// administrator rights and uploaded a statement, an operator past the second step, and carts (units;
// a plan, in a second browser of the same administrator) ready for the checkout's summary. Each page is run twice and the second run is measured, warm as
// production is (the catalog from its cache).
import { expect } from 'vitest'
import { and, desc, eq } from 'drizzle-orm'
import { addons, ecodes, history, invoices, jobRuns, outbox, plans, products, variants } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { markOrderPaid } from '../../src/services/payments'
import { uploadStatement } from '../../src/services/statements'
import type { DbCounts } from '../../src/db/counting'
import { testApp, type Browser, type TestApp } from './app'
import { adminWithOrg } from './orgs'
import { hostedPayment, orderFor } from './orders'
import { operatorWithAuthenticator } from './operators'
import { issueCodes } from './ecodes'
import { createUser, PASSWORD } from './users'
import { setCatalogFreshness } from '../../src/db/catalog-cache'
import type { Config } from '../../src/config'

export type World = Awaited<ReturnType<typeof roundTripWorld>>

/** `config` adds settings, e.g. the address of a real server the world is served on (test/e2e/phone-crawl.test.ts). */
export async function roundTripWorld(environment: 'production' | 'test', config: Partial<Config> = {}) {
  const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { ...(environment === 'production' ? { environment, secureCookies: true } : {}), ...config } })
  // Counted pages see the catalog as a warm isolate does: never a version check come due because a
  // loaded machine took 5 s between two requests (test/routes/catalog-cache.test.ts times that check).
  setCatalogFreshness(t.db, 60 * 60_000)
  await t.seedCatalog()
  const operator = await operatorWithAuthenticator(t, 'rt-operator@example.com', 'Olga Operator')
  const buyer = await adminWithOrg(t, 'rt-admin@example.com')
  const { b: admin, slug, org } = buyer
  const paid = await orderFor(t, buyer, 'transfer')
  expect(await markOrderPaid(t.deps, paid.id, operator.user as never, t.clock.now())).toEqual({ ok: true })
  const invoice = (await t.db.select().from(invoices).where(eq(invoices.orderId, paid.id)).get())!
  const waiting = await orderFor(t, buyer, 'card', { product: 'simplysign', variant: 'signature-1y', quantity: 2 })
  const payment = await hostedPayment(t, waiting.id, org.id, 71162)
  expect((await admin.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
  const [code] = await issueCodes(t, org, 'signature-1y', 3)
  const ecode = (await t.db.select().from(ecodes).where(eq(ecodes.orgId, org.id)).get())!
  const variant = (await t.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
  await addStock(t.db, org.id, variant.id, 5)
  const keyPage = await (await admin.post(`/o/${slug}/api-keys`, { name: 'ERP' })).text()
  const apiKey = /<code class="key big">(kon_[a-z0-9]+)<\/code>/.exec(keyPage)![1]!

  // A member with permission on SimplySign, who asks for administrator rights and sends a statement.
  const memberUser = await createUser(t.deps, { email: 'rt-member@example.com', name: 'Maria Member' })
  expect((await admin.post(`/o/${slug}/members`, { email: memberUser.email })).status).toBe(303)
  expect((await admin.post(`/o/${slug}/members/${memberUser.id}/permissions`, { product: 'simplysign' })).status).toBe(303)
  const member = t.browser()
  expect((await member.post('/login', { email: memberUser.email, password: PASSWORD })).status).toBe(303)
  expect((await member.post(`/o/${slug}/admin-rights-requests`)).status).toBe(303)
  const scan = new TextEncoder().encode('%PDF-1.4\n% a signed statement\n')
  const statement = await uploadStatement(t.deps, org, memberUser as never, 'member', { bytes: scan, name: 'statement.pdf' }, t.clock.now())
  if (!statement.ok) throw new Error(statement.error)

  // A job run for /ops/jobs, and a cart that has reached the summary (the org chosen in step 3).
  await t.db.insert(jobRuns).values({ job: 'digests', asOf: t.clock.now(), startedAt: t.clock.now(), finishedAt: t.clock.now(), status: 'ok', counts: { sent: 1 } })
  expect((await admin.post('/buy/simplysign', { variant: 'signature-1y', quantity: '2' })).status).toBe(303)
  expect((await admin.post('/checkout/billing', { org: slug, billingEmail: org.billingEmail })).status).toBe(303)
  // The same administrator in another browser, buying a plan: the summary then checks the org's subscription.
  const planBuyer = t.browser()
  expect((await planBuyer.post('/login', { email: buyer.user.email, password: PASSWORD })).status).toBe(303)
  expect((await planBuyer.post('/buy/certyfikaty', { plan: 'pro', period: '12' })).status).toBe(303)
  expect((await planBuyer.post('/checkout/billing', { org: slug, billingEmail: org.billingEmail })).status).toBe(303)

  const sekretariat = (await t.db.select().from(products).where(eq(products.key, 'sekretariat')).get())!
  const addon = (await t.db.select().from(addons).get())!
  const mail = (await t.db.select().from(outbox).get())!
  // A later page of the history starts after its newest entry.
  const newest = (await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(desc(history.at), desc(history.id)).get())!
  const silver = (await t.db.select().from(plans).where(and(eq(plans.productId, sekretariat.id), eq(plans.key, 'silver'))).get())!
  return {
    t,
    admin,
    member,
    planBuyer,
    operator: operator.b,
    /** The operator's authenticator key, for signing in again. */
    operatorKey: operator.key,
    slug,
    org,
    code: code!,
    apiKey,
    ids: { paidOrder: paid.id, waitingOrder: waiting.id, payment, invoice: invoice.id, ecode: ecode.id, statement: statement.id, product: sekretariat.id, plan: silver.id, addon: addon.id, variant: variant.id, virtualProduct: variant.productId, mail: mail.id, operator: operator.user.id, historyCursor: `${newest.at.getTime()}-${newest.id}` },
  }
}

export type Cost = DbCounts & { status: number; log: string[] }

/** Runs the request twice (the first warms the caches) and returns what the second cost. */
export async function costOf(t: TestApp, request: () => Response | Promise<Response>): Promise<Cost> {
  await (await request()).arrayBuffer()
  t.counter.reset()
  const res = await request()
  await res.arrayBuffer()
  return { ...t.counter.snapshot(), status: res.status, log: [...t.counter.log] }
}

export const describeCost = (label: string, c: Cost) => `${label}: ${c.status}, ${c.statements} statements, chain ${c.chain}, ${c.roundTrips} round trips\n  ${c.log.join('\n  ')}`

/** A request with the vendor API's bearer key. */
export const withKey = (w: { t: TestApp; apiKey: string }, path: string, init: RequestInit = {}) =>
  w.t.app.request(`http://localhost${path}`, { ...init, headers: { Authorization: `Bearer ${w.apiKey}`, 'Content-Type': 'application/json', ...init.headers } })

export type { Browser }
