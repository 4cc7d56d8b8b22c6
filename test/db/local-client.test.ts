// The local file client (src/db/local-client.ts) answers as @libsql/client's own file client does,
// row for row and error for error, while keeping statements prepared.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, LibsqlBatchError, LibsqlError, type Client, type ResultSet } from '@libsql/client'
import { localClient } from '../../src/db/local-client'

const dir = mkdtempSync(join(tmpdir(), 'kontor-local-client-'))
const path = join(dir, 'db.sqlite')
let ours: Client
let stock: Client

beforeAll(async () => {
  stock = createClient({ url: `file:${path}` })
  await stock.execute('PRAGMA journal_mode=WAL')
  await stock.batch([
    'create table t (id integer primary key, name text not null unique, amount integer, price real, data blob, note text)',
    "insert into t (id, name, amount, price, data, note) values (1, 'a', 10, 1.5, x'00ff10', null), (2, 'b', 9007199254740991, -0.25, null, 'żółw')",
  ])
  ours = localClient(path, { timeout: 5000 })
})

afterAll(() => {
  ours.close()
  stock.close()
  rmSync(dir, { recursive: true, force: true })
})

/** What a caller can see of a result: named fields, fields by index, columns, counts. */
function seen(result: ResultSet) {
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
    named: result.rows.map((row) => ({ ...row })),
    keys: result.rows.map((row) => Object.keys(row)),
    byIndex: result.rows.map((row) => Array.prototype.slice.call(row)),
    lengths: result.rows.map((row) => row.length),
    json: JSON.stringify(result.rows),
  }
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (e) {
    return e
  }
  throw new Error('expected a failure')
}

describe('the local client', () => {
  it.each([
    ['select * from t order by id', []],
    ['select id, name, amount from t where id = ?', [2]],
    ['select id, name from t where name = :name', { name: 'a' }],
    ['select id, name from t where name = $name', { $name: 'b' }],
    // A column named like an index, "length", and two columns of the same name.
    ['select 1, id, 2, name as length, name, id from t order by id', []],
    ['select t.id, u.id from t join t u on u.id = t.id order by t.id', []],
    ['select count(*) as n, sum(amount) as total from t where amount < ?', [100]],
    ['select * from t where id = ?', [999]],
  ])('reads %s as @libsql/client does', async (sql, args) => {
    const statement = { sql, args: args as never }
    expect(seen(await ours.execute(statement))).toEqual(seen(await stock.execute(statement)))
    // Again, from the statement it kept prepared.
    expect(seen(await ours.execute(statement))).toEqual(seen(await stock.execute(statement)))
  })

  it('returns blobs as ArrayBuffers of exactly their bytes, and takes them back', async () => {
    const row = (await ours.execute('select data from t where id = 1')).rows[0]!
    expect(row.data).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(row.data as ArrayBuffer)]).toEqual([0, 255, 16])
    await ours.execute({ sql: 'update t set data = ? where id = 2', args: [new Uint8Array([1, 2, 3]).buffer] })
    expect([...new Uint8Array((await stock.execute('select data from t where id = 2')).rows[0]!.data as ArrayBuffer)]).toEqual([1, 2, 3])
    await ours.execute('update t set data = null where id = 2')
  })

  it('writes report changes and the new row id; numbers, booleans and dates go in as @libsql/client writes them', async () => {
    const args = (id: number) => [id, `n${id}`, true, new Date(86_400_000) as never, 0.5]
    const mine = await ours.execute({ sql: 'insert into t (id, name, amount, note, price) values (?, ?, ?, ?, ?)', args: args(3) })
    const theirs = await stock.execute({ sql: 'insert into t (id, name, amount, note, price) values (?, ?, ?, ?, ?)', args: args(4) })
    expect([mine.rowsAffected, mine.lastInsertRowid]).toEqual([1, 3n])
    expect([theirs.rowsAffected, theirs.lastInsertRowid]).toEqual([1, 4n])
    const stored = (await stock.execute('select amount, note, price, typeof(note) as type from t where id in (3, 4) order by id')).rows.map((r) => ({ ...r }))
    expect(stored[0]).toEqual(stored[1])
    expect(stored[0]).toMatchObject({ amount: 1, price: 0.5 })
    expect((await ours.execute('delete from t where id in (3, 4)')).rowsAffected).toBe(2)
  })

  it('refuses what @libsql/client refuses, with the same errors', async () => {
    for (const statement of [
      { sql: 'select * from missing', args: [] },
      { sql: "insert into t (id, name) values (10, 'a')", args: [] },
      { sql: 'select ?', args: [Number.NaN] },
      { sql: 'select ?', args: [undefined as never] },
    ]) {
      const mine = (await errorOf(() => ours.execute(statement))) as Error
      const theirs = (await errorOf(() => stock.execute(statement))) as Error
      expect(mine.constructor).toBe(theirs.constructor)
      expect(mine.message).toBe(theirs.message)
      if (theirs instanceof LibsqlError) expect([(mine as LibsqlError).code, (mine as LibsqlError).extendedCode]).toEqual([theirs.code, theirs.extendedCode])
    }
    // A statement that failed is used again, and works.
    expect((await ours.execute("select name from t where name = 'a'")).rows).toHaveLength(1)
  })

  it('refuses integers beyond what a JavaScript number holds exactly', async () => {
    const mine = await errorOf(() => ours.execute('select 9007199254740993 as n'))
    expect(mine).toBeInstanceOf(RangeError)
    expect(mine).toEqual(await errorOf(() => stock.execute('select 9007199254740993 as n')))
  })

  it('runs a batch atomically: a failing statement names its index and leaves nothing written', async () => {
    const failure = await errorOf(() =>
      ours.batch(["insert into t (id, name) values (20, 'x')", "insert into t (id, name) values (21, 'a')", "insert into t (id, name) values (22, 'y')"], 'write'),
    )
    expect(failure).toBeInstanceOf(LibsqlBatchError)
    expect((failure as LibsqlBatchError).statementIndex).toBe(1)
    expect((failure as LibsqlBatchError).code).toBe('SQLITE_CONSTRAINT')
    expect((await stock.execute('select count(*) as n from t where id >= 20')).rows[0]!.n).toBe(0)
    // The connection is usable at once, outside any transaction.
    const results = await ours.batch([{ sql: "insert into t (id, name) values (20, 'x')", args: [] }, 'select count(*) as n from t'], 'write')
    expect(results.map((r) => r.rows.map((row) => ({ ...row })))).toEqual([[], [{ n: 3 }]])
    await ours.execute('delete from t where id = 20')
  })

  it('aborts a batch when a guard trigger raises, as the app guards its writes', async () => {
    await ours.batch([
      'create table guards (reason text)',
      "create trigger guards_abort before insert on guards begin select raise(abort, 'kontor batch guard'); end",
    ])
    const failure = (await errorOf(() => ours.batch(["insert into t (id, name) values (30, 'g')", "insert into guards (reason) select 'changed' where 1"], 'write'))) as Error
    expect(failure.message).toContain('kontor batch guard')
    expect((await ours.execute('select count(*) as n from t where id = 30')).rows[0]!.n).toBe(0)
  })

  it('keeps working past the number of statements it keeps prepared', async () => {
    for (let i = 0; i < 600; i++) expect((await ours.execute({ sql: `select ${i} as n, id from t where id = ?`, args: [1] })).rows[0]!.n).toBe(i)
    expect((await ours.execute({ sql: 'select 0 as n, id from t where id = ?', args: [1] })).rows[0]!.n).toBe(0)
  })

  it('sees the columns a migration adds to a table whose statements it keeps, its own or another connection\'s', async () => {
    await ours.execute('select * from t where id = 1')
    await ours.migrate([{ sql: 'alter table t add column extra text', args: [] }])
    expect((await ours.execute('select * from t where id = 1')).columns).toContain('extra')
    expect((await ours.execute('pragma foreign_keys')).rows[0]![0]).toBe(1)
    // Another connection changes the table (a deploy's migration while the server runs).
    await stock.execute('alter table t add column later text')
    const after = await ours.execute('select * from t where id = 1')
    expect(after.columns.slice(-2)).toEqual(['extra', 'later'])
    expect({ ...after.rows[0] }).toMatchObject({ id: 1, extra: null, later: null })
  })

  it('refuses interactive transactions, and everything once closed', async () => {
    await expect(ours.transaction('write')).rejects.toThrow('no interactive transactions')
    const other = localClient(path, { timeout: 5000 })
    other.close()
    expect(other.closed).toBe(true)
    await expect(other.execute('select 1')).rejects.toThrow('The client is closed')
  })
})
