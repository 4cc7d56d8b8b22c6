// Writing the operation history (SPEC §11): one insert to put into the batch of the change it records.
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
