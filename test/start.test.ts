// `npm start` as a person runs it on a fresh machine: the bundle is built, the database created,
// migrated and seeded, and the panel answers.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { seedDemo } from '../src/seed/index'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { PRODUCTION_ENV } from './helpers/production-env'

const dir = mkdtempSync(join(tmpdir(), 'kontor-start-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

/** `npm start`'s script in a child process; output() is what it has printed so far. */
function startKontor(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  return { child, output: () => output }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

describe('npm start', () => {
  it('creates, migrates and seeds the database, prints the demo sign-ins and serves the sign-in page', async () => {
    const port = await freePort()
    const databasePath = join(dir, 'kontor.db')
    const { child, output } = startKontor({ ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, BASE_URL: `http://localhost:${port}`, KONTOR_SCHEDULER: 'off', KONTOR_ENV: 'development' })
    const exited = exitOf(child)
    try {
      await expect.poll(output, { timeout: 30_000, interval: 100 }).toContain('Kontor is running')
      expect(output()).toContain('customer: demo@kontor.localhost / kontor-demo-customer')
      expect(output()).toContain('operator: ops@kontor.localhost / kontor-demo-operator')
      expect(output()).toContain('members: ewa@kontor.localhost, tomasz@kontor.localhost / kontor-demo-member')

      const page = await fetch(`http://127.0.0.1:${port}/login`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('name="password"')
      expect((await fetch(`http://127.0.0.1:${port}/app.css`)).status).toBe(200)
      expect((await fetch(`http://127.0.0.1:${port}/vendor/htmx.min.js`)).status).toBe(200)

      const db = createClient({ url: `file:${databasePath}` })
      try {
        const users = await db.execute('select email, is_operator from users order by email')
        expect(users.rows.map((r) => [r.email, Number(r.is_operator)])).toEqual([
          ['demo@kontor.localhost', 0],
          ['ewa@kontor.localhost', 0],
          ['ops@kontor.localhost', 1],
          ['tomasz@kontor.localhost', 0],
        ])
        expect(Number((await db.execute('select count(*) as n from products')).rows[0]!.n)).toBeGreaterThan(0)
        // The demo customer's company, with something to look at (test/seed/demo-company.test.ts has the rest).
        const company = await db.execute(`select o.name, m.role from orgs o join memberships m on m.org_id = o.id join users u on u.id = m.user_id where u.email = 'demo@kontor.localhost'`)
        expect(company.rows.map((r) => [r.name, r.role])).toEqual([['Biuro Rachunkowe Bilans sp. z o.o.', 'admin']])
        expect(Number((await db.execute('select count(*) as n from invoices')).rows[0]!.n)).toBeGreaterThan(0)
        expect(Number((await db.execute('select count(*) as n from ecodes')).rows[0]!.n)).toBeGreaterThan(0)
        expect((await db.execute('pragma journal_mode')).rows[0]![0]).toBe('wal')
      } finally {
        db.close()
      }
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 60_000)

  it('refuses to start on a public address without production settings, naming them, before creating any database', async () => {
    const port = await freePort()
    const databasePath = join(dir, 'refused.db')
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '0.0.0.0', DATABASE_PATH: databasePath, KONTOR_SCHEDULER: 'off' }
    for (const name of ['KONTOR_ENV', 'NODE_ENV', 'BASE_URL', 'RESEND_API_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY']) delete env[name]
    const { child, output } = startKontor(env)
    const code = await exitOf(child)
    expect(code).toBe(1)
    expect(output()).toContain('Kontor is running in production and refuses to start until these settings are fixed:')
    for (const name of ['BASE_URL', 'RESEND_API_KEY', 'MAIL_FROM', 'STRIPE_SECRET_KEY', 'ECODE_LOOKUP_KEY']) expect(output()).toContain(`- ${name}`)
    expect(output()).not.toContain('kontor-demo-operator')
    expect(existsSync(databasePath)).toBe(false)
  }, 60_000)

  it('in production seeds nothing: no demo accounts, no demo catalog, and prints no demo sign-ins', async () => {
    const port = await freePort()
    const databasePath = join(dir, 'production.db')
    const { child, output } = startKontor({ ...process.env, ...PRODUCTION_SETTINGS, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, KONTOR_SCHEDULER: 'off', KONTOR_ENV: 'production' })
    const exited = exitOf(child)
    try {
      await expect.poll(output, { timeout: 30_000, interval: 100 }).toContain('Kontor is running')
      expect(output()).toContain('production')
      expect(output()).not.toContain('kontor-demo')
      expect((await fetch(`http://127.0.0.1:${port}/dev/mail`)).status).toBe(404)
      const db = createClient({ url: `file:${databasePath}` })
      try {
        expect(Number((await db.execute('select count(*) as n from users')).rows[0]!.n)).toBe(0)
        expect(Number((await db.execute('select count(*) as n from products')).rows[0]!.n)).toBe(0)
        expect(Number((await db.execute('select count(*) as n from orgs')).rows[0]!.n)).toBe(0)
      } finally {
        db.close()
      }
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 60_000)
})

describe('npm start in production, on a database that holds the demo accounts', () => {
  it('refuses to start, naming them', async () => {
    const port = await freePort()
    const databasePath = join(dir, 'demo-in-production.db')
    // A development start seeds the demo data into the file first.
    const seeded = await openLocalDatabase(databasePath)
    await migrateDatabase(seeded.db)
    await seedDemo({ db: seeded.db, clock: systemClock, config: loadConfig({}, { kind: 'script' }), mailer: null, payments: null })
    seeded.client.close()
    const { child, output } = startKontor({ ...process.env, ...PRODUCTION_SETTINGS, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, KONTOR_SCHEDULER: 'off', KONTOR_ENV: 'production' })
    const code = await exitOf(child)
    expect(code).toBe(1)
    expect(output()).toContain('the database holds the demo accounts demo@kontor.localhost, ops@kontor.localhost, ewa@kontor.localhost and tomasz@kontor.localhost')
  }, 60_000)
})

describe('the bundle build npm start runs when the bundle is stale', () => {
  it('leaves no esbuild service process behind for the server to carry', async () => {
    const outfile = join(dir, 'rebuilt.mjs')
    // The same module start.mjs imports, in a process of its own: after the build, list its children.
    const script = `import { execFileSync } from 'node:child_process'
const { buildNodeBundle } = await import(${JSON.stringify(new URL('../scripts/build-node.mjs', import.meta.url).href)})
await buildNodeBundle(${JSON.stringify(outfile)})
// An ended child not reaped yet (state Z) holds no memory. The service is told to stop as the build
// ends and exits a moment later (on a busy machine, a few ms): it must be gone within 2 s, not live on.
const live = () => execFileSync('ps', ['-o', 'stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  .split('\\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('Z') && !line.endsWith(' ps'))
let children = live()
for (let i = 0; i < 40 && children.length > 0; i++) {
  await new Promise((r) => setTimeout(r, 50))
  children = live()
}
console.log(JSON.stringify(children))`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    expect(await exitOf(child)).toBe(0)
    expect(existsSync(outfile)).toBe(true)
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual([])
  }, 60_000)
})

/** A complete production configuration (throwaway keys) for a server that must start. */
const PRODUCTION_SETTINGS = {
  ...PRODUCTION_ENV,
  RESEND_BASE_URL: 'http://127.0.0.1:9',
  PAYMENTS: 'transfer-only',
  STRIPE_SECRET_KEY: '',
  STRIPE_WEBHOOK_SECRET: '',
}
