// Uploaded files are judged by their content (SPEC §16): the first bytes say what a file is, never
// its name or the type the browser declared, and the size is checked on the bytes received.

export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const
export type ScanType = (typeof SCAN_TYPES)[number]

/** 10 MB as people count file sizes on their computers: 10 × 1024 × 1024 bytes. */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024

const SIGNATURES: { type: ScanType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // \x89PNG\r\n\x1a\n
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] }, // SOI marker and the next marker's 0xFF
]

/** The type of a scan from its magic bytes, or null for anything that isn't a PDF, PNG or JPEG. */
export function sniffScanType(bytes: Uint8Array): ScanType | null {
  return SIGNATURES.find((s) => s.bytes.length <= bytes.length && s.bytes.every((b, i) => bytes[i] === b))?.type ?? null
}

export type ScanCheck = { ok: true; contentType: ScanType } | { ok: false; error: 'empty' | 'too_large' | 'unsupported' }

export function checkScan(bytes: Uint8Array): ScanCheck {
  if (bytes.byteLength === 0) return { ok: false, error: 'empty' }
  if (bytes.byteLength > MAX_SCAN_BYTES) return { ok: false, error: 'too_large' }
  const contentType = sniffScanType(bytes)
  return contentType ? { ok: true, contentType } : { ok: false, error: 'unsupported' }
}

/** The usual file name extension of a scan type, for downloads. */
export const SCAN_EXTENSIONS: Record<ScanType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }

export function isScanType(value: string): value is ScanType {
  return (SCAN_TYPES as readonly string[]).includes(value)
}
