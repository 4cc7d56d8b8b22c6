// The digest job over simulated days (SPEC §10, §13): administrators are mailed about pending
// requests at most once a day, never about an empty inbox, and a pending item is mentioned within
// 24 h 15 min; two runs at once send one digest.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { digests, memberships, orgRequests, orgs, outbox } from '../../src/db/schema'
import { runDigests } from '../../src/jobs/digests'
import { runNamedJob } from '../../src/jobs'
import { runJob } from '../../src/jobs/runner'
import { TestPaymentProvider } from '../../src/payments/test-provider'
import { cloneApp } from '../helpers/clone'
import { DIGEST_QUIET_MS } from '../../src/domain/digest'
import { generateId } from '../../src/auth/tokens'
import { testApp } from '../helpers/app'
import { createUser } from '../helpers/users'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

async function org(t: Awaited<ReturnType<typeof testApp>>, name: string, admins: string[]) {
  const id = generateId()
  await t.db.insert(orgs).values({ id, slug: name.toLowerCase(), name, country: 'PL', legalForm: 'company', taxId: null, addressLine: 'a', postalCode: '00-001', city: 'W', billingEmail: 'b@example.com', timeZone: 'Europe/Warsaw', createdAt: t.clock.now() })
  for (const userId of admins) await t.db.insert(memberships).values({ orgId: id, userId, role: 'admin', createdAt: t.clock.now() })
  return id
}

/** A pending inbox item (no person: a claim notice whose account is gone, so the one-open index never applies). */
async function item(t: Awaited<ReturnType<typeof testApp>>, orgId: string, at: Date) {
  const id = generateId()
  await t.db.insert(orgRequests).values({ id, orgId, kind: 'member_claimed', userId: null, status: 'pending', details: {}, createdAt: at })
  return id
}

function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let x = s
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

describe('the digest job', () => {
  it('over three simulated days sends exactly what the rule allows, to every administrator of each org, in their language', async () => {
    const t = await testApp({ now: '2026-11-20T00:00:00Z' })
    const ala = await createUser(t.deps, { email: 'ala@example.com', language: 'pl' })
    const ben = await createUser(t.deps, { email: 'ben@example.com', language: 'en' })
    const one = await org(t, 'One', [ala.id, ben.id])
    const two = await org(t, 'Two', [ben.id])
    const start = t.clock.now().getTime()
    const rnd = random(7)
    // Items arrive at random moments over the three days; some are dealt with after a while.
    const plan = Array.from({ length: 14 }, () => ({
      org: rnd() < 0.6 ? one : two,
      at: start + Math.floor(rnd() * 3 * 24 * HOUR),
      resolveAfter: rnd() < 0.5 ? Math.floor(rnd() * 30 * HOUR) : null,
    })).sort((a, b) => a.at - b.at)
    const created: { id: string; org: string; at: number; resolvedAt: number | null }[] = []

    for (let now = start; now <= start + 3 * 24 * HOUR; now += 15 * MINUTE) {
      for (const p of plan) if (p.at <= now && p.at > now - 15 * MINUTE) created.push({ id: await item(t, p.org, new Date(p.at)), org: p.org, at: p.at, resolvedAt: p.resolveAfter === null ? null : p.at + p.resolveAfter })
      for (const c of created) {
        if (c.resolvedAt !== null && c.resolvedAt <= now) await t.db.update(orgRequests).set({ status: 'dismissed' }).where(and(eq(orgRequests.id, c.id), eq(orgRequests.status, 'pending')))
      }
      t.clock.set(new Date(now))
      const r = await runNamedJob(t.deps, 'digests', new Date(now))
      expect(r.status).toBe('ok')
    }

    const mails = await t.db.select().from(outbox).where(eq(outbox.template, 'digest')).orderBy(outbox.createdAt)
    const sent = await t.db.select().from(digests).orderBy(digests.sentAt)
    expect(mails.length).toBe(sent.length)
    expect(mails.length).toBeGreaterThan(2)
    for (const [userId, email] of [[ala.id, 'ala@example.com'], [ben.id, 'ben@example.com']] as const) {
      const times = sent.filter((d) => d.userId === userId).map((d) => d.sentAt.getTime())
      expect(mails.filter((m) => m.to === email).map((m) => m.createdAt.getTime())).toEqual(times)
      // Never two digests to one person within 24 h.
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(DIGEST_QUIET_MS)
      const theirs = created.filter((c) => c.org === one || userId === ben.id)
      // Never about an empty inbox: something of theirs was pending at every digest.
      for (const at of times) expect(theirs.some((c) => c.at <= at && (c.resolvedAt === null || c.resolvedAt > at))).toBe(true)
      // Every item still pending 24 h 15 min after arriving was in a digest by then.
      for (const c of theirs) {
        const deadline = c.at + DIGEST_QUIET_MS + 15 * MINUTE
        if (deadline > start + 3 * 24 * HOUR || (c.resolvedAt !== null && c.resolvedAt <= deadline)) continue
        expect(times.some((at) => at >= c.at && at <= deadline), `item of ${new Date(c.at).toISOString()} mentioned to ${email}`).toBe(true)
      }
    }
    // In the recipient's language, with the count and the link to the inbox.
    const polish = mails.find((m) => m.to === 'ala@example.com')!
    expect(polish.language).toBe('pl')
    expect(polish.subject).toMatch(/^\d+ (prośba na Ciebie czeka|prośby na Ciebie czekają|próśb na Ciebie czeka)$/)
    expect(polish.text).toContain(`${t.config.baseUrl}/o/one/requests`)
    // Ben administers both orgs: one digest covers both.
    const benMail = mails.find((m) => m.to === 'ben@example.com' && m.text.includes('One:') && m.text.includes('Two:'))
    expect(benMail, 'a digest naming both of Ben’s orgs').toBeTruthy()
  })

  it('sends nothing when nothing is pending', async () => {
    const t = await testApp({ now: '2026-11-20T00:00:00Z' })
    const admin = await createUser(t.deps, { email: 'idle@example.com' })
    const orgId = await org(t, 'Idle', [admin.id])
    const id = await item(t, orgId, t.clock.now())
    await t.db.update(orgRequests).set({ status: 'dismissed' }).where(eq(orgRequests.id, id))
    expect(await runDigests(t.deps, new Date('2026-11-21T00:00:00Z'))).toEqual({ admins: 0, sent: 0 })
    expect(await t.db.select().from(outbox)).toEqual([])
  })

  it('two runs at the same moment write one digest and one e-mail', async () => {
    const t = await testApp({ now: '2026-11-20T00:00:00Z' })
    const admin = await createUser(t.deps, { email: 'twice@example.com' })
    const orgId = await org(t, 'Twice', [admin.id])
    await item(t, orgId, t.clock.now())
    const now = new Date('2026-11-20T00:15:00Z')
    const results = await Promise.all([runDigests(t.deps, now), runDigests(t.deps, now)])
    expect(results.map((r) => r.sent).sort()).toEqual([0, 1])
    expect(await t.db.select().from(digests)).toHaveLength(1)
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'twice@example.com'))).toHaveLength(1)
  })

  it('a run cut at its budget leaves the administrators it did not reach to the next run, and the two end where one full run does', async () => {
    const t = await testApp({ now: '2026-11-20T00:00:00Z' })
    for (let i = 0; i < 5; i++) {
      const admin = await createUser(t.deps, { email: `budget${i}@example.com` })
      await item(t, await org(t, `Budget${i}`, [admin.id]), t.clock.now())
    }
    const whole = await cloneApp(t, (db) => new TestPaymentProvider(db, t.config.baseUrl))
    const now = new Date('2026-11-20T00:15:00Z')
    expect(await runNamedJob(whole.deps, 'digests', now)).toEqual({ status: 'ok', counts: { admins: 5, sent: 5 } })

    // Two administrators a page, two items of budget: the run stops after the first page.
    const cut = await runJob(t.deps, 'digests', (deps, at, run) => runDigests(deps, at, 2, { left: 2, unit: 'items' }, run), now)
    expect(cut).toEqual({ status: 'ok', counts: { admins: 2, sent: 2, unfinished: 1 } })
    // The next tick (as of the same moment here, so that the rows compare equal) looks at all five
    // again and sends the other three: the first two have had theirs.
    expect(await runNamedJob(t.deps, 'digests', now)).toEqual({ status: 'ok', counts: { admins: 5, sent: 3 } })
    expect(await runNamedJob(t.deps, 'digests', now)).toEqual({ status: 'ok', counts: { admins: 5, sent: 0 } })

    const state = async (db: typeof t.db) => ({
      digests: (await db.select().from(digests)).map((d) => `${d.userId} ${d.windowKey} ${d.sentAt.toISOString()} ${d.pending} ${d.newSince}`).sort(),
      mails: (await db.select().from(outbox)).map((m) => `${m.to} | ${m.subject} | ${m.text}`).sort(),
    })
    const ended = await state(t.db)
    expect(ended.mails).toHaveLength(5)
    expect(ended).toEqual(await state(whole.db))
  })
})
