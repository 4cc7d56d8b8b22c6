// Pieces of the fake KSeF (./fake-server.ts) that need none of its state: what it keeps per
// invoice and session, its reference numbers, the XSD check through xmllint, and the UPO it issues.
import { createHash, randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'

export type Json = Record<string, any>
export type Invoice = {
  ref: string
  session: string
  ordinal: number
  hash: string
  fileName: string | null
  code: number
  description: string
  details: string[]
  extensions: Json | null
  ksefNumber: string | null
  acquisitionDate: string | null
  invoiceNumber: string | null
  issueDate: string | null
  pollsLeft: number
}
export type Session = { ref: string; nip: string; key: Buffer; iv: Buffer; open: boolean; count: number }

/** A KSeF reference number: `YYYYMMDD-XX-10hex-10hex-2hex` (36 characters). */
export function reference(kind: string, at: Date): string {
  const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase()
  return `${at.toISOString().slice(0, 10).replace(/-/g, '')}-${kind}-${hex(5)}-${hex(5)}-${hex(1)}`
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64')

/** Runs xmllint against the schema; resolves to its complaints (empty when valid). */
export function xsdProblems(xml: Buffer, schemaPath: string): Promise<string[]> {
  return new Promise((done) => {
    const child = execFile('xmllint', ['--noout', '--nonet', '--schema', schemaPath, '-'], { timeout: 20_000 }, (error, _out, stderr) => {
      if (!error) return done([])
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return done(['xmllint is not installed (Debian: libxml2-utils): the fake KSeF cannot validate'])
      const lines = String(stderr)
        .split('\n')
        .map((l) => l.replace(/^-:/, 'line ').trim())
        .filter((l) => l && !/fails to validate$/.test(l))
      done(lines.length > 0 ? lines.slice(0, 20) : [`xmllint failed: ${error.message}`])
    })
    child.stdin?.end(xml)
  })
}

export function upoOf(inv: Invoice, nip: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3">
\t<NazwaPodmiotuPrzyjmujacego>Ministerstwo Finansów - fake KSeF (Kontor)</NazwaPodmiotuPrzyjmujacego>
\t<NumerReferencyjnySesji>${inv.session}</NumerReferencyjnySesji>
\t<Uwierzytelnienie><IdKontekstu><Nip>${nip}</Nip></IdKontekstu></Uwierzytelnienie>
\t<NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>
\t<KodFormularza>FA (3)</KodFormularza>
\t<Dokument>
\t\t<NipSprzedawcy>${nip}</NipSprzedawcy>
\t\t<NumerKSeFDokumentu>${inv.ksefNumber}</NumerKSeFDokumentu>
\t\t<NumerFaktury>${inv.invoiceNumber ?? ''}</NumerFaktury>
\t\t<DataWystawieniaFaktury>${inv.issueDate ?? ''}</DataWystawieniaFaktury>
\t\t<DataNadaniaNumeruKSeF>${inv.acquisitionDate}</DataNadaniaNumeruKSeF>
\t\t<SkrotDokumentu>${inv.hash}</SkrotDokumentu>
\t\t<TrybWysylki>Online</TrybWysylki>
\t</Dokument>
</Potwierdzenie>
`
}

