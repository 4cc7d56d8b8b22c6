// Exactly once under concurrency, now that writes read first and then send one guarded batch instead
// of holding an interactive transaction (issue 14, src/db/guard.ts): a payment approved at the test
// provider, confirmed by a second attempt's webhook and marked paid by an operator, all at once; and
// an org's deletion racing its unlock and an administrator leaving. Every racer reads before any
// writes (they start together), so each batch but one finds its guards false and plans again.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, invoices, memberships, orders, outbox, payments, subscriptions } from '../../src/db/schema'
import { markOrderPaid, settlePayment } from '../../src/services/payments'
import { removeMember } from '../../src/services/members'
import { unlockWithFreePlan } from '../../src/services/read-only'
import { userActor } from '../../src/db/history'
import { cachedCatalog } from '../../src/db/catalog-cache'
import { testApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'
import { cron, orgRow, purgeAt, purgeWorld, readOnlyOrg, subOf } from '../helpers/purges'

describe('a payment settled three ways at once', () => {
  it('pays the order once — one invoice, one activation, one e-mail — and records the other money for a refund', async () => {
    const t = await testApp({ now: '2026-11-20T10:00:00Z' })
    await t.seedCatalog()
    const operator = await createUser(t.deps, { email: 'race-operator@example.com', operator: true })
    for (let round = 0; round < 5; round++) {
      const buyer = await adminWithOrg(t, `race-${round}@example.com`)
      const order = await orderFor(t, buyer, 'card')
      const [approved, webhook] = [await hostedPayment(t, order.id, buyer.org.id), await hostedPayment(t, order.id, buyer.org.id)]
      const outcome = (paymentId: string, n: number) => ({ provider: 'test' as const, eventId: `evt-${round}-${n}`, eventType: 'test.approved', paymentId, outcome: 'succeeded' as const })
      const results = await Promise.all([
        settlePayment(t.deps, outcome(approved, 1), t.clock.now()),
        settlePayment(t.deps, outcome(webhook, 2), t.clock.now()),
        markOrderPaid(t.deps, order.id, operator as never, t.clock.now()),
      ])
      const effects = [results[0], results[1]].map((r) => (r.ok ? r.effect : r.error))
      const operatorPaid = results[2].ok
      // Exactly one of the three paid the order.
      expect(effects.filter((e) => e === 'paid').length + (operatorPaid ? 1 : 0)).toBe(1)
      expect(effects.filter((e) => e === 'order_not_pending').length).toBe(operatorPaid ? 2 : 1)

      expect(await t.db.select().from(invoices).where(eq(invoices.orderId, order.id))).toHaveLength(1)
      expect(await t.db.select().from(history).where(and(eq(history.orgId, buyer.org.id), eq(history.kind, 'order.paid')))).toHaveLength(1)
      expect(await t.db.select().from(outbox).where(and(eq(outbox.to, buyer.org.billingEmail), eq(outbox.template, 'order.paid')))).toHaveLength(1)
      expect((await t.db.select().from(orders).where(eq(orders.id, order.id)).get())!.status).toBe('paid')
      const live = await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id))
      expect(live.map((s) => s.status)).toEqual(['active'])
      // The money that came too late is kept on its attempt, to be refunded.
      const rows = await t.db.select().from(payments).where(eq(payments.orderId, order.id))
      expect(rows.filter((p) => p.error === 'order_not_pending')).toHaveLength(operatorPaid ? 2 : 1)
      expect(rows.filter((p) => p.provider === 'manual')).toHaveLength(operatorPaid ? 1 : 0)
    }
  })
})

describe('an org deleted while it changes', () => {
  it('is either unlocked with the free plan or deleted, never both, when the two happen at once', async () => {
    const w = await purgeWorld()
    const { t } = w
    const outcomes = new Set<string>()
    for (let round = 0; round < 4; round++) {
      const { org, user } = await readOnlyOrg(w, `race-unlock-${round}@example.com`)
      const sub = await subOf(t, org.id, w.sekretariat.id)
      const product = (await cachedCatalog(t.db)).find((p) => p.id === w.sekretariat.id)!
      const deleting = purgeAt(t, cron('2026-12-01'))
      const unlocking = unlockWithFreePlan(t.deps, org, user as never, product, sub, t.clock.now())
      const [counts, unlocked] = await Promise.all([deleting, unlocking])
      const deleted = (await orgRow(t, org.id)).deletedAt !== null
      expect(deleted).toBe(!unlocked.ok)
      expect(counts.deleted).toBe(deleted ? 1 : 0)
      expect((await subOf(t, org.id, w.sekretariat.id)).status).toBe(deleted ? 'ended' : 'active')
      expect(await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'org.deleted')))).toHaveLength(deleted ? 1 : 0)
      outcomes.add(deleted ? 'deleted' : 'unlocked')
      // Back to the day before, for the next round's org.
      t.clock.set(new Date('2026-11-20T10:00:00Z'))
    }
    expect(outcomes.size).toBeGreaterThan(0)
  })

  it('is deleted once, mailing each administrator it still had at most once, when one of them leaves at that moment', async () => {
    const w = await purgeWorld()
    const { t } = w
    const { org, user } = await readOnlyOrg(w, 'race-leave@example.com')
    const anna = await createUser(t.deps, { email: 'race-anna@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: anna.id, role: 'admin', createdAt: t.clock.now() })
    const [counts, left] = await Promise.all([purgeAt(t, cron('2026-12-01')), removeMember(t.deps, org, userActor(anna as never), anna.id, cron('2026-12-01'))])
    expect(counts.deleted).toBe(1)
    expect((await orgRow(t, org.id)).deletedAt).not.toBeNull()
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toEqual([])
    const done = (to: string) => t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, 'deletion.done')))
    expect(await done(user.email)).toHaveLength(1)
    // Anna is told if she was still an administrator when the org went, and only then.
    expect(await done(anna.email)).toHaveLength(left.ok ? 0 : 1)
  })
})
