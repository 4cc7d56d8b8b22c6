// npm run build:worker: builds the Worker upload offline (wrangler deploy --dry-run, with the
// [build] step and minify of wrangler.toml) into dist/worker/, prints its size, raw and gzip, per
// module and in all, and what takes the most room in worker.js; exits non-zero when the upload is
// over its budget of 1 MB gzip (docs/architecture.md). The source map wrangler writes beside it
// is not uploaded (no upload_source_maps) and not counted.
//
//   node scripts/build-worker.mjs [--outdir dist/worker] [--budget 1000000]
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

/** 1 MB, in bytes of gzip as wrangler reports them (each module compressed on its own, summed). */
const BUDGET = 1_000_000

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/worker' }, budget: { type: 'string', default: String(BUDGET) } } })
const outdir = values.outdir
const budget = Number(values.budget)
if (!Number.isInteger(budget) || budget <= 0) {
  console.error(`build:worker: --budget must be a number of bytes, not ${values.budget}`)
  process.exit(2)
}

// A fresh directory: a module left by an older build would be counted but never uploaded.
rmSync(outdir, { recursive: true, force: true })
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
const result = spawnSync(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outdir], { stdio: 'inherit', env })
if (result.status !== 0) process.exit(result.status ?? 1)

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
const modules = readdirSync(outdir)
  .filter((name) => !name.endsWith('.map') && name !== 'README.md')
  .map((name) => {
    const bytes = readFileSync(join(outdir, name))
    return { name, raw: bytes.length, gzip: gzipSync(bytes).length }
  })
  .sort((a, b) => b.gzip - a.gzip)
const total = { raw: modules.reduce((s, m) => s + m.raw, 0), gzip: modules.reduce((s, m) => s + m.gzip, 0) }

console.log(`\nWorker upload (${outdir}):`)
for (const m of modules) console.log(`  ${m.name.padEnd(60)} ${kib(m.raw).padStart(12)} ${kib(m.gzip).padStart(12)} gzip`)
console.log(`  ${'total'.padEnd(60)} ${kib(total.raw).padStart(12)} ${kib(total.gzip).padStart(12)} gzip (budget ${kib(budget)})`)

const parts = largestParts(join(outdir, 'worker.js'))
if (parts) console.log(`\nLargest parts of worker.js, gzip (each part compressed alone):\n  ${parts.slice(0, 12).map(([name, gzip]) => `${name} ${kib(gzip)}`).join(', ')}`)

if (total.gzip > budget) {
  console.error(`\nbuild:worker: the upload is ${kib(total.gzip)} gzip, ${kib(total.gzip - budget)} over its budget of ${kib(budget)}`)
  process.exit(1)
}

/**
 * worker.js split by package (node_modules/<name>) or source folder (src/<area>) through its source
 * map, each part's text gzipped on its own; null without a source map.
 */
function largestParts(file) {
  let map
  try {
    map = JSON.parse(readFileSync(`${file}.map`, 'utf8'))
  } catch {
    return null
  }
  const lines = readFileSync(file, 'utf8').split('\n')
  const texts = new Map()
  let source = 0
  map.mappings.split(';').forEach((segments, li) => {
    const line = lines[li] ?? ''
    let column = 0
    const marks = []
    for (const segment of segments.split(',').filter(Boolean)) {
      const fields = decodeVlq(segment)
      column += fields[0]
      if (fields.length > 1) source += fields[1]
      marks.push([column, fields.length > 1 ? map.sources[source] : null])
    }
    marks.forEach(([start, path], i) => {
      if (path === null) return
      const name = partOf(path)
      texts.set(name, (texts.get(name) ?? '') + line.slice(start, marks[i + 1]?.[0] ?? line.length))
    })
  })
  return [...texts].map(([name, text]) => [name, gzipSync(text).length]).sort((a, b) => b[1] - a[1])
}

/** The package (node_modules/<name>) or source folder (src/<area>) a source-map path belongs to. */
function partOf(path) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]
  // drizzle-orm's own source maps name its files ../src/…, one folder above the package's.
  if (pkg === 'src') return 'drizzle-orm'
  return pkg ?? /\bsrc\/[^/.]+/.exec(path)?.[0] ?? path
}

/** One source-map segment's fields (base64 VLQ). */
function decodeVlq(segment) {
  const fields = []
  let value = 0
  let shift = 0
  for (const ch of segment) {
    const digit = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(ch)
    value += (digit & 31) << shift
    shift += 5
    if (digit & 32) continue
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return fields
}
