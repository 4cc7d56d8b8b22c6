// Free plans nobody uses, over simulated months (SPEC §8): valid 12 months from the last sign-in of
// any member, warned 30 and 7 days before, then lapsed by the product's policy — Sekretariat read-only
// (deleted 30 days later), Certyfikaty ended with its licence; a sign-in moves the date and starts the
// warnings again; runs repeated or overlapping lapse and mail once.
import { describe, expect, it } from 'vitest'
import { and, eq, inArray, like } from 'drizzle-orm'
import { history, licences, memberships, orgs, outbox, subscriptions } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { runRenewals } from '../../src/jobs/renewals'
import { DAY } from '../../src/clock'
import { readOnlyState } from '../../src/services/read-only'
import { testApp, textOf, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, PASSWORD } from '../helpers/users'

const START = '2026-11-20T10:00:00Z'
/** 12 months after the sign-in and activation at START: 11:00 in Warsaw. */
const UNTIL = new Date('2027-11-20T10:00:00Z')
/** The warnings are due from the start of the local day 30 and 7 days before (Warsaw: summer time on 21 October). */
const WARN_30 = new Date('2027-10-21T09:00:00Z')
const WARN_7 = new Date('2027-11-13T09:00:00Z')

/** An administrator with an org that activated the product's free plan at START, and a second administrator. */
async function freeOrg(t: TestApp, email: string, product: 'sekretariat' | 'certyfikaty') {
  const buyer = await adminWithOrg(t, email)
  expect((await buyer.b.post(`/o/${buyer.slug}/subscriptions`, { product })).status).toBe(303)
  const second = await createUser(t.deps, { email: `second-${email}` })
  await t.db.insert(memberships).values({ orgId: buyer.org.id, userId: second.id, role: 'admin', createdAt: t.clock.now() })
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, buyer.org.id)).get())!
  expect([sub.status, sub.snapshot.isFree, sub.periodEnd]).toEqual(['active', true, null])
  return { ...buyer, sub, admins: [email, `second-${email}`] }
}

async function runAt(t: TestApp, now: Date) {
  t.clock.set(now)
  const r = await runNamedJob(t.deps, 'renewals', now)
  if (r.status !== 'ok') throw new Error(`the run did not finish: ${JSON.stringify(r)}`)
  return r.counts
}

/** The subscription and the lapse mails its administrators have had, by template. */
async function stateOf(t: TestApp, s: { sub: { id: string }; admins: string[] }) {
  const sub = (await t.db.select().from(subscriptions).where(eq(subscriptions.id, s.sub.id)).get())!
  const mails = await t.db
    .select({ template: outbox.template })
    .from(outbox)
    .where(and(inArray(outbox.to, s.admins), like(outbox.template, 'lapse.%')))
  const byTemplate: Record<string, number> = {}
  for (const m of mails) byTemplate[m.template] = (byTemplate[m.template] ?? 0) + 1
  return { status: sub.status, periodEnd: sub.periodEnd?.toISOString() ?? null, mails: byTemplate }
}

const mailTo = (t: TestApp, to: string, template: string) =>
  t.db.select().from(outbox).where(and(eq(outbox.to, to), eq(outbox.template, template))).orderBy(outbox.createdAt)

describe('a free plan nobody signs in to', () => {
  it('is warned 30 and 7 days before and lapses after 12 months: Sekretariat read-only, Certyfikaty ended with its licence', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const ro = await freeOrg(t, 'idle-ro@example.com', 'sekretariat')
    const ends = await freeOrg(t, 'idle-ends@example.com', 'certyfikaty')
    const both = (a: object, b: object) => Promise.all([stateOf(t, ro), stateOf(t, ends)]).then((s) => expect(s).toEqual([a, b]))
    const live = { status: 'active', periodEnd: null }

    const steps: [Date, object, object][] = [
      [new Date('2027-10-20T21:59:00Z'), {}, {}],
      [WARN_30, { free_warned: 2, free_mailed: 4 }, { 'lapse.free_warning': 2 }],
      [new Date(WARN_30.getTime() + DAY), {}, { 'lapse.free_warning': 2 }],
      [WARN_7, { free_warned: 2, free_mailed: 4 }, { 'lapse.free_warning': 4 }],
      [new Date(UNTIL.getTime() - 60_000), {}, { 'lapse.free_warning': 4 }],
    ]
    for (const [now, counts, mails] of steps) {
      const run = await runAt(t, now)
      expect(run).toMatchObject(counts)
      if (!('free_warned' in counts)) expect(run).not.toHaveProperty('free_warned')
      await both({ ...live, mails }, { ...live, mails })
    }
    const [warn30, warn7] = await mailTo(t, 'idle-ro@example.com', 'lapse.free_warning')
    expect(warn30!.subject).toBe('Sekretariat: the free plan lapses on 20 November 2027')
    expect(warn30!.text).toContain(`Nobody from ${ro.org.name} has signed in for a long time. The free plan Green of Sekretariat stays valid for 12 months`)
    expect(warn30!.text).toContain('After that the organization becomes read-only, and its data is deleted on 20 December 2027.')
    expect(warn30!.text).toContain('Sign in:\nhttp://localhost/login')
    expect(warn7!.subject).toBe(warn30!.subject)
    const [endsWarning] = await mailTo(t, 'idle-ends@example.com', 'lapse.free_warning')
    expect(endsWarning!.text).toContain('After that the free licence ends; it can be activated again in one click.')

    expect(await runAt(t, UNTIL)).toMatchObject({ free_lapsed: 2, free_mailed: 4 })
    expect(await runAt(t, UNTIL)).not.toHaveProperty('free_lapsed')
    await both(
      { status: 'read_only', periodEnd: UNTIL.toISOString(), mails: { 'lapse.free_warning': 4, 'lapse.free_read_only': 2 } },
      { status: 'ended', periodEnd: UNTIL.toISOString(), mails: { 'lapse.free_warning': 4, 'lapse.free_ended': 2 } },
    )
    const state = await readOnlyState(t.deps, ro.org)
    expect([state?.lapsedAt.toISOString(), state?.deletesAt.toISOString()]).toEqual([UNTIL.toISOString(), '2027-12-20T10:00:00.000Z'])
    const licence = (await t.db.select().from(licences).where(eq(licences.subscriptionId, ends.sub.id)).get())!
    expect(licence.validUntil?.toISOString()).toBe(UNTIL.toISOString())
    const [roMail] = await mailTo(t, 'idle-ro@example.com', 'lapse.free_read_only')
    expect(roMail!.text).toContain(`Nobody from ${ro.org.name} has signed in for 12 months, so the free plan Green of Sekretariat lapsed on 20 November 2027.`)
    expect(roMail!.text).toContain('If nothing is done, the organization’s data will be deleted on 20 December 2027.')
    expect(roMail!.text).toContain(`Switch to the free plan again:\nhttp://localhost/o/${ro.slug}/products/sekretariat/plan#read-only-free`)
    const [endedMail] = await mailTo(t, 'idle-ends@example.com', 'lapse.free_ended')
    expect(endedMail!.text).toContain(`Its licence ${licence.number} ended with it.`)
    expect(endedMail!.text).toContain(`Activate the free plan:\nhttp://localhost/o/${ends.slug}#product-certyfikaty`)
    const lapses = await t.db.select().from(history).where(eq(history.kind, 'plan.free_lapsed'))
    expect(Object.fromEntries(lapses.map((h) => [h.orgId, h.details?.outcome]))).toEqual({ [ro.org.id]: 'read_only', [ends.org.id]: 'ended' })

    // The way back: the read-only org switches to the free plan again; the other activates it again in one click.
    const b = t.browser()
    expect((await b.post('/login', { email: 'idle-ro@example.com', password: PASSWORD })).status).toBe(303)
    expect(textOf(await (await b.get(`/o/${ro.slug}`)).text())).toContain('The Sekretariat subscription lapsed on 20 November 2027')
    expect((await b.post(`/o/${ro.slug}/products/sekretariat/plan/free-switch`, { mode: 'now', confirm: 'on' })).status).toBe(303)
    const c = t.browser()
    expect((await c.post('/login', { email: 'idle-ends@example.com', password: PASSWORD })).status).toBe(303)
    expect((await c.post(`/o/${ends.slug}/subscriptions`, { product: 'certyfikaty' })).status).toBe(303)
    const again = await t.db.select().from(subscriptions).where(and(eq(subscriptions.orgId, ends.org.id), eq(subscriptions.status, 'active')))
    expect(again.map((x) => x.snapshot.planName)).toEqual(['Free'])
    expect(await runAt(t, new Date(UNTIL.getTime() + DAY))).not.toHaveProperty('free_lapsed')
    await both({ ...live, mails: { 'lapse.free_warning': 4, 'lapse.free_read_only': 2 } }, { status: 'ended', periodEnd: UNTIL.toISOString(), mails: { 'lapse.free_warning': 4, 'lapse.free_ended': 2 } })
  })

  it('is kept by a sign-in on day 364: no lapse, and the warnings come again a year later for the new date', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const s = await freeOrg(t, 'day364@example.com', 'sekretariat')
    expect(await runAt(t, WARN_30)).toMatchObject({ free_warned: 1 })
    expect(await runAt(t, WARN_7)).toMatchObject({ free_warned: 1 })

    // The second administrator signs in on day 364: the org's last sign-in, whoever it was.
    const day364 = new Date(new Date(START).getTime() + 364 * DAY)
    t.clock.set(day364)
    expect((await t.browser().post('/login', { email: 'second-day364@example.com', password: PASSWORD })).status).toBe(303)
    expect((await t.db.select().from(orgs).where(eq(orgs.id, s.org.id)).get())!.lastLoginAt?.toISOString()).toBe(day364.toISOString())

    const live = { status: 'active', periodEnd: null }
    const steps: [Date, object, number][] = [
      [UNTIL, {}, 2],
      [new Date('2028-10-19T09:00:00Z'), {}, 2],
      [new Date('2028-10-20T09:00:00Z'), { free_warned: 1 }, 3],
      [new Date('2028-11-12T09:00:00Z'), { free_warned: 1 }, 4],
      [new Date('2028-11-19T09:59:00Z'), {}, 4],
    ]
    for (const [now, counts, warnings] of steps) {
      const run = await runAt(t, now)
      expect(run).toMatchObject(counts)
      expect(run).not.toHaveProperty('free_lapsed')
      expect(await stateOf(t, s)).toEqual({ ...live, mails: { 'lapse.free_warning': warnings * 2 } })
    }
    const warnings = await mailTo(t, 'day364@example.com', 'lapse.free_warning')
    expect(warnings.at(-1)!.subject).toBe('Sekretariat: the free plan lapses on 19 November 2028')

    expect(await runAt(t, new Date('2028-11-19T10:00:00Z'))).toMatchObject({ free_lapsed: 1, free_mailed: 2 })
    expect(await stateOf(t, s)).toEqual({ status: 'read_only', periodEnd: '2028-11-19T10:00:00.000Z', mails: { 'lapse.free_warning': 8, 'lapse.free_read_only': 2 } })
  })

  it('counts a sign-in through POST /login as the last sign-in of every org the user belongs to, and of no other', async () => {
    const t = await testApp({ now: START })
    const own = await adminWithOrg(t, 'member-of-two@example.com')
    const other = await adminWithOrg(t, 'owner-of-other@example.com')
    const unrelated = await adminWithOrg(t, 'unrelated@example.com')
    await t.db.insert(memberships).values({ orgId: other.org.id, userId: own.user.id, role: 'member', createdAt: t.clock.now() })
    const later = new Date(new Date(START).getTime() + 200 * DAY)
    t.clock.set(later)

    expect((await t.browser().post('/login', { email: 'member-of-two@example.com', password: PASSWORD })).status).toBe(303)
    const rows = await t.db.select({ id: orgs.id, lastLoginAt: orgs.lastLoginAt }).from(orgs).where(inArray(orgs.id, [own.org.id, other.org.id, unrelated.org.id]))
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.lastLoginAt?.toISOString()]))
    expect([byId[own.org.id], byId[other.org.id], byId[unrelated.org.id]]).toEqual([later.toISOString(), later.toISOString(), START.replace('Z', '.000Z')])
  })
})

describe('free-plan runs repeated or overlapping', () => {
  it('warn and lapse each free plan once, with one mail per administrator, in pages of 2', async () => {
    const t = await testApp({ now: START })
    await t.seedCatalog()
    const all = [await freeOrg(t, 'many1@example.com', 'sekretariat'), await freeOrg(t, 'many2@example.com', 'sekretariat'), await freeOrg(t, 'many3@example.com', 'certyfikaty')]
    const together = async (now: Date) => {
      t.clock.set(now)
      const runs = await Promise.all([runRenewals(t.deps, now, 2), runRenewals(t.deps, now, 2)])
      expect(runs.flatMap((r) => r.errors)).toEqual([])
      return (key: string) => runs.reduce((n, r) => n + (r.counts[key] ?? 0), 0)
    }

    expect((await together(WARN_30))('free_warned')).toBe(3)
    expect(await runAt(t, WARN_30)).not.toHaveProperty('free_warned')
    expect((await together(UNTIL))('free_lapsed')).toBe(3)
    expect(await runAt(t, UNTIL)).not.toHaveProperty('free_lapsed')

    const states = await Promise.all(all.map((s) => stateOf(t, s)))
    expect(states.map((s) => [s.status, s.mails])).toEqual([
      ['read_only', { 'lapse.free_warning': 2, 'lapse.free_read_only': 2 }],
      ['read_only', { 'lapse.free_warning': 2, 'lapse.free_read_only': 2 }],
      ['ended', { 'lapse.free_warning': 2, 'lapse.free_ended': 2 }],
    ])
    expect(await t.db.select().from(history).where(eq(history.kind, 'plan.free_lapsed'))).toHaveLength(3)
  })
})
