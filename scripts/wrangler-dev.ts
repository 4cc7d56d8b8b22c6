// Starts the Worker (src/worker.ts) under `wrangler dev` — workerd, as on Cloudflare — on a free
// local port, kept off the network, for the Worker tests (test/worker/) and the bench (bench/worker.ts).
// `npm run dev:worker` (scripts/dev-worker.mjs) is the interactive counterpart.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stopProcessGroup } from './process-group'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export type WranglerDev = {
  /** http://127.0.0.1:<port>: where to send requests (BASE_URL may name another, public address). */
  origin: string
  /** wrangler's process; workerd runs among its descendants, in the same process group. */
  pid: number
  /** Everything wrangler and the Worker printed so far. */
  log: () => string
  /** Stops wrangler and the workerd it started. */
  stop: () => Promise<void>
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((done) => server.close(done))
  return port
}

export async function startWranglerDev(opts: {
  /** The Worker's environment (`--var NAME:value`), over wrangler.toml's [vars]; BASE_URL is the origin unless given. */
  vars: Record<string, string>
  /** wrangler's local state (--persist-to): a temporary folder of the caller's. */
  persistTo: string
  /** `--test-scheduled`: GET /__scheduled?cron=… runs a Cron Trigger. */
  testScheduled?: boolean
  /** Polled until it answers 200. */
  readyPath?: string
  timeoutMs?: number
}): Promise<WranglerDev> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  // The inspector's port too: wrangler's default (9229, then the next) is shared by every wrangler dev
  // on the machine, and two starting at once (the Worker test files run in parallel) take the same one.
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(await freePort()), '--persist-to', opts.persistTo]
  if (opts.testScheduled) args.push('--test-scheduled')
  const vars = { BASE_URL: origin, ...opts.vars }
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  let log = ''
  // Its own process group, so stop() ends wrangler and the workerd it starts together.
  const child: ChildProcess = spawn(process.execPath, ['node_modules/wrangler/bin/wrangler.js', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Keeps wrangler off the network (no metrics, no request.cf lookup). Vitest sets BASE_URL=/ for
    // Vite; the Worker gets its own through --var, and no stray one is left in wrangler's environment.
    env: { ...process.env, BASE_URL: vars.BASE_URL, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  child.stdout!.on('data', (chunk) => (log += chunk))
  child.stderr!.on('data', (chunk) => (log += chunk))

  const stop = () => stopProcessGroup(child, 5_000)

  const readyUrl = `${origin}${opts.readyPath ?? '/login'}`
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000)
  while (!(await fetch(readyUrl, { redirect: 'manual' }).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not start:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return { origin, pid: child.pid!, log: () => log, stop }
}
