// The Cloudflare Workers entry: { fetch, scheduled }. Dependencies come from the env bindings;
// the database is Turso (or any libSQL server) over HTTP. Migrations are a deploy step
// (npm run deploy), never run here: the Worker can't read migrations/. A Worker is production
// (src/config-environment.ts): with a setting missing it answers every request with 503 and a page
// naming the settings, and every Cron Trigger fails, until the settings are put.
import { createClient } from '@libsql/client/web'
import type { ExecutionContext } from 'hono'
import { createApp } from './app'
import { systemClock } from './clock'
import { ConfigError, loadConfig, type Env } from './config'
import { databaseFrom } from './db/client'
import type { Deps } from './deps'
import { runScheduledTick } from './jobs'
import { ResendMailer } from './mail/mailer'
import { paymentProviderFor } from './payments'
import { einvoicingFor } from './einvoice'
import { useBundledFont } from './pdf/font'
import { appNow } from './services/test-clock'
import { demoAccountsIn, demoAccountsProblem } from './seed/demo-accounts'
import { useAssetManifest } from './assets'
// Bundled by wrangler as a Data module (wrangler.toml [[rules]]): the PDFs' font without a file system,
// the cut of DejaVu Sans scripts/subset-font.ts writes before every wrangler build ([build] in wrangler.toml).
import dejaVuSans from '../generated/DejaVuSans-subset.ttf'
// The fingerprinted static files' names, written with the copies by the same [build] step.
import assetNames from '../generated/assets.json'

useBundledFont(dejaVuSans)
useAssetManifest(assetNames)

type Bindings = Env & { TURSO_DATABASE_URL?: string; TURSO_AUTH_TOKEN?: string }
/** The parts of Workers' scheduled event this entry uses (no dependency on the workers types). */
type ScheduledController = { cron: string; scheduledTime: number }

// Built on the first request or trigger of an isolate, not at module load: workerd forbids
// random values (and I/O) at the top level.
let cached: { deps: Deps; app: ReturnType<typeof createApp>; checked?: Promise<void> } | undefined

/**
 * The isolate's app, once production's refusals have passed: the settings (at once), then — one
 * read per isolate — that no demo account with a published password is in the database.
 */
async function readyFor(env: Bindings) {
  const ready = depsFor(env)
  ready.checked ??= (async () => {
    const demo = ready.deps.config.environment === 'production' ? await demoAccountsIn(ready.deps.db) : []
    if (demo.length > 0) throw new ConfigError('production', [demoAccountsProblem(demo)])
  })().catch((e: unknown) => {
    // Not remembered: the next request checks again (after the accounts were deleted, say).
    ready.checked = undefined
    throw e
  })
  await ready.checked
  return ready
}

function depsFor(env: Bindings) {
  if (cached) return cached
  // Throws ConfigError naming every missing or unsafe setting; nothing is cached, so the next
  // request after `wrangler secret put` (which starts new isolates anyway) tries again.
  const config = loadConfig(env, { kind: 'worker' })
  if (!env.TURSO_DATABASE_URL) throw new ConfigError(config.environment, ['TURSO_DATABASE_URL is not set: the database (libsql://… from `turso db show --url`)'])
  const client = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN })
  const db = databaseFrom(client)
  const deps: Deps = {
    db,
    clock: systemClock,
    config,
    mailer: config.resendApiKey ? new ResendMailer(config.resendApiKey, config.resendBaseUrl) : null,
    payments: paymentProviderFor(config, db),
    einvoicing: einvoicingFor(config.einvoice),
  }
  cached = { deps, app: createApp(deps) }
  return cached
}

/** What a misconfigured Worker answers: 503 (the service is not available yet), never a 500 stack. */
function notConfigured(e: ConfigError): Response {
  console.error(e.message)
  const items = e.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kontor is not configured</title></head><body><h1>Kontor is not configured yet</h1><p>It runs in production and refuses to start until these are fixed (a setting: <code>wrangler secret put NAME</code>, then <code>npm run deploy</code>):</p><ul>${items}</ul></body></html>`
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '300' } })
}

function escapeHtml(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
  return text.replace(/[&<>"']/g, (ch) => entities[ch]!)
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    let app
    try {
      app = (await readyFor(env)).app
    } catch (e) {
      if (e instanceof ConfigError) return notConfigured(e)
      throw e
    }
    return app.fetch(request, env, ctx)
  },
  async scheduled(controller: ScheduledController, env: Bindings) {
    const { deps } = await readyFor(env)
    // As of the trigger's time, moved by the test clock outside production (appNow reads nothing in production).
    const now = await appNow(deps, new Date(controller.scheduledTime))
    // Awaited, not handed to ctx.waitUntil: a failed job fails the invocation (after its run is recorded and logged).
    await runScheduledTick(deps, controller.cron, now)
  },
}
