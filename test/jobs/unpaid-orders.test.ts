// Unpaid orders over simulated days (SPEC §7, §13): an order waiting for a bank transfer is
// cancelled by the renewals job 14 full days after it was placed, with the buyer's cancellation
// e-mail once; card orders and renewal orders are left alone; runs repeated or at once cancel once.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, orders, outbox, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { runRenewals } from '../../src/jobs/renewals'
import { DAY, HOUR } from '../../src/clock'
import { markOrderPaid } from '../../src/services/payments'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'

const START = '2026-11-20T10:00:00Z'
const after = (offset: number) => new Date(Date.parse(START) + offset)

async function runAt(t: TestApp, now: Date) {
  t.clock.set(now)
  const r = await runNamedJob(t.deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

const orderOf = (t: TestApp, id: string) => t.db.select().from(orders).where(eq(orders.id, id)).get().then((o) => o!)
const cancellationsTo = (t: TestApp, to: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'order.cancelled')))

/** A fresh app with the demo catalog and an operator who marks transfers paid. */
async function world() {
  const t = await testApp({ now: START })
  await t.seedCatalog()
  const operator = await createUser(t.deps, { email: 'operator@example.com', operator: true })
  return { t, operator: operator as never }
}

async function buyer(t: TestApp, email: string, method: 'card' | 'transfer') {
  const b = await adminWithOrg(t, email)
  const { id } = await orderFor(t, b, method)
  return { ...b, orderId: id }
}

describe('unpaid bank-transfer orders', () => {
  it('are cancelled 14 full days after they were placed — on day 14, not on day 13 — with the buyer mailed once; card orders stay', async () => {
    const { t } = await world()
    const early = await buyer(t, 'early@example.com', 'transfer')
    const card = await buyer(t, 'card@example.com', 'card')
    t.clock.set(after(1 * DAY))
    const later = await buyer(t, 'later@example.com', 'transfer')

    for (const offset of [13 * DAY, 14 * DAY - HOUR]) {
      expect(await runAt(t, after(offset))).toMatchObject({ orders_cancelled: 0, failed: 0 })
      expect((await orderOf(t, early.orderId)).status).toBe('pending_payment')
      expect(await cancellationsTo(t, 'early@example.com')).toHaveLength(0)
    }

    expect(await runAt(t, after(14 * DAY))).toMatchObject({ orders_cancelled: 1, failed: 0 })
    const cancelled = await orderOf(t, early.orderId)
    expect([cancelled.status, cancelled.cancelledAt?.toISOString()]).toEqual(['cancelled', after(14 * DAY).toISOString()])
    const [mail] = await cancellationsTo(t, 'early@example.com')
    expect(mail!.subject).toBe(`Order ${cancelled.number} cancelled`)
    const [entry] = await t.db.select().from(history).where(and(eq(history.kind, 'order.cancelled'), eq(history.subjectId, early.orderId)))
    expect([entry!.actorType, entry!.actorLabel]).toEqual(['system', 'renewals'])
    expect((await orderOf(t, later.orderId)).status).toBe('pending_payment')

    // The same day again: nothing more. The next day: the later order's turn.
    expect(await runAt(t, after(14 * DAY + 2 * HOUR))).toMatchObject({ orders_cancelled: 0 })
    expect(await runAt(t, after(15 * DAY))).toMatchObject({ orders_cancelled: 1 })
    expect((await orderOf(t, later.orderId)).status).toBe('cancelled')

    // A card order whose payment page was left is not this rule's business.
    expect(await runAt(t, after(40 * DAY))).toMatchObject({ orders_cancelled: 0 })
    expect((await orderOf(t, card.orderId)).status).toBe('pending_payment')
    expect(await cancellationsTo(t, 'early@example.com')).toHaveLength(1)
    expect(await cancellationsTo(t, 'later@example.com')).toHaveLength(1)
    expect(await cancellationsTo(t, 'card@example.com')).toHaveLength(0)
  })

  it('an order paid on day 13 is not cancelled on day 14', async () => {
    const { t, operator } = await world()
    const paid = await buyer(t, 'paid@example.com', 'transfer')
    t.clock.set(after(13 * DAY))
    expect(await markOrderPaid(t.deps, paid.orderId, operator, t.clock.now())).toEqual({ ok: true })

    expect(await runAt(t, after(14 * DAY))).toMatchObject({ orders_cancelled: 0 })
    expect((await orderOf(t, paid.orderId)).status).toBe('paid')
    expect(await cancellationsTo(t, 'paid@example.com')).toHaveLength(0)
  })

  it('a renewal order waiting for a transfer more than 14 days stays payable until its period ends', async () => {
    const { t, operator } = await world()
    const sub = await buyer(t, 'renewal@example.com', 'transfer')
    await markOrderPaid(t.deps, sub.orderId, operator, t.clock.now())
    const end = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, sub.org.id)).get())!.periodEnd!
    expect(end.toISOString()).toBe('2027-11-20T10:00:00.000Z')

    // Half an hour into 6 November in Warsaw: the renewal order is placed 14 days and 10½ hours before the end.
    expect(await runAt(t, new Date('2027-11-05T23:30:00Z'))).toMatchObject({ orders_placed: 1 })
    const [renewal] = await t.db.select().from(orders).where(and(eq(orders.orgId, sub.org.id), eq(orders.kind, 'renewal')))
    expect(await runAt(t, new Date(end.getTime() - HOUR))).toMatchObject({ orders_cancelled: 0 })
    expect((await orderOf(t, renewal!.id)).status).toBe('pending_payment')
    expect(await cancellationsTo(t, 'renewal@example.com')).toHaveLength(0)
  })

  it('runs twice at once (pages of 2) cancel each of 5 due orders once and mail each buyer once', async () => {
    const { t } = await world()
    const buyers = []
    for (let i = 0; i < 5; i++) buyers.push(await buyer(t, `many${i}@example.com`, 'transfer'))

    t.clock.set(after(14 * DAY))
    const runs = await Promise.all([runRenewals(t.deps, after(14 * DAY), 2), runRenewals(t.deps, after(14 * DAY), 2)])
    expect(runs.flatMap((r) => r.errors)).toEqual([])
    expect(runs.reduce((n, r) => n + (r.counts.orders_cancelled ?? 0), 0)).toBe(5)
    expect(await runAt(t, after(14 * DAY + HOUR))).toMatchObject({ orders_cancelled: 0 })
    for (const b of buyers) {
      expect((await orderOf(t, b.orderId)).status).toBe('cancelled')
      expect(await cancellationsTo(t, b.user.email)).toHaveLength(1)
    }
    expect(await t.db.select().from(history).where(eq(history.kind, 'order.cancelled'))).toHaveLength(5)
  })
})
