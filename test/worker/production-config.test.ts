// The Worker fails closed (issue 14): in workerd, with the bundle a deploy uploads, every missing or
// unsafe production setting is named on a 503 page — never a 500 — and every Cron Trigger fails,
// while a complete configuration serves with the __Host- Secure cookie and without development's
// doors (/dev/mail, the test payment provider), even when told KONTOR_ENV=development.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { startDevLibsqlServer, type DevLibsqlServer } from '../../scripts/dev-libsql-server'
import { databaseFrom } from '../../src/db/client'
import { migrateDatabase } from '../../src/db/local'
import { systemClock } from '../../src/clock'
import { DEVELOPMENT_ECODE_SECRETS } from '../../src/config'
import { TEST_PASSWORD_COST } from '../../src/auth/password'
import { textOf } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'
import { buildWorkerBundle, startWorkerd, type WorkerdHandle } from '../helpers/workerd'
import { PRODUCTION_ENV } from '../helpers/production-env'

const dir = mkdtempSync(join(tmpdir(), 'kontor-prodcfg-'))
let bundle: ReturnType<typeof buildWorkerBundle>
let libsql: DevLibsqlServer
let client: Client
let worker: WorkerdHandle

const BASE_URL = 'https://panel.example.test'
/** Every setting production needs, each with a value it accepts. */
let complete: Record<string, string>
/** The settings with no default in production: each missing one is named. */
const REQUIRED = [
  'BASE_URL',
  'RESEND_API_KEY',
  'MAIL_FROM',
  'VENDOR_LEGAL_NAME',
  'VENDOR_ADDRESS',
  'VENDOR_TAX_ID',
  'VENDOR_BANK_ACCOUNT',
  'TURSO_DATABASE_URL',
  'TURSO_AUTH_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'ECODE_LOOKUP_KEY',
  'ECODE_ENCRYPTION_KEY',
  // Stands for KSeF's settings (complete has EINVOICE=off): without either, KSEF_TOKEN is asked for, naming EINVOICE=off.
  'EINVOICE',
]

function without(name: string) {
  const { [name]: _, ...rest } = complete
  return rest
}

/** The problems the 503 page lists, one per item. */
async function refusal(res: Response): Promise<string[]> {
  expect(res.status).toBe(503)
  expect(res.headers.get('Retry-After')).toBe('300')
  const html = await res.text()
  expect(html).toContain('Kontor is not configured yet')
  return [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => textOf(m[1]!))
}

beforeAll(async () => {
  bundle = buildWorkerBundle()
  libsql = await startDevLibsqlServer({ path: join(dir, 'prod.db'), port: 0 })
  client = createClient({ url: libsql.url })
  await migrateDatabase(databaseFrom(client))
  complete = {
    ...PRODUCTION_ENV,
    BASE_URL,
    TURSO_DATABASE_URL: libsql.url,
    TURSO_AUTH_TOKEN: 'the-dev-server-ignores-it',
  }
  worker = await startWorkerd(bundle.modules, {})
}, 60_000)

afterAll(async () => {
  await worker?.close()
  client?.close()
  await libsql?.close()
  bundle?.dispose()
  rmSync(dir, { recursive: true, force: true })
}, 15_000)

describe('a Worker without its production settings', () => {
  it('answers 503 naming every missing setting, and fails its Cron Triggers', async () => {
    await worker.setBindings({})
    const problems = await refusal(await worker.fetch('/login'))
    for (const name of REQUIRED) expect(problems.join('\n')).toContain(name)
    expect((await worker.scheduled('*/2 * * * *')).outcome).toBe('exception')
  })

  it.each(REQUIRED)('names %s alone when only it is missing', async (name) => {
    await worker.setBindings(without(name))
    const problems = await refusal(await worker.fetch('/login'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(name)
  })

  const OFFLINE_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  it.each([
    ['an http BASE_URL', { BASE_URL: 'http://panel.example.test' }, 'BASE_URL must be an https address'],
    ['a public development e-code key', { ECODE_LOOKUP_KEY: DEVELOPMENT_ECODE_SECRETS.lookupKey }, 'ECODE_LOOKUP_KEY is one of the public development keys'],
    ['the same key twice', { ECODE_ENCRYPTION_KEY: 'cHJvZC1jb25maWctbG9va3VwLWtleS0zMi1ieXRlcyE=' }, 'must be different keys'],
    ['a key that is not 32 bytes', { ECODE_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'ECODE_ENCRYPTION_KEY'],
    ['Stripe keys together with PAYMENTS=transfer-only', { PAYMENTS: 'transfer-only' }, 'choose one'],
    ['an unknown PAYMENTS', { PAYMENTS: 'cards-please' }, 'PAYMENTS may only be "transfer-only"'],
    ['a KSeF address of its own', { EINVOICE: '', KSEF_TOKEN: 'token', KSEF_ENV: 'prod', KSEF_URL: 'https://ksef.example' }, 'KSEF_URL is for development and tests'],
    ['an Offline certificate key that does not parse', { KSEF_OFFLINE_CERT_SERIAL: '01F2', KSEF_OFFLINE_KEY: 'not a key' }, 'KSEF_OFFLINE_KEY is not a PEM private key'],
    ['an Offline certificate serial that is not hex', { KSEF_OFFLINE_CERT_SERIAL: 'no. 12', KSEF_OFFLINE_KEY: OFFLINE_KEY }, 'KSEF_OFFLINE_CERT_SERIAL must be the KSeF certificate'],
  ])('refuses %s', async (_, change, message) => {
    await worker.setBindings({ ...complete, ...change })
    const problems = await refusal(await worker.fetch('/login'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
  })
})

describe('a Worker with its production settings', () => {
  it('serves, with no /dev/mail and no test payment provider, even when told KONTOR_ENV=development on a public address', async () => {
    for (const env of [complete, { ...complete, KONTOR_ENV: 'development' }]) {
      await worker.setBindings(env)
      expect((await worker.fetch('/login')).status).toBe(200)
      expect((await worker.fetch('/dev/mail')).status).toBe(404)
      expect((await worker.fetch('/pay/test/some-payment')).status).toBe(404)
    }
  })

  it('signs in with the __Host- cookie, Secure and HttpOnly', async () => {
    await worker.setBindings(complete)
    const user = await createUser({ db: databaseFrom(client), clock: systemClock, config: { passwordCost: TEST_PASSWORD_COST } } as never, { email: 'prod-config@example.com' })
    const res = await worker.fetch('/login', {
      method: 'POST',
      body: new URLSearchParams({ email: user.email, password: PASSWORD }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
    })
    expect(res.status).toBe(303)
    const cookie = res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^__Host-kontor_session=[^;]+;/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; HttpOnly/)
  })

  it('refuses to serve while the database holds a demo account with its published password, and serves once it is gone', async () => {
    await worker.setBindings(complete)
    const demo = await createUser({ db: databaseFrom(client), clock: systemClock, config: { passwordCost: TEST_PASSWORD_COST } } as never, { email: 'ops@kontor.localhost', operator: true })
    try {
      await worker.setBindings({ ...complete }) // a fresh isolate, as after a deploy
      const problems = await refusal(await worker.fetch('/login'))
      expect(problems).toEqual([expect.stringContaining('the database holds the demo accounts ops@kontor.localhost')])
      expect((await worker.scheduled('*/2 * * * *')).outcome).toBe('exception')
    } finally {
      await client.execute({ sql: 'delete from users where id = ?', args: [demo.id] })
    }
    expect((await worker.fetch('/login')).status).toBe(200)
  })

  it('takes bank transfers only with PAYMENTS=transfer-only and no Stripe keys', async () => {
    const { STRIPE_SECRET_KEY: _s, STRIPE_WEBHOOK_SECRET: _w, ...rest } = complete
    await worker.setBindings({ ...rest, PAYMENTS: 'transfer-only' })
    expect((await worker.fetch('/login')).status).toBe(200)
    expect((await worker.fetch('/pay/test/some-payment')).status).toBe(404)
  })
})
