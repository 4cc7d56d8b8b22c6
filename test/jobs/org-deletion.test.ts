// The purge of read-only orgs over simulated days (SPEC §8, §13): warnings to the administrators 7
// days and 1 day before the deletion date and the deletion on that date (and not before); a free-plan
// unlock that cancels it; an org with another live product that keeps everything but the lapsed
// product; late runs; and runs repeated or overlapping that delete and mail once. What the deletion
// keeps and removes: test/jobs/org-deletion-kept.test.ts.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, historyErasures, licences, lifecycleNotices, memberPermissions, memberships, subscriptions, usageEvents, usageTotals } from '../../src/db/schema'
import { runPurges } from '../../src/jobs/purges'
import { reportUsage } from '../../src/services/usage'
import { createApiKey } from '../../src/services/api-keys'
import { textOf } from '../helpers/app'
import { cron, DELETES, dump, mailsTo, orgRow, purgeAt, purgeWorld, readOnlyOrg, subOf } from '../helpers/purges'
import { createUser, PASSWORD } from '../helpers/users'

describe('a read-only org past its grace period', () => {
  it('warns every administrator in their language 7 days and 1 day before the deletion date, and is deleted on that date, not the day before', async () => {
    const w = await purgeWorld()
    const { t } = w
    const { org, user } = await readOnlyOrg(w, 'warned@example.com')
    const anna = await createUser(t.deps, { email: 'anna@example.com', language: 'pl' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: anna.id, role: 'admin', createdAt: t.clock.now() })
    const member = await createUser(t.deps, { email: 'member@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const sub = await subOf(t, org.id, w.sekretariat.id)

    expect(await purgeAt(t, cron('2026-11-23'))).toMatchObject({ warned: 0, deleted: 0, mailed: 0 })
    expect(await mailsTo(t, user.email, 'deletion.warning')).toHaveLength(0)

    // 7 days before: due from the start of 24 November in Warsaw.
    expect(await purgeAt(t, cron('2026-11-24'))).toMatchObject({ warned: 1, deleted: 0, mailed: 2 })
    const [en] = await mailsTo(t, user.email, 'deletion.warning')
    expect(en!.subject).toBe(`Org of warned@example.com will be deleted on 1 December 2026`)
    expect(en!.text).toContain('The Sekretariat subscription of Org of warned@example.com lapsed on 1 November 2026 without being renewed.')
    expect(en!.text).toContain('On 1 December 2026 its data will be deleted: members’ access, licences, usage, the warehouse, e-codes not yet used, uploaded files and API keys.')
    expect(en!.text).toContain('Orders and invoices are kept for accounting, without the names and e-mail addresses of people.')
    expect(en!.text).toContain(`Renew or switch to the free plan:\nhttp://localhost/o/${org.slug}/products/sekretariat/plan`)
    const [pl] = await mailsTo(t, 'anna@example.com', 'deletion.warning')
    expect(pl!.subject).toBe('Organizacja Org of warned@example.com zostanie usunięta 1 grudnia 2026')
    // Members without administrator rights cannot renew: they are not mailed.
    expect(await mailsTo(t, 'member@example.com')).toHaveLength(0)
    expect((await t.db.select().from(lifecycleNotices).where(eq(lifecycleNotices.orgId, org.id))).map((n) => n.key)).toEqual([`deletion-warning:${sub.id}:${DELETES.getTime()}:7`])

    // The same day again and the days after: nothing more until the day before.
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-29']) expect(await purgeAt(t, cron(day))).toMatchObject({ warned: 0, deleted: 0 })
    expect(await mailsTo(t, user.email, 'deletion.warning')).toHaveLength(1)

    expect(await purgeAt(t, cron('2026-11-30'))).toMatchObject({ warned: 1, deleted: 0, mailed: 2 })
    expect(await mailsTo(t, user.email, 'deletion.warning')).toHaveLength(2)
    expect(await mailsTo(t, 'anna@example.com', 'deletion.warning')).toHaveLength(2)
    // The day before, late in the evening (22:59 in Warsaw): still there.
    expect(await purgeAt(t, new Date(DELETES.getTime() - 60_000))).toMatchObject({ warned: 0, deleted: 0 })
    expect((await orgRow(t, org.id)).deletedAt).toBeNull()
    expect((await subOf(t, org.id, w.sekretariat.id)).status).toBe('read_only')

    expect(await purgeAt(t, cron('2026-12-01'))).toMatchObject({ warned: 0, deleted: 1, mailed: 2 })
    expect((await orgRow(t, org.id)).deletedAt).toEqual(cron('2026-12-01'))
    expect((await subOf(t, org.id, w.sekretariat.id)).status).toBe('ended')
    const [done] = await mailsTo(t, user.email, 'deletion.done')
    expect(done!.subject).toBe('Org of warned@example.com has been deleted')
    expect(done!.text).toContain(
      'As announced, the data of Org of warned@example.com was deleted on 1 December 2026. Its members no longer have access to it; your own account stays, with any other organizations you belong to.',
    )
    expect(done!.text).not.toContain('http://localhost/o/')
    expect((await mailsTo(t, 'anna@example.com', 'deletion.done'))[0]!.subject).toBe('Organizacja Org of warned@example.com została usunięta')
    expect(await mailsTo(t, 'member@example.com')).toHaveLength(0)

    expect(await purgeAt(t, cron('2026-12-02'))).toMatchObject({ warned: 0, deleted: 0, mailed: 0 })
  })
})

describe('a deletion that does not happen, or not all of it', () => {
  it('is cancelled by switching to the free plan before the date; signing in alone does not cancel it', async () => {
    const w = await purgeWorld()
    const { t } = w
    const { org, user } = await readOnlyOrg(w, 'unlock@example.com')
    expect(await purgeAt(t, cron('2026-11-24'))).toMatchObject({ warned: 1 })

    // A sign-in shows the banner; the org stays read-only and the next warning still comes.
    t.clock.set(new Date('2026-11-28T09:00:00Z'))
    const b = t.browser()
    expect((await b.post('/login', { email: user.email, password: PASSWORD })).status).toBe(303)
    expect(textOf(await (await b.get(`/o/${org.slug}`)).text())).toContain('The organization’s data will be deleted on 1 December 2026.')
    expect(await purgeAt(t, cron('2026-11-30'))).toMatchObject({ warned: 1 })

    t.clock.set(new Date('2026-11-30T09:00:00Z'))
    await b.post('/login', { email: user.email, password: PASSWORD })
    const unlocked = await b.post(`/o/${org.slug}/products/sekretariat/plan/free-switch`, { mode: 'now', confirm: 'on' })
    expect(unlocked.headers.get('Location')).toBe(`/o/${org.slug}/products/sekretariat/plan`)
    for (const day of ['2026-12-01', '2026-12-02', '2027-01-15']) expect(await purgeAt(t, cron(day))).toMatchObject({ warned: 0, deleted: 0, mailed: 0 })
    expect((await orgRow(t, org.id)).deletedAt).toBeNull()
    expect((await subOf(t, org.id, w.sekretariat.id)).status).toBe('active')
    expect(await t.db.select().from(licences).where(eq(licences.orgId, org.id))).toHaveLength(1)
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toHaveLength(1)
    expect(await mailsTo(t, user.email, 'deletion.warning')).toHaveLength(2)
    expect(await mailsTo(t, user.email, 'deletion.done')).toEqual([])
  })

  it('removes only the lapsed product when the org has another live subscription (even a free plan): the org, its members and the other product stay', async () => {
    const w = await purgeWorld()
    const { t } = w
    const { org, user } = await readOnlyOrg(w, 'two-products@example.com', {
      before: async ({ b, slug, org, user }) => {
        expect((await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
        const { key } = await createApiKey(t.deps, org, user as never, 'ERP', t.clock.now())
        for (const [product, quota] of [['sekretariat', 'contracts'], ['certyfikaty', 'certificates']] as const) {
          expect(await reportUsage(t.deps, key, { product, quota, quantity: 2, idempotencyKey: `u-${product}` }, t.clock.now())).toMatchObject({ ok: true })
        }
      },
    })
    const member = await createUser(t.deps, { email: 'two-member@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    await t.db.insert(memberPermissions).values([
      { orgId: org.id, userId: member.id, productId: w.sekretariat.id },
      { orgId: org.id, userId: member.id, productId: w.certyfikaty.id },
    ])
    const sekretariat = await subOf(t, org.id, w.sekretariat.id)
    const certyfikaty = await subOf(t, org.id, w.certyfikaty.id)
    const historyBefore = await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)

    expect(await purgeAt(t, cron('2026-11-24'))).toMatchObject({ warned: 1, mailed: 1 })
    const [warning] = await mailsTo(t, user.email, 'deletion.warning')
    expect(warning!.subject).toBe(`The Sekretariat data of ${org.name} will be deleted on 1 December 2026`)
    expect(warning!.text).toContain('On 1 December 2026 the Sekretariat licence and its usage data will be deleted. The organization and its other products stay as they are.')

    expect(await purgeAt(t, cron('2026-12-01'))).toMatchObject({ deleted: 1, mailed: 1 })
    expect((await orgRow(t, org.id)).deletedAt).toBeNull()
    expect([(await subOf(t, org.id, w.sekretariat.id)).status, (await subOf(t, org.id, w.certyfikaty.id)).status]).toEqual(['ended', 'active'])
    expect((await t.db.select().from(licences).where(eq(licences.orgId, org.id))).map((l) => l.subscriptionId)).toEqual([certyfikaty.id])
    expect((await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))).map((u) => u.productId)).toEqual([w.certyfikaty.id])
    expect((await t.db.select().from(usageTotals).where(eq(usageTotals.orgId, org.id))).map((u) => [u.productId, u.used])).toEqual([[w.certyfikaty.id, 2]])
    expect((await t.db.select().from(memberPermissions).where(eq(memberPermissions.orgId, org.id))).map((p) => p.productId)).toEqual([w.certyfikaty.id])
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toHaveLength(2)
    // The history stays append-only and says what happened.
    expect(await t.db.select().from(historyErasures)).toEqual([])
    const rows = await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)
    expect(rows.slice(0, historyBefore.length)).toEqual(historyBefore)
    expect(rows.slice(historyBefore.length)).toMatchObject([{ kind: 'subscription.deleted', actorLabel: 'purges', subjectType: 'subscription', subjectId: sekretariat.id, details: { product: 'Sekretariat' } }])
    const [done] = await mailsTo(t, user.email, 'deletion.done')
    expect(done!.subject).toBe(`The Sekretariat data of ${org.name} has been deleted`)
    expect(done!.text).toContain(`Open the organization:\nhttp://localhost/o/${org.slug}`)
    // No longer read-only: the org works again, without Sekretariat.
    const b = t.browser()
    await b.post('/login', { email: user.email, password: PASSWORD })
    expect(textOf(await (await b.get(`/o/${org.slug}`)).text())).not.toContain('read-only')
    expect(await purgeAt(t, cron('2026-12-02'))).toMatchObject({ deleted: 0, warned: 0 })
  })

  it('after the cron was down: a late run sends only the latest warning due, and deletes without one when the date has passed', async () => {
    const w = await purgeWorld()
    const { t } = w
    const late = await readOnlyOrg(w, 'late@example.com')
    const sub = await subOf(t, late.org.id, w.sekretariat.id)
    expect(await purgeAt(t, cron('2026-11-30'))).toMatchObject({ warned: 1 })
    expect((await t.db.select().from(lifecycleNotices).where(eq(lifecycleNotices.orgId, late.org.id))).map((n) => n.key)).toEqual([`deletion-warning:${sub.id}:${DELETES.getTime()}:1`])
    expect(await mailsTo(t, late.user.email, 'deletion.warning')).toHaveLength(1)

    // An org whose deletion date passed while nothing ran: deleted at the next run; the mail names the day it happened.
    const missed = await readOnlyOrg(w, 'missed@example.com')
    await t.db.update(subscriptions).set({ periodEnd: new Date('2026-10-20T22:00:00Z') }).where(eq(subscriptions.orgId, missed.org.id))
    expect(await purgeAt(t, cron('2026-12-03'))).toMatchObject({ deleted: 2, warned: 0, mailed: 2 })
    expect(await mailsTo(t, missed.user.email, 'deletion.warning')).toEqual([])
    expect((await mailsTo(t, missed.user.email, 'deletion.done'))[0]!.text).toContain('was deleted on 3 December 2026')
  })

  it('with two read-only products and nothing live, goes whole on the first deletion date, warning only about that one', async () => {
    const w = await purgeWorld()
    const { t } = w
    const { org, user } = await readOnlyOrg(w, 'two-lapses@example.com', {
      before: async ({ b, slug }) => void expect((await b.post(`/o/${slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303),
    })
    // A second read-only subscription, without a period end (it counts from its start, as readOnlyState does): its own date would be 10 December.
    await t.db.update(subscriptions).set({ status: 'read_only', periodStart: new Date('2026-11-09T23:00:00Z'), periodEnd: null }).where(eq(subscriptions.productId, w.certyfikaty.id))
    const first = await subOf(t, org.id, w.sekretariat.id)

    expect(await purgeAt(t, cron('2026-11-24'))).toMatchObject({ warned: 1, mailed: 1 })
    expect((await mailsTo(t, user.email, 'deletion.warning'))[0]!.subject).toBe(`${org.name} will be deleted on 1 December 2026`)
    expect(await purgeAt(t, cron('2026-12-01'))).toMatchObject({ deleted: 1 })
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).map((s) => s.status)).toEqual(['ended', 'ended'])
    expect((await t.db.select().from(lifecycleNotices).where(eq(lifecycleNotices.orgId, org.id))).every((n) => n.key.includes(first.id))).toBe(true)
    expect(await purgeAt(t, cron('2026-12-03'))).toMatchObject({ deleted: 0, warned: 0, mailed: 0 })
    expect(await mailsTo(t, user.email, 'deletion.done')).toHaveLength(1)
  })
})

describe('runs repeated or overlapping', () => {
  it('warn and delete once and mail once, twice in a row or two at once (pages of 1), and leave the same database', async () => {
    const w = await purgeWorld()
    const { t } = w
    const a = await readOnlyOrg(w, 'twice-a@example.com')
    const b = await readOnlyOrg(w, 'twice-b@example.com')
    const both = [a, b]

    t.clock.set(cron('2026-11-24'))
    const warnings = await Promise.all([runPurges(t.deps, cron('2026-11-24'), 1), runPurges(t.deps, cron('2026-11-24'), 1)])
    expect(warnings.flatMap((r) => r.errors)).toEqual([])
    expect(warnings.reduce((n, r) => n + (r.counts.warned ?? 0), 0)).toBe(2)
    for (const o of both) expect(await mailsTo(t, o.user.email, 'deletion.warning')).toHaveLength(1)
    const afterWarnings = await dump(t)
    await runPurges(t.deps, cron('2026-11-24'), 1)
    expect(await dump(t)).toBe(afterWarnings)

    t.clock.set(cron('2026-12-01'))
    const deletions = await Promise.all([runPurges(t.deps, cron('2026-12-01'), 1), runPurges(t.deps, cron('2026-12-01'), 1)])
    expect(deletions.flatMap((r) => r.errors)).toEqual([])
    expect(deletions.reduce((n, r) => n + (r.counts.deleted ?? 0), 0)).toBe(2)
    expect(deletions.reduce((n, r) => n + (r.counts.mailed ?? 0), 0)).toBe(2)
    for (const o of both) {
      expect(await mailsTo(t, o.user.email, 'deletion.done')).toHaveLength(1)
      expect(await t.db.select().from(history).where(and(eq(history.orgId, o.org.id), eq(history.kind, 'org.deleted')))).toHaveLength(1)
    }
    const afterDeletion = await dump(t)
    expect(await runPurges(t.deps, cron('2026-12-01'), 1)).toMatchObject({ counts: { deleted: 0, warned: 0, mailed: 0 }, errors: [] })
    expect(await dump(t)).toBe(afterDeletion)
  })
})
