// npm run build:worker: builds the Worker bundle offline (wrangler deploy --dry-run) and prints its size.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const outdir = 'dist'
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
const result = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], { stdio: 'inherit', env })
if (result.status !== 0) process.exit(result.status ?? 1)

const bundles = readdirSync(outdir).filter((f) => f.endsWith('.js'))
for (const file of bundles) {
  const path = join(outdir, file)
  const raw = readFileSync(path)
  console.log(`${path}: ${(statSync(path).size / 1024).toFixed(1)} KiB, ${(gzipSync(raw).length / 1024).toFixed(1)} KiB gzip`)
}
