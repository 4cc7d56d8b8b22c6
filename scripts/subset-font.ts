// wrangler's [build] command (wrangler.toml), before every deploy, `wrangler dev` and dry run: writes
// generated/DejaVuSans-subset.ttf, the cut of DejaVu Sans src/worker.ts bundles for the PDFs. Node
// makes the same cut in memory (src/pdf/font.ts). The file is rewritten only when its bytes change.
//
//   node --import tsx scripts/subset-font.ts [target]
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cutDejaVuSans, DEJAVU_SANS } from '../src/pdf/font'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const target = resolve(process.argv[2] ?? resolve(root, 'generated/DejaVuSans-subset.ttf'))
const cut = cutDejaVuSans(readFileSync(createRequire(resolve(root, 'package.json')).resolve(DEJAVU_SANS)))
let current: Buffer | undefined
try {
  current = readFileSync(target)
} catch {}
if (!current || Buffer.compare(current, cut) !== 0) {
  mkdirSync(dirname(target), { recursive: true })
  // A running `wrangler dev` never reads half a file: write beside it, then rename over it.
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, cut)
  renameSync(temporary, target)
}
console.log(`subset-font: ${target} (${cut.length} bytes)`)
