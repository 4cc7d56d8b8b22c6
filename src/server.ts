// Building blocks of the Node runtime, shared by src/node.ts, the scripts, tests and benchmarks.
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
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
import { appNow } from './services/test-clock'

/** The address `npm start` listens on: loopback unless HOST says otherwise (production then, see src/config-environment.ts). */
export const DEFAULT_HOST = '127.0.0.1'

export async function buildNodeDeps(env: NodeJS.ProcessEnv = process.env, listen: { port: number; host: string } = { port: 8080, host: DEFAULT_HOST }): Promise<Deps> {
  const config = loadConfig(env, { kind: 'node', ...listen })
  const { db } = await openLocalDatabase(env.DATABASE_PATH ?? './data/kontor.db')
  await migrateDatabase(db)
  const mailer = config.resendApiKey ? new ResendMailer(config.resendApiKey, config.resendBaseUrl) : null
  return { db, clock: systemClock, config, mailer, payments: paymentProviderFor(config, db) }
}

export function nodeServer(deps: Deps) {
  const server = new Hono()
  // Static files first: they need no session or database.
  server.use('/vendor/*', serveStatic({ root: './public' }))
  server.use('/app.css', serveStatic({ root: './public' }))
  server.use('/favicon.svg', serveStatic({ root: './public' }))
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
