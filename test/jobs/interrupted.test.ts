// A renewals run that dies half-way (SPEC §13: safe to run again): the process stops inside the
// provider call for the 50th of 120 due subscriptions — once just after the provider charged, once
// just before the request went out. The dead run's lease keeps the next run out until it expires,
// a minute after its last heartbeat; the mail ticks after that finish the other 70 and, once its
// attempt is old enough, settle the 50th from the provider's own record, with no second charge,
// order, invoice or e-mail for anyone.
import { describe, expect, it } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import { invoices, jobLeases, jobRuns, orders, outbox, payments, subscriptions } from '../../src/db/schema'
import { runNamedJob, runTick } from '../../src/jobs'
import { DAY, MINUTE } from '../../src/clock'
import { TestPaymentProvider } from '../../src/payments/test-provider'
import { testApp, type TestApp } from '../helpers/app'
import { bulkCardSubscribers } from '../../bench/seed-subscribers'
import { LedgerProvider, type ChargeFault } from '../helpers/providers'

const END = new Date('2027-11-20T10:00:00Z')
const DUE_ON = new Date(END.getTime() - 7 * DAY)
const SUBSCRIBERS = 120
const DIES_AT = 50

const tally = async (t: TestApp) => {
  const n = (rows: { n: number }[]) => rows[0]!.n
  const count = sql<number>`count(*)`
  return {
    paidOrders: n(await t.db.select({ n: count }).from(orders).where(and(eq(orders.kind, 'renewal'), eq(orders.status, 'paid')))),
    orders: n(await t.db.select({ n: count }).from(orders)),
    attempts: n(await t.db.select({ n: count }).from(payments)),
    invoices: n(await t.db.select({ n: count }).from(invoices)),
    mails: n(await t.db.select({ n: count }).from(outbox)),
    renewed: n(await t.db.select({ n: count }).from(subscriptions).where(eq(subscriptions.periodStart, END))),
  }
}

describe('a renewals run that dies in the middle of a batch', () => {
  for (const [fault, callsAfter] of [
    ['dies_after', { charge: SUBSCRIBERS, find: 1 }],
    ['dies_before', { charge: SUBSCRIBERS + 1, find: 1 }],
  ] as const) {
    it(`(${fault} the 50th charge) keeps the next run out while its lease lasts; the run after it charges the rest, and no one twice`, async () => {
      const t = await testApp({ now: DUE_ON.toISOString(), mailer: 'none' })
      await t.seedCatalog()
      const subs = await bulkCardSubscribers(t, SUBSCRIBERS, { periodEnd: END })
      let calls = 0
      const provider = new LedgerProvider(new TestPaymentProvider(t.db, t.config.baseUrl), { charge: (): ChargeFault => (++calls === DIES_AT ? fault : 'none') })
      const deps = { ...t.deps, payments: provider }

      // The run is never awaited: it stops for good inside the provider call, as a killed process would.
      void runNamedJob(deps, 'renewals', DUE_ON)
      await provider.died
      const charged = fault === 'dies_after' ? DIES_AT : DIES_AT - 1
      expect(provider.ledger.size).toBe(charged)
      // The 50th has its order and its attempt (written before the call), nothing else yet.
      expect(await tally(t)).toEqual({ paidOrders: DIES_AT - 1, orders: DIES_AT, attempts: DIES_AT, invoices: DIES_AT - 1, mails: DIES_AT - 1, renewed: DIES_AT - 1 })
      expect((await t.db.select().from(payments).where(eq(payments.status, 'pending'))).length).toBe(1)
      expect(await t.db.select({ status: jobRuns.status }).from(jobRuns)).toEqual([{ status: 'running' }])

      // Half a minute later the dead run still holds the lease: the next run is skipped and does nothing.
      t.clock.set(new Date(DUE_ON.getTime() + MINUTE / 2))
      expect(await runNamedJob(deps, 'renewals', t.clock.now())).toEqual({ status: 'skipped' })
      expect(provider.calls).toMatchObject({ charge: DIES_AT, find: 0 })

      // The lease expires a minute after the dead run's last heartbeat; the next mail tick sees a
      // 'running' run without a live lease and runs the job again (src/jobs/index.ts). That run does
      // the other 70 and leaves the 50th alone while its attempt is young enough to be awaiting an
      // answer in a live run (PENDING_SETTLES_MS): unfinished, so the ticks after it come back to it.
      const tick = async (minutes: number) => {
        t.clock.set(new Date(DUE_ON.getTime() + minutes * MINUTE))
        const runs = await runTick(deps, '*/2 * * * *', t.clock.now())
        return runs.filter((r) => r.job === 'renewals').map((r) => r.result)
      }
      const [takeover] = await tick(2)
      expect(takeover).toMatchObject({ status: 'ok', counts: { due: SUBSCRIBERS - DIES_AT + 1, renewed: SUBSCRIBERS - DIES_AT, in_progress: 1, unfinished: 1, failed: 0 } })
      expect(provider.calls).toMatchObject({ find: 0 })
      const later: Record<string, number>[] = []
      for (let minutes = 4; minutes <= 20; minutes += 2) for (const r of await tick(minutes)) if (r.status === 'ok') later.push(r.counts)
      // Retried on each tick until the attempt is 10 minutes old; then settled, and never again.
      expect(later.map((c) => [c.renewed, c.in_progress ?? 0])).toEqual([[0, 1], [0, 1], [0, 1], [1, 0]])
      expect(await t.db.select().from(jobLeases)).toEqual([])
      // The 50th was settled from the provider's record (after a lost answer) or charged under the same key (after a lost request).
      expect(provider.calls).toMatchObject(callsAfter)
      const byCustomer = provider.chargesByCustomer()
      expect([byCustomer.size, [...byCustomer.values()].every((keys) => keys.length === 1)]).toEqual([SUBSCRIBERS, true])
      const final = { paidOrders: SUBSCRIBERS, orders: SUBSCRIBERS, attempts: SUBSCRIBERS, invoices: SUBSCRIBERS, mails: SUBSCRIBERS, renewed: SUBSCRIBERS }
      expect(await tally(t)).toEqual(final)
      const mails = await t.db.select({ to: outbox.to, template: outbox.template }).from(outbox)
      expect(mails.map((m) => `${m.template} ${m.to}`).sort()).toEqual(subs.map((s) => `order.paid ${s.email}`).sort())

      // The next day's run finds nothing left to do.
      t.clock.set(new Date(DUE_ON.getTime() + DAY))
      expect(await runNamedJob(deps, 'renewals', t.clock.now())).toMatchObject({ status: 'ok', counts: { due: 0, renewed: 0 } })
      expect(await tally(t)).toEqual(final)
      expect(provider.calls).toMatchObject(callsAfter)
    })
  }
})
