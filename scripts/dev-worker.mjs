// npm run dev:worker: the Worker (src/worker.ts) in `wrangler dev`, on the development libSQL server.
// Starts the server (scripts/dev-libsql-server.ts), applies migrations/ and seeds the demo data
// through it as the deploy steps do for Turso, then runs wrangler with --test-scheduled so that
// GET /__scheduled?cron=*/2+*+*+*+* runs a Cron Trigger by hand. Ctrl-C stops everything.
//
//   PORT             the Worker's port (default 8787)
//   HOST             the Worker's address (default: wrangler's, localhost)
//   BASE_URL         its public address (default http://localhost:$PORT)
//   LIBSQL_DEV_PORT  the libSQL server's port (default 8081)
//   LIBSQL_DEV_PATH  its database file (default ./data/worker-dev.db)
//   LIBSQL_DEV_LATENCY_MS  milliseconds added to each of its round trips, as from a Worker to Turso (default 0)
//   --no-seed        skip the demo data
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const port = Number(process.env.PORT ?? 8787)
const libsqlPort = Number(process.env.LIBSQL_DEV_PORT ?? 8081)
const databaseUrl = `http://127.0.0.1:${libsqlPort}`
const baseUrl = process.env.BASE_URL ?? `http://localhost:${port}`
// Keeps wrangler off the network (no metrics, no request.cf lookup).
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

const children = new Set()
let stopping = false

/** Runs a TypeScript script with this Node (tsx as a loader), so signals reach it directly. */
function node(args, options = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit', ...options })
  children.add(child)
  child.once('exit', (code, signal) => {
    children.delete(child)
    if (child.keepRunning && !stopping) {
      console.error(`dev:worker: ${args.at(-1)} stopped (${signal ?? `exit code ${code}`}); stopping the rest`)
      stop(code || 1)
    }
  })
  return child
}

async function run(script, extraEnv) {
  const child = node(['--import', 'tsx', script], { env: { ...env, ...extraEnv } })
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`${script} failed (exit code ${code})`)
}

/** Resolves when the server prints its address (so a server already on the port is never mistaken for it). */
async function startLibsqlServer() {
  const child = node(['--import', 'tsx', 'scripts/dev-libsql-server.ts'], {
    env: { ...env, LIBSQL_DEV_PORT: String(libsqlPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  for await (const line of createInterface({ input: child.stdout })) {
    console.log(line)
    if (line.includes(`at ${databaseUrl}`)) {
      child.stdout.pipe(process.stdout)
      child.keepRunning = true
      return
    }
  }
  throw new Error(`the dev libSQL server did not start on ${databaseUrl} (LIBSQL_DEV_PORT taken?)`)
}

function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  const exit = () => children.size === 0 && process.exit(code)
  for (const child of children) child.once('exit', exit)
  exit()
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

try {
  await startLibsqlServer()
  const dbEnv = { TURSO_DATABASE_URL: databaseUrl, TURSO_AUTH_TOKEN: '' }
  await run('scripts/migrate.ts', dbEnv)
  if (!process.argv.includes('--no-seed')) await run('scripts/seed.ts', { ...dbEnv, BASE_URL: baseUrl })
  const wrangler = node([
    'node_modules/wrangler/bin/wrangler.js',
    'dev',
    ...['--port', String(port), '--test-scheduled'],
    ...(process.env.HOST ? ['--ip', process.env.HOST] : []),
    ...['--var', `TURSO_DATABASE_URL:${databaseUrl}`, '--var', `BASE_URL:${baseUrl}`, '--var', 'KONTOR_ENV:development'],
  ])
  wrangler.keepRunning = true
  console.log(`dev:worker: ${baseUrl} (mail stays local: ${baseUrl}/dev/mail; run the mail job: ${baseUrl}/__scheduled?cron=*/2+*+*+*+*)`)
} catch (e) {
  console.error(`dev:worker: ${e instanceof Error ? e.message : e}`)
  stop(1)
}
