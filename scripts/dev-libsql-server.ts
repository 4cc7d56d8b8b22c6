// npm run dev:libsql — a DEVELOPMENT-ONLY libSQL server: "Hrana over HTTP" (JSON, versions 2 and 3)
// on a local file through the `libsql` package, so that the Worker under `wrangler dev` (and the
// Worker tests) can reach a database the way it reaches Turso in production. No sqld or `turso dev`
// can be installed here. No authentication, one process, one file: never expose it.
//
// Each stream is its own SQLite connection, kept between HTTP requests by a baton, so interactive
// transactions (drizzle's db.transaction(), @libsql/client's transaction()) work. The request
// types themselves are in dev-libsql/protocol.ts.
//
// For measuring (bench/worker.ts): `latencyMs` (LIBSQL_DEV_LATENCY_MS) delays every answer as the
// distance from a Worker to Turso's primary would, and the server counts the round trips and
// statements it served (`stats`, and GET /stats as JSON).
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'libsql'
import { cursorEntries, errorOf, HranaStream, RequestError, type Batch, type StreamRequest } from './dev-libsql/protocol'

export type DevLibsqlServerOptions = {
  /** The database file (created with its folder when missing). */
  path: string
  /** 0 picks a free port; see `url` for the one chosen. */
  port?: number
  host?: string
  /** A stream not used for this long is closed and its open transaction rolled back. */
  streamIdleMs?: number
  /** How long a statement waits for another stream's write lock before failing with SQLITE_BUSY. */
  busyWaitMs?: number
  /**
   * A simulated network round trip added to every request it answers (all but /health and /stats):
   * half before the request is handled, half before its answer is sent, so an interactive
   * transaction holds its lock across the distance as it does on Turso. 0 by default.
   */
  latencyMs?: number
}

/** What the server served since it started; counters only grow, so a measurement takes differences. */
export type DevLibsqlStats = {
  /** HTTP requests answered, /health and /stats aside: each is one round trip of a client (version probes, pipelines, cursors). */
  httpRequests: number
  /** SQL statements run: each execute, each batch step whose condition held (a db.batch() also runs its BEGIN and COMMIT), each sequence. */
  statements: number
}

export type DevLibsqlServer = {
  url: string
  port: number
  /** The live counters (read them, take differences; they are not reset). */
  stats: Readonly<DevLibsqlStats>
  latencyMs: () => number
  /** Changes the simulated latency for the requests that arrive from now on. */
  setLatencyMs: (ms: number) => void
  close: () => Promise<void>
}

type Reply = { status: number; type: string; body: string }

function openConnection(path: string): Database.Database {
  const db = new Database(path)
  // As src/db/local.ts: WAL (set once on the file below) with synchronous=NORMAL per connection.
  db.exec('PRAGMA synchronous=NORMAL')
  return db
}

/** A latency in milliseconds: a whole number from 0 to 10,000 (more would only look like a hung server). */
export function parseLatencyMs(value: unknown, name = 'the latency'): number {
  const ms = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 10_000) {
    throw new Error(`${name} must be a whole number of milliseconds from 0 to 10000, not ${JSON.stringify(value)}`)
  }
  return ms
}

export async function startDevLibsqlServer(opts: DevLibsqlServerOptions): Promise<DevLibsqlServer> {
  let latencyMs = parseLatencyMs(opts.latencyMs ?? 0)
  const stats: DevLibsqlStats = { httpRequests: 0, statements: 0 }
  const countStatement = () => void stats.statements++
  let closing = false
  const path = resolve(opts.path)
  mkdirSync(dirname(path), { recursive: true })
  const setup = openConnection(path)
  setup.exec('PRAGMA journal_mode=WAL')
  setup.close()
  const idleMs = opts.streamIdleMs ?? 10_000
  const parked = new Map<string, { stream: HranaStream; timer: NodeJS.Timeout }>()

  /** Hands the stream a fresh baton for the client's next request, or null once it is closed. */
  function park(stream: HranaStream): string | null {
    if (stream.closed) return null
    const baton = randomBytes(18).toString('base64url')
    const timer = setTimeout(() => {
      parked.delete(baton)
      if (!stream.isAutocommit) console.warn(`dev libSQL server: rolled back a transaction left idle for ${idleMs} ms`)
      stream.close()
    }, idleMs)
    timer.unref()
    parked.set(baton, { stream, timer })
    return baton
  }

  /** A baton is good for one request: the stream is taken out until its response hands out the next. */
  function streamFor(baton: unknown): HranaStream {
    if (baton == null) return new HranaStream(() => openConnection(path), opts.busyWaitMs, countStatement)
    const entry = typeof baton === 'string' ? parked.get(baton) : undefined
    if (!entry) throw new RequestError('unknown baton: the stream expired, was closed or is busy', 'STREAM_EXPIRED')
    parked.delete(baton as string)
    clearTimeout(entry.timer)
    return entry.stream
  }

  async function pipeline(body: { baton?: unknown; requests?: unknown }) {
    if (!Array.isArray(body.requests)) throw new RequestError('the body needs a "requests" array')
    const stream = streamFor(body.baton)
    const results = []
    for (const request of body.requests as StreamRequest[]) results.push(await stream.handle(request))
    return { baton: park(stream), base_url: null, results }
  }

  /** v3/cursor: the batch runs to the end first, then its entries are written one JSON line each. */
  async function cursor(body: { baton?: unknown; batch?: Batch }): Promise<Reply> {
    if (!Array.isArray(body.batch?.steps)) throw new RequestError('the body needs a "batch" with "steps"')
    const stream = streamFor(body.baton)
    const result = await stream.batch(body.batch)
    const lines = [{ baton: park(stream), base_url: null }, ...cursorEntries(result)]
    return { status: 200, type: 'text/plain', body: lines.map((l) => JSON.stringify(l) + '\n').join('') }
  }

  // The client probes v3-protobuf (and no other version) before falling back to v2 JSON; this
  // server speaks JSON only, so that probe and anything else unknown answers 404.
  async function hrana(key: string, req: IncomingMessage): Promise<Reply> {
    if (key === 'GET /v2' || key === 'GET /v3') return { status: 200, type: 'text/plain', body: '' }
    if (key === 'POST /v2/pipeline' || key === 'POST /v3/pipeline') return json(200, await pipeline(await readJson(req)))
    if (key === 'POST /v3/cursor') return cursor(await readJson(req))
    return { status: 404, type: 'text/plain', body: `not found: ${key}\n` }
  }

  async function answer(key: string, req: IncomingMessage, res: ServerResponse) {
    stats.httpRequests++
    const before = Math.floor(latencyMs / 2)
    const after = latencyMs - before
    if (before) await sleep(before)
    // A request that arrives while the server closes must not open a connection nobody closes.
    if (closing) return void res.destroy()
    const reply = await hrana(key, req).catch((e: unknown) => json(e instanceof RequestError ? 400 : 500, errorOf(e)))
    if (after) await sleep(after)
    res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body)
  }

  const server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`
    if (key === 'GET /health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
    if (key === 'GET /stats') return void sendJson(res, 200, { ...stats, latencyMs })
    answer(key, req, res).catch(() => res.destroy())
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', done)
  })
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${host}:${port}`,
    port,
    stats,
    latencyMs: () => latencyMs,
    setLatencyMs: (ms) => void (latencyMs = parseLatencyMs(ms)),
    close: async () => {
      closing = true
      const closed = new Promise<void>((done) => server.close(() => done()))
      server.closeAllConnections()
      for (const { stream, timer } of parked.values()) {
        clearTimeout(timer)
        stream.close()
      }
      parked.clear()
      await closed
    },
  }
}

// The client treats an HTTP error as a Hrana error only when the type is exactly application/json.
const json = (status: number, body: unknown): Reply => ({ status, type: 'application/json', body: JSON.stringify(body) })

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const reply = json(status, body)
  res.writeHead(status, { 'content-type': reply.type }).end(reply.body)
}

/** At least `ms` by the monotonic clock: a timer alone may fire a fraction of a millisecond early. */
async function sleep(ms: number) {
  const end = performance.now() + ms
  for (let left = ms; left > 0; left = end - performance.now()) await new Promise((done) => setTimeout(done, Math.ceil(left)))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (body && typeof body === 'object') return body as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new RequestError('the body is not a JSON object')
}

async function main() {
  const port = Number(process.env.LIBSQL_DEV_PORT ?? 8081)
  const path = process.env.LIBSQL_DEV_PATH ?? './data/worker-dev.db'
  const latencyMs = parseLatencyMs(process.env.LIBSQL_DEV_LATENCY_MS || '0', 'LIBSQL_DEV_LATENCY_MS')
  const server = await startDevLibsqlServer({ path, port, host: process.env.LIBSQL_DEV_HOST ?? '127.0.0.1', latencyMs })
  console.log(
    [
      '================================================================',
      ' DEVELOPMENT TOOL ONLY: no authentication, not for production.',
      ' Production uses Turso.',
      '================================================================',
      `dev libSQL server (Hrana over HTTP) at ${server.url}`,
      `  database file: ${resolve(path)}`,
      `  e.g. TURSO_DATABASE_URL=${server.url} npm run db:migrate`,
      `  simulated latency: ${latencyMs} ms per request (LIBSQL_DEV_LATENCY_MS); counters: ${server.url}/stats`,
    ].join('\n'),
  )
  const stop = () => void server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(`dev libSQL server: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
}
