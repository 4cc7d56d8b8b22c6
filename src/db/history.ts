// Writing the operation history (SPEC §11): one insert to put into the batch of the change it records.
import { sql } from 'drizzle-orm'
import { readTogether, type Db, type Executor } from './client'
import { history } from './schema'
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

/** One page of an org's history, newest first, by keyset (at, id) so deep pages stay fast. */
export async function listHistory(db: Db, orgId: string, f: HistoryFilter, cursor: HistoryCursor | null, limit: number) {
  return historyPage((await historyPageQuery(db, orgId, f, cursor, limit)).map(historyRowOf), limit)
}

/** A history row as the pages read it: the table's columns and the subject's name as it is now. */
export type HistoryListRow = typeof history.$inferSelect & { subjectName: string | null }

/** The row as SQLite returns it: times in ms, details as JSON text. */
export type StoredHistoryRow = Omit<HistoryListRow, 'at' | 'details'> & { at: number; details: string | null }

/**
 * The subject's name as it is now, read with the row (no round trip of its own): a person's name,
 * an API key's, an order's number, a saved card's label. Null once it is gone — a closed account,
 * an erased org (whose rows lose their user subjects) — and the page says "someone" instead.
 */
const SUBJECT_NAME = sql.raw(`case "subject_type"
    when 'user' then (select "name" from "users" where "id" = "subject_id")
    when 'api_key' then (select "name" from "api_keys" where "id" = "subject_id")
    when 'order' then (select "number" from "orders" where "id" = "subject_id")
    when 'saved_method' then (select nullif("label", '') from "saved_methods" where "id" = "subject_id")
  end`)

const PAGE_COLUMNS = sql.raw(
  `"id", "org_id" as "orgId", "at", "actor_type" as "actorType", "actor_id" as "actorId", "actor_label" as "actorLabel", "kind", "subject_type" as "subjectType", "subject_id" as "subjectId", "details"`,
)

/**
 * The read behind a page (one row more than shown, to know whether another follows), for the caller's
 * batch; `historyRowOf` turns its rows into the page's. Written as SQL rather than built by drizzle's
 * query builder: a page reads fifty rows, and drizzle's mapping of each column of each row cost more
 * CPU than SQLite reading them (docs/performance.md, issue 17).
 */
export function historyPageQuery(db: Db, orgId: string, f: HistoryFilter, cursor: HistoryCursor | null, limit: number) {
  const where = [sql`"history"."org_id" = ${orgId}`]
  if (f.kind) where.push(sql`"history"."kind" = ${f.kind}`)
  if (f.actorId) where.push(sql`"history"."actor_id" = ${f.actorId}`)
  if (f.from) where.push(sql`"history"."at" >= ${f.from.getTime()}`)
  if (f.to) where.push(sql`"history"."at" < ${f.to.getTime()}`)
  // A row value, which SQLite turns into a range on the index (an OR of two conditions it can't).
  if (cursor) where.push(sql`("history"."at", "history"."id") < (${cursor.at}, ${cursor.id})`)
  return db.all<StoredHistoryRow>(
    sql`select ${PAGE_COLUMNS}, ${SUBJECT_NAME} as "subjectName" from "history" where ${sql.join(where, sql` and `)} order by "history"."at" desc, "history"."id" desc limit ${limit + 1}`,
  )
}

export function historyRowOf(r: StoredHistoryRow): HistoryListRow {
  return {
    id: Number(r.id),
    orgId: r.orgId,
    at: new Date(Number(r.at)),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    kind: r.kind,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
    subjectName: r.subjectName,
  }
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
