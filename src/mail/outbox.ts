// The outbox (SPEC §14): mail is written as a row in the same batch as the change that causes it,
// and the mail job delivers it later with retries. Nothing here talks to a provider inside a write.
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import type { BatchItem, Db, Executor } from '../db/client'
import { outbox, type MailAttachment } from '../db/schema'
import { generateId, hashToken } from '../auth/tokens'
import { MINUTE } from '../clock'
import { MAX_BATCH, type Mailer, type SendResult } from './mailer'
import type { RenderedMail } from './templates/layout'
import { ERASED_BODY, erasedWhenDone, openMailBody, sealMailBody, SECRET_TEMPLATES, type MailBody } from './sealed'
import type { Config } from '../config'

export type OutboxRow = typeof outbox.$inferSelect

/**
 * `hold`: the mail waits under a known row id until `until`, unless something releases it sooner
 * (releaseHeldMail): a paid order's mail waits for its invoice's KSeF number (issue 18).
 */
type Queued = { to: string; language: string; template: string; mail: RenderedMail; now: Date; attachments?: MailAttachment[]; hold?: { id: string; until: Date } }
/** A mail that carries a secret (SECRET_TEMPLATES), its row id chosen and its body sealed: from sealMail. */
export type SealedMail = Queued & { sealedAs: { id: string; body: MailBody } }

/**
 * The insert to put into the same `db.batch([...])` as the change that causes the mail. A mail that
 * carries a secret comes sealed: `enqueueMail(db, await sealMail(secret, {...}))`.
 */
export function enqueueMail(db: Executor, args: Queued | SealedMail) {
  if ('sealedAs' in args) return insertMail(db, args.sealedAs.id, args, args.sealedAs.body, true)
  refuseSecret(args.template)
  return insertMail(db, args.hold?.id ?? generateId(), args, { html: args.mail.html, text: args.mail.text, attachments: args.attachments ?? null }, false)
}

/** A held mail goes with the next mail run: its reason to wait is over. Nothing when it went already. */
export function releaseHeldMail(db: Executor, id: string, now: Date) {
  return db.update(outbox).set({ nextAttemptAt: now }).where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, now)))
}

/**
 * Seals the body of a mail that carries a secret under the mail key derived from `secret`
 * (ECODE_ENCRYPTION_KEY). Async, so it is awaited before the batch; it returns data, not the
 * insert, because awaiting a query would run it.
 */
export async function sealMail(secret: string, args: Queued): Promise<SealedMail> {
  const id = generateId()
  return { ...args, sealedAs: { id, body: await sealMailBody(secret, id, { html: args.mail.html, text: args.mail.text, attachments: args.attachments ?? null }) } }
}

function insertMail(db: Executor, id: string, args: Queued, body: MailBody, sealed: boolean) {
  return db.insert(outbox).values({
    id,
    to: args.to,
    template: args.template,
    language: args.language,
    subject: args.mail.subject,
    ...body,
    sealed,
    status: 'pending',
    nextAttemptAt: args.hold?.until ?? args.now,
    createdAt: args.now,
  })
}

/** A secret mail queued in clear would sit readable in every backup for 90 days: a bug, caught here. */
function refuseSecret(template: string) {
  if (SECRET_TEMPLATES.has(template)) throw new Error(`the ${template} mail carries a secret: seal it first, enqueueMail(db, await sealMail(key, …))`)
}

/**
 * The same insert, for a batch whose previous statement was a conditional change: the mail is
 * queued only if that statement changed a row (SQLite's changes()), like recordHistoryIfChanged.
 */
export function enqueueMailIfChanged(db: Executor, args: Omit<Queued, 'attachments'> | SealedMail) {
  const sealed = 'sealedAs' in args
  if (!sealed) refuseSecret(args.template)
  const id = sealed ? args.sealedAs.id : generateId()
  const body = sealed ? args.sealedAs.body : { html: args.mail.html, text: args.mail.text, attachments: null }
  return db.run(sql`insert into ${outbox} (id, "to", template, language, subject, html, text, attachments, sealed, status, attempts, next_attempt_at, created_at)
    select ${id}, ${args.to}, ${args.template}, ${args.language}, ${args.mail.subject}, ${body.html}, ${body.text},
      ${body.attachments ? JSON.stringify(body.attachments) : null}, ${sealed ? 1 : 0}, 'pending', 0, ${args.now.getTime()}, ${args.now.getTime()}
    where changes() > 0`)
}

/** Waits between attempts: 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h; give up after 10 attempts. */
export const MAX_ATTEMPTS = 10
export function retryDelay(attempts: number): number {
  const steps = [1, 5, 30, 120, 360]
  return (steps[attempts - 1] ?? 720) * MINUTE
}
/** A row claimed by a run that died is claimable again after this long. */
const CLAIM_FOR = 10 * MINUTE
/** Mails with attachments (a voucher PDF) go one call each, as Resend's batch takes none: at most this many per claim. */
export const SINGLES_PER_CLAIM = 5
/** The most outside calls one claim makes: the claim, the batch, the singles, the outcomes. */
export const CALLS_PER_CLAIM = 3 + SINGLES_PER_CLAIM

export type DeliveryCounts = { sent: number; failed: number; retried: number; kept: number }
/** What one claim did, how many outside calls (database round trips and provider calls) it made, and whether more may be due. */
export type Delivery = DeliveryCounts & { calls: number; more: boolean }

/**
 * The key of a batch: derived from its rows' ids, so the same rows sent again within Resend's 24 h
 * are not delivered twice (a batch whose answer was lost and that is claimed again as it was).
 */
export function batchKey(ids: string[]): string {
  return `outbox-batch-${hashToken([...ids].sort().join(','))}`
}

/**
 * Delivers the next due rows: up to MAX_BATCH without attachments in one batch call, and up to
 * SINGLES_PER_CLAIM with attachments one call each (under the row id as key). The rows are claimed
 * by one conditional update per kind, both in one round trip, so two overlapping runs never take
 * the same row; every outcome is written in one more round trip. A claim thus makes at most
 * CALLS_PER_CLAIM outside calls, three for plain mail. Sealed bodies are opened just before
 * sending, and a secret mail's body is erased with the outcome that ends it (sent or given up).
 */
export async function deliverDueMail(db: Db, mailer: Mailer | null, config: Pick<Config, 'mailFrom' | 'ecodeSecrets'>, now: Date): Promise<Delivery> {
  const from = config.mailFrom
  const counts: Delivery = { sent: 0, failed: 0, retried: 0, kept: 0, calls: 0, more: false }
  const due = or(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)), and(eq(outbox.status, 'sending'), lte(outbox.lockedUntil, now)))
  const next = (limit: number, kind?: SQL) => db.select({ id: outbox.id }).from(outbox).where(and(due, kind)).orderBy(outbox.nextAttemptAt).limit(limit)
  if (!mailer) {
    // No provider configured: the mail stays local (sealed if it was), readable on /dev/mail.
    const limit = MAX_BATCH + SINGLES_PER_CLAIM
    const kept = await db.update(outbox).set({ status: 'local', sentAt: now }).where(and(inArray(outbox.id, next(limit)), due))
    return { ...counts, kept: kept.rowsAffected, calls: 1, more: kept.rowsAffected === limit }
  }
  const claim = (limit: number, kind: SQL) =>
    db
      .update(outbox)
      .set({ status: 'sending', lockedUntil: new Date(now.getTime() + CLAIM_FOR), attempts: sql`${outbox.attempts} + 1` })
      .where(and(inArray(outbox.id, next(limit, kind)), due))
      .returning()
  const [plain, singles] = await db.batch([claim(MAX_BATCH, isNull(outbox.attachments)), claim(SINGLES_PER_CLAIM, isNotNull(outbox.attachments))])
  counts.calls = 1
  counts.more = plain.length === MAX_BATCH || singles.length === SINGLES_PER_CLAIM
  if (plain.length + singles.length === 0) return counts

  const outcomes: [OutboxRow, SendResult | Unopenable][] = []
  const bodies = new Map<string, MailBody>()
  for (const row of [...plain, ...singles]) {
    try {
      bodies.set(row.id, await openMailBody(config.ecodeSecrets.encryptionKey, row))
    } catch (e) {
      // Sealed under another key: no later attempt can open it either, so it is given up now.
      outcomes.push([row, { unopenable: e instanceof Error ? e.message : String(e) }])
    }
  }
  // In id order, so the same rows make the same request under the same key.
  const batchRows = plain.filter((row) => bodies.has(row.id)).sort((a, b) => (a.id < b.id ? -1 : 1))
  if (batchRows.length > 0) {
    const batch = await mailer.sendBatch(
      batchRows.map((row) => ({ from, to: row.to, subject: row.subject, html: bodies.get(row.id)!.html, text: bodies.get(row.id)!.text })),
      batchKey(batchRows.map((row) => row.id)),
    )
    counts.calls++
    batchRows.forEach((row, i) => outcomes.push([row, batch.ok ? batch.results[i]! : batch]))
  }
  for (const row of singles.filter((r) => bodies.has(r.id))) {
    const { html, text, attachments } = bodies.get(row.id)!
    const result = await mailer.send({ idempotencyKey: `outbox-${row.id}`, from, to: row.to, subject: row.subject, html, text, ...(attachments?.length ? { attachments } : {}) })
    counts.calls++
    outcomes.push([row, result])
  }
  const writes = outcomes.map(([row, result]): BatchItem => {
    const where = eq(outbox.id, row.id)
    const ended = erasedWhenDone(row) ? ERASED_BODY : {}
    if ('unopenable' in result) {
      counts.failed++
      return db.update(outbox).set({ status: 'failed', lockedUntil: null, lastError: `not sent: ${result.unopenable}`, ...ended }).where(where)
    }
    if (result.ok) {
      counts.sent++
      return db.update(outbox).set({ status: 'sent', sentAt: now, providerId: result.providerId, lockedUntil: null, lastError: null, ...ended }).where(where)
    }
    if (row.attempts >= MAX_ATTEMPTS) {
      counts.failed++
      return db.update(outbox).set({ status: 'failed', lockedUntil: null, lastError: result.error, ...ended }).where(where)
    }
    counts.retried++
    return db.update(outbox).set({ status: 'pending', lockedUntil: null, lastError: result.error, nextAttemptAt: new Date(now.getTime() + retryDelay(row.attempts)) }).where(where)
  })
  await db.batch(writes as [BatchItem, ...BatchItem[]])
  counts.calls++
  return counts
}

type Unopenable = { unopenable: string }

export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit)
}

export function getOutboxRow(db: Db, id: string) {
  return db.select().from(outbox).where(eq(outbox.id, id)).get()
}
