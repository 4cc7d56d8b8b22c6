// Mistake reports on personalized vouchers (SPEC §9, §10): sent from the public page without an
// account, throttled, waiting in the issuing org's inbox (yellow dot, digest), resolved with an e-mail.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, memberships, orgRequests, outbox } from '../../src/db/schema'
import { runDigests } from '../../src/jobs/digests'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { ecodeRow, issueCodes } from '../helpers/ecodes'
import { linkIn, signedIn } from '../helpers/users'
import { opened } from '../helpers/mail'

const IP = 'x-test-ip'
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { clientIpHeader: IP } })
await t.seedCatalog()

let ipCounter = 0
const freshIp = () => `192.0.2.${++ipCounter}`
const text = async (res: Response) => textOf(await res.text())
const report = (b: Browser, code: string, form: Record<string, string>, ip: string, headers: Record<string, string> = {}) =>
  b.post(`/r/${code}/reports`, form, { [IP]: ip, ...headers })
const reportsOf = (orgId: string) => t.db.select().from(orgRequests).where(and(eq(orgRequests.orgId, orgId), eq(orgRequests.kind, 'ecode_report')))
const hasDot = (html: string) => /href="\/o\/[^"]+\/requests"[^>]*>Requests<span class="dot" aria-hidden="true">/.test(html)
const WRONG = { what: 'The name should be Łucja, not Lucja.', contactEmail: 'Lucja@Example.com' }

describe('reporting a mistake', () => {
  it('is offered only on a personalized code that can still be used', async () => {
    const { org } = await adminWithOrg(t, 'offer@example.com')
    const [plain] = await issueCodes(t, org, 'signature-1y', 1)
    const [named] = await issueCodes(t, org, 'signature-1y', 1, { recipientName: 'Lucja' })
    const [withMessage] = await issueCodes(t, org, 'signature-1y', 1, { message: 'Happy birthday' })
    const [usedNamed] = await issueCodes(t, org, 'signature-1y', 1, { recipientName: 'Ola', status: 'used' })
    const ip = freshIp()
    const pageOf = async (code: string) => text(await t.browser().get(`/r/${code}`, { [IP]: ip }))
    expect(await pageOf(plain!)).not.toContain('Report a mistake')
    expect(await pageOf(named!)).toContain('Report a mistake Is the name or the message on this gift card wrong?')
    expect(await pageOf(withMessage!)).toContain('Report a mistake')
    expect(await pageOf(usedNamed!)).not.toContain('Report a mistake')
    const refused = await report(t.browser(), plain!, WRONG, ip)
    expect(refused.status).toBe(409)
    expect(await reportsOf(org.id)).toEqual([])
  })

  it('puts the report in the issuer’s inbox without an account: yellow dot, link to the personalization, and the digest', async () => {
    const admin = await adminWithOrg(t, 'inbox@example.com')
    const [code] = await issueCodes(t, admin.org, 'signature-1y', 1, { recipientName: 'Lucja' })
    const b = t.browser()
    expect(hasDot(await (await admin.b.get(`/o/${admin.slug}`)).text())).toBe(false)
    const res = await report(b, code!, WRONG, freshIp())
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/r/${code}`)
    expect(await text(await b.follow(res))).toContain('Thank you. The issuer has your report and will write to you when it is corrected.')

    const row = await ecodeRow(t, code!)
    const [request] = await reportsOf(admin.org.id)
    expect(request).toMatchObject({
      userId: null,
      status: 'pending',
      details: { ecodeId: row.id, last4: code!.slice(-4), what: WRONG.what, contactEmail: 'lucja@example.com', language: 'en' },
    })
    expect(hasDot(await (await admin.b.get(`/o/${admin.slug}`)).text())).toBe(true)
    const inbox = await (await admin.b.get(`/o/${admin.slug}/requests`)).text()
    expect(textOf(inbox)).toContain(`Mistake reported on the gift card with the e-code …${code!.slice(-4)}: “${WRONG.what}” Reported by lucja@example.com · Since 20 Nov 2026, 11:00 Correct the personalization`)
    expect(inbox).toContain(`href="/o/${admin.slug}/ecodes/${row.id}/personalization"`)
    expect(inbox).toContain(`action="/o/${admin.slug}/requests/${request!.id}/resolution"`)

    await runDigests(t.deps, t.clock.now())
    const digest = (await t.db.select().from(outbox).where(and(eq(outbox.to, 'inbox@example.com'), eq(outbox.template, 'digest'))).get())!
    expect(digest.text).toContain('There is a new request for an administrator: 1 is waiting.\n\nAmong them, 1 mistake report on a gift card.')
  })

  it('refuses an empty description, an over-long one and a bad e-mail address with 422 and the message at the field', async () => {
    const { org } = await adminWithOrg(t, 'invalid@example.com')
    const [code] = await issueCodes(t, org, 'signature-1y', 1, { recipientName: 'Lucja' })
    const ip = freshIp()
    const cases: [Record<string, string>, string][] = [
      [{ what: '  ', contactEmail: 'a@example.com' }, 'Say what is wrong.'],
      [{ what: 'x'.repeat(1001), contactEmail: 'a@example.com' }, 'This is too long.'],
      [{ what: 'Wrong name', contactEmail: 'not-an-address' }, 'Enter a valid e-mail address'],
    ]
    for (const [form, message] of cases) {
      const res = await report(t.browser(), code!, form, ip)
      expect(res.status, message).toBe(422)
      const html = await res.text()
      expect(textOf(html)).toContain(message)
      expect(html).toContain('<details open="">')
    }
    expect(await reportsOf(org.id)).toEqual([])
  })

  it('keeps at most 3 open reports per code, and 5 attempts an hour per address', async () => {
    const { org } = await adminWithOrg(t, 'limits@example.com')
    const [first, second] = await issueCodes(t, org, 'signature-1y', 2, { recipientName: 'Lucja' })
    const ip = freshIp()
    for (let i = 0; i < 3; i++) expect((await report(t.browser(), first!, WRONG, ip)).status).toBe(303)
    const full = await report(t.browser(), first!, WRONG, ip)
    expect(full.status).toBe(409)
    expect(await text(full)).toContain('This gift card already has reports waiting for the issuer. Please wait for their answer.')
    // The refused attempt counted too: this is the fifth from the address, the sixth is too many.
    expect((await report(t.browser(), second!, WRONG, ip)).status).toBe(303)
    const throttled = await report(t.browser(), second!, WRONG, ip)
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('Retry-After')).toBe('3600')
    expect((await report(t.browser(), second!, WRONG, freshIp())).status).toBe(303)
    expect(await reportsOf(org.id)).toHaveLength(5)
  })
})

describe('resolving a report', () => {
  it('closes it with the note, records it, e-mails the reporter in the language they wrote in, and the dot goes', async () => {
    const admin = await adminWithOrg(t, 'resolve@example.com')
    const [code] = await issueCodes(t, admin.org, 'signature-1y', 1, { recipientName: 'Lucja' })
    await report(t.browser(), code!, WRONG, freshIp(), { 'Accept-Language': 'pl' })
    const [request] = await reportsOf(admin.org.id)
    const res = await admin.b.post(`/o/${admin.slug}/requests/${request!.id}/resolution`, { note: 'Poprawiliśmy imię.' })
    expect(res.status).toBe(303)
    expect(await text(await admin.b.follow(res))).toContain('The report is resolved and its author is being told.')
    expect((await t.db.select().from(orgRequests).where(eq(orgRequests.id, request!.id)).get())).toMatchObject({
      status: 'resolved',
      resolvedAt: t.clock.now(),
      resolvedBy: admin.user.id,
      reason: 'Poprawiliśmy imię.',
    })
    const last4 = code!.slice(-4)
    const stored = (await t.db.select().from(outbox).where(eq(outbox.to, 'lucja@example.com')).get())!
    expect(stored).toMatchObject({ template: 'ecode.report_resolved', language: 'pl', subject: `Twoja karta podarunkowa …${last4} została poprawiona`, sealed: true })
    // The mail links to the code (so it is stored sealed, and the subject names its last symbols only).
    expect(JSON.stringify(stored)).not.toContain(code!)
    const mail = (await opened(t, stored))!
    expect(mail.text).toContain(`Organizacja ${admin.org.name} poprawiła kartę podarunkową z e-kodem kończącym się na ${last4}, zgodnie z Twoim zgłoszeniem.\n\nUwaga od wystawcy: Poprawiliśmy imię.`)
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, admin.org.id), eq(history.kind, 'ecode.report_resolved')))
    expect(entry).toMatchObject({ subjectType: 'ecode', subjectId: (await ecodeRow(t, code!)).id, details: { code: `…${last4}`, note: 'Poprawiliśmy imię.' } })
    expect(hasDot(await (await admin.b.get(`/o/${admin.slug}`)).text())).toBe(false)

    const again = await admin.b.post(`/o/${admin.slug}/requests/${request!.id}/resolution`, {})
    expect(again.status).toBe(409)
    expect(await text(again)).toContain('This request has already been decided.')
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'lucja@example.com'))).toHaveLength(1)
  })

  it('the "corrected" mail to a reporter without an account links to the code and says why they got it (issue 16, rule 6)', async () => {
    const admin = await adminWithOrg(t, 'corrected@example.com')
    const [code] = await issueCodes(t, admin.org, 'signature-1y', 1, { recipientName: 'Ewa' })
    await report(t.browser(), code!, { ...WRONG, contactEmail: 'no-account@example.com' }, freshIp(), { 'Accept-Language': 'en' })
    const [request] = await reportsOf(admin.org.id)
    expect((await admin.b.post(`/o/${admin.slug}/requests/${request!.id}/resolution`, {})).status).toBe(303)
    const mail = (await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, 'no-account@example.com')).get()))!
    expect(linkIn(mail.text, '/r/')).toBe(`/r/${code}`)
    expect(mail.html).toContain(`>Open the gift card</a>`)
    expect(mail.html).toContain(`href="http://localhost/r/${code}"`)
    expect(mail.text).not.toContain('because of your account')
    expect(mail.text.endsWith('You received this e-mail because you reported a mistake on a gift card of Kontor and gave this address for the answer.')).toBe(true)
    // Opening the link shows the code's page, corrected.
    expect((await t.browser().get(linkIn(mail.text, '/r/'), { [IP]: freshIp() })).status).toBe(200)
  })

  it('answers another org’s report id with 404, and a member who is not an administrator with 403', async () => {
    const owner = await adminWithOrg(t, 'owner@example.com')
    const stranger = await adminWithOrg(t, 'stranger@example.com')
    const [code] = await issueCodes(t, owner.org, 'signature-1y', 1, { message: 'Für dich' })
    await report(t.browser(), code!, WRONG, freshIp())
    const [request] = await reportsOf(owner.org.id)
    expect((await stranger.b.post(`/o/${stranger.slug}/requests/${request!.id}/resolution`, {})).status).toBe(404)
    const member = await signedIn(t, 'just-member@example.com')
    await t.db.insert(memberships).values({ orgId: owner.org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    expect((await member.b.post(`/o/${owner.slug}/requests/${request!.id}/resolution`, {})).status).toBe(403)
    expect((await t.db.select().from(orgRequests).where(eq(orgRequests.id, request!.id)).get())!.status).toBe('pending')
  })
})
