// Administrator rights by a signed statement (SPEC §3.2): the pre-filled PDF, the upload of the
// signed scan, and the operators' review.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { PDFDocument } from 'pdf-lib'
import { displayTaxId } from '../../src/domain/tax-id'
import { blobChunks, blobs, history, memberships, orgs, outbox, statements, users } from '../../src/db/schema'
import { testApp, textOf, type Browser } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { pdfText } from '../helpers/pdf'
import { databaseBlobStore } from '../../src/blob/database'
import { nextNip, signedIn as signIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
const ops = await operatorWithAuthenticator(t, 'reviewer@vendor.example', 'Olga Operator')

const signedIn = (email: string, language: 'en' | 'pl' | 'it' = 'en', name?: string) => signIn(t, email, name ? { language, name } : { language })

/** A company created by its administrator, and a member without administrator rights. */
async function company(name: string, memberLanguage: 'en' | 'pl' | 'it' = 'en', memberName?: string) {
  const tag = Math.random().toString(36).slice(2, 8)
  const admin = await signedIn(`admin-${tag}@example.com`)
  const res = await admin.b.post('/orgs', { name, country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Kraków', billingEmail: admin.user.email })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  const member = await signedIn(`member-${tag}@example.com`, memberLanguage, memberName)
  await t.db.insert(memberships).values({ orgId: org.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
  return { org, slug, admin, member }
}

async function addMember(orgId: string, email: string, language: 'en' | 'pl' | 'it' = 'en') {
  const m = await signedIn(email, language)
  await t.db.insert(memberships).values({ orgId, userId: m.user.id, role: 'member', createdAt: t.clock.now() })
  return m
}

function upload(b: Browser, slug: string, bytes: Uint8Array, name: string, type: string, origin = t.config.baseUrl) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
  return b.send(`/o/${slug}/statements`, { method: 'POST', body: form, headers: { Origin: origin } })
}

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))
const PNG = fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==')
const JPEG = fromBase64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
)
async function smallPdf() {
  const doc = await PDFDocument.create()
  doc.addPage([200, 200]).drawText('signed')
  return doc.save()
}

const stored = async (orgId: string) => ({
  statements: (await t.db.select().from(statements).where(eq(statements.orgId, orgId))).length,
  blobs: (await t.db.select({ key: blobs.key }).from(blobs)).length,
  history: (await t.db.select().from(history).where(and(eq(history.orgId, orgId), eq(history.kind, 'statement.uploaded')))).length,
})

describe('the pre-filled statement', () => {
  it('is one A4 page in the member’s language with the company (Polish letters), tax id, login e-mail, name and date', async () => {
    const { slug, org, member } = await company('Zakład Źródlany „Żółć” Sp. z o.o.', 'pl', 'Łucja Ślęzak')
    const res = await member.b.get(`/o/${slug}/statement.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/pdf')
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="statement-${slug}.pdf"`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
    const text = pdfText(bytes)
    expect(text).toContain('Oświadczenie o umocowaniu')
    expect(text).toContain('Zakład Źródlany „Żółć” Sp. z o.o.')
    expect(text).toContain(`NIP / VAT ${displayTaxId(org.taxId!)}`)
    expect(text).toContain('Łucja Ślęzak')
    expect(text).toContain(member.user.email)
    expect(text).toContain('20 listopada 2026')
    expect(text).toContain('oświadczam, że jestem umocowany(-a) do działania w imieniu Zakład Źródlany „Żółć” Sp. z o.o.')
    expect(text).toContain(`${t.config.baseUrl}/o/${slug}/statement`)
  })

  it('speaks Italian to an Italian member, accents included', async () => {
    const { slug, member } = await company('Caffè Perù Società', 'it', 'Niccolò Làzzari')
    const text = pdfText(new Uint8Array(await (await member.b.get(`/o/${slug}/statement.pdf`)).arrayBuffer()))
    expect(text).toContain('Dichiarazione di autorizzazione')
    expect(text).toContain('Io sottoscritto/a Niccolò Làzzari dichiaro di essere autorizzato/a ad agire per conto di Caffè Perù Società')
    expect(text).toContain('20 novembre 2026')
  })

  it('may be downloaded by an administrator too, who is told they don’t need it', async () => {
    const { slug, admin } = await company('Admin Download sp. z o.o.')
    expect((await admin.b.get(`/o/${slug}/statement.pdf`)).status).toBe(200)
    const page = textOf(await (await admin.b.get(`/o/${slug}/statement`)).text())
    expect(page).toContain('You are an administrator of Admin Download sp. z o.o.: you do not need a statement')
    expect(page).not.toContain('Upload for review')
  })
})

describe('uploading the signed statement', () => {
  it('the page explains download, sign and upload', async () => {
    const { slug, member } = await company('Steps sp. z o.o.')
    const html = await (await member.b.get(`/o/${slug}/statement`)).text()
    expect(html).toContain(`href="/o/${slug}/statement.pdf"`)
    expect(html).toContain(`action="/o/${slug}/statements" enctype="multipart/form-data"`)
    expect(html).toContain('name="file" type="file"')
    const text = textOf(html)
    expect(text).toContain('Download the statement (PDF)')
    expect(text).toContain('Print it and sign it by hand.')
    expect(text).toContain('PDF, JPEG or PNG, at most 10 MB.')
  })

  it('accepts a PDF, a PNG and a JPEG recognised by their content, stores the file and records the upload', async () => {
    const { slug, org, member } = await company('Uploads sp. z o.o.')
    const others = [await addMember(org.id, 'png-uploader@example.com'), await addMember(org.id, 'jpeg-uploader@example.com')]
    const files = [
      { who: member, bytes: await smallPdf(), name: 'scan.pdf', declared: 'application/pdf', type: 'application/pdf' },
      // Names and declared types don't matter; the bytes do.
      { who: others[0]!, bytes: PNG, name: 'photo', declared: 'application/octet-stream', type: 'image/png' },
      { who: others[1]!, bytes: JPEG, name: 'IMG_0001.JPG', declared: 'image/jpeg', type: 'image/jpeg' },
    ]
    for (const f of files) {
      const res = await upload(f.who.b, slug, f.bytes, f.name, f.declared)
      expect(res.status).toBe(303)
      expect(res.headers.get('Location')).toBe(`/o/${slug}/statement`)
      const row = (await t.db.select().from(statements).where(and(eq(statements.orgId, org.id), eq(statements.userId, f.who.user.id))).get())!
      expect(row).toMatchObject({ status: 'pending', contentType: f.type, size: f.bytes.byteLength, fileName: f.name })
      expect(await databaseBlobStore(t.db).get(row.fileKey)).toEqual({ bytes: new Uint8Array(f.bytes), contentType: f.type })
      const entry = (await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.subjectId, row.id))).get())!
      expect(entry).toMatchObject({ kind: 'statement.uploaded', actorType: 'user', actorId: f.who.user.id })
    }
  })

  it('shows the pending upload with its date and refuses a second one while it waits', async () => {
    const { slug, org, member } = await company('Pending sp. z o.o.')
    const first = await upload(member.b, slug, PNG, 'scan.png', 'image/png')
    expect(textOf(await (await member.b.follow(first)).text())).toContain('Thank you. Your statement is waiting for review')
    const page = textOf(await (await member.b.get(`/o/${slug}/statement`)).text())
    expect(page).toContain('Your statement uploaded on 20 Nov 2026, 11:00 is waiting for review.')
    expect(page).not.toContain('Upload for review')
    const before = await stored(org.id)
    const second = await upload(member.b, slug, JPEG, 'again.jpg', 'image/jpeg')
    expect(second.status).toBe(409)
    expect(textOf(await second.text())).toContain('Your earlier statement is still waiting for review.')
    expect(await stored(org.id)).toEqual(before)
  })

  it('refuses a renamed program, a file over 10 MB and an empty file with a clear message, storing nothing', async () => {
    const { slug, org, member } = await company('Refusals sp. z o.o.')
    const before = await stored(org.id)
    const exe = new Uint8Array(4096)
    exe.set([0x4d, 0x5a, 0x90, 0x00]) // "MZ": a Windows program
    const cases = [
      { bytes: exe, name: 'statement.pdf', status: 415, message: 'This file is not a PDF, JPEG or PNG (whatever its name says).' },
      { bytes: new Uint8Array(11 * 1024 * 1024).fill(0x25, 0, 1).fill(0x50, 1, 2), name: 'big.pdf', status: 413, message: 'The file is larger than 10 MB.' },
      { bytes: new Uint8Array(0), name: 'empty.pdf', status: 422, message: 'The file is empty.' },
    ]
    for (const c of cases) {
      const res = await upload(member.b, slug, c.bytes, c.name, 'application/pdf')
      expect(res.status).toBe(c.status)
      const html = await res.text()
      expect(textOf(html)).toContain(c.message)
      expect(html).toContain('id="f-file-error"')
    }
    // Just over 10 MB but within the request limit: refused by the size rule itself.
    const pdfHeader = new TextEncoder().encode('%PDF-1.7\n')
    const justOver = new Uint8Array(10 * 1024 * 1024 + 1)
    justOver.set(pdfHeader)
    expect((await upload(member.b, slug, justOver, 'scan.pdf', 'application/pdf')).status).toBe(413)
    const none = await member.b.send(`/o/${slug}/statements`, { method: 'POST', body: new FormData(), headers: { Origin: t.config.baseUrl } })
    expect(none.status).toBe(422)
    expect(textOf(await none.text())).toContain('Choose the file with the signed statement.')
    expect(await stored(org.id)).toEqual(before)
  })

  it('keeps the 64 KB limit for every other form', async () => {
    const { slug, admin } = await company('Limits sp. z o.o.')
    const res = await admin.b.post(`/o/${slug}/settings/company`, { name: 'x'.repeat(70 * 1024) })
    expect(res.status).toBe(413)
  })

  it('an administrator has nothing to upload', async () => {
    const { slug, org, admin } = await company('Admin Upload sp. z o.o.')
    const res = await upload(admin.b, slug, PNG, 'scan.png', 'image/png')
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('You are already an administrator of this organization.')
    expect((await stored(org.id)).statements).toBe(0)
  })

  it('another org’s slug and a non-member answer 404; a cross-site form 403', async () => {
    const a = await company('Org A sp. z o.o.')
    const b = await company('Org B sp. z o.o.')
    for (const path of ['/statement', '/statement.pdf']) expect((await a.member.b.get(`/o/${b.slug}${path}`)).status).toBe(404)
    expect((await upload(a.member.b, b.slug, PNG, 'scan.png', 'image/png')).status).toBe(404)
    const outsider = await signedIn('outsider@example.com')
    expect((await outsider.b.get(`/o/${a.slug}/statement.pdf`)).status).toBe(404)
    expect((await upload(outsider.b, a.slug, PNG, 'scan.png', 'image/png')).status).toBe(404)
    const before = await stored(a.org.id)
    expect((await upload(a.member.b, a.slug, PNG, 'scan.png', 'image/png', 'https://evil.example')).status).toBe(403)
    expect(await stored(a.org.id)).toEqual(before)
  })
})

describe('operators review statements', () => {
  /** A member's pending statement, uploaded now; returns its row. */
  async function pending(name: string, file: Uint8Array = PNG, language: 'en' | 'pl' | 'it' = 'en') {
    const c = await company(name, language)
    expect((await upload(c.member.b, c.slug, file, 'scan', 'image/png')).status).toBe(303)
    const row = (await t.db.select().from(statements).where(eq(statements.userId, c.member.user.id)).get())!
    return { ...c, statement: row }
  }

  it('see the queue oldest first with org, person and time, and the count in the menu', async () => {
    t.clock.set('2026-11-20T14:00:00Z')
    const older = await pending('Queue Older sp. z o.o.')
    t.clock.advance(60 * 60_000)
    const newer = await pending('Queue Newer sp. z o.o.')
    const html = await (await ops.b.get('/ops/statements')).text()
    const text = textOf(html)
    const waiting = (await t.db.select().from(statements).where(eq(statements.status, 'pending'))).length
    expect(text).toContain(`Statements (${waiting} waiting)`)
    expect(text).toContain(`20 Nov 2026, 14:00 Queue Older sp. z o.o. ${older.member.user.name} <${older.member.user.email}> Review`)
    expect(text.indexOf('Queue Older')).toBeLessThan(text.indexOf('Queue Newer'))
    expect(html).toContain(`href="/ops/statements/${newer.statement.id}"`)
  })

  it('see an image inline and a PDF as a link; the file comes as stored, inline or as a download', async () => {
    const image = await pending('Inline Image sp. z o.o.')
    const html = await (await ops.b.get(`/ops/statements/${image.statement.id}`)).text()
    expect(html).toContain(`<img class="scan" src="/ops/statements/${image.statement.id}/file" alt="The signed statement uploaded by ${image.member.user.name}"`)
    expect(textOf(html)).toContain(`Role now member`)
    const file = await ops.b.get(`/ops/statements/${image.statement.id}/file`)
    expect(file.status).toBe(200)
    expect(file.headers.get('Content-Type')).toBe('image/png')
    expect(file.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(file.headers.get('Content-Disposition')).toBe(`inline; filename="statement-${image.statement.id}.png"`)
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG)
    const download = await ops.b.get(`/ops/statements/${image.statement.id}/file?download=1`)
    expect(download.headers.get('Content-Disposition')).toBe(`attachment; filename="statement-${image.statement.id}.png"`)

    const pdf = await pending('Inline Pdf sp. z o.o.', await smallPdf())
    const pdfPage = await (await ops.b.get(`/ops/statements/${pdf.statement.id}`)).text()
    expect(pdfPage).toContain(`<a href="/ops/statements/${pdf.statement.id}/file" target="_blank" rel="noopener">Open the PDF</a>`)
    expect((await ops.b.get(`/ops/statements/${pdf.statement.id}/file`)).headers.get('Content-Type')).toBe('application/pdf')
  })

  it('approve: the member becomes an administrator, is e-mailed in their language, and the history says who did it; a second approval is refused', async () => {
    const p = await pending('Approve Żółw sp. z o.o.', PNG, 'pl')
    const res = await ops.b.post(`/ops/statements/${p.statement.id}/approval`)
    expect(res.status).toBe(303)
    expect(textOf(await (await ops.b.follow(res)).text())).toContain(`${p.member.user.name} is now an administrator of Approve Żółw sp. z o.o.`)
    const membership = await t.db.select().from(memberships).where(and(eq(memberships.orgId, p.org.id), eq(memberships.userId, p.member.user.id))).get()
    expect(membership!.role).toBe('admin')
    expect(await t.db.select().from(statements).where(eq(statements.id, p.statement.id)).get()).toMatchObject({ status: 'approved', decidedBy: ops.user.id })
    const mails = await t.db.select().from(outbox).where(and(eq(outbox.to, p.member.user.email), eq(outbox.template, 'statement.approved')))
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ language: 'pl', subject: 'Jesteś teraz administratorem Approve Żółw sp. z o.o.' })
    expect(mails[0]!.text).toContain(`${t.config.baseUrl}/o/${p.slug}`)
    const entries = await t.db.select().from(history).where(and(eq(history.orgId, p.org.id), eq(history.kind, 'statement.approved')))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ actorType: 'operator', actorId: ops.user.id, subjectId: p.statement.id })
    expect(entries[0]!.details).toMatchObject({ from: 'member', to: 'admin' })

    const again = await ops.b.post(`/ops/statements/${p.statement.id}/approval`)
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('This statement has already been decided.')
    expect(await t.db.select().from(history).where(and(eq(history.orgId, p.org.id), eq(history.kind, 'statement.approved')))).toHaveLength(1)
    expect(await t.db.select().from(outbox).where(and(eq(outbox.to, p.member.user.email), eq(outbox.template, 'statement.approved')))).toHaveLength(1)
    // The member's page now says so, in Polish.
    expect(textOf(await (await p.member.b.get(`/o/${p.slug}/statement`)).text())).toContain('zostało zaakceptowane')
  })

  it('approve is refused when the author is no longer a member; the statement stays pending', async () => {
    const p = await pending('Left Meanwhile sp. z o.o.')
    await t.db.delete(memberships).where(and(eq(memberships.orgId, p.org.id), eq(memberships.userId, p.member.user.id)))
    const res = await ops.b.post(`/ops/statements/${p.statement.id}/approval`)
    expect(res.status).toBe(409)
    expect(textOf(await res.text())).toContain('This person is no longer a member of the organization, so the statement can’t be approved.')
    expect((await t.db.select().from(statements).where(eq(statements.id, p.statement.id)).get())!.status).toBe('pending')
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, p.member.user.id))).toEqual([])
    expect(await t.db.select().from(history).where(and(eq(history.orgId, p.org.id), eq(history.kind, 'statement.approved')))).toEqual([])
  })

  it('reject needs a reason; the member is e-mailed it, the history records it, and a new upload is possible', async () => {
    const p = await pending('Reject sp. z o.o.', PNG, 'it')
    const empty = await ops.b.post(`/ops/statements/${p.statement.id}/rejection`, { reason: '  ' })
    expect(empty.status).toBe(422)
    expect(textOf(await empty.text())).toContain('Enter the reason; the person is told it.')
    expect((await t.db.select().from(statements).where(eq(statements.id, p.statement.id)).get())!.status).toBe('pending')

    const reason = 'The signature is missing.'
    const res = await ops.b.post(`/ops/statements/${p.statement.id}/rejection`, { reason })
    expect(res.status).toBe(303)
    expect(await t.db.select().from(statements).where(eq(statements.id, p.statement.id)).get()).toMatchObject({ status: 'rejected', reason, decidedBy: ops.user.id })
    const [mail] = await t.db.select().from(outbox).where(and(eq(outbox.to, p.member.user.email), eq(outbox.template, 'statement.rejected')))
    expect(mail).toMatchObject({ language: 'it', subject: 'La tua dichiarazione per Reject sp. z o.o. è stata respinta' })
    expect(mail!.text).toContain(`Motivo: ${reason}`)
    expect(mail!.text).toContain(`${t.config.baseUrl}/o/${p.slug}/statement`)
    const [entry] = await t.db.select().from(history).where(and(eq(history.orgId, p.org.id), eq(history.kind, 'statement.rejected')))
    expect(entry).toMatchObject({ actorType: 'operator', actorId: ops.user.id })
    expect(entry!.details).toMatchObject({ reason })
    expect((await t.db.select().from(memberships).where(and(eq(memberships.orgId, p.org.id), eq(memberships.userId, p.member.user.id))).get())!.role).toBe('member')

    const page = textOf(await (await p.member.b.get(`/o/${p.slug}/statement`)).text())
    expect(page).toContain(`è stata respinta. Motivo: ${reason}`)
    expect(page).toContain('Carica per la verifica')
    expect((await upload(p.member.b, p.slug, JPEG, 'better.jpg', 'image/jpeg')).status).toBe(303)
    expect(await ops.b.post(`/ops/statements/${p.statement.id}/rejection`, { reason }).then((r) => r.status)).toBe(409)
  })

  it('to everyone but operators every /ops/statements route is a 404; cross-site decisions are refused', async () => {
    const p = await pending('Guarded sp. z o.o.')
    const id = p.statement.id
    for (const who of [p.member, p.admin]) {
      for (const path of ['/ops/statements', `/ops/statements/${id}`, `/ops/statements/${id}/file`, `/ops/statements/${id}/file?download=1`]) {
        expect((await who.b.get(path)).status).toBe(404)
      }
      expect((await who.b.post(`/ops/statements/${id}/approval`)).status).toBe(404)
      expect((await who.b.post(`/ops/statements/${id}/rejection`, { reason: 'x' })).status).toBe(404)
    }
    expect((await ops.b.post(`/ops/statements/${id}/approval`, {}, { Origin: 'https://evil.example' })).status).toBe(403)
    expect((await ops.b.get('/ops/statements/unknown')).status).toBe(404)
    expect((await t.db.select().from(statements).where(eq(statements.id, id)).get())!.status).toBe('pending')
  })

  it('a scan of several megabytes is kept in 1 MiB chunks and comes back byte for byte', async () => {
    const big = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => (i * 7919) % 251)
    big.set(PNG.subarray(0, 8))
    const p = await pending('Big Scan sp. z o.o.', big)
    expect(await t.db.select({ seq: blobChunks.seq }).from(blobChunks).where(eq(blobChunks.key, p.statement.fileKey))).toHaveLength(3)
    const file = await ops.b.get(`/ops/statements/${p.statement.id}/file?download=1`)
    // Compared as buffers: a deep equality over 2.5 million elements takes seconds.
    const back = Buffer.from(await file.arrayBuffer())
    expect([back.length, back.equals(Buffer.from(big))]).toEqual([big.length, true])
  })

  it('a closed account takes its statements and their files along', async () => {
    const p = await pending('Closed Account sp. z o.o.')
    await t.db.delete(users).where(eq(users.id, p.member.user.id))
    expect(await t.db.select().from(statements).where(eq(statements.id, p.statement.id))).toEqual([])
    expect(await t.db.select({ key: blobs.key }).from(blobs).where(eq(blobs.key, p.statement.fileKey))).toEqual([])
    expect(await t.db.select({ key: blobChunks.key }).from(blobChunks).where(eq(blobChunks.key, p.statement.fileKey))).toEqual([])
  })
})
