// Mail that carries a secret (issue 15, src/mail/sealed.ts): stored sealed, opened only to be sent or
// shown on /dev/mail, its body erased once it is sent or given up; mail queued in clear before the
// upgrade is erased too, by the job or by migration 0023.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { eq } from 'drizzle-orm'
import { outbox } from '../../src/db/schema'
import { MIGRATIONS_DIR } from '../../src/db/local'
import { MINUTE } from '../../src/clock'
import { enqueueMail, sealMail } from '../../src/mail/outbox'
import { runNamedJob } from '../../src/jobs'
import { testApp, textOf } from '../helpers/app'

const t = await testApp()
const mail = { subject: 'Reset your password', html: '<p><a href="http://localhost/password/reset/tok3n">Reset</a></p>', text: 'Reset:\nhttp://localhost/password/reset/tok3n' }
const pdf = { filename: 'voucher-AAAA-BBBB-CCCC-DDDD.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.7 AAAA BBBB CCCC DDDD').toString('base64') }
const rowOf = async (id: string) => (await t.db.select().from(outbox).where(eq(outbox.id, id)).get())!

async function queueSealed(to: string, template = 'account.reset', attachments?: (typeof pdf)[], key = t.config.ecodeSecrets.encryptionKey) {
  const [row] = await enqueueMail(t.db, await sealMail(key, { to, language: 'en', template, mail, now: t.clock.now(), attachments })).returning()
  return row!
}

describe('a mail that carries a secret', () => {
  it('cannot be queued in clear', () => {
    for (const template of ['account.activation', 'account.reset', 'member.invitation', 'ecode.voucher', 'ecode.report_resolved']) {
      expect(() => enqueueMail(t.db, { to: 'x@example.com', language: 'en', template, mail, now: t.clock.now() })).toThrow(/carries a secret/)
    }
  })

  it('is stored sealed, field by field, with recipient, subject and template in clear', async () => {
    const row = await queueSealed('sealed@example.com', 'ecode.voucher', [pdf])
    expect(row).toMatchObject({ to: 'sealed@example.com', subject: 'Reset your password', template: 'ecode.voucher', sealed: true, status: 'pending' })
    for (const value of [row.html, row.text, row.attachments![0]!.filename, row.attachments![0]!.contentBase64]) expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(JSON.stringify(row)).not.toContain('tok3n')
    expect(JSON.stringify(row)).not.toContain('AAAA')
    await t.db.delete(outbox).where(eq(outbox.id, row.id))
  })

  it('goes out opened, its PDF too, and once sent keeps no body', async () => {
    t.mailer.sent = []
    const plain = await queueSealed('plain@example.com')
    const single = await queueSealed('voucher@example.com', 'ecode.voucher', [pdf])
    expect(await runNamedJob(t.deps, 'mail', t.clock.now())).toMatchObject({ counts: { sent: 2 } })
    expect(t.mailer.sent.find((m) => m.to === 'plain@example.com')).toMatchObject({ subject: mail.subject, html: mail.html, text: mail.text })
    expect(t.mailer.sent.find((m) => m.to === 'voucher@example.com')).toMatchObject({ html: mail.html, text: mail.text, attachments: [pdf] })
    for (const id of [plain.id, single.id]) {
      expect(await rowOf(id)).toMatchObject({ status: 'sent', sealed: true, subject: mail.subject, html: '', text: '', attachments: null, sentAt: t.clock.now() })
    }
  })

  it('keeps its sealed body while it is retried, and loses it when given up after 10 attempts', async () => {
    const row = await queueSealed('bounces@example.com')
    t.mailer.failing = true
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(await rowOf(row.id)).toMatchObject({ status: 'pending', html: row.html, text: row.text })
    for (let i = 0; i < 9; i++) {
      t.clock.advance(13 * 60 * MINUTE)
      await runNamedJob(t.deps, 'mail', t.clock.now())
    }
    t.mailer.failing = false
    expect(await rowOf(row.id)).toMatchObject({ status: 'failed', attempts: 10, html: '', text: '', attachments: null, lastError: 'provider unavailable (test)' })
  })

  it('sealed under another ECODE_ENCRYPTION_KEY is given up at once, with the reason and no body, and the other mail still goes', async () => {
    t.mailer.sent = []
    const stale = await queueSealed('stale@example.com', 'account.reset', undefined, randomBytes(32).toString('base64'))
    const fresh = await queueSealed('fresh@example.com')
    expect(await runNamedJob(t.deps, 'mail', t.clock.now())).toMatchObject({ counts: { sent: 1, failed: 1 } })
    expect(t.mailer.sent.map((m) => m.to)).toEqual(['fresh@example.com'])
    expect(await rowOf(stale.id)).toMatchObject({ status: 'failed', html: '', text: '', lastError: 'not sent: mail ciphertext failed authentication: another key (ECODE_ENCRYPTION_KEY) or altered data' })
    expect((await rowOf(fresh.id)).status).toBe('sent')
  })

  it('queued in clear before sealing existed is sent as it is, then erased', async () => {
    const id = 'legacyclearmail0001'
    await t.db.insert(outbox).values({ id, to: 'legacy@example.com', template: 'account.activation', language: 'en', ...mail, status: 'pending', nextAttemptAt: t.clock.now(), createdAt: t.clock.now() })
    t.mailer.sent = []
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(t.mailer.sent).toMatchObject([{ to: 'legacy@example.com', text: mail.text }])
    expect(await rowOf(id)).toMatchObject({ status: 'sent', sealed: false, html: '', text: '' })
  })

  it('of any other template keeps its body, as before', async () => {
    const [row] = await enqueueMail(t.db, { to: 'notice@example.com', language: 'en', template: 'account.password_changed', mail, now: t.clock.now() }).returning()
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(await rowOf(row!.id)).toMatchObject({ status: 'sent', sealed: false, html: mail.html, text: mail.text })
  })
})

describe('/dev/mail', () => {
  it('shows a sealed mail opened, its links clickable and its HTML part framed', async () => {
    const local = await testApp({ mailer: 'none' })
    const [row] = await enqueueMail(local.db, await sealMail(local.config.ecodeSecrets.encryptionKey, { to: 'dev@example.com', language: 'en', template: 'account.reset', mail, now: local.clock.now() })).returning()
    expect(await runNamedJob(local.deps, 'mail', local.clock.now())).toMatchObject({ counts: { kept: 1 } })
    const page = await (await local.browser().get(`/dev/mail/${row!.id}`)).text()
    expect(page).toContain('<a href="http://localhost/password/reset/tok3n">')
    expect(await (await local.browser().get(`/dev/mail/${row!.id}/html`)).text()).toBe('<base target="_top">' + mail.html)
  })

  it('frames the HTML part so that its buttons open in the whole tab, and lists the attachments to download (issue 16, rule 6)', async () => {
    const local = await testApp({ mailer: 'none' })
    const html = '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><a href="http://localhost/r/AAAABBBBCCCCDDDD">Redeem</a></body></html>'
    const [row] = await enqueueMail(local.db, await sealMail(local.config.ecodeSecrets.encryptionKey, { to: 'gift@example.com', language: 'en', template: 'ecode.voucher', mail: { ...mail, html }, now: local.clock.now(), attachments: [pdf] })).returning()
    const page = await (await local.browser().get(`/dev/mail/${row!.id}`)).text()
    // Sandboxed (no scripts, forms or popups), but a click may navigate the tab: the app's pages refuse to be framed.
    expect(page).toContain(`<iframe class="mail-frame" title="HTML part" src="/dev/mail/${row!.id}/html" sandbox="allow-top-navigation-by-user-activation"></iframe>`)
    const framed = await local.browser().get(`/dev/mail/${row!.id}/html`)
    expect(await framed.text()).toBe(html.replace('<head>', '<head><base target="_top">'))
    expect(framed.headers.get('Content-Security-Policy')).toContain('sandbox allow-top-navigation-by-user-activation')
    expect(framed.headers.get('Content-Security-Policy')).not.toMatch(/allow-scripts|allow-forms|allow-popups|allow-same-origin/)
    // The voucher's PDF is listed and downloads as it would be attached.
    expect(textOf(page)).toContain('Attachments voucher-AAAA-BBBB-CCCC-DDDD.pdf application/pdf · 1 KB')
    const file = await local.browser().get(`/dev/mail/${row!.id}/attachments/0`)
    expect(file.status).toBe(200)
    expect(file.headers.get('Content-Type')).toBe('application/pdf')
    expect(file.headers.get('Content-Disposition')).toBe('attachment; filename="voucher-AAAA-BBBB-CCCC-DDDD.pdf"')
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.7 AAAA BBBB CCCC DDDD')
    expect((await local.browser().get(`/dev/mail/${row!.id}/attachments/1`)).status).toBe(404)
  })

  it('says when the body was erased after sending, and when it was sealed under another key', async () => {
    const erased = await queueSealed('gone@example.com')
    await runNamedJob(t.deps, 'mail', t.clock.now())
    expect(textOf(await (await t.browser().get(`/dev/mail/${erased.id}`)).text())).toContain('its body was erased once it was sent')
    expect((await t.browser().get(`/dev/mail/${erased.id}/html`)).status).toBe(404)
    const local = await testApp({ mailer: 'none' })
    const [stale] = await enqueueMail(local.db, await sealMail(randomBytes(32).toString('hex'), { to: 'old@example.com', language: 'en', template: 'account.reset', mail, now: local.clock.now() })).returning()
    expect(textOf(await (await local.browser().get(`/dev/mail/${stale!.id}`)).text())).toContain('sealed under another ECODE_ENCRYPTION_KEY')
  })
})

describe('migration 0023', () => {
  it('erases the bodies of secret mail sent or given up before it, and leaves the rest', async () => {
    const client = createClient({ url: ':memory:' })
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()
    const run = async (file: string) => {
      for (const statement of readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint')) await client.execute(statement)
    }
    for (const file of files.slice(0, files.indexOf('0023_sealed_secrets.sql'))) await run(file)
    const insert = (id: string, template: string, status: string) =>
      client.execute({ sql: `insert into outbox (id, "to", template, language, subject, html, text, status, next_attempt_at, created_at, attachments) values (?, 'x@example.com', ?, 'en', 'Subject', '<p>body</p>', 'body', ?, 0, 0, ?)`, args: [id, template, status, template === 'ecode.voucher' ? JSON.stringify([pdf]) : null] })
    await insert('sent-reset', 'account.reset', 'sent')
    await insert('failed-voucher', 'ecode.voucher', 'failed')
    await insert('pending-activation', 'account.activation', 'pending')
    await insert('sent-order', 'order.confirmation', 'sent')
    await run('0023_sealed_secrets.sql')
    const rows = (await client.execute('select id, subject, html, text, attachments, sealed from outbox order by id')).rows.map((r) => ({ ...r }))
    expect(rows).toEqual([
      { id: 'failed-voucher', subject: 'Subject', html: '', text: '', attachments: null, sealed: 0 },
      { id: 'pending-activation', subject: 'Subject', html: '<p>body</p>', text: 'body', attachments: null, sealed: 0 },
      { id: 'sent-order', subject: 'Subject', html: '<p>body</p>', text: 'body', attachments: null, sealed: 0 },
      { id: 'sent-reset', subject: 'Subject', html: '', text: '', attachments: null, sealed: 0 },
    ])
    client.close()
  })
})
