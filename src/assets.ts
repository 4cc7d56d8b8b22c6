// The static files pages link to, each under a name that carries a hash of its bytes
// (`/assets/app.3f9c2b1a7e.css`), so a browser may keep it a year without asking again: a new
// version is a new name. The manifest maps each plain path to that name. Node computes it at start
// from public/ (src/assets-node.ts, always current); the Worker bundles the one wrangler's [build]
// step writes with the renamed copies (scripts/fingerprint-assets.ts). Without a manifest (tests
// through createApp alone) pages link the plain paths.

/** The files pages link to, as paths under public/. */
export const ASSET_PATHS = ['/app.css', '/panel.css', '/favicon.svg', '/vendor/htmx.min.js'] as const
export type AssetPath = (typeof ASSET_PATHS)[number]
export type AssetManifest = Partial<Record<AssetPath, string>>

/** Where fingerprinted names live. */
export const ASSETS_PREFIX = '/assets/'

let manifest: AssetManifest = {}

export function useAssetManifest(m: AssetManifest): void {
  manifest = m
}

/** The address a page links a static file at: its fingerprinted name when there is a manifest. */
export function asset(path: AssetPath): string {
  return manifest[path] ?? path
}

/** `/assets/app.<hash>.css` for `/app.css` and the hex digest of its bytes (10 digits are plenty). */
export function fingerprinted(path: AssetPath, hexDigest: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1)
  const dot = file.lastIndexOf('.')
  return `${ASSETS_PREFIX}${file.slice(0, dot)}.${hexDigest.slice(0, 10)}${file.slice(dot)}`
}
