// `npm run deploy` (scripts/deploy.ts) against a fake `wrangler` on PATH and the development libSQL
// server as the environment's Turso database: it refuses with the missing settings named and changes
// nothing, migrates before it deploys, and never deploys when the migration fails.
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevLibsqlServer, type DevLibsqlServer } from '../scripts/dev-libsql-server'
import { deployProblems } from '../scripts/deploy-checks'

const ROOT = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'kontor-deploy-'))
const fakeBin = join(dir, 'bin')
let libsql: DevLibsqlServer

/** Every setting as a secret, as `wrangler secret bulk .env.production` would leave them. */
const ALL_SECRETS = ['BASE_URL', 'MAIL_FROM', 'RESEND_API_KEY', 'VENDOR_LEGAL_NAME', 'VENDOR_ADDRESS', 'VENDOR_TAX_ID', 'VENDOR_BANK_ACCOUNT', 'TURSO_DATABASE_URL', 'TURSO_AUTH_TOKEN', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY', 'KSEF_TOKEN', 'KSEF_ENV']

// The fake wrangler: logs each call; `secret list` answers FAKE_SECRETS (or "not found" when unset);
// `deploy` also logs how many migrations the database had at that moment.
const FAKE_WRANGLER = `#!${process.execPath}
const { appendFileSync } = require('node:fs')
const args = process.argv.slice(2)
const log = (line) => appendFileSync(process.env.FAKE_LOG, line + '\\n')
;(async () => {
  if (args[0] === 'secret' && args[1] === 'list') {
    log('secret list ' + args.slice(2).join(' '))
    if (process.env.FAKE_SECRETS === undefined) {
      console.error('✘ [ERROR] Worker "kontor" not found.')
      process.exit(1)
    }
    console.log(JSON.stringify(process.env.FAKE_SECRETS.split(',').filter(Boolean).map((name) => ({ name, type: 'secret_text' }))))
    return
  }
  if (args[0] === 'deploy') {
    let migrations = 'unknown'
    try {
      const res = await fetch(process.env.FAKE_DB_URL + '/v2/pipeline', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select count(*) from __drizzle_migrations' } }] }) })
      const body = await res.json()
      migrations = body.results[0].type === 'ok' ? body.results[0].response.result.rows[0][0].value : 'none'
    } catch (e) { migrations = 'error ' + e.message }
    log('deploy ' + args.slice(1).join(' ') + ' (migrations: ' + migrations + ')')
    process.exit(Number(process.env.FAKE_DEPLOY_EXIT ?? 0))
  }
  log('unexpected ' + args.join(' '))
  process.exit(2)
})()
`

type Run = { code: number | null; output: string; calls: string[] }

async function deploy(args: string[], env: Record<string, string | undefined>, cwd = dir): Promise<Run> {
  const logFile = join(dir, `calls-${Math.random().toString(36).slice(2)}.log`)
  writeFileSync(logFile, '')
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/deploy.ts'), ...args], {
    cwd,
    env: { ...process.env, TURSO_DATABASE_URL: '', TURSO_AUTH_TOKEN: '', PATH: `${fakeBin}:${process.env.PATH}`, FAKE_LOG: logFile, FAKE_DB_URL: libsql.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const code = await new Promise<number | null>((ok) => child.on('exit', ok))
  return { code, output, calls: readFileSync(logFile, 'utf8').split('\n').filter(Boolean) }
}

async function migrationsIn(url: string): Promise<number | 'none'> {
  const res = await fetch(`${url}/v2/pipeline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'select count(*) from __drizzle_migrations' } }] }) })
  const body = (await res.json()) as { results: { type: string; response?: { result: { rows: { value: string }[][] } } }[] }
  return body.results[0]!.type === 'ok' ? Number(body.results[0]!.response!.result.rows[0]![0]!.value) : 'none'
}

beforeAll(async () => {
  libsql = await startDevLibsqlServer({ path: join(dir, 'turso.db'), port: 0 })
  const { mkdirSync } = await import('node:fs')
  mkdirSync(fakeBin)
  writeFileSync(join(fakeBin, 'wrangler'), FAKE_WRANGLER)
  chmodSync(join(fakeBin, 'wrangler'), 0o755)
})

afterAll(async () => {
  await libsql?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run deploy', () => {
  it('refuses a Worker that has no secrets yet, naming every setting, and changes nothing', async () => {
    const run = await deploy([], { FAKE_SECRETS: undefined, TURSO_DATABASE_URL: libsql.url })
    expect(run.code).toBe(1)
    expect(run.output).toContain("the production Worker can't run yet; nothing was changed")
    for (const name of ALL_SECRETS) expect(run.output).toContain(name)
    expect(run.output).toContain('npx wrangler secret bulk .env.production')
    expect(run.calls).toEqual(['secret list --format json'])
    expect(await migrationsIn(libsql.url)).toBe('none')
  })

  it('names exactly the settings still missing', async () => {
    const run = await deploy([], { FAKE_SECRETS: ALL_SECRETS.filter((s) => s !== 'RESEND_API_KEY' && s !== 'ECODE_LOOKUP_KEY').join(','), TURSO_DATABASE_URL: libsql.url })
    expect(run.code).toBe(1)
    const listed = run.output.split('\n').filter((l) => l.startsWith('  - '))
    expect(listed).toHaveLength(2)
    expect(listed.join('\n')).toContain('RESEND_API_KEY')
    expect(listed.join('\n')).toContain('ECODE_LOOKUP_KEY')
    expect(run.calls.some((c) => c.startsWith('deploy'))).toBe(false)
    expect(await migrationsIn(libsql.url)).toBe('none')
  })

  it('never deploys when the migration fails', async () => {
    const run = await deploy([], { FAKE_SECRETS: ALL_SECRETS.join(','), TURSO_DATABASE_URL: 'http://127.0.0.1:9' })
    expect(run.code).toBe(1)
    expect(run.output).toContain('so the Worker was not deployed')
    expect(run.calls).toEqual(['secret list --format json'])
  })

  it('stops before anything when it has no database to migrate', async () => {
    const run = await deploy([], { FAKE_SECRETS: ALL_SECRETS.join(',') })
    expect(run.code).toBe(1)
    expect(run.output).toContain('TURSO_DATABASE_URL is needed here to migrate the production database')
    expect(run.calls).toEqual(['secret list --format json'])
  })

  it('with every setting: migrates, then deploys', async () => {
    const run = await deploy([], { FAKE_SECRETS: ALL_SECRETS.join(','), TURSO_DATABASE_URL: libsql.url })
    expect(run.output).toContain('the production Worker is deployed')
    expect(run.code).toBe(0)
    const migrations = await migrationsIn(libsql.url)
    expect(migrations).toBeGreaterThan(0)
    // The fake saw the migrated database when it was asked to deploy.
    expect(run.calls).toEqual(['secret list --format json', `deploy  (migrations: ${migrations})`])
  })

  it('deploys --env staging with that environment’s secrets, database from .env.staging, and Worker', async () => {
    const stagingDb = await startDevLibsqlServer({ path: join(dir, 'staging.db'), port: 0 })
    try {
      writeFileSync(join(dir, '.env.staging'), `TURSO_DATABASE_URL=${stagingDb.url}\nTURSO_AUTH_TOKEN=staging-token\n`)
      const run = await deploy(['--env', 'staging'], { FAKE_SECRETS: [...ALL_SECRETS.filter((s) => !s.startsWith('STRIPE')), 'PAYMENTS'].join(','), FAKE_DB_URL: stagingDb.url })
      expect(run.output).toContain('the staging Worker is deployed')
      expect(run.calls[0]).toBe('secret list --format json --env staging')
      expect(run.calls[1]).toMatch(/^deploy --env staging \(migrations: [1-9]\d*\)$/)
      expect(await migrationsIn(stagingDb.url)).toBeGreaterThan(0)
    } finally {
      await stagingDb.close()
    }
  })

  it('reports a failed wrangler deploy with its exit code', async () => {
    const run = await deploy([], { FAKE_SECRETS: ALL_SECRETS.join(','), TURSO_DATABASE_URL: libsql.url, FAKE_DEPLOY_EXIT: '3' })
    expect(run.code).toBe(1)
    expect(run.output).toContain('wrangler deploy failed (exit code 3)')
  })
})

describe('what the deploy checks', () => {
  const secrets = ALL_SECRETS.filter((s) => s !== 'BASE_URL' && s !== 'MAIL_FROM')
  it('takes settings from wrangler.toml vars as well as from secrets, and checks their values', () => {
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'Kontor <b@example.test>' }, secrets)).toEqual([])
    expect(deployProblems({ BASE_URL: 'http://panel.example.test', MAIL_FROM: 'Kontor <b@example.test>' }, secrets)).toEqual([
      'BASE_URL must be an https address in production (sessions need a Secure cookie), not "http://panel.example.test"',
    ])
  })

  it('refuses a key written in clear in wrangler.toml', () => {
    const problems = deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', RESEND_API_KEY: 're_live_123' }, secrets.filter((s) => s !== 'RESEND_API_KEY'))
    expect(problems).toEqual([expect.stringContaining("RESEND_API_KEY is in wrangler.toml's [vars], in clear")])
  })

  it('accepts PAYMENTS=transfer-only instead of the Stripe keys', () => {
    const noStripe = secrets.filter((s) => !s.startsWith('STRIPE'))
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x' }, noStripe)[0]).toContain('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set')
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', PAYMENTS: 'transfer-only' }, noStripe)).toEqual([])
  })

  it('needs the KSeF token and environment for a Polish seller, or EINVOICE=off, and keeps the token out of wrangler.toml', () => {
    const noKsef = secrets.filter((s) => !s.startsWith('KSEF'))
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x' }, noKsef)).toEqual([expect.stringContaining('KSEF_TOKEN and KSEF_ENV are not set')])
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', EINVOICE: 'off' }, noKsef)).toEqual([])
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', KSEF_ENV: 'prod', KSEF_TOKEN: 'abc' }, noKsef)).toEqual([expect.stringContaining("KSEF_TOKEN is in wrangler.toml's [vars], in clear")])
  })

  it('takes KOD II’s Offline certificate key as a secret only, its serial as either', () => {
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', KSEF_OFFLINE_CERT_SERIAL: '01F20A5D352AE590' }, [...secrets, 'KSEF_OFFLINE_KEY'])).toEqual([])
    expect(deployProblems({ BASE_URL: 'https://panel.example.test', MAIL_FROM: 'x', KSEF_OFFLINE_CERT_SERIAL: '01F2', KSEF_OFFLINE_KEY: 'pem' }, secrets)).toEqual([
      expect.stringContaining("KSEF_OFFLINE_KEY is in wrangler.toml's [vars], in clear"),
      expect.stringContaining('KSEF_OFFLINE_KEY is not a PEM private key'),
    ])
  })
})
