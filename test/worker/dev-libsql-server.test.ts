// The development libSQL server (scripts/dev-libsql-server.ts) as @libsql/client's HTTP client — the
// one the Worker uses — sees it, in process on a temporary file.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, LibsqlError } from '@libsql/client'
import { startDevLibsqlServer, type DevLibsqlServer } from '../../scripts/dev-libsql-server'
import { databaseFrom } from '../../src/db/client'
import { migrateDatabase } from '../../src/db/local'

const dir = mkdtempSync(join(tmpdir(), 'kontor-dev-libsql-'))
const server = await startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0 })
const client = createClient({ url: server.url })
afterAll(async () => {
  client.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})
await client.execute('create table notes (id integer primary key, title text not null unique, score real, body blob)')

/** Posts one Hrana pipeline as JSON, for the parts of the protocol the client does not reach. */
async function pipeline(requests: unknown[], baton: string | null = null, url = server.url) {
  const res = await fetch(`${url}/v3/pipeline`, { method: 'POST', body: JSON.stringify({ baton, requests }) })
  return { status: res.status, body: (await res.json()) as { baton: string | null; results: any[] } }
}

const titles = async () => (await client.execute('select title from notes order by id')).rows.map((r) => r.title)

describe('the development libSQL server', () => {
  it('answers the version probes the client makes, and 404 to the protobuf one so the client stays on JSON', async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200)
    expect((await fetch(`${server.url}/v3`)).status).toBe(200)
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404)
    expect(await (await fetch(`${server.url}/health`)).text()).toBe('ok\n')
  })

  it('executes with positional and named arguments and reports changes and the last rowid', async () => {
    const first = await client.execute({ sql: 'insert into notes (title, score) values (?, ?)', args: ['first', 1.5] })
    expect(first.rowsAffected).toBe(1)
    expect(first.lastInsertRowid).toBe(1n)
    const named = await client.execute({ sql: 'insert into notes (title) values (:title) returning id, title', args: { title: 'named' } })
    expect(named.rows.map((r) => ({ ...r }))).toEqual([{ id: 2, title: 'named' }])
    expect(named.rowsAffected).toBe(1)
    const read = await client.execute({ sql: 'select title from notes where id = ?2 or title = $t', args: { t: 'first', '?2': 2 } })
    expect(read.rowsAffected).toBe(0)
    expect(read.columns).toEqual(['title'])
    expect(read.columnTypes).toEqual(['TEXT'])
    expect(read.rows.map((r) => r.title).sort()).toEqual(['first', 'named'])
  })

  it('keeps integer, float, text, blob and null apart both ways, 64-bit integers exact', async () => {
    const big = createClient({ url: server.url, intMode: 'bigint' })
    const r = await big.execute({
      sql: 'select ? as i, ? as f, ? as t, ? as b, ? as n, typeof(?) as ti, typeof(?) as tf',
      args: [9007199254740993n, 2.5, 'żółw', new Uint8Array([0, 255, 7]), null, 3n, 3],
    })
    big.close()
    const row = r.rows[0]!
    expect(row.i).toBe(9007199254740993n)
    expect(row.f).toBe(2.5)
    expect(row.t).toBe('żółw')
    expect([...new Uint8Array(row.b as ArrayBuffer)]).toEqual([0, 255, 7])
    expect(row.n).toBeNull()
    // A JS number travels as a Hrana "float", as it does to Turso.
    expect([row.ti, row.tf]).toEqual(['integer', 'real'])
  })

  it('rolls a batch back when one of its statements fails', async () => {
    const before = await titles()
    const batch = client.batch(
      [
        { sql: 'insert into notes (title) values (?)', args: ['from the batch'] },
        { sql: 'insert into notes (title) values (?)', args: ['first'] },
      ],
      'write',
    )
    await expect(batch).rejects.toMatchObject({ name: 'LibsqlBatchError', code: 'SQLITE_CONSTRAINT', statementIndex: 1 })
    expect(await titles()).toEqual(before)
  })

  it('evaluates every batch condition', async () => {
    const stmt = (sql: string) => ({ sql })
    const steps = [
      { stmt: stmt('select 1') }, // 0 ok
      { stmt: stmt('select nope') }, // 1 error
      { condition: { type: 'ok', step: 1 }, stmt: stmt('select 2') }, // skipped
      { condition: { type: 'error', step: 1 }, stmt: stmt('select 3') }, // runs
      { condition: { type: 'not', cond: { type: 'ok', step: 0 } }, stmt: stmt('select 4') }, // skipped
      { condition: { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'ok', step: 3 }] }, stmt: stmt('select 5') }, // runs
      { condition: { type: 'or', conds: [{ type: 'ok', step: 2 }, { type: 'ok', step: 4 }] }, stmt: stmt('select 6') }, // skipped
      { condition: { type: 'is_autocommit' }, stmt: stmt('select 7') }, // runs
    ]
    const { body } = await pipeline([{ type: 'batch', batch: { steps } }, { type: 'close' }])
    const { step_results, step_errors } = body.results[0].response.result
    expect(step_results.map((r: unknown) => r !== null)).toEqual([true, false, false, true, false, true, false, true])
    expect(step_errors.map((e: unknown) => e !== null)).toEqual([false, true, false, false, false, false, false, false])
    expect(step_errors[1]).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('nope') })
    expect(step_results[7].rows).toEqual([[{ type: 'integer', value: '7' }]])
    expect(body.baton).toBeNull()
  })

  it('keeps a stream between requests by its baton: stored SQL, autocommit state, describe, sequence', async () => {
    const first = await pipeline([
      { type: 'store_sql', sql_id: 1, sql: 'select title from notes where id = ?' },
      { type: 'sequence', sql: "begin; insert into notes (title) values ('in a sequence');" },
      { type: 'get_autocommit' },
    ])
    expect(first.body.results.map((r) => r.type)).toEqual(['ok', 'ok', 'ok'])
    expect(first.body.results[2].response.is_autocommit).toBe(false)
    const second = await pipeline(
      [
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'integer', value: '1' }] } },
        { type: 'describe', sql: 'select id, title as t from notes where id = :id or score > ?5' },
        { type: 'describe', sql: 'delete from notes' },
        { type: 'execute', stmt: { sql: 'rollback' } },
        { type: 'close' },
      ],
      first.body.baton,
    )
    const [execute, describeSelect, describeDelete] = second.body.results.map((r) => r.response)
    expect(execute.result.rows).toEqual([[{ type: 'text', value: 'first' }]])
    expect(describeSelect.result).toEqual({
      params: [{ name: ':id' }, { name: null }, { name: null }, { name: null }, { name: '?5' }],
      cols: [
        { name: 'id', decltype: 'INTEGER' },
        { name: 't', decltype: 'TEXT' },
      ],
      is_explain: false,
      is_readonly: true,
    })
    expect(describeDelete.result).toMatchObject({ is_readonly: false, cols: [] })
    expect(await titles()).not.toContain('in a sequence')
    // The baton was spent, and the stream is closed anyway.
    expect((await pipeline([{ type: 'get_autocommit' }], first.body.baton)).status).toBe(400)
  })

  it('streams a batch through v3/cursor as JSON lines', async () => {
    const res = await fetch(`${server.url}/v3/cursor`, {
      method: 'POST',
      body: JSON.stringify({ baton: null, batch: { steps: [{ stmt: { sql: 'select 1 as one' } }, { stmt: { sql: 'select nope' } }] } }),
    })
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.type ?? 'head')).toEqual(['head', 'step_begin', 'row', 'step_end', 'step_error'])
    expect(lines[0].baton).toEqual(expect.any(String))
    await pipeline([{ type: 'close' }], lines[0].baton)
  })

  it('runs interactive transactions on one connection: rollback discards, commit keeps, others wait for the lock', async () => {
    const discarded = await client.transaction('write')
    await discarded.execute({ sql: 'insert into notes (title) values (?)', args: ['discarded'] })
    expect((await discarded.execute("select count(*) as n from notes where title = 'discarded'")).rows[0]!.n).toBe(1)
    await discarded.rollback()

    const kept = await client.transaction('write')
    await kept.execute({ sql: 'insert into notes (title) values (?)', args: ['kept'] })
    expect(await titles()).not.toContain('kept') // not visible outside before the commit
    const waiting = client.execute({ sql: 'insert into notes (title) values (?)', args: ['after the commit'] })
    await new Promise((r) => setTimeout(r, 50))
    await kept.commit()
    await waiting
    const after = await titles()
    expect(after).not.toContain('discarded')
    expect(after.slice(-2)).toEqual(['kept', 'after the commit'])
  })

  it('reports an SQL error as a LibsqlError and carries on', async () => {
    const failure = await client.execute('select * from no_such_table').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(LibsqlError)
    expect(failure).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no such table: no_such_table') })
    const syntax = await client.execute('selec 1').catch((e: unknown) => e)
    expect(syntax).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('syntax error') })
    await expect(client.execute({ sql: 'select :missing', args: { other: 1 } })).rejects.toMatchObject({ code: 'ARGS_INVALID' })
    expect((await client.execute('select 1 as ok')).rows[0]!.ok).toBe(1)
  })

  it("gives up on a lock held too long with SQLITE_BUSY, and the same stream's later writes still commit", async () => {
    const impatient = await startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0, busyWaitMs: 100 })
    const insert = (title: string) => ({ type: 'execute', stmt: { sql: 'insert into notes (title) values (?)', args: [{ type: 'text', value: title }] } })
    try {
      const holder = await client.transaction('write')
      await holder.execute("insert into notes (title) values ('holding the lock')")
      const first = await pipeline([insert('too early')], null, impatient.url)
      expect(first.body.results[0].error).toMatchObject({ code: 'SQLITE_BUSY' })
      await holder.commit()
      const second = await pipeline([insert('in time'), { type: 'close' }], first.body.baton, impatient.url)
      expect(second.body.results.map((r) => r.type)).toEqual(['ok', 'ok'])
      const after = await titles()
      expect(after).toEqual(expect.arrayContaining(['holding the lock', 'in time']))
      expect(after).not.toContain('too early')
    } finally {
      await impatient.close()
    }
  })

  it('rolls back and forgets a stream left idle', async () => {
    const quick = await startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0, streamIdleMs: 100 })
    const c = createClient({ url: quick.url })
    try {
      const abandoned = await c.transaction('write')
      await abandoned.execute("insert into notes (title) values ('abandoned')")
      await new Promise((r) => setTimeout(r, 300))
      await expect(abandoned.execute('select 1')).rejects.toMatchObject({ code: 'STREAM_EXPIRED' })
      await c.execute("insert into notes (title) values ('not blocked')") // the write lock was released
      expect(await titles()).not.toContain('abandoned')
    } finally {
      c.close()
      await quick.close()
    }
  })

  it('counts the round trips and the statements it served, in process and on GET /stats, which counts neither itself nor /health', async () => {
    const counted = await startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0 })
    const c = createClient({ url: counted.url })
    const since = (before: DevLibsqlServer['stats']) => ({ httpRequests: counted.stats.httpRequests - before.httpRequests, statements: counted.stats.statements - before.statements })
    try {
      expect(counted.stats).toEqual({ httpRequests: 0, statements: 0 })
      await c.execute('select count(*) from notes')
      expect(counted.stats).toEqual({ httpRequests: 1, statements: 1 })

      // A batch is one request; its two statements run between the BEGIN and COMMIT the client adds.
      let before = { ...counted.stats }
      await c.batch(['select 1', 'select 2'], 'read')
      expect(since(before)).toEqual({ httpRequests: 1, statements: 4 })

      // Raw: a step whose condition fails is not run; describe and get_autocommit run no SQL; a sequence counts once.
      before = { ...counted.stats }
      const steps = [{ stmt: { sql: 'select nope' } }, { condition: { type: 'ok', step: 0 }, stmt: { sql: 'select 2' } }, { stmt: { sql: 'select 3' } }]
      const first = await pipeline([{ type: 'batch', batch: { steps } }, { type: 'describe', sql: 'select 1' }, { type: 'get_autocommit' }], null, counted.url)
      await pipeline([{ type: 'sequence', sql: 'select 1; select 2;' }, { type: 'close' }], first.body.baton, counted.url)
      expect((await fetch(`${counted.url}/v3-protobuf`)).status).toBe(404) // a probe answered 404 is a round trip too
      expect(since(before)).toEqual({ httpRequests: 3, statements: 3 })

      // An interactive transaction: a round trip per statement (the client sends BEGIN with the first one, and the COMMIT alone).
      before = { ...counted.stats }
      const tx = await c.transaction('write')
      await tx.execute("insert into notes (title) values ('counted')")
      await tx.execute("delete from notes where title = 'counted'")
      await tx.commit()
      expect(since(before)).toEqual({ httpRequests: 3, statements: 4 })

      const expected = { ...counted.stats }
      expect((await fetch(`${counted.url}/health`)).status).toBe(200)
      const res = await fetch(`${counted.url}/stats`)
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(await res.json()).toEqual({ ...expected, latencyMs: 0 })
      expect(await (await fetch(`${counted.url}/stats`)).json()).toEqual({ ...expected, latencyMs: 0 })
    } finally {
      c.close()
      await counted.close()
    }
  })

  it('delays every answer by the simulated latency, probes, pipelines, cursors and failures alike, and a transaction by one per round trip', async () => {
    const far = await startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0, latencyMs: 120 })
    const c = createClient({ url: far.url })
    const timed = async (work: () => Promise<unknown>) => {
      const t0 = performance.now()
      await work()
      return performance.now() - t0
    }
    try {
      expect(await (await fetch(`${far.url}/stats`)).json()).toMatchObject({ latencyMs: 120 })
      expect(await timed(() => fetch(`${far.url}/v2`).then((r) => r.text()))).toBeGreaterThanOrEqual(120)
      expect(await timed(() => c.execute('select 1'))).toBeGreaterThanOrEqual(120)
      expect(await timed(() => c.execute('select nope').catch(() => null))).toBeGreaterThanOrEqual(120)
      const cursor = () => fetch(`${far.url}/v3/cursor`, { method: 'POST', body: JSON.stringify({ baton: null, batch: { steps: [{ stmt: { sql: 'select 1' } }] } }) }).then((r) => r.text())
      expect(await timed(cursor)).toBeGreaterThanOrEqual(120)
      const before = far.stats.httpRequests
      const transaction = await timed(async () => {
        const tx = await c.transaction('write')
        await tx.execute('select 1')
        await tx.commit()
      })
      expect(transaction).toBeGreaterThanOrEqual((far.stats.httpRequests - before) * 120)

      far.setLatencyMs(300)
      expect(await timed(() => c.execute('select 1'))).toBeGreaterThanOrEqual(300)
      expect(() => far.setLatencyMs(-1)).toThrow('the latency must be a whole number of milliseconds from 0 to 10000, not -1')
      expect(far.latencyMs()).toBe(300)
    } finally {
      c.close()
      await far.close()
    }
    await expect(startDevLibsqlServer({ path: join(dir, 'dev.db'), port: 0, latencyMs: 2.5 })).rejects.toThrow('not 2.5')
  })

  it('npm run dev:libsql takes its latency from LIBSQL_DEV_LATENCY_MS, and refuses one that is not a whole number of milliseconds', async () => {
    const env = { ...process.env, LIBSQL_DEV_PORT: '0', LIBSQL_DEV_PATH: join(dir, 'script.db') }
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-libsql-server.ts'], { env: { ...env, LIBSQL_DEV_LATENCY_MS: '40' }, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      let url = ''
      for await (const line of createInterface({ input: child.stdout! })) {
        url = /Hrana over HTTP\) at (\S+)/.exec(line)?.[1] ?? url
        if (line.includes('simulated latency: 40 ms')) break
      }
      expect(await (await fetch(`${url}/stats`)).json()).toEqual({ httpRequests: 0, statements: 0, latencyMs: 40 })
    } finally {
      child.kill('SIGTERM')
    }
    const refused = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(process.execPath, ['--import', 'tsx', 'scripts/dev-libsql-server.ts'], { env: { ...env, LIBSQL_DEV_LATENCY_MS: '50ms' } }, (e, _out, stderr) => done({ code: e ? (e.code as number) : 0, stderr })),
    )
    expect(refused).toEqual({ code: 1, stderr: 'dev libSQL server: LIBSQL_DEV_LATENCY_MS must be a whole number of milliseconds from 0 to 10000, not "50ms"\n' })
  })

  it("applies the app's migrations through drizzle's migrator, as npm run db:migrate does for Turso", async () => {
    const other = startDevLibsqlServer({ path: join(dir, 'app.db'), port: 0 })
    const { url, close } = await other
    const c = createClient({ url })
    try {
      await migrateDatabase(databaseFrom(c))
      await migrateDatabase(databaseFrom(c)) // a second run finds nothing to do
      const tables = (await c.execute("select name from sqlite_master where type = 'table'")).rows.map((r) => r.name)
      expect(tables).toEqual(expect.arrayContaining(['users', 'outbox', 'job_runs', '__drizzle_migrations']))
    } finally {
      c.close()
      await close()
    }
  })
})
