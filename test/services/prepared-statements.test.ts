// Node's hot statements kept prepared on a connection of their own (src/db/prepared.ts): a batch of
// them answers as the client would, is atomic, sees what the client wrote and the client sees what it
// wrote; anything else still goes to the client.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openLocalDatabase } from '../../src/db/local'
import { keepPrepared } from '../../src/db/hot-statements'

const dir = mkdtempSync(join(tmpdir(), 'kontor-prepared-'))
const { client } = await openLocalDatabase(join(dir, 'prepared.db'))
afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})
await client.execute('create table counters (name text primary key, n integer not null check (n <= 3))')

const BUMP = `insert into counters (name, n) values (?1, 1) on conflict (name) do update set n = n + 1`
const READ = `select name, n, n * 4096 * 4096 * 4096 as big from counters where name = ?1`
keepPrepared([BUMP, READ])
const bump = (name: string) => ({ sql: BUMP, args: [name] })
const read = (name: string) => ({ sql: READ, args: [name] })

describe('a batch of statements kept prepared', () => {
  it('answers as the client does: rows by name and by index, rows changed, integers as numbers', async () => {
    const [written, seen] = await client.batch([bump('a'), read('a')], 'write')
    expect(written!.rowsAffected).toBe(1)
    expect(seen!.columns).toEqual(['name', 'n', 'big'])
    expect(seen!.rows).toHaveLength(1)
    expect([seen!.rows[0]!.name, seen!.rows[0]!.n, seen!.rows[0]![1], seen!.rows[0]!.big]).toEqual(['a', 1, 1, 4096 ** 3])
    // The same batch through the client (one statement it does not keep makes it the client's) reads the same.
    const [, , viaClient] = await client.batch([{ sql: 'select 1', args: [] }, bump('a'), read('a')], 'write')
    expect({ ...viaClient!.rows[0] }).toEqual({ name: 'a', n: 2, big: 2 * 4096 ** 3 })
  })

  it('is one transaction: a statement that fails takes back those before it', async () => {
    await client.batch([bump('b'), bump('b'), bump('b')], 'write')
    await expect(client.batch([bump('c'), bump('b')], 'write')).rejects.toThrow(/CHECK constraint failed/)
    expect((await client.execute({ sql: 'select count(*) as n from counters where name = ?', args: ['c'] })).rows[0]!.n).toBe(0)
    // And the connection is usable afterwards, not left inside the failed transaction.
    const [, after] = await client.batch([bump('c'), read('c')], 'write')
    expect(after!.rows[0]!.n).toBe(1)
  })

  it('sees what the client wrote, and the client sees what it wrote', async () => {
    await client.execute({ sql: 'insert into counters (name, n) values (?, 2)', args: ['d'] })
    const [, seen] = await client.batch([bump('d'), read('d')], 'write')
    expect(seen!.rows[0]!.n).toBe(3)
    expect((await client.execute({ sql: 'select n from counters where name = ?', args: ['d'] })).rows[0]!.n).toBe(3)
  })

  it('runs on its own connection only when every statement of the batch is kept; otherwise the client runs it all', async () => {
    // A temporary table exists on the one connection that made it: the client's.
    await client.execute('create temp table marker (x)')
    const MARKED = 'select count(*) as n from temp.marker'
    keepPrepared([MARKED])
    await expect(client.batch([{ sql: MARKED, args: [] }], 'read')).rejects.toThrow(/no such table/)
    const [, viaClient] = await client.batch([{ sql: 'select 1', args: [] }, { sql: MARKED, args: [] }], 'read')
    expect(viaClient!.rows[0]!.n).toBe(0)
  })
})
