// A second (third…) copy of a test app's database, byte for byte the same rows and ids, with its
// own clock, mailer and payment provider: to run the same work two ways and compare what each left.
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll } from 'vitest'
import { sql } from 'drizzle-orm'
import { ManualClock } from '../../src/clock'
import { openLocalDatabase } from '../../src/db/local'
import type { Deps } from '../../src/deps'
import type { PaymentProvider } from '../../src/payments/provider'
import type { TestApp } from './app'
import { RecordingMailer } from './mailer'

export type Clone = Awaited<ReturnType<typeof cloneApp>>

/** Copies `t`'s database as it is now (VACUUM INTO) and opens the copy with deps like `t`'s. */
export async function cloneApp(t: TestApp, payments: (db: Deps['db']) => PaymentProvider) {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-clone-'))
  const path = join(dir, 'clone.db')
  await t.db.run(sql`VACUUM INTO ${path}`)
  const { db, client } = await openLocalDatabase(path)
  const clock = new ManualClock(t.clock.now().toISOString())
  const mailer = new RecordingMailer()
  const deps: Deps = { db, clock, config: t.config, mailer, payments: payments(db) }
  afterAll(() => {
    client.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { db, deps, clock, mailer }
}
