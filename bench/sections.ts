// Sections of docs/performance.md: those other tools than `npm run bench` write (bench/signin-cpu.ts)
// sit between `<!-- name -->` and `<!-- /name -->`, so that a bench run, which rewrites the page,
// keeps them, and their own tool replaces only its section; those a part of the bench rewrites alone
// (`--only worker`, `--only ecodes`) are found by their heading.
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

/**
 * `page` with the section under `heading` (up to the next "## " heading) replaced by `section`; in a
 * page without one, it goes before the section headed `before`, or at the end.
 */
export function withHeadedSection(page: string, heading: string, section: string, before: string): string {
  const start = page.indexOf(`${heading}\n`)
  if (start >= 0) {
    const end = page.indexOf('\n## ', start + heading.length)
    return page.slice(0, start) + section + (end >= 0 ? page.slice(end) : '')
  }
  const at = page.indexOf(`\n${before}\n`)
  if (at >= 0) return `${page.slice(0, at + 1)}${section}\n${page.slice(at + 1)}`
  return `${page.trimEnd()}\n\n${section}`
}
