// npm run dev:libsql — a DEVELOPMENT-ONLY libSQL server: "Hrana over HTTP" (JSON, versions 2 and 3)
// on a local file through the `libsql` package, so that the Worker under `wrangler dev` (and the
// Worker tests) can reach a database the way it reaches Turso in production. No sqld or `turso dev`
// can be installed here. No authentication, one process, one file: never expose it.
//
// Each stream is its own SQLite connection, kept between HTTP requests by a baton, so interactive
// transactions (drizzle's db.transaction(), @libsql/client's transaction()) work. The request
// types themselves are in dev-libsql/protocol.ts.
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
}

export type DevLibsqlServer = { url: string; port: number; close: () => Promise<void> }

function openConnection(path: string): Database.Database {
  const db = new Database(path)
  // As src/db/local.ts: WAL (set once on the file below) with synchronous=NORMAL per connection.
  db.exec('PRAGMA synchronous=NORMAL')
  return db
}

export async function startDevLibsqlServer(opts: DevLibsqlServerOptions): Promise<DevLibsqlServer> {
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
    if (baton == null) return new HranaStream(() => openConnection(path), opts.busyWaitMs)
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
  async function cursor(body: { baton?: unknown; batch?: Batch }, res: ServerResponse) {
    if (!Array.isArray(body.batch?.steps)) throw new RequestError('the body needs a "batch" with "steps"')
    const stream = streamFor(body.baton)
    const result = await stream.batch(body.batch)
    const lines = [{ baton: park(stream), base_url: null }, ...cursorEntries(result)]
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.map((l) => JSON.stringify(l) + '\n').join(''))
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`
    // The client probes v3-protobuf (and no other version) before falling back to v2 JSON; this
    // server speaks JSON only, so that probe and anything else unknown answers 404.
    if (key === 'GET /health') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
    if (key === 'GET /v2' || key === 'GET /v3') return void res.writeHead(200, { 'content-type': 'text/plain' }).end()
    if (key === 'POST /v2/pipeline' || key === 'POST /v3/pipeline') return sendJson(res, 200, await pipeline(await readJson(req)))
    if (key === 'POST /v3/cursor') return cursor(await readJson(req), res)
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${key}\n`)
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => sendJson(res, e instanceof RequestError ? 400 : 500, errorOf(e)))
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
    close: async () => {
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
function sendJson(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
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
  const server = await startDevLibsqlServer({ path, port, host: process.env.LIBSQL_DEV_HOST ?? '127.0.0.1' })
  console.log(
    [
      '================================================================',
      ' DEVELOPMENT TOOL ONLY: no authentication, not for production.',
      ' Production uses Turso.',
      '================================================================',
      `dev libSQL server (Hrana over HTTP) at ${server.url}`,
      `  database file: ${resolve(path)}`,
      `  e.g. TURSO_DATABASE_URL=${server.url} npm run db:migrate`,
    ].join('\n'),
  )
  const stop = () => void server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
