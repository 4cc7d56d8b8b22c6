// Writing the operation history (SPEC §11): one insert to put into the batch of the change it records.
import { sql } from 'drizzle-orm'
import type { Executor } from './client'
import { history } from './schema'

export type Actor = { type: 'user' | 'operator' | 'system' | 'api_key'; id: string | null; label: string }

export const userActor = (user: { id: string; name: string; email: string }): Actor => ({
  type: 'user',
  id: user.id,
  label: `${user.name} <${user.email}>`,
})

export const systemActor = (job: string): Actor => ({ type: 'system', id: null, label: job })

export type HistoryEntry = {
  orgId: string | null
  actor: Actor
  kind: string
  subject?: { type: string; id: string }
  details?: Record<string, unknown>
  at: Date
}

export function recordHistory(db: Executor, e: HistoryEntry) {
  return db.insert(history).values({
    orgId: e.orgId,
    at: e.at,
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorLabel: e.actor.label,
    kind: e.kind,
    subjectType: e.subject?.type ?? null,
    subjectId: e.subject?.id ?? null,
    details: e.details ?? null,
  })
}

/**
 * The history row for a conditional change (`UPDATE … WHERE role = 'admin' AND …`), placed right
 * after it in the same batch: it is written only if that statement changed a row (SQLite's
 * changes()), so a refused change leaves no trace and an accepted one always does.
 */
export function recordHistoryIfChanged(db: Executor, e: HistoryEntry) {
  return db.run(sql`insert into ${history} (org_id, at, actor_type, actor_id, actor_label, kind, subject_type, subject_id, details)
    select ${e.orgId}, ${e.at.getTime()}, ${e.actor.type}, ${e.actor.id}, ${e.actor.label}, ${e.kind}, ${e.subject?.type ?? null},
      ${e.subject?.id ?? null}, ${e.details ? JSON.stringify(e.details) : null}
    where changes() > 0`)
}
