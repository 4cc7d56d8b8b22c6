// Sections of docs/performance.md that other tools than `npm run bench` write (bench/signin-cpu.ts):
// each sits between `<!-- name -->` and `<!-- /name -->`, so that a bench run, which rewrites the
// page, keeps them, and their own tool replaces only its section.
import { existsSync, readFileSync } from 'node:fs'

const BLOCK = /<!-- ([a-z-]+) -->\n[\s\S]*?\n<!-- \/\1 -->\n/g

/** The marked sections of the page at `path` (none if there is no page yet), to append to a fresh one. */
export function keptSections(path: string): string {
  if (!existsSync(path)) return ''
  const blocks = readFileSync(path, 'utf8').match(BLOCK) ?? []
  return blocks.map((b) => `\n${b}`).join('')
}

/** `page` with the section `name` replaced by `body`, or with it appended. */
export function withSection(page: string, name: string, body: string): string {
  const block = `<!-- ${name} -->\n${body.trim()}\n<!-- /${name} -->\n`
  const existing = new RegExp(`<!-- ${name} -->\\n[\\s\\S]*?\\n<!-- /${name} -->\\n`)
  return existing.test(page) ? page.replace(existing, () => block) : `${page.trimEnd()}\n\n${block}`
}
