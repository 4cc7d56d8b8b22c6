// A QR code drawn as vector shapes, so it stays sharp on any printer: the voucher's redemption link
// and the invoice's KSeF codes (KOD I, KOD II).
import type { PDFOperator } from 'pdf-lib'
import { correction, generate } from 'lean-qr'

/** ISO 18004 asks for a quiet zone of 4 modules around the code. */
export const QUIET = 4

/** How many modules wide the code to `text` is, quiet zone included. */
export function qrModules(text: string): number {
  return generate(text, { minCorrectionLevel: correction.M }).size + 2 * QUIET
}

/**
 * The QR code to `text` inside the square of side `box` whose top-left corner is (`x`, `top`),
 * quiet zone included: one rectangle per horizontal run of dark modules, all filled at once by the
 * caller. Level M survives a crease or a smudge on paper.
 */
export function qrRectangles(ops: typeof import('pdf-lib'), text: string, x: number, top: number, box: number): PDFOperator[] {
  const code = generate(text, { minCorrectionLevel: correction.M })
  const module = box / (code.size + 2 * QUIET)
  const x0 = x + QUIET * module
  const y0 = top - QUIET * module
  const out: PDFOperator[] = []
  for (let row = 0; row < code.size; row++) {
    let start = -1
    for (let col = 0; col <= code.size; col++) {
      const dark = col < code.size && code.get(col, row)
      if (dark && start < 0) start = col
      if (!dark && start >= 0) {
        out.push(ops.rectangle(x0 + start * module, y0 - (row + 1) * module, (col - start) * module, module))
        start = -1
      }
    }
  }
  return out
}
