import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { users } from '../../src/db/schema'
import type { Db } from '../../src/db/client'
import { readTogether } from '../../src/db/client'
import { bindPrepared } from '../../src/db/prepared'
import { testApp } from '../helpers/app'
import { createUser } from '../helpers/users'

let builds = 0
const userByEmail = (db: Db) => {
  builds++
  return db.select({ id: users.id, name: users.name, createdAt: users.createdAt }).from(users).where(eq(users.email, sql.placeholder('email')))
}

describe('a statement prepared once per database handle (src/db/prepared.ts)', () => {
  it('reads what the builder reads, awaited, with get(), alone or in a batch, and is built once', async () => {
    const t = await testApp()
    const ewa = await createUser(t.deps, { email: 'ewa@example.com', name: 'Ewa Nowak' })
    const jan = await createUser(t.deps, { email: 'jan@example.com', name: 'Jan Kowalski' })
    builds = 0

    const awaited = await bindPrepared(t.db, userByEmail, { email: 'ewa@example.com' })
    expect(awaited).toEqual([{ id: ewa.id, name: 'Ewa Nowak', createdAt: ewa.createdAt }])
    expect(awaited[0]!.createdAt).toBeInstanceOf(Date)
    expect(await bindPrepared(t.db, userByEmail, { email: 'jan@example.com' }).get()).toEqual({ id: jan.id, name: 'Jan Kowalski', createdAt: jan.createdAt })

    // In one batch, each bound to its own values.
    const both = await readTogether(t.db, {
      a: bindPrepared(t.db, userByEmail, { email: 'jan@example.com' }),
      b: bindPrepared(t.db, userByEmail, { email: 'nobody@example.com' }),
      c: bindPrepared(t.db, userByEmail, { email: 'ewa@example.com' }),
    })
    expect(both.a.map((u) => u.name)).toEqual(['Jan Kowalski'])
    expect(both.b).toEqual([])
    expect(both.c.map((u) => u.name)).toEqual(['Ewa Nowak'])
    expect(builds).toBe(1)

    // Another handle (another database) builds its own.
    const other = await testApp()
    expect(await bindPrepared(other.db, userByEmail, { email: 'ewa@example.com' })).toEqual([])
    expect(builds).toBe(2)
  })
})
