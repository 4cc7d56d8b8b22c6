// DejaVu Sans for the PDFs: Polish and Italian letters need a Unicode font (the 14 standard PDF
// fonts have neither ą nor ł). It comes from the dejavu-fonts-ttf package, so `npm install` is all
// it takes. Node reads it from node_modules; the Worker has no file system, so wrangler bundles the
// file as a Data module (wrangler.toml [[rules]]) and src/worker.ts hands it over here.
let fontBytes: Promise<Uint8Array> | undefined

/** The Worker's entry passes the bundled font once; nothing is read from disk after that. */
export function useBundledFont(bytes: ArrayBuffer): void {
  fontBytes = Promise.resolve(new Uint8Array(bytes))
}

export function dejaVuSans(): Promise<Uint8Array> {
  fontBytes ??= readFromPackage().catch((e: unknown) => {
    fontBytes = undefined
    throw e
  })
  return fontBytes
}

async function readFromPackage(): Promise<Uint8Array> {
  // Imported here rather than at the top so the Worker bundle never evaluates them.
  const [{ readFile }, { createRequire }] = await Promise.all([import('node:fs/promises'), import('node:module')])
  return new Uint8Array(await readFile(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')))
}
