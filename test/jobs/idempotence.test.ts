// Every job is safe to run twice in a row or twice at once (SPEC §13). One world holds due work for
// every job and every step of it — pending mail, a digest owed, accounts never activated, expired
// sessions and links, card renewals (one card declining), a manual renewal, unpaid periods that
// lapse, an idle free plan, an unpaid transfer order, read-only orgs warned and deleted, e-codes
// expiring — and is copied twice. Each job runs once on one copy, twice in a row (through the
// runner) on the world itself, and twice at once (the job function itself, past the lease) on the
// other copy: all three must end in the same state, table by table, with no mail twice and each
// charge once. Steps added to the jobs later are covered as soon as they act on this world.
import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { emailTokens, memberships, orgRequests, orgs, outbox, savedMethods, sessions, subscriptions, throttleHits } from '../../src/db/schema'
import { JOBS, retryFailedDailyJobs, runNamedJob, type JobName } from '../../src/jobs'
import { NO_LEASE, runJob, type Job } from '../../src/jobs/runner'
import { PURGES_PAGE, runPurges } from '../../src/jobs/purges'
import { RENEWALS_PAGE, runRenewals } from '../../src/jobs/renewals'
import { DAY, HOUR } from '../../src/clock'
import { generateId } from '../../src/auth/tokens'
import { addLocalMonths } from '../../src/domain/time'
import { markOrderPaid, settlePayment } from '../../src/services/payments'
import { activateFreePlan } from '../../src/services/subscriptions'
import { testSavedMethod, TestPaymentProvider } from '../../src/payments/test-provider'
import type { CartItem } from '../../src/services/pricing'
import type { Deps } from '../../src/deps'
import { testApp, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'
import { issueCodes } from '../helpers/ecodes'
import { cloneApp } from '../helpers/clone'
import { LedgerProvider } from '../helpers/providers'
import { normalize, readTables, type Tables } from '../helpers/world-snapshot'

/** The moment every run works as of. */
const NOW = new Date('2027-11-13T10:00:00Z')
const before = (ms: number) => new Date(NOW.getTime() - ms)
/** When a year bought ends `ms` after NOW (in Warsaw, like the subscriptions' own arithmetic). */
const yearBefore = (ms: number) => addLocalMonths(new Date(NOW.getTime() + ms), -12, 'Europe/Warsaw')
const CERTYFIKATY_PRO: CartItem = { product: 'certyfikaty', plan: 'pro', period: 12, addons: {} }
/** Mail first would send only what is due before the others run; last, it sends what they queued too. */
const ORDER: JobName[] = ['renewals', 'purges', 'digests', 'mail']

async function buildWorld(t: TestApp) {
  await t.seedCatalog()
  const operator = await createUser(t.deps, { email: 'operator@example.com', operator: true })
  const at = (d: Date) => t.clock.set(d)
  /** A year of `item` (Sekretariat Silver unless told), bought at `when`: by card (renewal on, card saved) or by transfer marked paid. */
  const subscriber = async (email: string, method: 'card' | 'transfer', when: Date, item?: CartItem) => {
    at(when)
    const buyer = await adminWithOrg(t, email)
    const { id } = await orderFor(t, buyer, method, item)
    if (method === 'card') {
      const paymentId = await hostedPayment(t, id, buyer.org.id)
      const savedMethod = testSavedMethod(buyer.org.id, paymentId, 'card')
      await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, when)
    } else expect(await markOrderPaid(t.deps, id, operator as never, when)).toEqual({ ok: true })
    return buyer
  }
  const readOnly = (orgId: string) => t.db.update(subscriptions).set({ status: 'read_only', autoRenew: false }).where(eq(subscriptions.orgId, orgId))

  // Purges: a read-only org past its 30 days of grace (deleted), one 5 days before its deletion (warned).
  const gone = await subscriber('gone@example.com', 'transfer', yearBefore(-31 * DAY))
  const warned = await subscriber('warned@example.com', 'transfer', yearBefore(-25 * DAY))
  // Renewals: a free plan nobody has signed in to for a year and two days (lapses to read-only).
  at(yearBefore(-2 * DAY))
  const idle = await adminWithOrg(t, 'idle@example.com')
  expect(await activateFreePlan(t.deps, idle.org, idle.user as never, 'sekretariat', t.clock.now())).toMatchObject({ ok: true })
  // Renewals: paid periods that ended two days ago unpaid — read-only for Sekretariat, the free plan's limits for Certyfikaty.
  await subscriber('lapsed@example.com', 'transfer', yearBefore(-2 * DAY))
  await subscriber('downgraded@example.com', 'transfer', yearBefore(-2 * DAY), CERTYFIKATY_PRO)
  // Renewals: a manual renewal 14 days ahead (order and first reminder), card renewals 7 days ahead, one card declining.
  await subscriber('manual@example.com', 'transfer', yearBefore(14 * DAY))
  const card = await subscriber('card@example.com', 'card', yearBefore(7 * DAY))
  const declining = await subscriber('declining@example.com', 'card', yearBefore(7 * DAY))
  await t.db.update(savedMethods).set({ declines: true }).where(eq(savedMethods.orgId, declining.org.id))
  // Renewals: a bank-transfer order placed 15 days ago, never paid (cancelled).
  at(before(15 * DAY))
  const unpaid = await adminWithOrg(t, 'unpaid@example.com')
  await orderFor(t, unpaid, 'transfer')
  // Purges: e-codes, one past its validity (expired), two expiring in 20 days (warned).
  const codes = await adminWithOrg(t, 'codes@example.com')
  await issueCodes(t, codes.org, 'signature-1y', 1, { expiresAt: before(1 * DAY) })
  await issueCodes(t, codes.org, 'signature-1y', 2, { expiresAt: new Date(NOW.getTime() + 20 * DAY) })
  // Purges: an account never activated for 8 days, an expired e-mail link and throttle counter (sessions expired on their own).
  at(before(8 * DAY))
  await createUser(t.deps, { email: 'never@example.com', activated: false })
  await t.db.insert(emailTokens).values({ id: generateId(), userId: card.user.id, purpose: 'password_reset', createdAt: before(8 * DAY), expiresAt: before(7 * DAY) })
  await t.db.insert(throttleHits).values({ bucket: 'login', key: 'gone@example.com', windowStart: before(8 * DAY).getTime(), count: 3, expiresAt: before(7 * DAY).getTime() })
  // Digests: a member's request to the card org's administrators, an hour old.
  at(before(HOUR))
  const asker = await createUser(t.deps, { email: 'asker@example.com' })
  await t.db.insert(memberships).values({ orgId: card.org.id, userId: asker.id, role: 'member', createdAt: t.clock.now() })
  await t.db.insert(orgRequests).values({ id: generateId(), orgId: card.org.id, kind: 'admin_rights', userId: asker.id, status: 'pending', createdAt: t.clock.now() })

  // The state the lapse step would have left: read-only since the period ended.
  await readOnly(gone.org.id)
  await readOnly(warned.org.id)
  at(NOW)
  const expired = await t.db.select({ n: sql<number>`count(*)` }).from(sessions).where(sql`${sessions.expiresAt} < ${NOW.getTime()}`).get()
  expect(expired!.n).toBeGreaterThan(0)
}

const ledgerFor = (db: Deps['db']) => new LedgerProvider(new TestPaymentProvider(db, 'http://localhost'))

/** What a world's provider charged, by customer (the org), and what its mailer sent: comparable across worlds. */
function witnesses(provider: LedgerProvider, sent: { to: string; subject: string }[]) {
  const charges = [...provider.chargesByCustomer()].map(([customer, keys]) => `${customer} ×${keys.length}`).sort()
  // Order and invoice numbers are taken in whatever order the runs interleave.
  const subject = (s: string) => s.replace(/KON\/\d{4}\/\d{2}\/\d{6}|FV\/\d{4}\/\d{6}/g, '<number>')
  return { charges, sent: sent.map((m) => `${m.to} | ${subject(m.subject)}`).sort() }
}

describe('every job, twice in a row and twice at once', () => {
  it('ends in the same state as running each job once: the same rows in every table, no mail twice, each charge once', async () => {
    const t = await testApp({ now: '2026-10-01T10:00:00Z' })
    await buildWorld(t)
    const start = await readTables(t.db)

    const once = await cloneApp(t, ledgerFor)
    const atOnce = await cloneApp(t, ledgerFor)
    const inARow = { deps: { ...t.deps, payments: ledgerFor(t.db) }, db: t.db, mailer: t.mailer }
    t.mailer.sent = []

    const firstCounts: Partial<Record<JobName, object>> = {}
    for (const job of ORDER) {
      const single = await runNamedJob(once.deps, job, NOW)
      expect(single).toMatchObject({ status: 'ok' })
      firstCounts[job] = (single as { counts: object }).counts
      const runs = [await runNamedJob(inARow.deps, job, NOW), await runNamedJob(inARow.deps, job, NOW)]
      expect(runs.map((r) => r.status)).toEqual(['ok', 'ok'])
      // Past the lease, straight into the job: only the work's own conditions keep it single.
      const both = await Promise.all([JOBS[job](atOnce.deps, NOW, NO_LEASE), JOBS[job](atOnce.deps, NOW, NO_LEASE)])
      for (const r of both) expect('errors' in r ? r.errors : []).toEqual([])
    }

    // Each job found work in this world (a step that acts on nothing here proves nothing).
    for (const job of ORDER) expect(Object.values(firstCounts[job]!).some((n) => typeof n === 'number' && n > 0), `${job}: ${JSON.stringify(firstCounts[job])}`).toBe(true)

    const worlds = { once, inARow, atOnce }
    const tables: Record<string, Tables> = {}
    for (const [name, w] of Object.entries(worlds)) tables[name] = await readTables(w.db)
    const snapshot = (name: string) => normalize(start, tables[name]!)
    const reference = snapshot('once')
    expect(snapshot('inARow')).toEqual(reference)
    expect(snapshot('atOnce')).toEqual(reference)
    // The comparison itself would see a mail queued twice (new ids are renamed, never merged).
    const [mail] = await once.db.select().from(outbox).where(eq(outbox.template, 'order.paid')).limit(1)
    const copy = generateId()
    await once.db.insert(outbox).values({ ...mail!, id: copy })
    expect(normalize(start, await readTables(once.db))).not.toEqual(reference)
    await once.db.delete(outbox).where(eq(outbox.id, copy))

    // No one got the same mail twice, in any world, and every mail queued was sent exactly once.
    for (const [name, w] of Object.entries(worlds)) {
      const dupes = await w.db
        .select({ to: outbox.to, template: outbox.template, subject: outbox.subject, n: sql<number>`count(*)` })
        .from(outbox)
        .groupBy(outbox.to, outbox.template, outbox.subject)
        .having(sql`count(*) > 1`)
      expect(dupes, name).toEqual([])
      const rows = tables[name]!.outbox!
      expect(rows.filter((r) => r.status !== 'sent').map((r) => `${r.template} ${r.status}`), name).toEqual([])
      expect(w.mailer.sent.length, name).toBe(rows.length)
      // Each row has its own delivery: as many distinct provider ids as rows (the mailer makes one per mail sent).
      expect(new Set(rows.map((r) => r.provider_id)).size, name).toBe(rows.length)
    }
    // The providers charged the same customers, each once (the declining card: never).
    const seen = Object.values(worlds).map((w) => witnesses(w.deps.payments as LedgerProvider, w.mailer.sent))
    expect(seen[0]!.charges).toEqual([`tc_${(await t.db.select().from(orgs).where(eq(orgs.billingEmail, 'card@example.com')).get())!.id} ×1`])
    expect(seen[1]).toEqual(seen[0])
    expect(seen[2]).toEqual(seen[0])
  }, 60_000)
})

describe('a daily job cut at its budget', () => {
  it('is continued by the next mail tick, and the two runs end where one full run does, table by table', async () => {
    const t = await testApp({ now: '2026-10-01T10:00:00Z' })
    await buildWorld(t)
    const start = await readTables(t.db)
    const whole = await cloneApp(t, ledgerFor)
    const cut = await cloneApp(t, ledgerFor)
    // Two items (or pages of a statement) of budget: each job stops early in this world.
    const budget = { left: 2, unit: 'items' } as const
    const cutShort: Record<'renewals' | 'purges', Job> = {
      renewals: (deps, now, run) => runRenewals(deps, now, RENEWALS_PAGE, budget, run),
      purges: (deps, now, run) => runPurges(deps, now, PURGES_PAGE, budget, run),
    }
    for (const job of ['renewals', 'purges'] as const) {
      expect(await runNamedJob(whole.deps, job, NOW)).toMatchObject({ status: 'ok' })
      const first = await runJob(cut.deps, job, cutShort[job], NOW)
      expect(first).toMatchObject({ status: 'ok', counts: { unfinished: 1 } })
      // What the next mail tick does (as of the same moment here, so that the rows compare equal).
      const retried = await retryFailedDailyJobs(cut.deps, NOW)
      expect(retried.map((r) => [r.job, r.result.status, r.result.status === 'ok' && r.result.counts.unfinished])).toEqual([[job, 'ok', undefined]])
    }
    expect(normalize(start, await readTables(cut.db))).toEqual(normalize(start, await readTables(whole.db)))
  }, 60_000)
})
