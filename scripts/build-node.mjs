// Bundles the Node server (src/node.ts) into one ES module with esbuild, for `npm start` and the
// benchmarks. Plain `node` then loads one file instead of tsx transforming ~150 TypeScript files
// through loader hooks at every start (cold start: see docs/performance.md).
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, stop } from 'esbuild'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Builds `src/node.ts` (or another entry) into `outfile`; returns the time it took in ms. */
export async function buildNodeBundle(outfile, entry = join(ROOT, 'src/node.ts')) {
  const started = performance.now()
  const require = createRequire(join(ROOT, 'package.json'))
  try {
    await buildWith(require, outfile, entry)
  } finally {
    // esbuild's API keeps its service process (~200 MB) alive for the next build; the server that
    // starts next never builds again, so end it.
    await stop()
  }
  return performance.now() - started
}

function buildWith(require, outfile, entry) {
  return build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    // Bundled CommonJS packages call require(); give the ES module one.
    banner: { js: "import { createRequire as __kontorRequire } from 'node:module'; const require = __kontorRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [
      {
        name: 'kontor-node',
        setup(b) {
          // The native SQLite binding stays its own package, loaded by absolute path so the bundle
          // can live anywhere.
          b.onResolve({ filter: /^libsql$/ }, () => ({ path: require.resolve('libsql'), external: true }))
          // src/ finds migrations/ and wrangler.toml next to its own files: keep each file's URL.
          b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: args.path.endsWith('x') ? 'tsx' : 'ts',
          }))
        },
      },
    ],
  })
}
