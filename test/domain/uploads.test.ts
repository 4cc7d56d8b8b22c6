// Uploaded scans are recognised by their first bytes, never by name or declared type (SPEC §3.2, §16).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkScan, MAX_SCAN_BYTES, sniffScanType } from '../../src/domain/uploads'

const bytes = (...b: number[]) => new Uint8Array(b)
const ascii = (s: string) => new TextEncoder().encode(s)

describe('recognising a scan by its content', () => {
  it('knows PDF, PNG and JPEG by their signatures', () => {
    expect(sniffScanType(ascii('%PDF-1.7\n%âãÏÓ'))).toBe('application/pdf')
    expect(sniffScanType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe('image/png')
    expect(sniffScanType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe('image/jpeg')
  })

  it('refuses a program, HTML, a ZIP, a truncated signature and nothing at all', () => {
    expect(sniffScanType(bytes(0x4d, 0x5a, 0x90, 0))).toBeNull() // MZ: a Windows program
    expect(sniffScanType(ascii('<html><script>alert(1)</script>'))).toBeNull()
    expect(sniffScanType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull()
    expect(sniffScanType(ascii('%PDF'))).toBeNull()
    expect(sniffScanType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull()
    expect(sniffScanType(bytes(0xff, 0xd8))).toBeNull()
    expect(sniffScanType(bytes())).toBeNull()
    // A PDF signature that doesn't start the file is not a PDF.
    expect(sniffScanType(ascii(' %PDF-1.7'))).toBeNull()
  })

  it('whatever follows a signature, the signature decides', () => {
    const signatures = [
      { head: ascii('%PDF-'), type: 'application/pdf' },
      { head: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), type: 'image/png' },
      { head: bytes(0xff, 0xd8, 0xff), type: 'image/jpeg' },
    ] as const
    fc.assert(
      fc.property(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 64 }), ({ head, type }, rest) => {
        expect(sniffScanType(new Uint8Array([...head, ...rest]))).toBe(type)
      }),
    )
  })

  it('random bytes that start with no signature are never accepted', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (b) => {
        fc.pre(b[0] !== 0x25 && b[0] !== 0x89 && b[0] !== 0xff)
        expect(sniffScanType(b)).toBeNull()
      }),
    )
  })
})

describe('checking a scan', () => {
  it('refuses an empty file and one over 10 MB (10 × 1024 × 1024 bytes); exactly 10 MB is fine', () => {
    expect(checkScan(bytes())).toEqual({ ok: false, error: 'empty' })
    const limit = new Uint8Array(MAX_SCAN_BYTES)
    limit.set(ascii('%PDF-1.4'))
    expect(checkScan(limit)).toEqual({ ok: true, contentType: 'application/pdf' })
    const over = new Uint8Array(MAX_SCAN_BYTES + 1)
    over.set(ascii('%PDF-1.4'))
    expect(checkScan(over)).toEqual({ ok: false, error: 'too_large' })
    expect(checkScan(bytes(0x4d, 0x5a))).toEqual({ ok: false, error: 'unsupported' })
  })
})
