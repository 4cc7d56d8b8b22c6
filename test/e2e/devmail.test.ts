// The developer mailbox in Chromium (issue 16, rule 6): the HTML part's button opens the link in the
// tab, as a mail client would (framed, the app's pages would show the browser's error page), and a
// voucher's PDF is listed and downloads. Axe on the mail's page.
import { describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { translator } from '../../src/i18n'
import { outbox } from '../../src/db/schema'
import { registerAccount } from '../../src/services/accounts'
import { enqueueMail, sealMail } from '../../src/mail/outbox'
import { expectNoAxeViolations, journeyServer, landOn, PHONE, watchConsole } from './helpers'

const en = translator('en')
const env = journeyServer()

describe('/dev/mail in Chromium', () => {
  test('the HTML part’s button opens the activation page in the tab; an attachment downloads (issue 16, rule 6)', { timeout: 60_000 }, async () => {
    const { deps } = env.server
    const email = `devmail-${Date.now()}@example.com`
    await registerAccount(deps, { name: 'Ewa Nowak', email, password: 'granite-willow-quiet-bridge', language: 'en', marketing: false }, deps.clock.now())
    const activation = (await deps.db.select().from(outbox).where(eq(outbox.to, email)).get())!
    const pdf = { filename: 'voucher-K7QF-3XMA-9B4K-2PZD.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.7 test voucher').toString('base64') }
    const mail = { subject: 'A gift card for you', html: '<p>Your gift card is attached.</p>', text: 'Your gift card is attached.' }
    const [voucher] = await enqueueMail(deps.db, await sealMail(deps.config.ecodeSecrets.encryptionKey, { to: email, language: 'en', template: 'ecode.voucher', mail, now: deps.clock.now(), attachments: [pdf] })).returning()

    const context = await env.browser.newContext({ ...PHONE, baseURL: env.server.baseUrl, locale: 'en-US', acceptDownloads: true })
    context.setDefaultTimeout(15_000)
    try {
      const page = await context.newPage()
      const console_ = watchConsole(page)
      await page.goto(`/dev/mail/${activation.id}`)
      await landOn(page, activation.subject)
      await expectNoAxeViolations(page, 'dev-mail/activation')
      await page.frameLocator('iframe.mail-frame').getByRole('link', { name: en('mail.activation.button') }).click()
      await landOn(page, en('activate.title'))
      expect(new URL(page.url()).pathname).toMatch(/^\/activate\/[A-Za-z0-9_-]+$/)
      expect(await page.locator('main').textContent()).toContain(email)

      await page.goto(`/dev/mail/${voucher!.id}`)
      await landOn(page, mail.subject)
      const attachments = page.getByRole('region', { name: en('devmail.attachments') })
      const [download] = await Promise.all([page.waitForEvent('download'), attachments.getByRole('link', { name: pdf.filename }).click()])
      expect(download.suggestedFilename()).toBe(pdf.filename)
      const chunks: Buffer[] = []
      for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer)
      expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.7 test voucher')
      await expectNoAxeViolations(page, 'dev-mail/voucher')
      console_.expectClean()
    } finally {
      await context.close()
    }
  })
})
