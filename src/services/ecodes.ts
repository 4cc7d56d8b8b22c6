// E-codes of the issuing org (SPEC §9): generating them from warehouse units, disposing of one (the
// unit comes back), personalizing its voucher, sending it by e-mail, and rendering vouchers. Every
// change is one batch with its history row, guarded on the code still being active (src/db/guard.ts).
import { and, eq, gt, sql } from 'drizzle-orm'
import { encodeBase64 } from '@oslojs/encoding'
import type { Deps } from '../deps'
import { ecodes, warehouseStock, type Localized } from '../db/schema'
import type { BatchItem } from '../db/client'
import { guard, guardAborted, writePlanned } from '../db/guard'
import { recordHistory, userActor } from '../db/history'
import { addStock, unitsOf } from '../db/warehouse'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import { decryptECode, ecodeLookupHash, encryptECode } from '../auth/ecode-crypto'
import type { User } from '../auth/session'
import { ecodeExpiresAt, formatECode, generateECode } from '../domain/ecode'
import type { Language } from '../i18n'
import { enqueueMail, sealMail } from '../mail/outbox'
import { ecodeVoucherMail } from '../mail/templates/ecodes'
import { renderVouchersPdf } from '../pdf/voucher'
import { effectiveStatus, maskedCode, type ECodeRow } from './ecode-list'
import { canManageProduct, findVirtualVariant, takeUnits } from './warehouse'
import type { Org, Role } from './orgs'

export const MAX_GENERATED = 1000
/** Rows per INSERT: well inside SQLite's limit on bound parameters, few round trips over HTTP. */
const CHUNK = 100

export type GenerateResult =
  | { ok: true; count: number }
  | { ok: false; error: 'not_found' | 'forbidden' | 'collision' }
  | { ok: false; error: 'not_enough'; available: number }

/**
 * Turns `quantity` units into as many codes, atomically: the decrement and the inserts in one batch,
 * guarded on the units read still being there, so concurrent generations never take more units than
 * exist (a generation that finds the stock changed reads it again). The codes' hashes and
 * ciphertexts are computed first (WebCrypto is async). A look-up hash that already exists —
 * practically impossible with 80 random bits — aborts everything and says so. `newCode` is for tests.
 */
export async function generateECodes(deps: Deps, org: Org, user: User, role: Role, variantId: string, quantity: number, now: Date, newCode = generateECode): Promise<GenerateResult> {
  const { db, config } = deps
  const variant = await findVirtualVariant(db, variantId)
  if (!variant) return { ok: false, error: 'not_found' }
  if (!(await canManageProduct(deps, org, user, role, variant.productId))) return { ok: false, error: 'forbidden' }
  // Early and cheap, before the crypto: the guarded batch below is what decides.
  const stocked = await unitsOf(db, org.id, variantId)
  if (stocked < quantity) return { ok: false, error: 'not_enough', available: stocked }

  const expiresAt = ecodeExpiresAt(now, variant.ecodeValidityMonths, org.timeZone)
  const rows = await Promise.all(
    Array.from({ length: quantity }, async () => {
      const code = newCode()
      const [lookupHash, sealed] = await Promise.all([ecodeLookupHash(config.ecodeSecrets.lookupKey, code), encryptECode(config.ecodeSecrets.encryptionKey, code)])
      const row: typeof ecodes.$inferInsert = {
        id: generateId(),
        orgId: org.id,
        productId: variant.productId,
        variantId,
        lookupHash,
        sealed,
        status: 'active',
        createdAt: now,
        createdBy: user.id,
        expiresAt,
      }
      return row
    }),
  )
  const inserts: BatchItem[] = []
  for (let i = 0; i < rows.length; i += CHUNK) inserts.push(db.insert(ecodes).values(rows.slice(i, i + CHUNK)))
  try {
    return await writePlanned<GenerateResult>(db, async () => {
      // The units as they are now: the batch runs only if they still are (and the history says how many are left).
      const available = await unitsOf(db, org.id, variantId)
      if (available < quantity) return { done: { ok: false, error: 'not_enough', available } }
      const batch: BatchItem[] = [
        guard(db, sql`(select ${warehouseStock.units} from ${warehouseStock} where ${warehouseStock.orgId} = ${org.id} and ${warehouseStock.variantId} = ${variantId}) = ${available}`),
        takeUnits(db, org.id, variantId, quantity),
        ...inserts,
        recordHistory(db, {
          orgId: org.id,
          actor: userActor(user),
          kind: 'ecode.generated',
          subject: { type: 'variant', id: variantId },
          details: { product: variant.productName, variant: variant.variantName.en, count: quantity, unitsLeft: available - quantity },
          at: now,
        }),
      ]
      return { batch, after: () => ({ ok: true, count: quantity }) }
    })
  } catch (e) {
    if (uniqueViolation(e) === 'ecodes.lookup_hash') return { ok: false, error: 'collision' }
    throw e
  }
}

export type ChangeResult = { ok: true } | { ok: false; error: 'used' | 'expired' | 'disposed' }

/** Why an active-only action was refused, from the code's state as it is now. */
async function refusal(deps: Deps, orgId: string, id: string, now: Date): Promise<ChangeResult> {
  const row = await deps.db.select({ status: ecodes.status, expiresAt: ecodes.expiresAt }).from(ecodes).where(and(eq(ecodes.orgId, orgId), eq(ecodes.id, id))).get()
  const status = row ? effectiveStatus(row, now) : 'disposed'
  // Still active here would mean the conditional update matched; a vanished row reads as disposed.
  return { ok: false, error: status === 'active' ? 'disposed' : status }
}

const stillActive = (orgId: string, id: string, now: Date) => and(eq(ecodes.orgId, orgId), eq(ecodes.id, id), eq(ecodes.status, 'active'), gt(ecodes.expiresAt, now))

/** Runs the change's statements in one batch guarded on the code still being active and valid; else says why not. */
async function whileActive(deps: Deps, orgId: string, id: string, now: Date, statements: BatchItem[]): Promise<ChangeResult> {
  const { db } = deps
  try {
    await db.batch([guard(db, sql`exists (select 1 from ${ecodes} where ${stillActive(orgId, id, now)})`), ...statements])
  } catch (e) {
    if (guardAborted(e)) return refusal(deps, orgId, id, now)
    throw e
  }
  return { ok: true }
}

/**
 * Cancels an active code for good: the unit goes back to the warehouse. Only a code that is
 * still active and valid changes (a conditional update), with the unit and history in the same
 * transaction; a used, expired or already disposed code is refused and nothing changes.
 */
export async function disposeECode(deps: Deps, org: Org, user: User, code: ECodeRow, now: Date): Promise<ChangeResult> {
  const plain = await decryptECode(deps.config.ecodeSecrets.encryptionKey, code.sealed)
  const { db } = deps
  return whileActive(deps, org.id, code.id, now, [
    db.update(ecodes).set({ status: 'disposed', disposedAt: now }).where(stillActive(org.id, code.id, now)),
    addStock(db, org.id, code.variantId, 1),
    recordHistory(db, {
      orgId: org.id,
      actor: userActor(user),
      kind: 'ecode.disposed',
      subject: { type: 'ecode', id: code.id },
      details: { product: code.productName, variant: code.variantName.en, code: maskedCode(plain) },
      at: now,
    }),
  ])
}

export type Personalization = { recipientName: string | null; message: string | null }

/** Sets who the voucher is for and its message (empty clears them); the code stays the same. */
export async function personalizeECode(deps: Deps, org: Org, user: User, code: ECodeRow, p: Personalization, now: Date): Promise<ChangeResult> {
  const { db } = deps
  return whileActive(deps, org.id, code.id, now, [
    db.update(ecodes).set(p).where(stillActive(org.id, code.id, now)),
    recordHistory(db, {
      orgId: org.id,
      actor: userActor(user),
      kind: 'ecode.personalized',
      subject: { type: 'ecode', id: code.id },
      details: { product: code.productName, variant: code.variantName.en, recipient: p.recipientName },
      at: now,
    }),
  ])
}

export type Sending = { recipientName: string; email: string; message: string | null }

/**
 * Personalizes the code for the recipient and queues an e-mail to them with the voucher attached
 * and the redemption link, in the sender's language. The PDF and the mail are made first; the
 * update, the outbox row and the history row are one transaction, so a code that stopped being
 * active meanwhile sends nothing.
 */
export async function sendECode(deps: Deps, org: Org, user: User, code: ECodeRow, s: Sending, lang: Language, now: Date): Promise<ChangeResult> {
  if (effectiveStatus(code, now) !== 'active') return refusal(deps, org.id, code.id, now)
  const personalized = { ...code, recipientName: s.recipientName, message: s.message }
  const [voucher] = await voucherInputs(deps, org, [personalized], lang)
  const pdf = await renderVouchersPdf([voucher!], { createdAt: now })
  const mail = ecodeVoucherMail(
    { lang, vendor: deps.config.vendorName },
    { org: org.name, recipientName: s.recipientName, message: s.message, product: voucher!.product, variant: voucher!.variant, code: voucher!.code, expiresAt: code.expiresAt, timeZone: org.timeZone, url: voucher!.redeemUrl },
  )
  const attachment = { filename: voucherFileName(voucher!.code), contentType: 'application/pdf', contentBase64: encodeBase64(pdf) }
  const { db } = deps
  return whileActive(deps, org.id, code.id, now, [
    db.update(ecodes).set({ recipientName: s.recipientName, message: s.message }).where(stillActive(org.id, code.id, now)),
    enqueueMail(db, await sealMail(deps.config.ecodeSecrets.encryptionKey, { to: s.email, language: lang, template: 'ecode.voucher', mail, now, attachments: [attachment] })),
    recordHistory(db, {
      orgId: org.id,
      actor: userActor(user),
      kind: 'ecode.sent',
      subject: { type: 'ecode', id: code.id },
      details: { product: code.productName, variant: code.variantName.en, code: maskedCode(voucher!.code), to: s.email, recipient: s.recipientName },
      at: now,
    }),
  ])
}

/** "voucher-K7QF-3XMA-9B4K-2PZD.pdf" from the printed code. */
export const voucherFileName = (printed: string) => `voucher-${printed.replace(/ /g, '-')}.pdf`

/** The vouchers' contents in `lang` (the requesting person's language: they know the recipient). */
export async function voucherInputs(deps: Deps, org: Org, codes: (Pick<ECodeRow, 'sealed' | 'productName' | 'expiresAt' | 'recipientName' | 'message'> & { variantName: Localized })[], lang: Language) {
  const { config } = deps
  return Promise.all(
    codes.map(async (c) => {
      const code = await decryptECode(config.ecodeSecrets.encryptionKey, c.sealed)
      return {
        lang,
        vendorName: config.vendorName,
        code: formatECode(code),
        redeemUrl: `${config.baseUrl}/r/${code}`,
        product: c.productName,
        variant: c.variantName[lang],
        expiresAt: c.expiresAt,
        timeZone: org.timeZone,
        recipientName: c.recipientName,
        message: c.message,
      }
    }),
  )
}

/** One PDF, a page per code, in the order given; with its file name. */
export async function vouchersPdf(deps: Deps, org: Org, codes: ECodeRow[], lang: Language, now: Date) {
  const inputs = await voucherInputs(deps, org, codes, lang)
  const bytes = await renderVouchersPdf(inputs, { createdAt: now })
  const fileName = inputs.length === 1 ? voucherFileName(inputs[0]!.code) : `vouchers-${org.slug}-${inputs.length}.pdf`
  return { bytes, fileName }
}
