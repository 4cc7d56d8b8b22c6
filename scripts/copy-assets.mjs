// Copies htmx from its npm package into public/vendor/ so that both runtimes serve it as a
// static file without committing a second copy. Runs on `npm install` (postinstall).
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const htmxDir = join(dirname(require.resolve('htmx.org/package.json')), 'dist')
const target = new URL('../public/vendor/', import.meta.url)
mkdirSync(target, { recursive: true })
copyFileSync(join(htmxDir, 'htmx.min.js'), new URL('htmx.min.js', target))
console.log('copied htmx to public/vendor/')
