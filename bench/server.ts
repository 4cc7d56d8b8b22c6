// Starting and stopping the Kontor Node server as a child process, the way `npm start` runs it
// (`node scripts/start.mjs`: the esbuild bundle dist/node/kontor.mjs, rebuilt first when src/ is newer)
// or `npm run dev` does (`tsx src/node.ts`, without the watcher), and reading its memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient } from '@libsql/client'
import { PRODUCTION_ENV } from './production-env'
import { stopProcessGroup } from '../scripts/process-group'
import { childrenOf } from './proc'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const TSX = resolve(ROOT, 'node_modules/.bin/tsx')

export type RunningServer = {
  /** The process spawned (node scripts/start.mjs, or tsx's launcher). */
  child: ChildProcess
  /** The Node process that serves requests (tsx runs the script in a child of its own; plain node is the server itself). */
  serverPid: number
  port: number
  baseUrl: string
  /** Spawn → first 200 from GET readyPath (/login), in milliseconds. */
  coldStartMs: number
  output: () => string
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.unref()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => ok(port))
    })
  })
}

/** One GET on a fresh connection; resolves with the status, or null when nothing listens yet. */
export function getStatus(url: string, headers: Record<string, string> = {}): Promise<number | null> {
  return new Promise((ok) => {
    const req = request(url, { method: 'GET', agent: false, headers }, (res) => {
      res.resume()
      res.on('end', () => ok(res.statusCode ?? null))
    })
    req.on('error', () => ok(null))
    req.setTimeout(5_000, () => req.destroy())
    req.end()
  })
}

/** Every process started, so the bench can stop them even when it fails half-way. */
const started = new Set<ChildProcess>()

/** How `npm start` runs the server (package.json): the bundle, rebuilt first if stale. */
export const NPM_START = [process.execPath, 'scripts/start.mjs']
/** What `npm run dev` runs (`tsx watch src/node.ts`), without the file watcher. */
export const TSX_DEV = [TSX, 'src/node.ts']
/** The bundle `npm start` builds and runs. */
export const BUNDLE = resolve(ROOT, 'dist/node/kontor.mjs')

export async function startServer(opts: {
  databasePath: string
  tmpDir: string
  /** The command line; `node scripts/start.mjs` (npm start) unless given. */
  command?: string[]
  /** The page polled until it answers 200. */
  readyPath?: string
  timeoutMs?: number
}): Promise<RunningServer> {
  const [command, ...args] = opts.command ?? NPM_START
  const readyPath = opts.readyPath ?? '/login'
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  let out = ''
  const t0 = performance.now()
  const child = spawn(command!, args, {
    cwd: ROOT,
    // Its own process group, so stopping it also stops the node process tsx starts.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: opts.databasePath,
      KONTOR_SCHEDULER: 'off',
      ...PRODUCTION_ENV,
      // tsx keeps its transform cache under the temporary directory: the bench's own, so its first
      // start is cold on every machine and nothing outside the temp dir is touched (plain node
      // running the bundle keeps no cache there).
      TMPDIR: opts.tmpDir,
    },
  })
  started.add(child)
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  let exited: string | null = null
  child.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`
    started.delete(child)
  })

  const deadline = t0 + (opts.timeoutMs ?? 30_000)
  for (;;) {
    if (exited) throw new Error(`the server ${exited} before answering:\n${out}`)
    if (performance.now() > deadline) {
      await stopServer(child)
      throw new Error(`the server did not answer GET ${readyPath} within ${opts.timeoutMs ?? 30_000} ms:\n${out}`)
    }
    const status = await getStatus(`${baseUrl}${readyPath}`)
    if (status === 200) break
    if (status !== null) {
      await stopServer(child)
      throw new Error(`GET ${readyPath} answered ${status} at start:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  const coldStartMs = performance.now() - t0
  // Only tsx runs the script in a child process; the children of `node scripts/start.mjs` are
  // esbuild's service (while it rebuilds the bundle), not the server.
  const serverPid = command === TSX ? serverProcessOf(child.pid!) : child.pid!
  return { child, serverPid, port, baseUrl, coldStartMs, output: () => out }
}

/** tsx's launcher runs the script in a child node process; that one holds the server. */
function serverProcessOf(launcherPid: number): number {
  return childrenOf(launcherPid)[0] ?? launcherPid
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB; null off Linux. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 }
  } catch {
    return null
  }
}

export function stopServer(child: ChildProcess): Promise<void> {
  return stopProcessGroup(child)
}

/** Stops whatever this bench started and is still running (on failure or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map(stopServer))
}

/** Process groups started elsewhere (wrangler dev, bench/worker.ts), for the last resort below. */
const groups = new Set<number>()

/** Has killAllSync stop this process group too; returns the function that forgets it once stopped. */
export function trackProcessGroup(pid: number): () => void {
  groups.add(pid)
  return () => void groups.delete(pid)
}

/** Last resort from a synchronous 'exit' handler. */
export function killAllSync(): void {
  for (const pid of [...[...started].map((child) => child.pid!), ...groups]) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** The modification time of the bundle `npm start` runs, or 0 when there is none. */
export function bundleTime(): number {
  return statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0
}

/**
 * Watches the file from a connection of its own: PRAGMA data_version changes when another
 * connection (the server) commits, and sessions' last_seen_at says which rows session validation wrote.
 */
export async function watchWrites(databasePath: string) {
  const client = createClient({ url: `file:${databasePath}` })
  const version = async () => Number((await client.execute('PRAGMA data_version')).rows[0]![0])
  const since = Date.now()
  const before = await version()
  return {
    async stop() {
      try {
        const commits = (await version()) !== before
        const touched = Number((await client.execute({ sql: 'select count(*) from sessions where last_seen_at >= ?', args: [since] })).rows[0]![0])
        return { commits, sessionsTouched: touched }
      } finally {
        client.close()
      }
    },
  }
}
