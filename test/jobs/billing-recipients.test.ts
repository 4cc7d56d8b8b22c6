// The money side of the lifecycle reaches whoever pays (SPEC §8): the lapse of a paid subscription,
// the deletion warnings and the deletion itself go to the administrators and to the org's billing
// address — in the language of its latest order — unless an administrator already reads mail there.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orders, orgs } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { withBilling } from '../../src/services/notices'
import { cron, mailsTo, orgRow, purgeAt, purgeWorld, readOnlyOrg, subOf, type PurgeWorld } from '../helpers/purges'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { markOrderPaid } from '../../src/services/payments'

const ACCOUNTANT = 'ksiegowosc@example.com'

/** The org's invoices go to an accountant, and its orders were placed in Polish. */
async function paidByAccountant(w: PurgeWorld, orgId: string) {
  await w.t.db.update(orgs).set({ billingEmail: ACCOUNTANT }).where(eq(orgs.id, orgId))
  await w.t.db.update(orders).set({ language: 'pl' }).where(eq(orders.orgId, orgId))
}

describe('lifecycle mail to the billing address', () => {
  it('warns it 7 days and 1 day before the deletion and tells it of the deletion, in the language of the org’s orders', async () => {
    const w = await purgeWorld()
    const { org, user } = await readOnlyOrg(w, 'billing-deletion@example.com', { before: (b) => paidByAccountant(w, b.org.id) })
    expect(await purgeAt(w.t, cron('2026-11-24'))).toMatchObject({ warned: 1, mailed: 2 })
    const [warning] = await mailsTo(w.t, ACCOUNTANT, 'deletion.warning')
    expect(warning!.subject).toBe(`Organizacja ${org.name} zostanie usunięta 1 grudnia 2026`)
    expect((await mailsTo(w.t, user.email, 'deletion.warning'))[0]!.subject).toBe(`${org.name} will be deleted on 1 December 2026`)
    expect(await purgeAt(w.t, cron('2026-11-30'))).toMatchObject({ warned: 1, mailed: 2 })
    expect(await purgeAt(w.t, cron('2026-12-01'))).toMatchObject({ deleted: 1, mailed: 2 })
    expect((await mailsTo(w.t, ACCOUNTANT)).map((m) => m.template)).toEqual(['deletion.warning', 'deletion.warning', 'deletion.done'])
    expect((await mailsTo(w.t, ACCOUNTANT, 'deletion.done'))[0]!.subject).toBe(`Organizacja ${org.name} została usunięta`)
    // The address itself goes with the org's other personal data.
    expect((await orgRow(w.t, org.id)).billingEmail).toBe('')
  })

  it('tells it of the lapse of a paid subscription left unpaid', async () => {
    const w = await purgeWorld()
    const { t } = w
    const buyer = await adminWithOrg(t, 'billing-lapse@example.com')
    const order = await orderFor(t, buyer, 'transfer')
    expect(await markOrderPaid(t.deps, order.id, w.operator as never, t.clock.now())).toEqual({ ok: true })
    await paidByAccountant(w, buyer.org.id)
    const sub = await subOf(t, buyer.org.id, w.sekretariat.id)
    const after = new Date(sub.periodEnd!.getTime() + 60 * 60_000)
    t.clock.set(after)
    expect(await runNamedJob(t.deps, 'renewals', after)).toMatchObject({ status: 'ok', counts: { lapsed: 1 } })
    expect((await subOf(t, buyer.org.id, w.sekretariat.id)).status).toBe('read_only')
    const [lapse] = await mailsTo(t, ACCOUNTANT, 'lapse.read_only')
    expect(lapse!.language).toBe('pl')
    expect((await mailsTo(t, buyer.user.email, 'lapse.read_only'))[0]!.language).toBe('en')
  })

  it('is not written to twice when an administrator reads mail there (whatever the letter case)', async () => {
    const w = await purgeWorld()
    const { user } = await readOnlyOrg(w, 'billing-same@example.com', {
      before: (b) => w.t.db.update(orgs).set({ billingEmail: 'Billing-Same@Example.com' }).where(eq(orgs.id, b.org.id)).then(() => undefined),
    })
    expect(await purgeAt(w.t, cron('2026-11-24'))).toMatchObject({ warned: 1, mailed: 1 })
    expect(await mailsTo(w.t, user.email, 'deletion.warning')).toHaveLength(1)
    expect(await mailsTo(w.t, 'Billing-Same@Example.com')).toHaveLength(0)
  })

  it('adds the billing address only when it is set and new', () => {
    const admins = [{ email: 'a@example.com', language: 'en' as const }]
    expect(withBilling(admins, { email: '', language: 'pl' })).toEqual(admins)
    expect(withBilling(admins, { email: 'A@example.com', language: 'pl' })).toEqual(admins)
    expect(withBilling(admins, { email: 'b@example.com', language: 'pl' })).toEqual([...admins, { email: 'b@example.com', language: 'pl' }])
  })
})
