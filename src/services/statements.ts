// Administrator rights by a signed statement (SPEC §3.2): a member uploads the scan of the statement
// they signed, an operator approves it (the member becomes an administrator) or rejects it with a
// reason, and the member is told by e-mail either way. The scan, the statement row and the history
// row are written in one batch; decisions are conditional updates on `status = 'pending'`.
import { and, asc, count, desc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { memberships, orgs, statements, users } from '../db/schema'
import { operatorActor, recordHistory, recordHistoryIfChanged, userActor } from '../db/history'
import { uniqueViolation } from '../db/errors'
import { databaseBlobStore } from '../blob/database'
import type { StoredBlob } from '../blob/store'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { checkScan } from '../domain/uploads'
import { enqueueMailIfChanged } from '../mail/outbox'
import { statementApprovedMail, statementRejectedMail } from '../mail/templates/statements'
import type { RenderedMail } from '../mail/templates/layout'
import type { Org, Role } from './orgs'

export type Statement = typeof statements.$inferSelect

export type UploadResult = { ok: true; id: string } | { ok: false; error: 'empty' | 'too_large' | 'unsupported' | 'pending' | 'admin' }

const pendingOf = (orgId: string, userId: string) =>
  and(eq(statements.orgId, orgId), eq(statements.userId, userId), eq(statements.status, 'pending'))

export async function uploadStatement(
  deps: Deps,
  org: Org,
  user: User,
  role: Role,
  file: { bytes: Uint8Array; name: string },
  now: Date,
): Promise<UploadResult> {
  const { db } = deps
  if (role === 'admin') return { ok: false, error: 'admin' }
  const check = checkScan(file.bytes)
  if (!check.ok) return check
  // Answered before sending megabytes to the database; the unique index settles a race.
  if (await db.select({ id: statements.id }).from(statements).where(pendingOf(org.id, user.id)).get()) return { ok: false, error: 'pending' }
  const id = generateId()
  const fileKey = `statements/${id}`
  const fileName = file.name.slice(0, 200)
  try {
    await db.batch([
      db.insert(statements).values({ id, orgId: org.id, userId: user.id, status: 'pending', fileKey, contentType: check.contentType, size: file.bytes.byteLength, fileName, createdAt: now }),
      ...databaseBlobStore(db).putStatements(fileKey, file.bytes, check.contentType),
      recordHistory(db, {
        orgId: org.id,
        actor: userActor(user),
        kind: 'statement.uploaded',
        subject: { type: 'statement', id },
        details: { file: fileName, type: check.contentType, size: file.bytes.byteLength },
        at: now,
      }),
    ])
  } catch (e) {
    if (uniqueViolation(e)?.startsWith('statements.')) return { ok: false, error: 'pending' }
    throw e
  }
  return { ok: true, id }
}

/** What the statement page shows the member: the upload waiting for review, and the last decision. */
export async function memberStatements(deps: Deps, orgId: string, userId: string) {
  const rows = await deps.db
    .select()
    .from(statements)
    .where(and(eq(statements.orgId, orgId), eq(statements.userId, userId)))
    .orderBy(desc(statements.createdAt), desc(statements.id))
    .limit(10)
  return { pending: rows.find((r) => r.status === 'pending'), lastDecision: rows.find((r) => r.status !== 'pending') }
}

// ——— The operators' side ———

const person = { id: users.id, name: users.name, email: users.email, language: users.language }

/** Statements waiting for review, oldest first, with their org and author. */
export function pendingStatements(deps: Deps, limit = 200) {
  return deps.db
    .select({ statement: statements, org: { id: orgs.id, name: orgs.name, timeZone: orgs.timeZone }, user: person })
    .from(statements)
    .innerJoin(orgs, eq(orgs.id, statements.orgId))
    .innerJoin(users, eq(users.id, statements.userId))
    .where(eq(statements.status, 'pending'))
    .orderBy(asc(statements.createdAt), asc(statements.id))
    .limit(limit)
}

export async function countPendingStatements(deps: Deps): Promise<number> {
  const [row] = await pendingCountQuery(deps)
  return row?.n ?? 0
}

function pendingCountQuery(deps: Deps) {
  return deps.db.select({ n: count() }).from(statements).where(eq(statements.status, 'pending'))
}

const decider = alias(users, 'decider')

function reviewQuery(deps: Deps, id: string) {
  return deps.db
    .select({ statement: statements, org: orgs, user: person, role: memberships.role, decidedBy: { name: decider.name, email: decider.email } })
    .from(statements)
    .innerJoin(orgs, eq(orgs.id, statements.orgId))
    .innerJoin(users, eq(users.id, statements.userId))
    .leftJoin(memberships, and(eq(memberships.orgId, statements.orgId), eq(memberships.userId, statements.userId)))
    .leftJoin(decider, eq(decider.id, statements.decidedBy))
    .where(eq(statements.id, id))
    .limit(1)
}

/** One statement with its org, its author, the author's role in the org now (null: not a member) and who decided it. */
export async function statementForReview(deps: Deps, id: string) {
  return (await reviewQuery(deps, id))[0]
}

/** The review page: the statement (as statementForReview) and how many wait in the queue, in one batch. */
export async function readReviewPage(deps: Deps, id: string) {
  const read = await readTogether(deps.db, { review: reviewQuery(deps, id), waiting: pendingCountQuery(deps) })
  const review = read.review[0]
  return review ? { review, waiting: read.waiting[0]?.n ?? 0 } : null
}

export type Review = NonNullable<Awaited<ReturnType<typeof statementForReview>>>

/**
 * A statement (as statementForReview) with its scan: the file's head and first chunk come in the
 * same batch as the statement (a scan up to 1 MiB: one round trip), any further chunk one at a time.
 */
export async function statementWithFile(deps: Deps, id: string): Promise<{ review: Review; file: StoredBlob } | null> {
  const store = databaseBlobStore(deps.db)
  const key = sql`(select ${statements.fileKey} from ${statements} where ${statements.id} = ${id})`
  const read = await readTogether(deps.db, { review: reviewQuery(deps, id), ...store.firstReads(key) })
  const review = read.review[0]
  const file = review ? await store.finish(read.head[0], read.first[0]) : undefined
  return review && file ? { review, file } : null
}

export type DecisionResult = { ok: true } | { ok: false; error: 'decided' | 'not_member' }

/**
 * Approves a statement: its author becomes an administrator of the org. One batch of conditional
 * statements, each written only if the one before changed a row: the statement (still pending, its
 * author still a member of the live org), the role, the history row, the e-mail.
 */
export async function approveStatement(deps: Deps, review: Review, operator: User, now: Date): Promise<DecisionResult> {
  const { db, config } = deps
  const { statement, org, user } = review
  const mail = statementApprovedMail({ lang: user.language, vendor: config.vendorName }, { org: org.name, url: `${config.baseUrl}/o/${org.slug}` })
  const stillMember = sql`exists (select 1 from ${memberships} m join ${orgs} o on o.id = m.org_id
    where m.org_id = ${statement.orgId} and m.user_id = ${statement.userId} and o.deleted_at is null)`
  const [approved] = await db.batch([
    db
      .update(statements)
      .set({ status: 'approved', decidedAt: now, decidedBy: operator.id })
      .where(and(eq(statements.id, statement.id), eq(statements.status, 'pending'), stillMember))
      .returning({ id: statements.id }),
    db
      .update(memberships)
      .set({ role: 'admin' })
      .where(and(eq(memberships.orgId, statement.orgId), eq(memberships.userId, statement.userId), sql`changes() > 0`)),
    ...decisionRecords(deps, review, operator, 'statement.approved', { from: review.role, to: 'admin' }, mail, now),
  ])
  if (approved.length === 1) return { ok: true }
  return { ok: false, error: (await statusOf(deps, statement.id)) === 'pending' ? 'not_member' : 'decided' }
}

export async function rejectStatement(deps: Deps, review: Review, operator: User, reason: string, now: Date): Promise<DecisionResult> {
  const { db, config } = deps
  const { statement, org, user } = review
  const mail = statementRejectedMail({ lang: user.language, vendor: config.vendorName }, { org: org.name, reason, url: `${config.baseUrl}/o/${org.slug}/statement` })
  const [rejected] = await db.batch([
    db
      .update(statements)
      .set({ status: 'rejected', decidedAt: now, decidedBy: operator.id, reason })
      .where(and(eq(statements.id, statement.id), eq(statements.status, 'pending')))
      .returning({ id: statements.id }),
    ...decisionRecords(deps, review, operator, 'statement.rejected', { reason }, mail, now),
  ])
  return rejected.length === 1 ? { ok: true } : { ok: false, error: 'decided' }
}

/** The history row and the e-mail of a decision, each written only if the statement before it changed a row. */
function decisionRecords(deps: Deps, review: Review, operator: User, kind: 'statement.approved' | 'statement.rejected', details: Record<string, unknown>, mail: RenderedMail, now: Date) {
  const { db } = deps
  const { statement, org, user } = review
  return [
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor: operatorActor(operator),
      kind,
      subject: { type: 'statement', id: statement.id },
      details: { user: `${user.name} <${user.email}>`, ...details },
      at: now,
    }),
    enqueueMailIfChanged(db, { to: user.email, language: user.language, template: kind, mail, now }),
  ] as const
}

async function statusOf(deps: Deps, id: string) {
  return (await deps.db.select({ status: statements.status }).from(statements).where(eq(statements.id, id)).get())?.status
}
