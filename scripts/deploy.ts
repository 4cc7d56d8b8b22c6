// npm run deploy [-- --env staging]: puts Kontor on Cloudflare Workers + Turso in one command.
//   1. checks that the Worker environment has every setting production needs (wrangler secret list
//      plus wrangler.toml's [vars]; scripts/deploy-checks.ts) and stops, naming what is missing,
//      before anything changes;
//   2. applies migrations/ to that environment's Turso database;
//   3. runs `wrangler deploy` — only when the migration succeeded.
// The database URL and token for step 2 come from this shell (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN)
// or from the file the secrets were uploaded from: .env.production, or .env.<env> with --env.
// `wrangler` is the one on PATH (npm run puts node_modules/.bin first).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { createClient } from '@libsql/client'
import { databaseFrom } from '../src/db/client'
import { migrateDatabase } from '../src/db/local'
import { WRANGLER_TOML } from '../src/cron'
import { deployProblems, varsOf } from './deploy-checks'

const args = process.argv.slice(2)
const envIndex = args.findIndex((a) => a === '--env' || a === '-e' || a.startsWith('--env='))
const environment = envIndex < 0 ? undefined : args[envIndex]!.startsWith('--env=') ? args[envIndex]!.slice('--env='.length) : args[envIndex + 1]
if (envIndex >= 0 && !environment) fail('usage: npm run deploy [-- --env <name>]')
const envArgs = environment ? ['--env', environment] : []
const label = environment ?? 'production'
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

function fail(message: string): never {
  console.error(`deploy: ${message}`)
  process.exit(1)
}

function wrangler(wranglerArgs: string[], capture: boolean) {
  const r = spawnSync('wrangler', wranglerArgs, { env: wranglerEnv, encoding: 'utf8', stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit' })
  if (r.error) fail(`could not run wrangler (${r.error.message}); run this through \`npm run deploy\`, which puts node_modules/.bin on PATH`)
  return r
}

// 1. Settings.
let vars: Record<string, string>
try {
  vars = varsOf(WRANGLER_TOML, environment)
} catch (e) {
  fail((e as Error).message)
}
const listed = wrangler(['secret', 'list', '--format', 'json', ...envArgs], true)
let secretNames: string[] = []
if (listed.status !== 0) {
  // A Worker that was never deployed and has no secrets yet: `wrangler secret put` creates it.
  if (!/not found/i.test(`${listed.stdout}${listed.stderr}`)) fail(`wrangler secret list failed:\n${listed.stderr || listed.stdout}`)
} else {
  try {
    secretNames = (JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as { name: string }[]).map((s) => s.name)
  } catch {
    fail(`wrangler secret list answered something that is not a list of secrets:\n${listed.stdout}`)
  }
}
const problems = deployProblems(vars, secretNames)
if (problems.length > 0) {
  const fileHint = `.env.${label}`
  fail(
    `the ${label} Worker can't run yet; nothing was changed. Fix these first:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      `Put secrets one by one with \`npx wrangler secret put NAME${environment ? ` --env ${environment}` : ''}\`, or all at once from a file: \`npx wrangler secret bulk ${fileHint}${environment ? ` --env ${environment}` : ''}\` (docs/operations.md).`,
  )
}
console.log(`deploy: the ${label} Worker has every setting it needs (${secretNames.length} secrets, ${Object.keys(vars).length} vars).`)

// 2. Migrations.
const fromFile = (() => {
  const path = `.env.${label}`
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {}
})()
const url = process.env.TURSO_DATABASE_URL || fromFile.TURSO_DATABASE_URL
const authToken = process.env.TURSO_AUTH_TOKEN || fromFile.TURSO_AUTH_TOKEN
if (!url) fail(`TURSO_DATABASE_URL is needed here to migrate the ${label} database: set it in this shell or in .env.${label}; nothing was changed`)
const client = createClient({ url, authToken })
try {
  await migrateDatabase(databaseFrom(client))
} catch (e) {
  fail(`migrating ${url} failed, so the Worker was not deployed: ${e instanceof Error ? e.message : e}`)
} finally {
  client.close()
}
console.log(`deploy: migrations applied to ${url}`)

// 3. The Worker.
const deployed = wrangler(['deploy', ...envArgs], false)
if (deployed.status !== 0) fail(`wrangler deploy failed (exit code ${deployed.status}); the database is migrated, so running this again is safe`)
console.log(`deploy: the ${label} Worker is deployed.`)
