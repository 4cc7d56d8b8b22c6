// The whole unpaid road of seed 004 and 001 over simulated days, both daily jobs at their cron
// times (purges 02:30, renewals 03:15 UTC): a card declined 7 days before the end and retried after
// 1 and 3 days, the lapse to read-only at the period end, the deletion warnings 7 days and 1 day
// before, and the deletion 30 days after the lapse — with the database and the outbox checked at
// every step, and what survives the deletion at the end.
import { describe, expect, it } from 'vitest'
import { and, eq, like } from 'drizzle-orm'
import { historyErasures, invoices, licences, memberships, orders, orgs, outbox, payments, savedMethods, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { DAY } from '../../src/clock'
import { settlePayment } from '../../src/services/payments'
import { testSavedMethod } from '../../src/payments/test-provider'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'

const START = '2026-11-20T10:00:00Z'
/** A year of Sekretariat Silver bought at START ends at 11:00 in Warsaw on 20 November 2027. */
const END = new Date('2027-11-20T10:00:00Z')
/** 30 calendar days later at the same local time. */
const DELETES = new Date('2027-12-20T10:00:00Z')
const day = (iso: string) => ({ purges: new Date(`${iso}T02:30:00Z`), renewals: new Date(`${iso}T03:15:00Z`) })

async function runDay(t: TestApp, iso: string) {
  const counts: Record<string, Record<string, number>> = {}
  for (const [job, at] of Object.entries(day(iso)) as ['purges' | 'renewals', Date][]) {
    t.clock.set(at)
    const r = await runNamedJob(t.deps, job, at)
    if (r.status !== 'ok' || r.errors) throw new Error(`${job} on ${iso}: ${JSON.stringify(r)}`)
    counts[job] = r.counts
  }
  return counts
}

const templatesTo = async (t: TestApp, to: string) =>
  (await t.db.select({ template: outbox.template }).from(outbox).where(and(eq(outbox.to, to), like(outbox.template, '%.%'))).orderBy(outbox.createdAt)).map((m) => m.template)

describe('a card that keeps declining, to the end', () => {
  it('is retried, lapses to read-only at the period end, is warned 7 days and 1 day before and deleted 30 days after the lapse; orders and invoices survive without people', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const buyer = await adminWithOrg(t, 'unpaid@example.com')
    const placed = await orderFor(t, buyer, 'card')
    const paymentId = await hostedPayment(t, placed.id, buyer.org.id)
    await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod: testSavedMethod(buyer.org.id, paymentId, 'card') }, t.clock.now())
    await t.db.update(savedMethods).set({ declines: true }).where(eq(savedMethods.orgId, buyer.org.id))
    const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
    const subNow = () => t.db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).get().then((s) => s!)
    const attempts = () => t.db.select({ status: payments.status }).from(payments).where(and(eq(payments.orgId, buyer.org.id), eq(payments.kind, 'off_session')))
    const mails = () => templatesTo(t, 'unpaid@example.com')
    const before = await mails()
    expect(before).toEqual(['order.confirmation', 'order.paid'])

    // The first daily run within 7 days of the end (the 13th at 03:15 is 7 days and 7 hours before):
    // the first attempt, declined, with the pay-now mail; retries after 1 and 3 days.
    expect((await runDay(t, '2027-11-13')).renewals).toMatchObject({ due: 0, declined: 0 })
    expect((await runDay(t, '2027-11-14')).renewals).toMatchObject({ declined: 1 })
    expect((await runDay(t, '2027-11-15')).renewals).toMatchObject({ declined: 1 })
    expect((await runDay(t, '2027-11-16')).renewals).toMatchObject({ waiting: 1 })
    expect((await runDay(t, '2027-11-17')).renewals).toMatchObject({ declined: 1 })
    expect((await attempts()).map((a) => a.status)).toEqual(['failed', 'failed', 'failed'])
    expect(await mails()).toEqual([...before, 'renewal.declined', 'renewal.declined', 'renewal.declined'])
    // The last day's run (03:15) comes before the period's end (10:00 UTC): still active.
    for (const iso of ['2027-11-18', '2027-11-19', '2027-11-20']) expect((await runDay(t, iso)).renewals).toMatchObject({ exhausted: 1 })
    expect((await subNow()).status).toBe('active')

    // The next run lapses it, read-only; the renewal order is cancelled with it.
    expect((await runDay(t, '2027-11-21')).renewals).toMatchObject({ lapsed: 1, mailed: 1 })
    expect(await subNow()).toMatchObject({ status: 'read_only', periodEnd: END })
    const renewal = (await t.db.select().from(orders).where(and(eq(orders.orgId, buyer.org.id), eq(orders.kind, 'renewal'))).get())!
    expect(renewal.status).toBe('cancelled')
    expect(await mails()).toEqual([...before, 'renewal.declined', 'renewal.declined', 'renewal.declined', 'lapse.read_only'])
    const lapseMail = (await t.db.select().from(outbox).where(and(eq(outbox.to, 'unpaid@example.com'), eq(outbox.template, 'lapse.read_only'))).get())!
    expect(lapseMail.text).toContain('20 December 2027')

    // Warnings from the start of the local days 7 and 1 before the deletion; nothing in between.
    for (const iso of ['2027-11-22', '2027-12-01', '2027-12-12']) expect((await runDay(t, iso)).purges).toMatchObject({ warned: 0, deleted: 0 })
    expect((await runDay(t, '2027-12-13')).purges).toMatchObject({ warned: 1, deleted: 0 })
    expect((await runDay(t, '2027-12-19')).purges).toMatchObject({ warned: 1, deleted: 0 })
    expect(await mails()).toEqual([...before, 'renewal.declined', 'renewal.declined', 'renewal.declined', 'lapse.read_only', 'deletion.warning', 'deletion.warning'])
    // On the 20th the 02:30 run comes before 10:00 UTC, the deletion instant: the org is still there.
    expect((await runDay(t, '2027-12-20')).purges).toMatchObject({ deleted: 0 })
    expect((await t.db.select().from(orgs).where(eq(orgs.id, buyer.org.id)).get())!.deletedAt).toBeNull()

    expect((await runDay(t, '2027-12-21')).purges).toMatchObject({ deleted: 1 })
    expect(await mails()).toEqual([...before, 'renewal.declined', 'renewal.declined', 'renewal.declined', 'lapse.read_only', 'deletion.warning', 'deletion.warning', 'deletion.done'])
    expect(DELETES.getTime() - END.getTime()).toBe(30 * DAY)

    // What survives: the orders and the invoice for accounting, without the person who placed them.
    const org = (await t.db.select().from(orgs).where(eq(orgs.id, buyer.org.id)).get())!
    expect(org.deletedAt).toEqual(day('2027-12-21').purges)
    expect(org.billingEmail).not.toBe('unpaid@example.com')
    const kept = await t.db.select({ status: orders.status, placedBy: orders.placedBy, billing: orders.billing }).from(orders).where(eq(orders.orgId, buyer.org.id)).orderBy(orders.createdAt)
    // (The test company is named after its admin's address; the billing e-mail is what must go.)
    expect(kept.map((o) => [o.status, o.placedBy, o.billing.billingEmail, o.billing.taxId])).toEqual([
      ['paid', null, '', buyer.org.taxId],
      ['cancelled', null, '', buyer.org.taxId],
    ])
    expect(await t.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.orgId, buyer.org.id))).toHaveLength(1)
    // What goes: access, licences, the saved card; the history may now be rewritten.
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, buyer.org.id))).toEqual([])
    expect(await t.db.select().from(licences).where(eq(licences.orgId, buyer.org.id))).toEqual([])
    expect(await t.db.select().from(savedMethods).where(eq(savedMethods.orgId, buyer.org.id))).toEqual([])
    expect((await subNow()).status).toBe('ended')
    expect(await t.db.select({ orgId: historyErasures.orgId }).from(historyErasures)).toEqual([{ orgId: buyer.org.id }])

    // And the days after: nothing more.
    expect(await runDay(t, '2027-12-22')).toMatchObject({ purges: { deleted: 0, warned: 0 }, renewals: { due: 0 } })
    expect((await mails()).length).toBe(before.length + 7)
  })
})
