// DejaVu Sans for the PDFs: Polish and Italian letters need a Unicode font (the 14 standard PDF
// fonts have neither ą nor ł). The font is cut at build time to the letters EU customers' names and
// the catalogs need (scripts/subset-font.mjs writes generated/DejaVuSans-subset.ttf on `npm install`
// and before every wrangler build). Node reads that file; the Worker has no file system, so wrangler
// bundles the same file as a Data module (wrangler.toml [[rules]]) and src/worker.ts hands it over.
let fontBytes: Promise<Uint8Array> | undefined

/** The Worker's entry passes the bundled font once; nothing is read from disk after that. */
export function useBundledFont(bytes: ArrayBuffer): void {
  fontBytes = Promise.resolve(new Uint8Array(bytes))
}

export function dejaVuSans(): Promise<Uint8Array> {
  fontBytes ??= readGenerated().catch((e: unknown) => {
    fontBytes = undefined
    throw e
  })
  return fontBytes
}

async function readGenerated(): Promise<Uint8Array> {
  // Imported here rather than at the top so the Worker bundle never evaluates it.
  const { readFile } = await import('node:fs/promises')
  const file = new URL('../../generated/DejaVuSans-subset.ttf', import.meta.url)
  try {
    return new Uint8Array(await readFile(file))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    throw new Error(`The PDF font ${file.pathname} is missing: run \`npm install\` or \`node scripts/subset-font.mjs\``)
  }
}
