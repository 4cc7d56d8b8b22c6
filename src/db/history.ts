// Writing the operation history (SPEC §11): one insert to put into the batch of the change it records.
import { and, desc, eq, getTableColumns, gte, lt, sql, type SQL } from 'drizzle-orm'
import { readTogether, type Db, type Executor } from './client'
import { apiKeys, history, orders, savedMethods, users } from './schema'
import type { HistoryKind } from '../domain/history-kinds'

export type Actor = { type: 'user' | 'operator' | 'system' | 'api_key'; id: string | null; label: string }

export const userActor = (user: { id: string; name: string; email: string }): Actor => ({
  type: 'user',
  id: user.id,
  label: `${user.name} <${user.email}>`,
})

/** An operator acting in the back office; the org's people see "operator" and the name. */
export const operatorActor = (user: { id: string; name: string; email: string }): Actor => ({
  type: 'operator',
  id: user.id,
  label: `${user.name} <${user.email}>`,
})

export const systemActor = (job: string): Actor => ({ type: 'system', id: null, label: job })

export type HistoryEntry = {
  orgId: string | null
  actor: Actor
  kind: HistoryKind
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

export type HistoryFilter = { kind?: string; actorId?: string; from?: Date; to?: Date }
export type HistoryCursor = { at: number; id: number }

function filterWhere(orgId: string, f: HistoryFilter): SQL {
  return and(
    eq(history.orgId, orgId),
    f.kind ? eq(history.kind, f.kind) : undefined,
    f.actorId ? eq(history.actorId, f.actorId) : undefined,
    f.from ? gte(history.at, f.from) : undefined,
    f.to ? lt(history.at, f.to) : undefined,
  )!
}

/** One page of an org's history, newest first, by keyset (at, id) so deep pages stay fast. */
export async function listHistory(db: Db, orgId: string, f: HistoryFilter, cursor: HistoryCursor | null, limit: number) {
  return historyPage(await historyPageQuery(db, orgId, f, cursor, limit), limit)
}

/**
 * The subject's name as it is now, read with the row (no round trip of its own): a person's name,
 * an API key's, an order's number, a saved card's label. Null once it is gone — a closed account,
 * an erased org (whose rows lose their user subjects) — and the page says "someone" instead.
 */
const subjectName = sql<string | null>`case ${history.subjectType}
    when 'user' then (select ${users.name} from ${users} where ${users.id} = ${history.subjectId})
    when 'api_key' then (select ${apiKeys.name} from ${apiKeys} where ${apiKeys.id} = ${history.subjectId})
    when 'order' then (select ${orders.number} from ${orders} where ${orders.id} = ${history.subjectId})
    when 'saved_method' then (select nullif(${savedMethods.label}, '') from ${savedMethods} where ${savedMethods.id} = ${history.subjectId})
  end`

/** The read behind a page (one row more than shown, to know whether another follows), for the caller's batch. */
export function historyPageQuery(db: Db, orgId: string, f: HistoryFilter, cursor: HistoryCursor | null, limit: number) {
  return db
    .select({ ...getTableColumns(history), subjectName: subjectName.as('subject_name') })
    .from(history)
    .where(
      and(
        filterWhere(orgId, f),
        // A row value, which SQLite turns into a range on the index (an OR of two conditions it can't).
        cursor ? sql`(${history.at}, ${history.id}) < (${cursor.at}, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(desc(history.at), desc(history.id))
    .limit(limit + 1)
}

/** The page from its read, and the cursor of the next one if there is one. */
export function historyPage<R extends { at: Date; id: number }>(rows: R[], limit: number) {
  const last = rows[limit - 1]
  return { rows: rows.slice(0, limit), next: rows.length > limit && last ? { at: last.at.getTime(), id: last.id } : null }
}

/**
 * The kinds and people that appear in an org's history, for the filter menus. A plain DISTINCT
 * reads every row of the org (100,000 rows: ~130 ms); these recursive queries jump from one value
 * to the next along the (org_id, kind, …) and (org_id, actor_id, …) indexes instead — a few index
 * seeks per distinct value. A person shows with the label of their latest entry.
 */
export async function historyFacets(db: Db, orgId: string) {
  return facetsOf(await readTogether(db, historyFacetReads(db, orgId)))
}

/** The two reads behind the filter menus, for the caller's batch; `facetsOf` turns them into the menus. */
export function historyFacetReads(db: Db, orgId: string) {
  const q = historyFacetQueries(orgId)
  return { kinds: db.all<{ kind: string }>(q.kinds), actors: db.all<{ id: string; label: string }>(q.actors) }
}

/** The statements of historyFacetReads (their plans are tested). */
export function historyFacetQueries(orgId: string) {
  return {
    kinds: sql`
      with recursive k(kind) as (
        select min(kind) from history where org_id = ${orgId}
        union all
        select (select min(kind) from history where org_id = ${orgId} and kind > k.kind) from k where k.kind is not null
      )
      select kind from k where kind is not null order by kind`,
    actors: sql`
      with recursive a(id) as (
        select min(actor_id) from history where org_id = ${orgId}
        union all
        select (select min(actor_id) from history where org_id = ${orgId} and actor_id > a.id) from a where a.id is not null
      )
      select id, (select actor_label from history where org_id = ${orgId} and actor_id = a.id order by at desc limit 1) as label
      from a where id is not null order by label`,
  }
}

export function facetsOf({ kinds, actors }: { kinds: { kind: string }[]; actors: { id: string; label: string }[] }) {
  return { kinds: kinds.map((k) => k.kind), actors }
}
