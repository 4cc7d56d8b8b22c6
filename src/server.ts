// Building blocks of the Node runtime, shared by src/node.ts, the scripts, tests and benchmarks.
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { Cron } from 'croner'
import { createApp } from './app'
import { systemClock } from './clock'
import { loadConfig } from './config'
import { migrateDatabase, openLocalDatabase } from './db/local'
import type { Deps } from './deps'
import { CRON_TABLE, runScheduledTick } from './jobs'
import { ResendMailer } from './mail/mailer'
import { readCronExpressions } from './cron'
import { paymentProviderFor } from './payments'
import { EINVOICE_DOCUMENT, einvoicingFor } from './einvoice'
import { startDevFakes } from './einvoice/dev'
import { appNow } from './services/test-clock'
import { ASSETS_PREFIX, useAssetManifest } from './assets'
import { assetManifest, plainPathOf } from './assets-node'

/** The address `npm start` listens on: loopback unless HOST says otherwise (production then, see src/config-environment.ts). */
export const DEFAULT_HOST = '127.0.0.1'

export async function buildNodeDeps(env: NodeJS.ProcessEnv = process.env, listen: { port: number; host: string } = { port: 8080, host: DEFAULT_HOST }): Promise<Deps> {
  const config = loadConfig(env, { kind: 'node', ...listen })
  const { db } = await openLocalDatabase(env.DATABASE_PATH ?? './data/kontor.db')
  await migrateDatabase(db)
  const mailer = config.resendApiKey ? new ResendMailer(config.resendApiKey, config.resendBaseUrl) : null
  // Outside production without KSeF/SdI settings, the fakes run in this process (src/einvoice/dev.ts),
  // once there are documents to send them.
  const { fakes } = EINVOICE_DOCUMENT ? await startDevFakes(config) : { fakes: {} }
  return { db, clock: systemClock, config, mailer, payments: paymentProviderFor(config, db), einvoicing: einvoicingFor(config.einvoice, undefined, fakes) }
}

const PUBLIC_DIR = './public'
/** How a fingerprinted file is cached: a new version has a new name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/** The headers of a static file, as public/_headers gives them on Workers (a test checks both agree). */
export const STATIC_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'public, max-age=3600',
}

export function nodeServer(deps: Deps) {
  const server = new Hono()
  // Compressed when the browser takes gzip (HTML, CSS, JS, JSON over ~1 KB): a Worker is compressed
  // by Cloudflare, the Node server does it itself.
  server.use(compress())
  // Static files first: they need no session or database; they get the security headers the pages
  // get (for a file that is no page, no content may load in it at all) and an hour of caching.
  const files = serveStatic({ root: PUBLIC_DIR })
  for (const path of ['/vendor/*', '/app.css', '/panel.css', '/favicon.svg']) {
    server.use(path, async (c, next) => {
      await next()
      for (const [name, value] of Object.entries(STATIC_HEADERS)) c.res.headers.set(name, value)
    })
    server.use(path, files)
  }
  // Pages link the fingerprinted names (src/assets.ts): the file behind each, kept a year.
  const manifest = assetManifest(PUBLIC_DIR)
  useAssetManifest(manifest)
  const fingerprintedFiles = serveStatic({ root: PUBLIC_DIR, rewriteRequestPath: (path) => plainPathOf(manifest, path) ?? '/__none__' })
  server.use(`${ASSETS_PREFIX}*`, async (c, next) => {
    await next()
    if (c.res.status !== 200) return
    for (const [name, value] of Object.entries({ ...STATIC_HEADERS, 'Cache-Control': IMMUTABLE })) c.res.headers.set(name, value)
  })
  server.use(`${ASSETS_PREFIX}*`, fingerprintedFiles)
  server.route('/', createApp(deps))
  return server
}

export function startScheduler(deps: Deps): Cron[] {
  return readCronExpressions().map((expression) => {
    if (!CRON_TABLE[expression]) throw new Error(`wrangler.toml has a cron "${expression}" that no job handles`)
    return new Cron(expression, { protect: true, timezone: 'UTC' }, async () => {
      // Each tick runs as of the app's time (the test clock's outside production); every run logs
      // its own line (src/jobs/runner.ts), a failed tick says so once more.
      await runScheduledTick(deps, expression, await appNow(deps)).catch((e) => console.error(e))
    })
  })
}
