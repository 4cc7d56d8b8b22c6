// The purge job in tests over simulated days: a run as the cron would start it, a read-only org set
// up as the lapse step leaves one, and the whole database as one string, to show that a repeated
// run changed nothing.
import { expect } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import { orders, orgs, outbox, products, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { markOrderPaid } from '../../src/services/payments'
import { testApp, type TestApp } from './app'
import { adminWithOrg } from './orgs'
import { orderFor } from './orders'
import { createUser } from './users'

/** The purge's cron time (02:30 UTC) on a day. */
export const cron = (day: string) => new Date(`${day}T02:30:00Z`)

/** Runs the purge through the runner as of `now` (the app's clock follows); its counts, or a throw if any item failed. */
export async function purgeAt(t: TestApp, now: Date) {
  t.clock.set(now)
  const r = await runNamedJob(t.deps, 'purges', now)
  if (r.status !== 'ok' || r.errors) throw new Error(`the run did not finish cleanly: ${JSON.stringify(r)}`)
  return r.counts
}

/** Every table's rows, job bookkeeping aside. */
export async function dump(t: TestApp): Promise<string> {
  const tables = await t.db.all<{ name: string; withoutRowid: number }>(
    sql`select name, sql like '%without rowid%' as withoutRowid from sqlite_master where type = 'table' and name not in ('job_runs', 'job_leases') and name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
  )
  const out: Record<string, unknown[]> = {}
  // A table WITHOUT ROWID (the e-code counters) has no rowid; it is read in its primary key's order.
  for (const { name, withoutRowid } of tables) out[name] = await t.db.all(sql.raw(`select * from "${name}"${withoutRowid ? '' : ' order by rowid'}`))
  return JSON.stringify(out)
}

// The yearly Silver period ended at midnight of 1 November 2026 in Warsaw, unpaid: read-only for the
// product's 30 grace days, deleted at midnight of 1 December 2026.
export const LAPSED = new Date('2026-10-31T23:00:00Z')
export const DELETES = new Date('2026-11-30T23:00:00Z')

/** A fresh app on 20 October 2026 with the demo catalog and an operator (who marks transfers paid). */
export async function purgeWorld() {
  const t = await testApp({ now: '2026-10-20T10:00:00Z' })
  await t.seedCatalog()
  const operator = await createUser(t.deps, { email: 'purge-operator@example.com', operator: true })
  const product = async (key: string) => (await t.db.select().from(products).where(eq(products.key, key)).get())!
  return { t, operator, sekretariat: await product('sekretariat'), certyfikaty: await product('certyfikaty'), simplysign: await product('simplysign') }
}
export type PurgeWorld = Awaited<ReturnType<typeof purgeWorld>>
type Buyer = Awaited<ReturnType<typeof adminWithOrg>>

/**
 * An org that bought Sekretariat Silver by transfer (an order and an invoice), then — after
 * `before` — put into read_only with the period that lapsed on LAPSED, directly, as the lapse step does.
 */
export async function readOnlyOrg(w: PurgeWorld, email: string, opts: { language?: 'en' | 'pl' | 'it'; before?: (buyer: Buyer) => Promise<void> } = {}) {
  const { t } = w
  const buyer = await adminWithOrg(t, email, { language: opts.language })
  const order = await orderFor(t, buyer, 'transfer')
  expect(await markOrderPaid(t.deps, order.id, w.operator as never, t.clock.now())).toEqual({ ok: true })
  await opts.before?.(buyer)
  await t.db
    .update(subscriptions)
    .set({ status: 'read_only', periodStart: new Date('2025-10-31T23:00:00Z'), periodEnd: LAPSED })
    .where(and(eq(subscriptions.orgId, buyer.org.id), eq(subscriptions.productId, w.sekretariat.id)))
  return { ...buyer, order }
}

export const mailsTo = (t: TestApp, to: string, template?: string) =>
  t.db.select().from(outbox).where(and(eq(outbox.to, to), template ? eq(outbox.template, template) : undefined)).orderBy(outbox.createdAt, outbox.id)
export const subOf = (t: TestApp, orgId: string, productId: string) =>
  t.db.select().from(subscriptions).where(and(eq(subscriptions.orgId, orgId), eq(subscriptions.productId, productId))).get().then((s) => s!)
export const orgRow = (t: TestApp, id: string) => t.db.select().from(orgs).where(eq(orgs.id, id)).get().then((o) => o!)
export const grossOf = async (t: TestApp, orderId: string) => (await t.db.select().from(orders).where(eq(orders.id, orderId)).get())!.grossMinor
