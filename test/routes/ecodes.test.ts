import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { ecodes, history, memberPermissions, memberships, outbox, products, users, variants, warehouseStock } from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { ecodeLookupHash } from '../../src/auth/ecode-crypto'
import { generateECodes } from '../../src/services/ecodes'
import type { Org } from '../../src/services/orgs'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { pdfPageCount, pdfText } from '../helpers/pdf'
import { signedIn } from '../helpers/users'
import { openedAll } from '../helpers/mail'

const T0 = '2026-11-20T10:00:00Z'
const t = await testApp({ now: T0 })
await t.seedCatalog()

const oneYear = (await t.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
const twoYears = (await t.db.select().from(variants).where(eq(variants.key, 'signature-2y')).get())!
const simplySign = (await t.db.select().from(products).where(eq(products.key, 'simplysign')).get())!

const unitsLeft = async (orgId: string, variantId = oneYear.id) =>
  (await t.db.select().from(warehouseStock).where(and(eq(warehouseStock.orgId, orgId), eq(warehouseStock.variantId, variantId))).get())?.units
const codeRow = async (id: string) => (await t.db.select().from(ecodes).where(eq(ecodes.id, id)).get())!
const historyOf = (orgId: string, kind: string) => t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, kind)))

/** Codes with known values (canonical form), made through the service; their ids by code. */
async function issue(org: Org, userId: string, codes: string[], variant = oneYear) {
  await addStock(t.db, org.id, variant.id, codes.length)
  const user = (await t.db.select().from(users).where(eq(users.id, userId)).get())!
  const queue = [...codes]
  const r = await generateECodes(t.deps, org, user, 'admin', variant.id, codes.length, t.clock.now(), () => queue.shift()!)
  expect(r).toEqual({ ok: true, count: codes.length })
  const ids: Record<string, string> = {}
  for (const code of codes) {
    const hash = await ecodeLookupHash(t.config.ecodeSecrets.lookupKey, code)
    ids[code] = (await t.db.select().from(ecodes).where(and(eq(ecodes.orgId, org.id), eq(ecodes.lookupHash, hash))).get())!.id
  }
  return ids
}

/** Marks a code used by another org, as redemption does. */
async function markUsed(id: string, byOrgId: string, at = '2026-11-25T08:15:00Z') {
  await t.db.update(ecodes).set({ status: 'used', usedAt: new Date(at), usedByOrgId: byOrgId }).where(eq(ecodes.id, id))
}

const idsOn = (html: string) => [...html.matchAll(/name="id" value="([a-z0-9]+)"/g)].map((m) => m[1]!)
const olderLink = (html: string) => /href="([^"]*cursor=[^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')

async function memberOf(org: { id: string }, email: string, permitted: boolean) {
  const { user, b } = await signedIn(t, email)
  await t.db.insert(memberships).values({ orgId: org.id, userId: user.id, role: 'member', createdAt: t.clock.now() })
  if (permitted) await t.db.insert(memberPermissions).values({ orgId: org.id, userId: user.id, productId: simplySign.id })
  return b
}

function postIds(b: Browser, path: string, ids: string[]) {
  return b.send(path, {
    method: 'POST',
    body: ids.map((id) => `id=${encodeURIComponent(id)}`).join('&'),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: t.config.baseUrl },
  })
}

// One org with a code in each state, shared by the list, search, CSV and refusal tests.
const A = await adminWithOrg(t, 'issuer@example.com')
const B = await adminWithOrg(t, 'receiver@example.com')
const CODES = {
  active: 'A0B1C2D3E4F5G6H7',
  active2: 'K7QF3XMA9B4K2PZD',
  used: 'M8N9P0QRSTVWXYZ2',
  disposed: 'Z9Y8X7W6V5T4S3R2',
  expiredMarked: 'QQQQRRRRSSSSTTTT',
  expiredLapsed: 'HHHHJJJJKKKKMMMM',
}
const ID = await issue(A.org, A.user.id, Object.values(CODES))
await markUsed(ID[CODES.used]!, B.org.id)
await t.db.update(ecodes).set({ status: 'disposed', disposedAt: new Date(T0) }).where(eq(ecodes.id, ID[CODES.disposed]!))
await t.db.update(ecodes).set({ status: 'expired' }).where(eq(ecodes.id, ID[CODES.expiredMarked]!))
// Past its validity but not yet marked by the purge job: expired everywhere all the same.
await t.db.update(ecodes).set({ expiresAt: new Date(T0) }).where(eq(ecodes.id, ID[CODES.expiredLapsed]!))

describe('the e-code list', () => {
  it('has four tabs with counts, treating an active code past its validity as expired', async () => {
    const res = await A.b.get(`/o/${A.slug}/ecodes`)
    expect(res.status).toBe(200)
    const html = await res.text()
    const page = textOf(html)
    expect(page).toContain('Active (2) Used (1) Expired (2) Disposed (1)')
    expect(page).toContain('A0B1 C2D3 E4F5 G6H7')
    expect(page).toContain('K7QF 3XMA 9B4K 2PZD')
    expect(page).not.toContain('HHHH JJJJ KKKK MMMM')
    // 2028 is a leap year: 731 days.
    expect(page).toContain('20 November 2028 731 days left')
    const expired = textOf(await (await A.b.get(`/o/${A.slug}/ecodes?tab=expired`)).text())
    expect(expired).toContain('HHHH JJJJ KKKK MMMM')
    expect(expired).toContain('QQQQ RRRR SSSS TTTT')
    const used = textOf(await (await A.b.get(`/o/${A.slug}/ecodes?tab=used`)).text())
    expect(used).toContain(`M8N9 P0QR STVW XYZ2 SimplySign – signature, 1 year 20 November 2026 20 November 2028 25 Nov 2026, 09:15 · ${B.org.name}`)
  })

  it('finds a code however it is typed: spaces, lower case, dashes, O for 0 and I or L for 1', async () => {
    for (const q of ['A0B1 C2D3 E4F5 G6H7', 'a0b1c2d3e4f5g6h7', 'a0b1-c2d3-e4f5-g6h7', ' AOBI C2D3 E4F5 G6H7 ', 'aobl–c2d3–e4f5–g6h7']) {
      const res = await A.b.get(`/o/${A.slug}/ecodes?${new URLSearchParams({ tab: 'active', q })}`)
      expect(res.status, q).toBe(200)
      const html = await res.text()
      expect(idsOn(html), q).toEqual([ID[CODES.active]])
      expect(textOf(html)).toContain('Active (1) Used (0) Expired (0) Disposed (0)')
    }
  })

  it('shows in the counts which tab holds a code searched for from another tab', async () => {
    const page = textOf(await (await A.b.get(`/o/${A.slug}/ecodes?tab=active&q=m8n9p0qrstvwxyz2`)).text())
    expect(page).toContain('Active (0) Used (1) Expired (0) Disposed (0)')
    expect(page).toContain('No e-codes here.')
  })

  it('refuses a search that cannot be an e-code with 422', async () => {
    const res = await A.b.get(`/o/${A.slug}/ecodes?q=ABC`)
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('An e-code has 16 letters and digits')
  })

  it('filters by variant and by creation date in the org’s time zone', async () => {
    const { org, user, b, slug } = await adminWithOrg(t, 'dates@example.com')
    const early = await issue(org, user.id, ['1111111111111111', '2222222222222222'])
    // 23:30 UTC on 21 November is already 22 November in Warsaw.
    t.clock.set('2026-11-21T23:30:00Z')
    const late = await issue(org, user.id, ['3333333333333333'], twoYears)
    t.clock.set(T0)
    const ids = async (query: string) => idsOn(await (await b.get(`/o/${slug}/ecodes?tab=active&${query}`)).text())
    expect(await ids('')).toEqual([late['3333333333333333']!, ...(await ids('to=2026-11-21'))])
    expect((await ids('to=2026-11-21')).sort()).toEqual(Object.values(early).sort())
    expect(await ids('from=2026-11-22')).toEqual([late['3333333333333333']])
    expect(await ids('from=2026-11-21&to=2026-11-21')).toEqual([])
    expect(await ids(`variant=${twoYears.id}`)).toEqual([late['3333333333333333']])
    expect((await ids(`variant=${oneYear.id}&from=2026-11-20&to=2026-11-20`)).sort()).toEqual(Object.values(early).sort())
    const reversed = await b.get(`/o/${slug}/ecodes?from=2026-11-22&to=2026-11-21`)
    expect(reversed.status).toBe(422)
  })

  it('pages 120 codes newest first, 50 at a time, without duplicates or gaps', async () => {
    const { org, b, slug } = await adminWithOrg(t, 'pages@example.com')
    await addStock(t.db, org.id, oneYear.id, 120)
    expect((await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '60' })).status).toBe(303)
    t.clock.advance(60_000)
    expect((await b.post(`/o/${slug}/warehouse/${oneYear.id}/ecodes`, { quantity: '60' })).status).toBe(303)
    t.clock.set(T0)
    const pages: string[][] = []
    let next: string | undefined = `/o/${slug}/ecodes?tab=active`
    while (next) {
      const html = await (await b.get(next)).text()
      if (pages.length === 0) expect(textOf(html)).toContain('Active (120)')
      pages.push(idsOn(html))
      next = olderLink(html)
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20])
    const seen = pages.flat()
    expect(new Set(seen).size).toBe(120)
    const all = await t.db.select({ id: ecodes.id, createdAt: ecodes.createdAt }).from(ecodes).where(eq(ecodes.orgId, org.id))
    const expected = all.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1)).map((x) => x.id)
    expect(seen).toEqual(expected)
  })
})

describe('the CSV report', () => {
  it('has the current filter, one line per code, every column', async () => {
    const get = async (query: string) => {
      const res = await A.b.get(`/o/${A.slug}/ecodes.csv?${query}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    }
    const used = await get('tab=used')
    expect(used).toBe(
      '\uFEFFE-code,Product,Variant,Status,Created,Valid until,Used at,Used by\r\n' +
        `M8N9 P0QR STVW XYZ2,SimplySign,"signature, 1 year",Used,"20 Nov 2026, 11:00",20 November 2028,"25 Nov 2026, 09:15",${B.org.name}\r\n`,
    )
    const expired = await get('tab=expired')
    expect(expired.split('\r\n').slice(1)).toEqual([
      expect.stringMatching(/^(QQQQ RRRR SSSS TTTT|HHHH JJJJ KKKK MMMM),SimplySign,"signature, 1 year",Expired,"20 Nov 2026, 11:00",20 November (2026|2028),,$/),
      expect.stringMatching(/^(QQQQ RRRR SSSS TTTT|HHHH JJJJ KKKK MMMM),/),
      '',
    ])
    expect(await get('tab=active&q=a0b1c2d3e4f5g6h7')).toBe(
      '\uFEFFE-code,Product,Variant,Status,Created,Valid until,Used at,Used by\r\n' + 'A0B1 C2D3 E4F5 G6H7,SimplySign,"signature, 1 year",Active,"20 Nov 2026, 11:00",20 November 2028,,\r\n',
    )
  })
})

describe('disposing of a code', () => {
  it('asks for confirmation, then disposes of an active code for good and returns its unit', async () => {
    const { org, user, b, slug } = await adminWithOrg(t, 'dispose@example.com')
    const id = (await issue(org, user.id, ['DDDDEEEEFFFFGGGG']))['DDDDEEEEFFFFGGGG']!
    expect(await unitsLeft(org.id)).toBe(0)
    const confirm = await b.get(`/o/${slug}/ecodes/${id}/disposal`)
    expect(confirm.status).toBe(200)
    expect(textOf(await confirm.text())).toContain('Yes, dispose of DDDD EEEE FFFF GGGG for good')
    const unconfirmed = await b.post(`/o/${slug}/ecodes/${id}/disposal`)
    expect(unconfirmed.status).toBe(422)
    expect(textOf(await unconfirmed.text())).toContain('Tick the box to confirm.')
    expect((await codeRow(id)).status).toBe('active')
    const done = await b.post(`/o/${slug}/ecodes/${id}/disposal`, { confirm: 'on' })
    expect(done.status).toBe(303)
    expect(textOf(await (await b.follow(done)).text())).toContain('E-code DDDD EEEE FFFF GGGG disposed. The unit is back in the warehouse.')
    const row = await codeRow(id)
    expect([row.status, row.disposedAt?.toISOString()]).toEqual(['disposed', '2026-11-20T10:00:00.000Z'])
    expect(await unitsLeft(org.id)).toBe(1)
    const [entry] = await historyOf(org.id, 'ecode.disposed')
    expect(entry!.details).toEqual({ product: 'SimplySign', variant: 'signature, 1 year', code: '…GGGG' })
    const again = await b.post(`/o/${slug}/ecodes/${id}/disposal`, { confirm: 'on' })
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('This e-code has been disposed of. Nothing was changed.')
    expect(await unitsLeft(org.id)).toBe(1)
  })

  it('returns the unit once when two disposals of one code race', async () => {
    const { org, user, b, slug } = await adminWithOrg(t, 'dispose-race@example.com')
    const id = (await issue(org, user.id, ['NNNNPPPPQQQQRRRR']))['NNNNPPPPQQQQRRRR']!
    const results = await Promise.all([1, 2, 3].map(() => b.post(`/o/${slug}/ecodes/${id}/disposal`, { confirm: 'on' })))
    expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409])
    expect(await unitsLeft(org.id)).toBe(1)
    expect(await historyOf(org.id, 'ecode.disposed')).toHaveLength(1)
  })

  it('refuses used and expired codes with 409 and changes nothing', async () => {
    const before = await unitsLeft(A.org.id)
    const cases: [string, string][] = [
      [CODES.used, 'This e-code has already been used.'],
      [CODES.expiredMarked, 'This e-code has expired.'],
      [CODES.expiredLapsed, 'This e-code has expired.'],
      [CODES.disposed, 'This e-code has been disposed of.'],
    ]
    for (const [code, message] of cases) {
      const res = await A.b.post(`/o/${A.slug}/ecodes/${ID[code]}/disposal`, { confirm: 'on' })
      expect(res.status, code).toBe(409)
      expect(textOf(await res.text())).toContain(message)
    }
    expect(await unitsLeft(A.org.id)).toBe(before)
    expect((await codeRow(ID[CODES.expiredLapsed]!)).status).toBe('active')
    expect(await historyOf(A.org.id, 'ecode.disposed')).toEqual([])
  })
})

describe('vouchers', () => {
  it('downloads one voucher as a PDF with the grouped code', async () => {
    const res = await A.b.get(`/o/${A.slug}/ecodes/${ID[CODES.active]}/voucher.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/pdf')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="voucher-A0B1-C2D3-E4F5-G6H7.pdf"')
    const text = pdfText(new Uint8Array(await res.arrayBuffer()))
    expect(text).toContain('A0B1 C2D3 E4F5 G6H7')
    expect(text).toContain('signature, 1 year')
  })

  it('downloads a selection as one PDF, a page per code, and refuses a selection with a used code', async () => {
    const res = await postIds(A.b, `/o/${A.slug}/ecodes/vouchers`, [ID[CODES.active]!, ID[CODES.active2]!])
    expect(res.status).toBe(200)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(pdfPageCount(bytes)).toBe(2)
    expect(pdfText(bytes)).toMatch(/A0B1 C2D3 E4F5 G6H7.*K7QF 3XMA 9B4K 2PZD/)
    expect((await postIds(A.b, `/o/${A.slug}/ecodes/vouchers`, [ID[CODES.active]!, ID[CODES.used]!])).status).toBe(409)
    const none = await postIds(A.b, `/o/${A.slug}/ecodes/vouchers`, [])
    expect(none.status).toBe(303)
  })

  it('keeps the code when the voucher is personalized, and prints the name and message', async () => {
    const { org, user, b, slug } = await adminWithOrg(t, 'personal@example.com')
    const id = (await issue(org, user.id, ['PPPPQQQQRRRRSSSS']))['PPPPQQQQRRRRSSSS']!
    const tooLong = await b.post(`/o/${slug}/ecodes/${id}/personalization`, { recipientName: 'x'.repeat(101), message: '' })
    expect(tooLong.status).toBe(422)
    const saved = await b.post(`/o/${slug}/ecodes/${id}/personalization`, { recipientName: 'Łucja Żółć', message: 'Wszystkiego najlepszego, ąę!' })
    expect(saved.status).toBe(303)
    expect(textOf(await (await b.follow(saved)).text())).toContain('the e-code stays the same')
    const row = await codeRow(id)
    expect([row.recipientName, row.message]).toEqual(['Łucja Żółć', 'Wszystkiego najlepszego, ąę!'])
    const text = pdfText(new Uint8Array(await (await b.get(`/o/${slug}/ecodes/${id}/voucher.pdf`)).arrayBuffer()))
    expect(text).toContain('PPPP QQQQ RRRR SSSS')
    expect(text).toContain('Łucja Żółć')
    expect(await historyOf(org.id, 'ecode.personalized')).toHaveLength(1)
    expect((await A.b.post(`/o/${A.slug}/ecodes/${ID[CODES.used]}/personalization`, { recipientName: 'X' })).status).toBe(409)
  })
})

describe('sending a voucher by e-mail', () => {
  it('queues a mail in the sender’s language with the PDF attached and the redemption link, and records it', async () => {
    const { org, user, b, slug } = await adminWithOrg(t, 'sender@example.com')
    const id = (await issue(org, user.id, ['SSSSTTTTVVVVWWWW']))['SSSSTTTTVVVVWWWW']!
    expect((await b.get(`/o/${slug}/ecodes/${id}/sendings/new`)).status).toBe(200)
    const invalid = await b.post(`/o/${slug}/ecodes/${id}/sendings`, { recipientName: '', email: 'nope', message: '' })
    expect(invalid.status).toBe(422)
    const res = await b.post(`/o/${slug}/ecodes/${id}/sendings`, { recipientName: 'Łucja Żółć', email: 'Lucja@Example.com', message: 'Dla Ciebie!' })
    expect(res.status).toBe(303)
    expect(textOf(await (await b.follow(res)).text())).toContain('The gift card is on its way to lucja@example.com.')
    const [mail, ...more] = await openedAll(t, await t.db.select().from(outbox).where(eq(outbox.to, 'lucja@example.com')))
    expect(more).toEqual([])
    expect([mail!.template, mail!.language, mail!.status]).toEqual(['ecode.voucher', 'en', 'pending'])
    expect(mail!.subject).toBe(`${org.name} sends you a gift card: SimplySign`)
    expect(mail!.text).toContain('http://localhost/r/SSSSTTTTVVVVWWWW')
    expect(mail!.text).toContain('Their message: Dla Ciebie!')
    const [attachment] = mail!.attachments!
    expect([attachment!.filename, attachment!.contentType]).toEqual(['voucher-SSSS-TTTT-VVVV-WWWW.pdf', 'application/pdf'])
    const pdf = new Uint8Array(Buffer.from(attachment!.contentBase64, 'base64'))
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-')
    expect(pdfText(pdf)).toContain('SSSS TTTT VVVV WWWW')
    expect(pdfText(pdf)).toContain('Łucja Żółć')
    expect([(await codeRow(id)).recipientName, (await codeRow(id)).message]).toEqual(['Łucja Żółć', 'Dla Ciebie!'])
    const [entry] = await historyOf(org.id, 'ecode.sent')
    expect(entry!.details).toMatchObject({ to: 'lucja@example.com', code: '…WWWW' })
  })

  it('sends nothing for a code that is no longer active', async () => {
    const before = (await t.db.select().from(outbox)).length
    for (const code of [CODES.used, CODES.expiredLapsed, CODES.disposed]) {
      const res = await A.b.post(`/o/${A.slug}/ecodes/${ID[code]}/sendings`, { recipientName: 'X', email: 'x@example.com', message: '' })
      expect(res.status, code).toBe(409)
    }
    expect((await t.db.select().from(outbox)).length).toBe(before)
  })
})

describe('who may see and act on codes', () => {
  const routes = (slug: string, id: string): [string, string, Record<string, string>?][] => [
    ['GET', `/o/${slug}/ecodes/${id}/voucher.pdf`],
    ['GET', `/o/${slug}/ecodes/${id}/personalization`],
    ['POST', `/o/${slug}/ecodes/${id}/personalization`, { recipientName: 'X' }],
    ['GET', `/o/${slug}/ecodes/${id}/sendings/new`],
    ['POST', `/o/${slug}/ecodes/${id}/sendings`, { recipientName: 'X', email: 'x@example.com' }],
    ['GET', `/o/${slug}/ecodes/${id}/disposal`],
    ['POST', `/o/${slug}/ecodes/${id}/disposal`, { confirm: 'on' }],
  ]
  const send = (b: Browser, [method, path, form]: [string, string, Record<string, string>?]) => (method === 'GET' ? b.get(path) : b.post(path, form))

  it('answers 404 on every e-code route for another org’s code id, exactly as for a missing one', async () => {
    const foreign = ID[CODES.active]!
    for (const id of [foreign, 'doesnotexist']) {
      for (const route of routes(B.slug, id)) expect((await send(B.b, route)).status, `${route[0]} ${route[1]}`).toBe(404)
      expect((await postIds(B.b, `/o/${B.slug}/ecodes/vouchers`, [id])).status).toBe(404)
    }
    // B's list, report and search don't reach A's codes either.
    expect(idsOn(await (await B.b.get(`/o/${B.slug}/ecodes?q=${CODES.active}`)).text())).toEqual([])
    expect((await (await B.b.get(`/o/${B.slug}/ecodes.csv?tab=active`)).text()).trim().split('\r\n')).toHaveLength(1)
    // And A's own pages stay A's: B's admin is not a member there.
    expect((await B.b.get(`/o/${A.slug}/ecodes/${foreign}/voucher.pdf`)).status).toBe(404)
    expect((await codeRow(foreign)).status).toBe('active')
  })

  it('refuses members without permission on the product (403) and shows them no codes', async () => {
    const outsider = await memberOf(A.org, 'code-outsider@example.com', false)
    for (const route of routes(A.slug, ID[CODES.active]!)) expect((await send(outsider, route)).status, `${route[0]} ${route[1]}`).toBe(403)
    expect((await postIds(outsider, `/o/${A.slug}/ecodes/vouchers`, [ID[CODES.active]!])).status).toBe(403)
    const list = textOf(await (await outsider.get(`/o/${A.slug}/ecodes`)).text())
    expect(list).toContain('Active (0) Used (0) Expired (0) Disposed (0)')
    expect(list).not.toContain('A0B1')
    expect((await codeRow(ID[CODES.active]!)).status).toBe('active')
    const permitted = await memberOf(A.org, 'code-insider@example.com', true)
    expect(textOf(await (await permitted.get(`/o/${A.slug}/ecodes`)).text())).toContain('A0B1 C2D3 E4F5 G6H7')
    expect((await permitted.get(`/o/${A.slug}/ecodes/${ID[CODES.active]}/voucher.pdf`)).status).toBe(200)
  })
})
