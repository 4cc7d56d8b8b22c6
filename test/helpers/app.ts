// A fresh app per test file: a migrated temporary-file libSQL database (`:memory:` loses its tables
// after a transaction), a manual clock, a recording mailer, and a client that keeps cookies.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createApp } from '../../src/app'
import { ManualClock } from '../../src/clock'
import { loadConfig, type Config } from '../../src/config'
import { migrateDatabase, openLocalDatabase } from '../../src/db/local'
import { databaseFrom } from '../../src/db/client'
import { DbCounter } from '../../src/db/counting'
import type { Deps } from '../../src/deps'
import { RecordingMailer } from './mailer'
import { DEMO_CATALOG, insertCatalog } from '../../src/seed/catalog'
import { paymentProviderFor } from '../../src/payments'

export const T0 = '2026-11-02T09:00:00Z'

export type TestApp = Awaited<ReturnType<typeof testApp>>

export async function testApp(opts: { now?: string; config?: Partial<Config>; mailer?: 'recording' | 'none' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-test-'))
  const file = join(dir, 'test.db')
  const local = await openLocalDatabase(file)
  const { client } = local
  await migrateDatabase(local.db)
  // Every statement the app sends is counted (statements, round trips, their longest chain).
  const counter = new DbCounter()
  const db = databaseFrom(client, counter)
  const clock = new ManualClock(opts.now ?? T0)
  const config: Config = { ...loadConfig({ KONTOR_ENV: 'test', BASE_URL: 'http://localhost' }), ...opts.config }
  const mailer = new RecordingMailer()
  const deps: Deps = { db, clock, config, mailer: opts.mailer === 'none' ? null : mailer, payments: paymentProviderFor(config, db) }
  const app = createApp(deps)
  afterAll(() => {
    client.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    app,
    deps,
    db,
    clock,
    mailer,
    config,
    counter,
    /** The database file, for a second connection (another process, as it were). */
    file,
    browser: () => new Browser(app, config.baseUrl),
    /** Inserts the demo catalog of SPEC §4 (as `npm start` seeds it). */
    seedCatalog: async () => {
      await insertCatalog(db, DEMO_CATALOG, clock.now())
    },
  }
}

type Fetchable = { request: (input: string, init?: RequestInit) => Response | Promise<Response> }

/** A tiny browser: keeps cookies, sends the same-origin headers a real browser sends with forms. */
export class Browser {
  cookies = new Map<string, string>()
  userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36'
  constructor(
    private app: Fetchable,
    private origin: string,
  ) {}

  async get(path: string, headers: Record<string, string> = {}) {
    return this.send(path, { method: 'GET', headers })
  }

  async post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return this.send(path, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.origin, ...headers },
    })
  }

  async send(path: string, init: RequestInit) {
    const headers = new Headers(init.headers)
    headers.set('User-Agent', this.userAgent)
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await this.app.request(new URL(path, this.origin).toString(), { ...init, headers })
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const i = pair.indexOf('=')
      const name = pair.slice(0, i)
      const value = pair.slice(i + 1)
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  /** Follows a 303 (as a browser would) and returns the page it lands on. */
  async follow(res: Response) {
    const location = res.headers.get('Location')
    if (!location) throw new Error(`expected a redirect, got ${res.status}`)
    return this.get(location)
  }
}

/** The visible text of an HTML page, tags removed and whitespace collapsed, for assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim()
}
