import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { officialFile, validate } from '../helpers/xsd'

const read = (path: string) => readFileSync(officialFile(path))

describe('the official schemas in einvoice/, as the validator of every generated document', () => {
  it('are the files the reference pack lists, byte for byte (SHA256SUMS)', () => {
    const sums = readFileSync(officialFile('SHA256SUMS'), 'utf8').trim().split('\n')
    expect(sums.length).toBe(22)
    for (const line of sums) {
      const [hash, path] = line.split(/\s+\*?/) as [string, string]
      expect(createHash('sha256').update(read(path.replace(/^\.\//, ''))).digest('hex'), path).toBe(hash)
    }
  })

  it.each(['FA_3_Przyklad_1.xml', 'FA_3_Przyklad_2.xml', 'FA_3_Przyklad_22.xml'])('the Ministry’s FA(3) sample %s validates', (name) => {
    expect(validate(read(`pl/fa3/samples/${name}`), 'FA3')).toEqual({ ok: true, errors: '' })
  })

  it.each(['IT01234567890_FPR01.xml', 'IT01234567890_FPA01.xml'])('the Agenzia’s FatturaPA sample %s validates', (name) => {
    expect(validate(read(`it/fatturapa/samples/${name}`), 'FPR12')).toEqual({ ok: true, errors: '' })
  })

  it('the Agenzia’s FPR02 sample fails where the pack says: PECDestinatario before ContattiTrasmittente', () => {
    const r = validate(read('it/fatturapa/samples/IT01234567890_FPR02.xml'), 'FPR12')
    expect(r.ok).toBe(false)
    expect(r.errors).toContain("Element 'ContattiTrasmittente': This element is not expected.")
  })

  it('a broken copy of an FA(3) sample fails: an unknown VAT rate, a missing invoice number, an amount with three decimals', () => {
    const sample = read('pl/fa3/samples/FA_3_Przyklad_22.xml').toString('utf8')
    const rate = validate(sample.replace('<P_12>0 WDT</P_12>', '<P_12>19</P_12>'), 'FA3')
    expect(rate.ok).toBe(false)
    expect(rate.errors).toContain("Element '{http://crd.gov.pl/wzor/2025/06/25/13775/}P_12': [facet 'enumeration'] The value '19' is not an element of the set")
    const number = validate(sample.replace(/<P_2>[^<]*<\/P_2>/, ''), 'FA3')
    expect(number.ok).toBe(false)
    expect(number.errors).toContain('P_2')
    expect(validate(sample.replace('<P_15>4000</P_15>', '<P_15>4000.001</P_15>'), 'FA3').ok).toBe(false)
  })

  it('a broken copy of a FatturaPA sample fails: a 5-character recipient code, a Polish letter in a name', () => {
    const sample = read('it/fatturapa/samples/IT01234567890_FPR01.xml').toString('utf8')
    const code = validate(sample.replace('<CodiceDestinatario>ABC1234</CodiceDestinatario>', '<CodiceDestinatario>ABC12</CodiceDestinatario>'), 'FPR12')
    expect(code.ok).toBe(false)
    expect(code.errors).toContain("Element 'CodiceDestinatario'")
    expect(validate(sample.replace('DITTA BETA', 'DITTA Łódź'), 'FPR12').ok).toBe(false)
  })

  it('a file that is not even XML fails', () => {
    expect(validate('<Faktura>', 'FA3').ok).toBe(false)
  })
})
