// What the PDFs share: the A4 page, pdf-lib loaded on first use, a new document with the embedded
// font and its metadata, what happens to letters the font lacks, line wrapping, and a cursor that
// continues on a new page.
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib'
import { dejaVuSans } from './font'
import { trueTypeKit } from './truetype/fontkit'

export const A4: [number, number] = [595.28, 841.89]

/** pdf-lib is loaded on the first PDF, not with the app, which most requests never need. */
const pdfLibrary = () => import('pdf-lib')

/**
 * pdf-lib types the fontkit it is given as the whole of @pdf-lib/fontkit's API; it calls the part
 * src/pdf/truetype/fontkit.ts implements (and test/pdf/truetype.test.ts checks against fontkit).
 */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0]

export type PdfInfo = { title: string; author: string; lang: string; createdAt: Date }

export type NewPdf = { pdf: PDFDocument; font: PDFFont; rgb: (red: number, green: number, blue: number) => RGB }

/**
 * An empty document with DejaVu Sans embedded as a subset (only the letters used travel in the file).
 * The font prints what it measures and draws through `printable(…, MISSING_GLYPH)`: a name in a
 * script the font lacks shows its letters as "?" rather than as empty boxes (docs/rules.md).
 */
export async function newPdf(info: PdfInfo): Promise<NewPdf> {
  const { PDFDocument, rgb } = await pdfLibrary()
  const pdf = await PDFDocument.create()
  pdf.registerFontkit(trueTypeKit as unknown as Fontkit)
  const embedded = await pdf.embedFont(await dejaVuSans(), { subset: true })
  const charset = new Set(embedded.getCharacterSet())
  // pdf-lib measures with widthOfTextAtSize and draws with encodeText; both see the printable text.
  const font: PDFFont = Object.create(embedded, {
    encodeText: { value: (text: string) => embedded.encodeText(printable(charset, text, MISSING_GLYPH)) },
    widthOfTextAtSize: { value: (text: string, size: number) => embedded.widthOfTextAtSize(printable(charset, text, MISSING_GLYPH), size) },
  })
  pdf.setTitle(info.title)
  pdf.setAuthor(info.author)
  pdf.setCreator(info.author)
  pdf.setProducer(info.author)
  pdf.setLanguage(info.lang)
  pdf.setCreationDate(info.createdAt)
  pdf.setModificationDate(info.createdAt)
  return { pdf, font, rgb }
}

/** What invoices and statements print for a character the font has no glyph for. */
export const MISSING_GLYPH = '?'

/**
 * `text` as the font can print it. NFC first, so that an "e" followed by a combining acute prints as
 * the one letter "é" the font has. A character outside `charset` then prints as the letters it is a
 * compatibility form of (ﬁ → fi) if the font has those, or else as `missing`. Line breaks stay
 * (pdf-lib and the voucher's message split lines on them); other white space the font lacks, such as
 * an ideographic space, becomes a space.
 */
export function printable(charset: ReadonlySet<number>, text: string, missing: string): string {
  let out = ''
  for (const ch of text.normalize('NFC')) {
    if (charset.has(ch.codePointAt(0)!) || ch === '\n' || ch === '\r') out += ch
    else if (/\s/.test(ch)) out += ' '
    else {
      // A compatibility form (the ligature ﬁ, a full-width Ａ) prints as the letters it stands for.
      const plain = ch.normalize('NFKC')
      out += plain !== ch && [...plain].every((c) => charset.has(c.codePointAt(0)!)) ? plain : missing
    }
  }
  return out
}

/**
 * Splits text into lines no wider than `width` at `size`, breaking between words. With `breakWords`,
 * a single word wider than the line (a long e-mail address) is cut rather than left sticking out.
 */
export function wrap(font: PDFFont, text: string, size: number, width: number, breakWords = false): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line)
      line = word
    } else line = next
    while (breakWords && line.length > 1 && font.widthOfTextAtSize(line, size) > width) {
      let cut = line.length - 1
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--
      lines.push(line.slice(0, cut))
      line = line.slice(cut)
    }
  }
  if (line) lines.push(line)
  return lines
}

/** Draws text so that it ends at `right`. */
export function drawRight(page: PDFPage, text: string, right: number, y: number, options: { size: number; font: PDFFont; color: RGB }): void {
  page.drawText(text, { ...options, x: right - options.font.widthOfTextAtSize(text, options.size), y })
}

/**
 * Where the next line goes, top to bottom over as many pages as it takes. `room(height)` starts a new
 * page when that much no longer fits above the bottom margin; `onNewPage` then draws what a
 * continued page repeats (a heading, a table's column titles) and moves `y` below it.
 */
export type Flow = { page: PDFPage; y: number; onNewPage: (flow: Flow) => void; room: (height: number) => void }

export function flow(pdf: PDFDocument, margins: { top: number; bottom: number }): Flow {
  const self: Flow = {
    page: pdf.addPage(A4),
    y: A4[1] - margins.top,
    onNewPage: () => {},
    room(height) {
      if (self.y - height >= margins.bottom) return
      self.page = pdf.addPage(A4)
      self.y = A4[1] - margins.top
      self.onNewPage(self)
    },
  }
  return self
}
