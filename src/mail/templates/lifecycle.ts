// The manual renewal e-mail (SPEC §8), to each administrator in their language: the first comes with
// the renewal order 14 days before the period end, the reminders 7 and 1 day before. Each carries
// everything needed to pay — amount, the vendor's account, the order number as the transfer title,
// the order page (card or PayPal) — since a late run may send a reminder as the first mail.
import { translator, type Language } from '../../i18n'
import { renderMail, type RenderedMail } from './layout'

export type ManualRenewalFacts = {
  /** The first mail of the period (with the order) or a reminder. */
  first: boolean
  item: string
  number: string
  amount: string
  /** The current period's end, formatted: when the next one starts and when the lapse comes. */
  end: string
  /**
   * Set for an order awaiting a bank transfer (a card renewal order found instead has no transfer);
   * `online` says whether card and PayPal are offered too (not with PAYMENTS=transfer-only).
   */
  transfer: { seller: string; account: string; online: boolean } | null
  /** What an unpaid period leads to, with the deletion date for `read_only_then_delete`. */
  lapse: { policy: 'read_only_then_delete'; deletes: string } | { policy: 'downgrade_to_free' }
  url: string
}

export function manualRenewalMail({ lang, vendor }: { lang: Language; vendor: string }, f: ManualRenewalFacts): RenderedMail {
  const t = translator(lang)
  const facts = { item: f.item, number: f.number, amount: f.amount, end: f.end }
  return renderMail(t, vendor, lang, {
    subject: f.first ? t('mail.manualRenewal.subject.placed', facts) : t('mail.manualRenewal.subject.reminder', facts),
    paragraphs: [
      f.first ? t('mail.manualRenewal.placed', facts) : t('mail.manualRenewal.unpaid', facts),
      f.transfer
        ? t(f.transfer.online ? 'mail.manualRenewal.transfer' : 'mail.manualRenewal.transferOnly', { amount: f.amount, seller: f.transfer.seller, account: f.transfer.account, title: f.number })
        : t('mail.manualRenewal.online'),
      t('mail.manualRenewal.start'),
      f.lapse.policy === 'read_only_then_delete' ? t('mail.manualRenewal.lapse.readOnly', { end: f.end, deletes: f.lapse.deletes }) : t('mail.manualRenewal.lapse.free', facts),
    ],
    action: { label: t('mail.manualRenewal.button'), url: f.url },
  })
}
