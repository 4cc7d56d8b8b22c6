// The Worker as Cloudflare runs it, in workerd, through Miniflare (what `wrangler dev` uses inside):
// the bundle `wrangler deploy --dry-run` builds — the very file a deploy uploads — with bindings the
// test chooses and can change between requests (setBindings), which `wrangler dev` can't do without
// a restart. For the whole HTTP round trip through wrangler itself, see test/worker/worker.test.ts.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { parse } from 'smol-toml'
import { readFileSync } from 'node:fs'

type Bindings = Record<string, string>

/** Builds the Worker bundle offline into a temporary folder; the caller removes it with `dispose`. */
export function buildWorkerBundle(): { dir: string; modules: MiniflareOptions['modules']; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-bundle-'))
  const built = spawnSync(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', dir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${built.stdout}\n${built.stderr}`)
  // Every module the bundle consists of, named as the Worker imports them (no tracing: the bundle
  // keeps optional imports of packages it never reaches, which tracing would fail on).
  const modules = readdirSync(dir)
    .filter((f) => !f.endsWith('.map') && f !== 'README.md')
    .sort((a, b) => Number(b.endsWith('.js')) - Number(a.endsWith('.js')) || a.localeCompare(b))
    .map((f) => ({ type: f.endsWith('.js') ? ('ESModule' as const) : ('Data' as const), path: join(dir, f) }))
  return { dir, modules, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** wrangler.toml's compatibility settings, so the test runs the Worker as deployed. */
function compatibility() {
  const toml = parse(readFileSync('wrangler.toml', 'utf8')) as { compatibility_date: string; compatibility_flags?: string[] }
  return { compatibilityDate: toml.compatibility_date, compatibilityFlags: toml.compatibility_flags ?? [] }
}

export type WorkerdHandle = {
  fetch: (path: string, init?: RequestInit) => Promise<Response>
  /** Runs the scheduled handler for a cron expression; resolves to its outcome ('ok' or 'exception'). */
  scheduled: (cron: string) => Promise<{ outcome: string; noRetry: boolean }>
  setBindings: (bindings: Bindings) => Promise<void>
  close: () => Promise<void>
}

export async function startWorkerd(modules: MiniflareOptions['modules'], bindings: Bindings, origin = 'http://127.0.0.1'): Promise<WorkerdHandle> {
  const options = (b: Bindings): MiniflareOptions => ({ modules, modulesRoot: '/', ...compatibility(), bindings: b }) as MiniflareOptions
  const mf = new Miniflare(options(bindings))
  return {
    fetch: async (path, init) => (await mf.dispatchFetch(new URL(path, origin).toString(), { redirect: 'manual', ...init } as never)) as unknown as Response,
    scheduled: async (cron) => {
      const worker = (await mf.getWorker()) as unknown as { scheduled: (o: { cron: string; scheduledTime: Date }) => Promise<{ outcome: string; noRetry: boolean }> }
      return worker.scheduled({ cron, scheduledTime: new Date() })
    },
    setBindings: async (b) => {
      await mf.setOptions(options(b))
    },
    close: () => mf.dispose(),
  }
}
