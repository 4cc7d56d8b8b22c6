import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base64Url, kodILabel, kodILink, kodILinkFromHash } from '../../src/einvoice/kod1'

/** The example in CIRFMF/ksef-docs kody-qr.md (TEST environment). */
const DOCUMENTED = 'https://qr-test.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE'

describe('KOD I', () => {
  it('reproduces the documented link from its NIP, date and hash', () => {
    const hash = Buffer.from('UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE', 'base64url')
    expect(hash).toHaveLength(32)
    expect(kodILinkFromHash('test', 'PL1111111111', '2026-02-01', hash)).toBe(DOCUMENTED)
    expect(kodILinkFromHash('test', '1111111111', '2026-02-01', hash)).toBe(DOCUMENTED)
  })

  it('hashes the exact bytes with SHA-256, written Base64URL without padding; one byte more is another link', async () => {
    const xml = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?>\n<Faktura>ą?+/</Faktura>\n')
    const expected = createHash('sha256').update(xml).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const link = await kodILink('production', 'PL5260250274', '2026-12-01', xml)
    expect(link).toBe(`https://qr.ksef.mf.gov.pl/invoice/5260250274/01-12-2026/${expected}`)
    expect(link.split('/').at(-1)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await kodILink('production', 'PL5260250274', '2026-12-01', new Uint8Array([...xml, 10]))).not.toBe(link)
    expect(await kodILink('demo', 'PL5260250274', '2026-12-01', xml)).toMatch(/^https:\/\/qr-demo\.ksef\.mf\.gov\.pl\/invoice\//)
  })

  it('Base64URL drops padding and uses - and _', () => {
    expect([base64Url(new Uint8Array([0xfb, 0xff])), base64Url(new Uint8Array([0xfb, 0xef, 0xbe]))]).toEqual(['-_8', '----'])
  })

  it('is labelled with the KSeF number, or OFFLINE while there is none', () => {
    expect([kodILabel(null), kodILabel(''), kodILabel('5265877635-20250826-0100001AF629-AF')]).toEqual(['OFFLINE', 'OFFLINE', '5265877635-20250826-0100001AF629-AF'])
  })

  it('refuses a seller without a Polish NIP and a date not written YYYY-MM-DD', () => {
    const hash = new Uint8Array(32)
    expect(() => kodILinkFromHash('test', 'IT01234560017', '2026-02-01', hash)).toThrow('Polish NIP')
    expect(() => kodILinkFromHash('test', 'PL5260250274', '01-02-2026', hash)).toThrow('YYYY-MM-DD')
  })
})
