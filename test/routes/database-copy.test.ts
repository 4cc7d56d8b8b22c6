// Issue 15 item 2: a copy of the database (a backup, a stolen file) yields no usable secret. Real
// flows leave live secrets behind: an activation link, a reset link, an invitation, a voucher mailed
// with its PDF, an operator's authenticator. The file (and its WAL) is copied byte for byte while the
// mail is still waiting; the mail job then delivers it, which tells the test every secret the mails
// carried, and those secrets, in every form they could take, must be nowhere in the copy.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { eq, inArray } from 'drizzle-orm'
import { emailTokens, outbox, users } from '../../src/db/schema'
import { hashToken } from '../../src/auth/tokens'
import { decodeKey, displayKey } from '../../src/auth/totp'
import { formatECode } from '../../src/domain/ecode'
import { runNamedJob } from '../../src/jobs'
import { testApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { ecodeRow, issueCodes } from '../helpers/ecodes'
import { operatorWithAuthenticator } from '../helpers/operators'
import { createUser, linkIn } from '../helpers/users'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

/** The database as a backup would hold it: the file and its write-ahead log, every byte. */
function copyOfDatabase(): Buffer {
  const wal = `${t.file}-wal`
  return Buffer.concat([readFileSync(t.file), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)])
}

const SECRET_TEMPLATES = ['account.activation', 'account.reset', 'member.invitation', 'ecode.voucher']

describe('a copy of the database', async () => {
  // 1. Someone registers: the activation mail waits in the outbox.
  await t.browser().post('/register', { name: 'Ada Copy', email: 'ada@example.com', password: 'pierogi z jagodami', language: 'en', terms: 'on', privacy: 'on' })
  // 2. Someone forgot their password: the reset mail waits.
  await createUser(t.deps, { email: 'forgetful@example.com' })
  await t.browser().post('/password/forgot', { email: 'forgetful@example.com' })
  // 3. An administrator invites a person without an account, and mails a voucher with its PDF.
  const admin = await adminWithOrg(t, 'issuer@example.com')
  expect((await admin.b.post(`/o/${admin.slug}/invitations`, { email: 'invitee@example.com' })).status).toBe(303)
  const [code] = await issueCodes(t, admin.org, 'signature-1y', 1)
  const ecodeId = (await ecodeRow(t, code!)).id
  expect((await admin.b.post(`/o/${admin.slug}/ecodes/${ecodeId}/sendings`, { recipientName: 'Rita Recipient', email: 'rita@example.com', message: '' })).status).toBe(303)
  // 4. An operator sets up the authenticator and is shown the recovery code.
  const operator = await operatorWithAuthenticator(t, 'op@example.com')

  const whilePending = copyOfDatabase()
  const opsOutbox = await (await operator.b.get('/ops/outbox')).text()
  const pending = await t.db.select().from(outbox).where(inArray(outbox.template, SECRET_TEMPLATES))
  await runNamedJob(t.deps, 'mail', t.clock.now())
  const afterSending = copyOfDatabase()

  // What the mails carried, as their recipients got them.
  const delivered = (template: string) => {
    const row = pending.find((r) => r.template === template)!
    return t.mailer.sent.find((m) => m.to === row.to && m.subject === row.subject)!
  }
  const activationToken = linkIn(delivered('account.activation').text, '/activate/').split('/').pop()!
  const resetToken = linkIn(delivered('account.reset').text, '/password/reset/').split('/').pop()!
  const invitation = delivered('member.invitation').text
  const voucher = delivered('ecode.voucher')
  const pdf = voucher.attachments![0]!
  const totpKey = decodeKey(operator.key)

  it('was made while every kind of secret mail was still waiting, and the secrets the mails carried are live', async () => {
    expect(pending.map((r) => [r.template, r.status]).sort()).toEqual(SECRET_TEMPLATES.map((k) => [k, 'pending']).sort())
    expect((await t.browser().get(`/activate/${activationToken}`)).status).toBe(200)
    expect((await t.browser().get(`/password/reset/${resetToken}`)).status).toBe(200)
    expect(voucher.text).toContain(`/r/${code}`)
    expect((await t.browser().get(`/r/${code}`)).status).toBe(200)
    expect(invitation).toContain('/register?email=invitee%40example.com')
  })

  for (const [when, copy] of [['while the mail waits', whilePending], ['after the mail job sent it', afterSending]] as const) {
    describe(when, () => {
      const text = copy.toString('latin1')

      it('holds no activation or reset token, in clear or as a link', () => {
        for (const token of [activationToken, resetToken]) expect(text).not.toContain(token)
        expect(text).not.toMatch(/\/activate\/[a-z2-7]{32}/)
        expect(text).not.toMatch(/\/password\/reset\/[a-z2-7]{32}/)
      })

      it('holds no e-code, in any of its printed forms, and no voucher PDF', () => {
        for (const form of [code!, formatECode(code!), formatECode(code!).replace(/ /g, '-')]) expect(text).not.toContain(form)
        expect(text).not.toMatch(/\/r\/[0-9A-Z]{16}/)
        // No other PDF is stored by these flows: any PDF in the copy would be the voucher.
        expect(text).not.toContain('%PDF')
        expect(text).not.toContain('JVBERi0')
        const b64 = pdf.contentBase64
        for (let at = 200; at + 48 < b64.length; at += Math.floor(b64.length / 7)) expect(text).not.toContain(b64.slice(at, at + 48))
      })

      it('holds no invitation body', () => {
        expect(text).not.toContain('invitee%40example.com')
        const paragraph = invitation.split('\n\n')[0]!
        expect(paragraph.length).toBeGreaterThan(20)
        expect(text).not.toContain(paragraph)
      })

      it('holds no TOTP seed (raw, base64, base32, hex) and no recovery code', () => {
        expect(copy.indexOf(Buffer.from(totpKey))).toBe(-1)
        for (const form of [operator.key, displayKey(totpKey).replace(/ /g, ''), Buffer.from(totpKey).toString('hex'), Buffer.from(totpKey).toString('base64url')]) {
          expect(text).not.toContain(form)
        }
        expect(text).not.toContain(operator.recovery)
      })
    })
  }

  it('shows operators on /ops/outbox who gets which mail, and none of the secrets', () => {
    for (const row of pending) expect(opsOutbox).toContain(row.to)
    for (const secret of [activationToken, resetToken, code!, formatECode(code!)]) expect(opsOutbox).not.toContain(secret)
    expect(opsOutbox).not.toMatch(/\/activate\/|\/password\/reset\/|\/r\/[0-9A-Z]{16}/)
  })

  it('keeps the link tokens only as hashes, and the TOTP seed only sealed', async () => {
    const ids = (await t.db.select({ id: emailTokens.id }).from(emailTokens)).map((r) => r.id)
    expect(ids).toEqual(expect.arrayContaining([hashToken(activationToken), hashToken(resetToken)]))
    const op = await t.db.select().from(users).where(eq(users.email, 'op@example.com')).get()
    expect(op!.totpKey).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(op!.totpRecoveryHash).toBe(hashToken(operator.recovery.toLowerCase()))
  })

  it('keeps of a sent secret mail only its recipient, subject, template, status and times', async () => {
    const rows = await t.db.select().from(outbox).where(inArray(outbox.template, SECRET_TEMPLATES))
    expect(rows).toHaveLength(4)
    for (const row of rows) {
      const before = pending.find((r) => r.id === row.id)!
      expect(row).toMatchObject({ to: before.to, subject: before.subject, template: before.template, status: 'sent', html: '', text: '', attachments: null })
      expect(row.sentAt).toEqual(t.clock.now())
    }
  })
})
