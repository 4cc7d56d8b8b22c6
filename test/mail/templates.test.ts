// Every e-mail template in every language, rendered with names that end in a period (as Polish and
// Italian company names do: "sp. z o.o.", "S.p.A."): no placeholder left unfilled, no doubled period.
import { describe, expect, it } from 'vitest'
import { LANGUAGES, type Language } from '../../src/i18n'
import { loadConfig } from '../../src/config'
import type { RenderedMail } from '../../src/mail/templates/layout'
import * as account from '../../src/mail/templates/account'
import { digestMail } from '../../src/mail/templates/digest'
import { reportResolvedMail } from '../../src/mail/templates/ecode-reports'
import { ecodeVoucherMail } from '../../src/mail/templates/ecodes'
import * as lapse from '../../src/mail/templates/lapse'
import { manualRenewalMail } from '../../src/mail/templates/lifecycle'
import * as members from '../../src/mail/templates/members'
import * as orders from '../../src/mail/templates/orders'
import * as purges from '../../src/mail/templates/purges'
import { renewalDeclinedMail } from '../../src/mail/templates/renewals'
import * as statements from '../../src/mail/templates/statements'

const ORG = 'Nowak i Syn sp. z o.o.'
const PERSON = 'Rossi S.p.A.'
const PRODUCT = 'aleSekretariat'
const URL_ = 'https://panel.example.com/o/nowak/x'
const DATE = new Date('2026-12-07T01:48:00Z')
const vendorConfig = loadConfig({ KONTOR_ENV: 'test' }).vendor
const order = { number: 'ZAM/2026/12/0001', currency: 'PLN', netMinor: 10000, vatMinor: 2300, grossMinor: 12300, paymentMethod: 'transfer' as const }

/** Each template with data that fills every branch its messages have. */
function everyMail(lang: Language): [string, RenderedMail][] {
  const ctx = { lang, vendor: 'Kontor' }
  const to = { ...ctx, timeZone: 'Europe/Warsaw' }
  const about = { product: PRODUCT, org: ORG, plan: 'Gold', date: DATE }
  const deletion = { org: ORG, product: PRODUCT, lapsed: '7 XII 2026', date: '7 I 2027', url: URL_ }
  const renewal = { first: true, item: `${PRODUCT} Gold`, number: order.number, amount: '123,00 zł', end: '31 XII 2026', url: URL_ }
  return [
    ['activation', account.activationMail(ctx, { name: PERSON, url: URL_ })],
    ['activation again', account.activationMail(ctx, { name: PERSON, url: URL_, again: true })],
    ['existing account', account.existingAccountMail(ctx, { loginUrl: URL_ })],
    ['reset', account.passwordResetMail(ctx, { url: URL_ })],
    ['password changed', account.passwordChangedMail(ctx, { resetUrl: URL_ })],
    ['totp locked', account.totpLockedMail(ctx, { failures: 5, until: '10:15', zone: 'Europe/Warsaw', resetUrl: URL_ })],
    ['digest', digestMail(ctx, { pending: 3, reports: 1, reminder: false, orgs: [{ name: ORG, count: 2, url: URL_ }, { name: PERSON, count: 1, url: URL_ }] })],
    ['digest reminder', digestMail(ctx, { pending: 1, reminder: true, orgs: [{ name: ORG, count: 1, url: URL_ }] })],
    ['report resolved', reportResolvedMail(ctx, { org: ORG, last4: '2PZD', note: 'Poprawione.', url: URL_ })],
    ['voucher', ecodeVoucherMail(ctx, { org: ORG, recipientName: PERSON, message: 'Sto lat.', product: PRODUCT, variant: 'Roczna', code: 'K7QF 3XMA 9B4K 2PZD', expiresAt: DATE, timeZone: 'Europe/Warsaw', url: URL_ })],
    ['free started', lapse.freeStartedMail(to, { ...about, free: 'Green', url: URL_ })],
    ['lapsed to free', lapse.lapsedToFreeMail(to, { ...about, free: 'Green', order: order.number, url: URL_ })],
    ['lapsed read-only', lapse.lapsedReadOnlyMail(to, { ...about, deletes: DATE, buyUrl: URL_, free: { plan: 'Green', url: URL_ }, order: order.number })],
    ['free warning', lapse.freeWarningMail(to, { ...about, deletes: DATE, url: URL_ })],
    ['free warning, ends', lapse.freeWarningMail(to, { ...about, deletes: null, url: URL_ })],
    ['free read-only', lapse.freeReadOnlyMail(to, { ...about, deletes: DATE, buyUrl: URL_, free: { plan: 'Green', url: URL_ } })],
    ['free ended', lapse.freeEndedMail(to, { ...about, licence: 'KT-1234-5678', url: URL_ })],
    ['manual renewal, transfer', manualRenewalMail(ctx, { ...renewal, transfer: { seller: vendorConfig.legalName, account: vendorConfig.bankAccount, online: true }, lapse: { policy: 'read_only_then_delete', deletes: '7 I 2027' } })],
    ['manual renewal, transfer only', manualRenewalMail(ctx, { ...renewal, first: false, transfer: { seller: vendorConfig.legalName, account: vendorConfig.bankAccount, online: false }, lapse: { policy: 'downgrade_to_free' } })],
    ['manual renewal, online', manualRenewalMail(ctx, { ...renewal, transfer: null, lapse: { policy: 'downgrade_to_free' } })],
    ['member added', members.memberAddedMail(ctx, { org: ORG, by: PERSON, url: URL_ })],
    ['invitation', members.invitationMail(ctx, { org: ORG, by: PERSON, url: URL_ })],
    ['member claimed', members.memberClaimedMail(ctx, { org: ORG, name: PERSON, email: 'rossi@example.com', url: URL_ })],
    ['admin rights approved', members.adminRightsDecidedMail(ctx, { org: ORG, approved: true, reason: null, url: URL_ })],
    ['admin rights declined', members.adminRightsDecidedMail(ctx, { org: ORG, approved: false, reason: 'Nie teraz.', url: URL_ })],
    ['order confirmation', orders.orderConfirmationMail(ctx, { order, lines: [{ label: { en: PRODUCT, pl: PRODUCT, it: PRODUCT }, quantity: 2, netMinor: 10000 }], vendor: vendorConfig, url: URL_ })],
    ['order confirmation, card', orders.orderConfirmationMail(ctx, { order: { ...order, paymentMethod: 'card' }, lines: [], vendor: vendorConfig, url: URL_ })],
    ['payment received', orders.paymentReceivedMail(ctx, { order, invoiceNumber: 'FV/2026/0001', invoiceUrl: URL_ })],
    ['order cancelled', orders.orderCancelledMail(ctx, { order, url: URL_, reason: 'unpaid' })],
    ['order cancelled by the operator', orders.orderCancelledMail(ctx, { order, url: URL_, reason: 'operator' })],
    ...(['org', 'product'] as const).flatMap((scope): [string, RenderedMail][] => [
      [`deletion warning (${scope})`, purges.deletionWarningMail(ctx, { ...deletion, scope })],
      [`deletion done (${scope})`, purges.deletionDoneMail(ctx, { ...deletion, scope })],
    ]),
    ['e-code expiry', purges.ecodeExpiryMail(ctx, { org: ORG, lines: [{ count: 3, product: PRODUCT, variant: 'Roczna', date: '7 XII 2026' }], url: URL_ })],
    ['renewal declined', renewalDeclinedMail(ctx, { item: `${PRODUCT} Gold`, number: order.number, amount: '123,00 zł', method: 'Visa •••• 4242', periodEnd: '31 XII 2026', nextAttempt: '2 I 2027', url: URL_ })],
    ['renewal declined, last', renewalDeclinedMail(ctx, { item: `${PRODUCT} Gold`, number: order.number, amount: '123,00 zł', method: 'Visa •••• 4242', periodEnd: '31 XII 2026', nextAttempt: null, url: URL_ })],
    ['statement approved', statements.statementApprovedMail(ctx, { org: ORG, url: URL_ })],
    ['statement rejected', statements.statementRejectedMail(ctx, { org: ORG, reason: 'Nieczytelny skan.', url: URL_ })],
  ]
}

/** What the reader sees: tags and zero-width spaces (which keep names from becoming links) removed. */
const seen = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\u200B/g, '')

describe('mail in every language (issue 16, rule 6)', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: no template shows a literal {placeholder} or a doubled period after a name ending in "."`, () => {
      const problems: string[] = []
      for (const [name, mail] of everyMail(lang)) {
        for (const [part, value] of [['subject', mail.subject], ['text', mail.text], ['html', seen(mail.html)]] as const) {
          const placeholder = /\{\w+\}/.exec(value)
          if (placeholder) problems.push(`${name} (${part}): ${placeholder[0]}`)
          // A period after a period, not an ellipsis: "o.o.." (numbers such as "1.." do not occur).
          const doubled = /[^.]\.\.(?!\.)/.exec(value)
          if (doubled) problems.push(`${name} (${part}): …${value.slice(Math.max(0, doubled.index - 20), doubled.index + 4)}`)
        }
      }
      expect(problems).toEqual([])
    })
  }

  it('keeps a name that ends in a period whole, and the message’s own period after other names', () => {
    const en = members.memberAddedMail({ lang: 'en', vendor: 'Kontor' }, { org: ORG, by: PERSON, url: URL_ })
    expect(en.text.replace(/\u200B/g, '')).toContain('Rossi S.p.A. added you to Nowak i Syn sp. z o.o. Sign in to see its products')
    const plain = members.memberAddedMail({ lang: 'en', vendor: 'Kontor' }, { org: 'Acme', by: 'Ewa', url: URL_ })
    expect(plain.text).toContain('Ewa added you to Acme. Sign in')
  })
})
