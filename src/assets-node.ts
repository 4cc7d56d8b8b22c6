// The asset manifest on Node, computed from public/ at start: whatever the files hold now is what
// pages link to (src/assets.ts).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ASSET_PATHS, fingerprinted, type AssetManifest, type AssetPath } from './assets'

export function assetManifest(publicDir: string): AssetManifest {
  return Object.fromEntries(ASSET_PATHS.map((path) => [path, fingerprinted(path, createHash('sha256').update(readFileSync(join(publicDir, path))).digest('hex'))]))
}

/** The plain path behind a fingerprinted name, if the manifest has it (anything else is not ours). */
export function plainPathOf(manifest: AssetManifest, name: string): AssetPath | undefined {
  return (Object.entries(manifest) as [AssetPath, string][]).find(([, fingerprintedName]) => fingerprintedName === name)?.[0]
}
