// Reading PDFs in tests as a person's viewer would: poppler's pdftotext, pdfinfo and pdftoppm
// (poppler-utils) and zbarimg (zbar-tools) for QR codes, both installed by .ci/run.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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

/** The number of pages as pdfinfo counts them. */
export function pdfPageCount(bytes: Uint8Array): number {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-pdf-'))
  try {
    const file = join(dir, 'document.pdf')
    writeFileSync(file, bytes)
    const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`pdfinfo failed: ${r.stderr || r.error}`)
    return Number(/^Pages:\s+(\d+)$/m.exec(r.stdout)?.[1])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * What a phone would read from each page's QR codes: every page rendered to PNG by pdftoppm (at
 * `dpi`, 150 by default, a modest printer), then decoded by zbarimg (zbar-tools). One list per page.
 */
export function pdfQrCodes(bytes: Uint8Array, dpi = 150): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-qr-'))
  try {
    const file = join(dir, 'document.pdf')
    writeFileSync(file, bytes)
    const render = spawnSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')], { encoding: 'utf8' })
    if (render.status !== 0) throw new Error(`pdftoppm failed: ${render.stderr || render.error}`)
    // page-1.png … or page-01.png … once there are ten pages or more: the number sorts them.
    const pages = readdirSync(dir)
      .filter((name) => name.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)?.[1]) - Number(/(\d+)\.png$/.exec(b)?.[1]))
    return pages.map((png) => {
      const r = spawnSync('zbarimg', ['--raw', '-q', join(dir, png)], { encoding: 'utf8' })
      // Exit status 4 means no code was found on the page: an empty list, for the test to judge.
      if (r.status !== 0 && r.status !== 4) throw new Error(`zbarimg failed: ${r.stderr || r.error}`)
      return r.stdout.split('\n').filter(Boolean)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
