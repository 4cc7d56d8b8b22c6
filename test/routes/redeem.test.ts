// Public redemption /r/<code> (SPEC §9, §16): what the page says for each state, one address per
// code, guessing throttled per IP, the code surviving registration, and one use only.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { and, eq } from 'drizzle-orm'
import { ecodes, history, memberPermissions, memberships, orgs, outbox, throttleHits, users, warehouseStock } from '../../src/db/schema'
import { HOUR } from '../../src/clock'
import { formatECode } from '../../src/domain/ecode'
import { redeemECode } from '../../src/services/redemption'
import { testApp, textOf, type Browser, type TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { ecodeRow, issueCodes } from '../helpers/ecodes'
import { linkIn, nextNip, signedIn } from '../helpers/users'
import { opened } from '../helpers/mail'

const IP = 'x-test-ip'
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { clientIpHeader: IP } })
await t.seedCatalog()
const issuer = await adminWithOrg(t, 'issuer@example.com')

let ipCounter = 0
/** A fresh client address, so each test starts with clean throttling counters. */
const freshIp = () => `198.51.100.${++ipCounter}`
const get = (b: Browser, path: string, ip: string) => b.get(path, { [IP]: ip })
const post = (b: Browser, path: string, form: Record<string, string>, ip: string) => b.post(path, form, { [IP]: ip })
const text = async (res: Response) => textOf(await res.text())
const stockOf = async (app: TestApp, orgId: string) => (await app.db.select().from(warehouseStock).where(eq(warehouseStock.orgId, orgId)).get())?.units ?? 0
const historyOf = (orgId: string, kind: string) => t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, kind)))

describe('the page of a code', () => {
  it('shows an active code: the grouped code, product and variant, issuer, use-by date in the issuer’s zone, and the recipient', async () => {
    // 23:30 UTC on 30 November is already 1 December in Warsaw.
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1, { recipientName: 'Łucja Wąs', message: 'Wszystkiego najlepszego!', expiresAt: new Date('2028-11-30T23:30:00Z') })
    const res = await get(t.browser(), `/r/${code}`, freshIp())
    expect(res.status).toBe(200)
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex')
    expect(await text(res)).toContain(
      `Your e-code ${formatECode(code!)} Product SimplySign, signature, 1 year From Org of issuer@example.com Use by 1 December 2028 For Łucja Wąs Message Wszystkiego najlepszego! This e-code is valid. It can be redeemed once. To redeem it, sign in or create an account. The code is kept while you do. Redeem`,
    )
  })

  it('says plainly that a code is used, expired (by status or by date) or cancelled, and offers no redemption', async () => {
    const [used] = await issueCodes(t, issuer.org, 'signature-1y', 1, { status: 'used', usedAt: new Date('2026-11-19T08:15:00Z'), usedByOrgId: issuer.org.id })
    const [expired] = await issueCodes(t, issuer.org, 'signature-1y', 1, { status: 'expired', expiresAt: new Date('2026-11-01T09:00:00Z') })
    const [pastDate] = await issueCodes(t, issuer.org, 'signature-1y', 1, { expiresAt: t.clock.now() })
    const [disposed] = await issueCodes(t, issuer.org, 'signature-1y', 1, { status: 'disposed', disposedAt: new Date('2026-11-10T09:00:00Z') })
    const cases: [string, string][] = [
      [used!, 'This e-code has already been used (19 Nov 2026, 09:15). It can be used only once.'],
      [expired!, 'This e-code expired on 1 November 2026. It can no longer be used.'],
      [pastDate!, 'This e-code expired on 20 November 2026. It can no longer be used.'],
      [disposed!, 'This e-code was cancelled by its issuer. It can no longer be used.'],
    ]
    const ip = freshIp()
    for (const [code, message] of cases) {
      const res = await get(t.browser(), `/r/${code}`, ip)
      expect(res.status, message).toBe(200)
      const page = await text(res)
      expect(page).toContain(message)
      expect(page).not.toContain('Redeem')
    }
  })

  it('answers an unknown or malformed code with 404 “E-code not found” and a box to type it again', async () => {
    const ip = freshIp()
    for (const path of ['/r/K7QF3XMA9B4K2PZD', '/r/abc', '/r/K7QF3XMA9B4K2PZU', `/r/${'Z'.repeat(40)}`]) {
      const res = await get(t.browser(), path, ip)
      expect(res.status, path).toBe(404)
      expect(await text(res)).toContain('E-code not found No e-code matches this address. Check the 16 letters and digits on your gift card and type them again. E-code')
    }
  })

  it('redirects any spelling of a code (case, spaces, dashes, O for 0, I and L for 1) to its one address', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1, { codes: ['K7QF3XMA9B4K2P01'] })
    const ip = freshIp()
    for (const typed of ['k7qf-3xma-9b4k-2p01', 'K7QF 3XMA 9B4K 2POI', 'k7qf3xma9b4k2pol']) {
      const res = await get(t.browser(), `/r/${encodeURIComponent(typed)}`, ip)
      expect(res.status, typed).toBe(301)
      expect(res.headers.get('Location')).toBe(`/r/${code}`)
    }
    const typedIn = await get(t.browser(), '/r?code=k7qf+3xma+9b4k+2p01', ip)
    expect(typedIn.headers.get('Location')).toBe(`/r/${code}`)
  })

  it('stays small: the page and the stylesheets it links under 15 KB', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-2y', 1, { recipientName: 'Anna Kowalska', message: 'Dla Ciebie' })
    const html = await (await get(t.browser(), `/r/${code}`, freshIp())).text()
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="\/([\w.]+)"/g)].map((m) => m[1]!)
    // The frame and forms only: the panel's lists and tables (panel.css) are not for a code's recipient.
    expect(sheets).toEqual(['app.css'])
    const css = sheets.reduce((sum, file) => sum + readFileSync(new URL(`../../public/${file}`, import.meta.url)).byteLength, 0)
    expect(Buffer.byteLength(html) + css).toBeLessThan(15 * 1024)
  })
})

describe('guessing', () => {
  it('refuses a client with 429 and Retry-After after 10 failed look-ups in an hour, before looking anything up; others are unaffected', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const ip = freshIp()
    const b = t.browser()
    for (let i = 0; i < 10; i++) expect((await get(b, `/r/${String(i).padStart(16, 'X')}`, ip)).status).toBe(404)
    const refused = await get(b, `/r/${code}`, ip)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe('3600')
    expect((await post(b, `/r/${code}/redemption`, {}, ip)).status).toBe(429)
    expect((await get(t.browser(), `/r/${code}`, freshIp())).status).toBe(200)
  })

  it('counts parallel guesses before looking up: of 30 at once, 10 are looked up and 20 refused', async () => {
    const ip = freshIp()
    const b = t.browser()
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => get(b, `/r/${String(i).padStart(16, 'W')}`, ip)))
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 404)).toHaveLength(10)
    expect(statuses.filter((s) => s === 429)).toHaveLength(20)
  })

  it('does not count successful look-ups, of any state', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const [used] = await issueCodes(t, issuer.org, 'signature-1y', 1, { status: 'used' })
    const ip = freshIp()
    const b = t.browser()
    for (let i = 0; i < 9; i++) expect((await get(b, `/r/${String(i).padStart(16, 'Y')}`, ip)).status).toBe(404)
    for (let i = 0; i < 20; i++) expect((await get(b, `/r/${i % 2 ? code : used}`, ip)).status).toBe(200)
    expect((await get(b, '/r/YYYYYYYYYYYYYYYY', ip)).status).toBe(404)
    expect((await get(b, `/r/${code}`, ip)).status).toBe(429)
  })

  it('writes nothing for a code that is found: no counter for the address, however often it looks', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const ip = freshIp()
    for (let i = 0; i < 3; i++) expect((await get(t.browser(), `/r/${code}`, ip)).status).toBe(200)
    expect(await t.db.select().from(throttleHits).where(eq(throttleHits.key, ip))).toEqual([])
    expect((await get(t.browser(), '/r/ZZZZZZZZZZZZZZZZ', ip)).status).toBe(404)
    const counters = await t.db.select({ bucket: throttleHits.bucket, count: throttleHits.count }).from(throttleHits).where(eq(throttleHits.key, ip))
    expect(counters.sort((a, b) => a.bucket.localeCompare(b.bucket))).toEqual([
      { bucket: 'ecode-lookup-d', count: 1 },
      { bucket: 'ecode-lookup-h', count: 1 },
    ])
  })

  it('allows 100 failed look-ups a day: spread over hours, the 101st is refused until the day is over', async () => {
    const day = await testApp({ now: '2026-11-20T00:00:00Z', config: { clientIpHeader: IP } })
    const b = day.browser()
    for (let hour = 0; hour < 10; hour++) {
      for (let i = 0; i < 10; i++) expect((await get(b, `/r/${String(i).padStart(16, 'Z')}`, '203.0.113.9')).status).toBe(404)
      day.clock.advance(HOUR)
    }
    const refused = await get(b, '/r/ZZZZZZZZZZZZZZZZ', '203.0.113.9')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe(String(14 * 3600))
  })
})

describe('redeeming', () => {
  it('keeps the code through registration, activation, sign-in and adding an org, then lands a unit in that org’s warehouse', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1, { recipientName: 'Zofia' })
    const ip = freshIp()
    const b = t.browser()
    const start = await post(b, `/r/${code}/redemption`, {}, ip)
    expect(start.headers.get('Location')).toBe('/login')
    expect(b.cookies.get('redeem')).toBe(code)
    expect(await text(await b.follow(start))).toContain('Sign in to redeem the e-code, or create an account: the code is kept while you do.')

    const email = 'zofia@example.com'
    await b.post('/register', { name: 'Zofia Nowak', email, password: 'pierogi z jagodami', language: 'en', terms: 'on', privacy: 'on' })
    const mail = (await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, email)).get()))!
    const activation = linkIn(mail.text, '/activate/')
    expect((await b.post(activation)).headers.get('Location')).toBe('/login')
    const login = await b.post('/login', { email, password: 'pierogi z jagodami' })
    expect(login.headers.get('Location')).toBe(`/r/${code}`)

    const choose = await text(await get(b, `/r/${code}`, ip))
    expect(choose).toContain('Which organization receives it? One unit goes to its warehouse, ready to activate. A new organization (add it first) Redeem for this organization')
    const toNew = await post(b, `/r/${code}/redemption`, { org: 'new' }, ip)
    expect(toNew.headers.get('Location')).toBe('/orgs/new')
    const created = await b.post('/orgs', { name: 'Zofia Sp. z o.o.', country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: email })
    expect(created.headers.get('Location')).toBe(`/r/${code}`)
    expect(await text(await get(b, `/r/${code}`, ip))).toContain('Which organization receives it? One unit goes to its warehouse, ready to activate. Zofia Sp. z o.o. A new organization')

    const { slug } = (await t.db.select().from(orgs).where(eq(orgs.name, 'Zofia Sp. z o.o.')).get())!
    const redeemed = await post(b, `/r/${code}/redemption`, { org: slug }, ip)
    expect(redeemed.status).toBe(303)
    expect(redeemed.headers.get('Location')).toBe(`/o/${slug}/warehouse`)
    expect(b.cookies.has('redeem')).toBe(false)
    // The message shows on whichever page comes next (here the org's start page).
    // A name ending in '.' ends the sentence itself (issue 16 rule 6): no doubled period.
    const landed = await text(await b.get(`/o/${slug}`))
    expect(landed).toContain('E-code redeemed: one unit of SimplySign, signature, 1 year is now in the warehouse of Zofia Sp. z o.o. ')
    expect(landed).not.toContain('o.o..')
    // Signing in again no longer leads to the code.
    expect((await b.post('/login', { email, password: 'pierogi z jagodami' })).headers.get('Location')).toBe(`/o/${slug}`)
  })

  it('makes the code used (when, by which org and person), adds one unit, and records it in both histories with the code masked', async () => {
    const receiver = await adminWithOrg(t, 'receiver@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-2y', 1)
    const before = await stockOf(t, receiver.org.id)
    const res = await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug }, freshIp())
    expect(res.status).toBe(303)
    const row = await ecodeRow(t, code!)
    expect(row).toMatchObject({ status: 'used', usedAt: t.clock.now(), usedByOrgId: receiver.org.id, usedByUserId: receiver.user.id })
    expect(await stockOf(t, receiver.org.id)).toBe(before + 1)
    const [redeemed] = await historyOf(receiver.org.id, 'ecode.redeemed')
    const used = (await historyOf(issuer.org.id, 'ecode.used')).find((h) => h.subjectId === row.id)
    const masked = `…${code!.slice(-4)}`
    expect(redeemed).toMatchObject({ subjectType: 'ecode', subjectId: row.id, details: { code: masked, product: 'SimplySign', variant: 'signature, 2 years', from: issuer.org.name } })
    expect(used).toMatchObject({ subjectType: 'ecode', subjectId: row.id, details: { code: masked, product: 'SimplySign', variant: 'signature, 2 years', by: receiver.org.name } })
    expect(JSON.stringify(await t.db.select().from(history))).not.toContain(code!)
  })

  it('refuses a second redemption with 409 and the page saying it is used; nothing more lands anywhere', async () => {
    const receiver = await adminWithOrg(t, 'twice@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const ip = freshIp()
    expect((await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug }, ip)).status).toBe(303)
    const again = await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug }, ip)
    expect(again.status).toBe(409)
    expect(await text(again)).toContain('This e-code has already been used (20 Nov 2026, 11:00). It can be used only once.')
    expect(await stockOf(t, receiver.org.id)).toBe(1)
    expect(await historyOf(receiver.org.id, 'ecode.redeemed')).toHaveLength(1)
  })

  it('refuses an expired code (validity ends at expires_at itself) with 409', async () => {
    const receiver = await adminWithOrg(t, 'late@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1, { expiresAt: t.clock.now() })
    const res = await post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug }, freshIp())
    expect(res.status).toBe(409)
    expect(await text(res)).toContain('This e-code expired on 20 November 2026.')
    expect((await ecodeRow(t, code!)).status).toBe('active')
  })

  it('offers only orgs the user administers or where they have permission for the product', async () => {
    const other = await adminWithOrg(t, 'other-admin@example.com')
    const member = await signedIn(t, 'plain-member@example.com')
    await t.db.insert(memberships).values({ orgId: other.org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const ip = freshIp()
    expect(await text(await get(member.b, `/r/${code}`, ip))).not.toContain(other.org.name)
    const refused = await post(member.b, `/r/${code}/redemption`, { org: other.slug }, ip)
    expect(refused.status).toBe(422)
    expect(await text(refused)).toContain('Choose an organization where you may receive this product.')
    const row = await ecodeRow(t, code!)
    await t.db.insert(memberPermissions).values({ orgId: other.org.id, userId: member.user.id, productId: row.productId })
    expect(await text(await get(member.b, `/r/${code}`, ip))).toContain(other.org.name)
    expect((await post(member.b, `/r/${code}/redemption`, { org: other.slug }, ip)).status).toBe(303)
  })

  it('lets the issuing org redeem its own code: the unit returns to its warehouse', async () => {
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    const before = await stockOf(t, issuer.org.id)
    expect((await post(issuer.b, `/r/${code}/redemption`, { org: issuer.slug }, freshIp())).status).toBe(303)
    expect(await stockOf(t, issuer.org.id)).toBe(before + 1)
    expect((await historyOf(issuer.org.id, 'ecode.redeemed')).length).toBeGreaterThan(0)
  })

  it('gives exactly one success to 100 concurrent redemptions of one code', async () => {
    const receiver = await adminWithOrg(t, 'race@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-1y', 1)
    // From as many addresses: one address gets at most 10 look-ups in flight (they are counted until they succeed).
    const results = await Promise.all(Array.from({ length: 100 }, () => post(receiver.b, `/r/${code}/redemption`, { org: receiver.slug }, freshIp())))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 303)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(99)
    expect(await stockOf(t, receiver.org.id)).toBe(1)
    expect(await historyOf(receiver.org.id, 'ecode.redeemed')).toHaveLength(1)
    const row = await ecodeRow(t, code!)
    expect((await t.db.select().from(history).where(and(eq(history.kind, 'ecode.used'), eq(history.subjectId, row.id)))).length).toBe(1)
    expect((await t.db.select().from(ecodes).where(eq(ecodes.id, row.id)).get())!.usedByOrgId).toBe(receiver.org.id)
  })

  it('gives exactly one success to 100 concurrent service calls held until all have passed the first check, so they meet at the conditional update', async () => {
    const receiver = await adminWithOrg(t, 'race-service@example.com')
    const [code] = await issueCodes(t, issuer.org, 'signature-2y', 1)
    const user = (await t.db.select().from(users).where(eq(users.id, receiver.user.id)).get())!
    // Each call's batch waits until all 100 have read the code as active.
    let arrived = 0
    let release!: () => void
    const allThere = new Promise<void>((resolve) => (release = resolve))
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop !== 'batch') return Reflect.get(target, prop, receiver)
        return async (statements: Parameters<typeof target.batch>[0]) => {
          if (++arrived === 100) release()
          await allThere
          return target.batch(statements)
        }
      },
    })
    const deps = { ...t.deps, db }
    const results = await Promise.all(Array.from({ length: 100 }, () => redeemECode(deps, user, code!, receiver.slug, t.clock.now())))
    expect(arrived).toBe(100)
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.error === 'used')).toHaveLength(99)
    expect(await stockOf(t, receiver.org.id)).toBe(1)
    expect(await historyOf(receiver.org.id, 'ecode.redeemed')).toHaveLength(1)
    const row = await ecodeRow(t, code!)
    expect((await t.db.select().from(history).where(and(eq(history.kind, 'ecode.used'), eq(history.subjectId, row.id)))).length).toBe(1)
  })
})
