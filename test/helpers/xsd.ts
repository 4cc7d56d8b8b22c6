// Validating e-invoices as the tax authorities' schemas define them: xmllint (libxml2-utils, installed
// by .ci/run) with --nonet against the repository's copies in einvoice/, so nothing is fetched.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export const SCHEMAS = {
  FA3: join(ROOT, 'einvoice/pl/fa3/schemat_FA(3)_v1-0E.xsd'),
  FPR12: join(ROOT, 'einvoice/it/fatturapa/Schema_del_file_xml_FatturaPA_v1.2.2.xsd'),
} as const

/** The repository's copy of an official file, e.g. 'pl/fa3/samples/FA_3_Przyklad_1.xml'. */
export const officialFile = (path: string) => join(ROOT, 'einvoice', path)

/** xmllint's verdict on `xml` against the schema: ok, and its messages (empty when valid). */
export function validate(xml: Uint8Array | string, schema: keyof typeof SCHEMAS): { ok: boolean; errors: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-xsd-'))
  try {
    const file = join(dir, 'document.xml')
    writeFileSync(file, xml)
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMAS[schema], file], { encoding: 'utf8' })
    if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`)
    // 0 valid, 1 not well-formed, 3 or 4 invalid; 5 and above is the schema itself failing to load.
    if (![0, 1, 3, 4].includes(r.status ?? -1)) throw new Error(`xmllint failed (${r.status}): ${r.stderr}`)
    const errors = r.stderr.replace(/^.*validates\n?$/m, '').trim()
    return { ok: r.status === 0 && /validates$/m.test(r.stderr), errors }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
