// `npm start` as a person runs it on a fresh machine: the bundle is built, the database created,
// migrated and seeded, and the panel answers.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'

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

describe('npm start', () => {
  it('creates, migrates and seeds the database, prints the demo sign-ins and serves the sign-in page', async () => {
    const port = await freePort()
    const databasePath = join(dir, 'kontor.db')
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, BASE_URL: `http://localhost:${port}`, KONTOR_SCHEDULER: 'off', KONTOR_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain('Kontor is running')
      expect(output).toContain('customer: demo@kontor.localhost / kontor-demo-customer')
      expect(output).toContain('operator: ops@kontor.localhost / kontor-demo-operator')

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
          ['ops@kontor.localhost', 1],
        ])
        expect(Number((await db.execute('select count(*) as n from products')).rows[0]!.n)).toBeGreaterThan(0)
        expect((await db.execute('pragma journal_mode')).rows[0]![0]).toBe('wal')
      } finally {
        db.close()
      }
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 60_000)
})
