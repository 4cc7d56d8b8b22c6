// Every table's rows as comparable text, so that two databases that started as copies and then did
// the same work compare equal although they drew different random ids and took numbers in a
// different order. Ids and numbers that were not in the common starting state are "volatile": each is
// renamed after the content of the row it names (with every volatile value blanked), wherever it
// appears — a foreign key, a JSON detail, a link in an e-mail, an order number in a subject.
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/client'

type Row = Record<string, unknown>
export type Tables = Record<string, Row[]>
/** Per table, its rows as sorted JSON lines. */
export type Snapshot = Record<string, string[]>

/** The runner's own bookkeeping differs run by run (lease holders, start times) and is not the work. */
const NOT_THE_WORK = new Set(['job_runs', 'job_leases', '__drizzle_migrations'])
/** Columns holding generated values other than ids: numbers taken from counters, a licence number. */
const NUMBER_COLUMNS: Record<string, string> = { orders: 'number', invoices: 'number', licences: 'number' }
/** Values a fake gives out in call order (the recording mailer's `test-<n>`): only whether one is set counts. */
const CALL_ORDER_COLUMNS: Record<string, string[]> = { outbox: ['provider_id'] }

export async function readTables(db: Db): Promise<Tables> {
  const names = (await db.run(sql.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"))).rows.map((r) => String(r.name))
  const tables: Tables = {}
  for (const name of names.filter((n) => !NOT_THE_WORK.has(n))) {
    const rs = await db.run(sql.raw(`select * from "${name}"`))
    tables[name] = rs.rows.map((r) => Object.fromEntries(rs.columns.map((c, i) => [c, plain(r[i])])))
  }
  return tables
}

function plain(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return `bytes:${Buffer.from(v).toString('base64')}`
  if (typeof v === 'bigint') return Number(v)
  return v
}

/** The generated values of `now` that `before` (the common start) did not hold, by table. */
function volatileValues(before: Tables, now: Tables): Map<string, { table: string; row: Row }> {
  const found = new Map<string, { table: string; row: Row }>()
  for (const [table, rows] of Object.entries(now)) {
    for (const column of ['id', NUMBER_COLUMNS[table]]) {
      if (!column || rows.length === 0 || typeof rows[0]![column] !== 'string') continue
      const known = new Set((before[table] ?? []).map((r) => r[column]))
      for (const row of rows) if (typeof row[column] === 'string' && !known.has(row[column])) found.set(row[column] as string, { table, row })
    }
  }
  return found
}

function replacer(values: Map<string, string>): (s: string) => string {
  if (values.size === 0) return (s) => s
  const escaped = [...values.keys()].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  const re = new RegExp(escaped.join('|'), 'g')
  return (s) => s.replace(re, (m) => values.get(m)!)
}

function mapRow(table: string, row: Row, text: (s: string) => string): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(row)) {
    // Autoincrement ids follow insertion order, which concurrent runs interleave differently.
    if (k === 'id' && typeof v === 'number') continue
    if (CALL_ORDER_COLUMNS[table]?.includes(k)) out[k] = v === null ? null : 'set'
    else out[k] = typeof v === 'string' ? text(v) : v
  }
  return out
}

/** `now`'s rows with every volatile value renamed after its row's content: `<table>#<n>`. */
export function normalize(before: Tables, now: Tables): Snapshot {
  const volatile = volatileValues(before, now)
  const blank = replacer(new Map([...volatile.keys()].map((v) => [v, '∅'])))
  const signatures = [...volatile].map(([value, { table, row }]) => ({ value, table, row, signature: JSON.stringify(mapRow(table, row, blank)) }))
  signatures.sort((a, b) => (a.table === b.table ? (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0) : a.table < b.table ? -1 : 1))
  const labels = new Map<string, string>()
  const seen = new Map<string, number>()
  for (const s of signatures) {
    // A number and an id of the same row share its signature; the column tells them apart.
    const kind = s.row.id === s.value ? 'id' : 'no'
    const key = `${s.table}.${kind}`
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    labels.set(s.value, `<${key}#${n}>`)
  }
  const text = replacer(labels)
  return Object.fromEntries(Object.entries(now).map(([table, rows]) => [table, rows.map((r) => JSON.stringify(mapRow(table, r, text))).sort()]))
}
