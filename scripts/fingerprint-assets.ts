// Writes the fingerprinted copies of the static files pages link to (public/assets/, git-ignored)
// and their manifest (generated/assets.json), which src/worker.ts bundles: Cloudflare serves the
// copies from the [assets] directory a year long (public/_headers). Run by wrangler's [build] step
// before every deploy, `wrangler dev` and dry run, and by `npm install` (the manifest must exist for
// the type check). Node computes the same manifest itself at start (src/assets-node.ts).
//
//   node --import tsx scripts/fingerprint-assets.ts
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assetManifest } from '../src/assets-node'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const publicDir = join(root, 'public')
const manifest = assetManifest(publicDir)
const out = join(publicDir, 'assets')
// Only the current copies: an old one left behind would be uploaded and served for ever.
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
for (const [path, name] of Object.entries(manifest)) copyFileSync(join(publicDir, path), join(publicDir, name))
mkdirSync(join(root, 'generated'), { recursive: true })
writeFileSync(join(root, 'generated/assets.json'), `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`fingerprint-assets: ${readdirSync(out).join(', ')}`)
