// The Cloudflare Workers entry: { fetch, scheduled }. Dependencies come from the env bindings;
// the database is Turso (or any libSQL server) over HTTP. Migrations are a deploy step
// (npm run db:migrate), never run here: the Worker can't read migrations/.
import { createClient } from '@libsql/client/web'
import type { ExecutionContext } from 'hono'
import { createApp } from './app'
import { systemClock } from './clock'
import { loadConfig, type Env } from './config'
import { databaseFrom } from './db/client'
import type { Deps } from './deps'
import { runScheduledTick } from './jobs'
import { ResendMailer } from './mail/mailer'
import { paymentProviderFor } from './payments'
import { useBundledFont } from './pdf/font'
import { appNow } from './services/test-clock'
// Bundled by wrangler as a Data module (wrangler.toml [[rules]]): the PDFs' font without a file system.
import dejaVuSans from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf'

useBundledFont(dejaVuSans)

type Bindings = Env & { TURSO_DATABASE_URL?: string; TURSO_AUTH_TOKEN?: string }
/** The parts of Workers' scheduled event this entry uses (no dependency on the workers types). */
type ScheduledController = { cron: string; scheduledTime: number }

// Built on the first request or trigger of an isolate, not at module load: workerd forbids
// random values (and I/O) at the top level.
let cached: { deps: Deps; app: ReturnType<typeof createApp> } | undefined

function depsFor(env: Bindings) {
  if (cached) return cached
  if (!env.TURSO_DATABASE_URL) throw new Error('TURSO_DATABASE_URL is not set (wrangler secret put TURSO_DATABASE_URL)')
  const config = loadConfig(env)
  const client = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN })
  const db = databaseFrom(client)
  const deps: Deps = {
    db,
    clock: systemClock,
    config,
    mailer: config.resendApiKey ? new ResendMailer(config.resendApiKey, config.resendBaseUrl) : null,
    payments: paymentProviderFor(config, db),
  }
  cached = { deps, app: createApp(deps) }
  return cached
}

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return depsFor(env).app.fetch(request, env, ctx)
  },
  async scheduled(controller: ScheduledController, env: Bindings) {
    const { deps } = depsFor(env)
    // As of the trigger's time, moved by the test clock outside production (appNow reads nothing in production).
    const now = await appNow(deps, new Date(controller.scheduledTime))
    // Awaited, not handed to ctx.waitUntil: a failed job fails the invocation (after its run is recorded and logged).
    await runScheduledTick(deps, controller.cron, now)
  },
}
