// Reading PDFs in tests as a person's viewer would: poppler's pdftotext (poppler-utils, installed by .ci/run).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The text of a PDF as pdftotext reads it, whitespace collapsed. */
export function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-pdf-'))
  try {
    const file = join(dir, 'document.pdf')
    writeFileSync(file, bytes)
    const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr || r.error}`)
    return r.stdout.replace(/\s+/g, ' ')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
