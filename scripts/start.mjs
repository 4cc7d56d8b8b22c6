// npm start: runs the Node server from one esbuild bundle (dist/node/kontor.mjs) with plain node,
// which starts in a fraction of the time tsx needs to transform the sources (docs/performance.md).
// The bundle is rebuilt whenever a file under src/, the lockfile or the build script is newer than
// it, so it never runs stale code; `npm run dev` runs the sources through tsx with reload instead.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildNodeBundle, ROOT } from './build-node.mjs'

const outfile = join(ROOT, 'dist/node/kontor.mjs')

function newestChange() {
  const inputs = [join(ROOT, 'package-lock.json'), join(ROOT, 'scripts/build-node.mjs')]
  for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) inputs.push(join(entry.parentPath ?? entry.path, entry.name))
  }
  return Math.max(...inputs.map((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0))
}

const built = statSync(outfile, { throwIfNoEntry: false })?.mtimeMs ?? 0
if (built <= newestChange()) await buildNodeBundle(outfile)
await import(pathToFileURL(outfile).href)
