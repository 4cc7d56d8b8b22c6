// The command-line tools of the README, run as a person would run them.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { jobRuns, orgRequests, outbox, users } from '../src/db/schema'
import { createOrg } from '../src/services/orgs'
import { ManualClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { createUser } from './helpers/users'
import { paymentProviderFor } from '../src/payments'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'kontor-scripts-'))
const path = join(dir, 'kontor.db')
const { db, client } = await openLocalDatabase(path)
await migrateDatabase(db)
const config = loadConfig({})
const deps = { db, clock: new ManualClock('2026-11-02T09:00:00Z'), config, mailer: null, payments: paymentProviderFor(config, db) }
afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})
// Vitest sets BASE_URL=/ for Vite; the scripts read BASE_URL as the panel's public address.
const env = { ...process.env, DATABASE_PATH: path, BASE_URL: 'http://localhost:8080' }
const tsx = (script: string, ...args: string[]) => run('npx', ['tsx', script, ...args], { env, cwd: process.cwd() })

describe('npm run ops:grant', () => {
  it('marks an existing account as an operator', async () => {
    await createUser(deps, { email: 'future-op@example.com' })
    const { stdout } = await tsx('scripts/ops-grant.ts', 'Future-Op@example.com')
    expect(stdout).toContain('future-op@example.com is now an operator')
    expect((await db.select().from(users).where(eq(users.email, 'future-op@example.com')).get())!.isOperator).toBe(true)
  })

  it('says so when there is no such account, with a failing exit code', async () => {
    await expect(tsx('scripts/ops-grant.ts', 'nobody@example.com')).rejects.toMatchObject({ code: 1 })
  })
})

describe('npm run job', () => {
  it('runs a job as of the time given with --now and records the run', async () => {
    const { stdout } = await tsx('scripts/job.ts', 'purges', '--now', '2027-03-01T03:00:00Z')
    expect(JSON.parse(stdout)).toMatchObject({ job: 'purges', asOf: '2027-03-01T03:00:00.000Z', status: 'ok' })
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.job, 'purges'))
    expect(run!.asOf.toISOString()).toBe('2027-03-01T03:00:00.000Z')
    // Started and ended in real time: the lease it held (from its start, src/jobs/runner.ts) lapses a
    // minute after a crash in real time, not a minute after the simulated one months ahead.
    expect(Math.abs(run!.startedAt.getTime() - Date.now())).toBeLessThan(60_000)
    expect(Math.abs(run!.finishedAt!.getTime() - Date.now())).toBeLessThan(60_000)
  })

  it('writes mail that links to the address PORT or BASE_URL names, not always localhost:8080 (issue 16, rule 6)', async () => {
    // An administrator with a request waiting gets the digest, which links to the org's inbox.
    const pending = async (email: string, name: string) => {
      const admin = { ...(await createUser(deps, { email })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
      const created = await createOrg(deps, admin, { name, country: 'PL', legalForm: 'person', taxId: null, addressLine: 'ul. Długa 1', postalCode: '00-001', city: 'Warszawa', billingEmail: email, einvoiceId: null }, deps.clock.now())
      if (!created.ok) throw new Error('no org')
      const asker = await createUser(deps, { email: `asks-${email}` })
      await db.insert(orgRequests).values({ id: `req-${email}`, orgId: created.org.id, kind: 'admin_rights', userId: asker.id, status: 'pending', createdAt: deps.clock.now() })
      return created.org.slug
    }
    const digestTo = async (email: string) => (await db.select().from(outbox).where(eq(outbox.to, email)).get())!.text
    const onPort = await pending('digest-port@example.com', 'Port Test')
    await run('npx', ['tsx', 'scripts/job.ts', 'digests', '--now', '2026-11-02T10:00:00Z'], { env: { ...env, BASE_URL: '', PORT: '3456' } })
    expect(await digestTo('digest-port@example.com')).toContain(`http://localhost:3456/o/${onPort}/requests`)
    const onBase = await pending('digest-base@example.com', 'Base Test')
    await run('npx', ['tsx', 'scripts/job.ts', 'digests', '--now', '2026-11-02T10:15:00Z'], { env: { ...env, KONTOR_ENV: 'development', BASE_URL: 'http://127.0.0.1:4567', PORT: '3456' } })
    expect(await digestTo('digest-base@example.com')).toContain(`http://127.0.0.1:4567/o/${onBase}/requests`)
  })

  it('refuses an unknown job or a malformed time with exit code 2', async () => {
    await expect(tsx('scripts/job.ts', 'nope')).rejects.toMatchObject({ code: 2 })
    await expect(tsx('scripts/job.ts', 'mail', '--now', 'yesterday')).rejects.toMatchObject({ code: 2 })
  })
})
