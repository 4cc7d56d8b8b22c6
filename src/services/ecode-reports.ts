// Mistake reports on personalized vouchers (SPEC §9, §10): anyone holding the code may report wrong
// data without an account; the report waits in the issuing org's requests inbox (and its digest)
// until an administrator, having corrected the personalization, resolves it and the reporter is told.
import { and, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { ecodes, orgRequests } from '../db/schema'
import { recordHistoryIfChanged, userActor } from '../db/history'
import { hit, RULES } from '../db/throttle'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { isLanguage, type Language } from '../i18n'
import { enqueueMailIfChanged, sealMail } from '../mail/outbox'
import { decryptECode } from '../auth/ecode-crypto'
import { reportResolvedMail } from '../mail/templates/ecode-reports'
import type { ReportInput } from '../forms/redeem'
import { stateOf, type FoundECode } from './redemption'
import type { Org } from './orgs'

/** Open reports one code may have at a time: enough for a real mistake, too few to flood an inbox. */
export const MAX_OPEN_REPORTS = 3

/**
 * What an ecode_report request holds. `language` is the one the reporter read the page in; the
 * answer is written in it.
 */
export type ReportDetails = { ecodeId: string; last4: string; what: string; contactEmail: string; language?: string }

export const isPersonalized = (ecode: { recipientName: string | null; message: string | null }) => Boolean(ecode.recipientName || ecode.message)

export type ReportResult =
  | { ok: true }
  | { ok: false; error: 'not_reportable' | 'too_many_reports' }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number }

/** Files a report about an active, personalized code; `code` is its canonical form. */
export async function reportMistake(
  deps: Deps,
  ecode: FoundECode,
  code: string,
  input: ReportInput,
  from: { ip: string; language: Language },
  now: Date,
): Promise<ReportResult> {
  const { db } = deps
  if (!isPersonalized(ecode) || stateOf(ecode, now) !== 'active') return { ok: false, error: 'not_reportable' }
  const throttle = await hit(db, RULES.ecodeReport, from.ip, now)
  if (!throttle.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  const details: ReportDetails = { ecodeId: ecode.id, last4: code.slice(-4), what: input.what, contactEmail: input.contactEmail, language: from.language }
  // The count and the insert are one statement, so concurrent reports can't pass the limit together.
  const r = await db.run(sql`insert into ${orgRequests} (id, org_id, kind, user_id, status, details, created_at)
    select ${generateId()}, ${ecode.orgId}, 'ecode_report', null, 'pending', ${JSON.stringify(details)}, ${now.getTime()}
    where (select count(*) from ${orgRequests} where org_id = ${ecode.orgId} and status = 'pending' and kind = 'ecode_report'
      and json_extract(details, '$.ecodeId') = ${ecode.id}) < ${MAX_OPEN_REPORTS}`)
  return r.rowsAffected === 1 ? { ok: true } : { ok: false, error: 'too_many_reports' }
}

export type ResolveResult = { ok: true } | { ok: false; error: 'not_found' | 'already_decided' }

/**
 * Marks a pending report of this org resolved (status `resolved`) with an
 * optional note, records it, and e-mails the reporter — the history row and the mail follow only
 * if the conditional update changed the request, so two administrators at once resolve it once.
 */
export async function resolveReport(deps: Deps, org: Org, admin: User, requestId: string, note: string | null, now: Date): Promise<ResolveResult> {
  const { db, config } = deps
  const request = await db
    .select()
    .from(orgRequests)
    .where(and(eq(orgRequests.id, requestId), eq(orgRequests.orgId, org.id), eq(orgRequests.kind, 'ecode_report')))
    .get()
  // Another org's request looks exactly like a missing one.
  if (!request) return { ok: false, error: 'not_found' }
  if (request.status !== 'pending') return { ok: false, error: 'already_decided' }
  const d = request.details as ReportDetails
  const lang: Language = isLanguage(d.language) ? d.language : 'en'
  // The answer links to the code's page, as the reporter had it: the mail carries the code, sealed.
  const ecode = await db.select({ sealed: ecodes.sealed }).from(ecodes).where(and(eq(ecodes.id, d.ecodeId), eq(ecodes.orgId, org.id))).get()
  const url = ecode ? `${config.baseUrl}/r/${await decryptECode(config.ecodeSecrets.encryptionKey, ecode.sealed)}` : `${config.baseUrl}/r/`
  const mail = await sealMail(config.ecodeSecrets.encryptionKey, {
    to: d.contactEmail,
    language: lang,
    template: 'ecode.report_resolved',
    mail: reportResolvedMail({ lang, vendor: config.vendorName }, { org: org.name, last4: d.last4, note, url }),
    now,
  })
  const [changed] = await db.batch([
    db
      .update(orgRequests)
      .set({ status: 'resolved', resolvedAt: now, resolvedBy: admin.id, reason: note })
      .where(and(eq(orgRequests.id, request.id), eq(orgRequests.status, 'pending'))),
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor: userActor(admin),
      kind: 'ecode.report_resolved',
      subject: { type: 'ecode', id: d.ecodeId },
      details: { code: `…${d.last4}`, note },
      at: now,
    }),
    enqueueMailIfChanged(db, mail),
  ])
  return changed.rowsAffected === 1 ? { ok: true } : { ok: false, error: 'already_decided' }
}
