// `npm run build:worker` (scripts/build-worker.mjs), as a person runs it before deploying: it builds
// the Worker upload offline, prints its size raw and gzip with what takes the most room, keeps it
// under its budget of 1 MB gzip, and fails when an upload is over the budget it is given.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { dejaVuSans } from '../../src/pdf/font'

const dir = mkdtempSync(join(tmpdir(), 'kontor-bundle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Run = { code: number; stdout: string; stderr: string }
async function build(outdir: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/build-worker.mjs', '--outdir', outdir, ...args], { maxBuffer: 10_000_000 })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const { code, stdout, stderr } = e as Run
    return { code, stdout, stderr }
  }
}

/** "total … 2116.2 KiB … 562.3 KiB gzip" as bytes, to the 0.1 KiB printed. */
function printedTotal(stdout: string): { raw: number; gzip: number } {
  const m = /^\s+total\s+([\d.]+) KiB\s+([\d.]+) KiB gzip/m.exec(stdout)
  if (!m) throw new Error(`no total in:\n${stdout}`)
  return { raw: Number(m[1]) * 1024, gzip: Number(m[2]) * 1024 }
}

describe('npm run build:worker', () => {
  it('builds the upload under 1 MB gzip, prints its size and largest parts, and ships the font Node prints with', async () => {
    const outdir = join(dir, 'ok')
    const run = await build(outdir)
    expect(run.code, run.stderr).toBe(0)
    const total = printedTotal(run.stdout)
    expect(total.gzip).toBeLessThan(1_000_000)
    expect(run.stdout).toMatch(/Largest parts of worker\.js, gzip .*:\n {2}\S+ [\d.]+ KiB, /)

    // What it printed is what is there: each module gzipped, the source map left out.
    const modules = readdirSync(outdir).filter((name) => !name.endsWith('.map') && name !== 'README.md')
    const gzip = modules.reduce((sum, name) => sum + gzipSync(readFileSync(join(outdir, name))).length, 0)
    expect(Math.abs(gzip - total.gzip)).toBeLessThan(0.06 * 1024)
    // The one font in the upload is the cut Node renders the tests' PDFs with, byte for byte.
    const fonts = modules.filter((name) => name.endsWith('.ttf'))
    expect(fonts).toHaveLength(1)
    expect(Buffer.compare(readFileSync(join(outdir, fonts[0]!)), await dejaVuSans())).toBe(0)
  }, 120_000)

  it('fails, saying by how much, when the upload is over the budget', async () => {
    const run = await build(join(dir, 'over'), '--budget', '100000')
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/build:worker: the upload is [\d.]+ KiB gzip, [\d.]+ KiB over its budget of 97\.7 KiB/)
  }, 120_000)
})
