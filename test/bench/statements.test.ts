// The bench's reading of what a page asks of the database (bench/inprocess.ts) and its command line
// (bench/cli.ts): a statement is a write unless it only reads — `WITH RECURSIVE … SELECT` (the history's
// filter menus) reads, `WITH … INSERT` writes — and `--ecodes` takes the largest org of the scale part.
import { describe, expect, it } from 'vitest'
import { isRead } from '../../bench/inprocess'
import { benchOptions } from '../../bench/cli'
import { scalesUpTo } from '../../bench/ecode-scale'
import { historyFacetQueries } from '../../src/db/history'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'

describe('reads and writes as the bench counts them', () => {
  it('reads: SELECT, and WITH (RECURSIVE) whose main statement is a SELECT, comments and quoted parentheses aside', () => {
    for (const sql of [
      'select 1',
      '  /* page */ SELECT * from users',
      '-- menus\nwith recursive k(kind) as (select min(kind) from history union all select kind from k) select kind from k',
      'with a as (select \'(\' as p), "b c" as materialized (select 1) select * from a, "b c"',
    ]) expect(isRead(sql), sql).toBe(true)
  })

  it('writes: INSERT, UPDATE, DELETE, and WITH whose main statement is one', () => {
    for (const sql of [
      'insert into history (kind) values (?)',
      'UPDATE sessions set last_seen_at = ?',
      'delete from outbox where id = ?',
      'with gone as (select id from outbox where sent_at < ?) delete from outbox where id in gone',
      'with recursive n(i) as (select 1 union all select i + 1 from n where i < 3) insert into t select i from n',
    ]) expect(isRead(sql), sql).toBe(false)
  })

  it('counts the history’s filter menus, as the app sends them, as reads', () => {
    const { kinds, actors } = historyFacetQueries('o1')
    for (const q of [kinds, actors]) expect(isRead(new SQLiteAsyncDialect().sqlToQuery(q).sql)).toBe(true)
  })
})

describe('the bench’s --ecodes option', () => {
  it('measures 10k, 100k and 1M for --ecodes 1000000, and refuses what is not a number of codes', () => {
    expect(benchOptions(['--ecodes', '1000000'])).toMatchObject({ ecodeScales: [10_000, 100_000, 1_000_000] })
    expect(benchOptions(['--ecodes', '1_000_000', '--only', 'ecodes'])).toMatchObject({ ecodeScales: [10_000, 100_000, 1_000_000], only: 'ecodes' })
    expect(benchOptions([])).toMatchObject({ ecodeScales: [10_000, 100_000] })
    expect(scalesUpTo(250_000)).toEqual([10_000, 100_000, 250_000])
    expect(benchOptions(['--ecodes', 'lots'])).toEqual({ error: expect.stringContaining('--ecodes takes a whole number') })
    expect(benchOptions(['--only', 'everything'])).toEqual({ error: expect.stringContaining('--only takes') })
  })
})
