// A what-if for cold start: src/node.ts bundled into one file and run by plain `node`, without
// tsx's loader hooks. Built into the bench's temp dir with esbuild (present after `npm install` as
// a dependency of tsx, drizzle-kit and wrangler); skipped when it can't be loaded.
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from './server'

type EsbuildPlugin = {
  name: string
  setup(build: {
    onResolve(o: { filter: RegExp }, cb: (a: { path: string }) => { path: string; external: boolean } | undefined): void
    onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => Promise<{ contents: string; loader: string }>): void
  }): void
}
type Esbuild = { build(options: Record<string, unknown>): Promise<unknown> }

/** Builds the bundle; returns its path, or null with the reason when esbuild is not available. */
export async function buildNodeBundle(outDir: string): Promise<{ path: string } | { error: string }> {
  let esbuild: Esbuild
  try {
    const specifier = 'esbuild'
    esbuild = (await import(specifier)) as Esbuild
  } catch (e) {
    return { error: `esbuild could not be loaded (${(e as Error).message.split('\n')[0]})` }
  }
  const require = createRequire(join(ROOT, 'package.json'))
  const plugins: EsbuildPlugin[] = [
    {
      name: 'kontor-bench',
      setup(build) {
        // The native SQLite binding stays a separate package, imported by absolute path so the
        // bundle can live outside the project.
        build.onResolve({ filter: /^libsql$/ }, () => ({ path: require.resolve('libsql'), external: true }))
        // src/ finds migrations/ and wrangler.toml relative to its own files: keep each file's URL.
        build.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => ({
          contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        }))
      },
    },
  ]
  const path = join(outDir, 'node.mjs')
  try {
    await esbuild.build({
      entryPoints: [join(ROOT, 'src/node.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: path,
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx',
      banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
      logLevel: 'silent',
      plugins,
    })
  } catch (e) {
    return { error: `esbuild failed: ${(e as Error).message.split('\n')[0]}` }
  }
  return { path }
}
