// The TrueType reader and subsetter that pdf-lib embeds the PDFs' font through
// (src/pdf/truetype/), against @pdf-lib/fontkit, which pdf-lib used before and which reads fonts
// independently: the same glyphs, advances, code points and metrics, and a subset whose glyphs
// draw exactly as DejaVu Sans's.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { DEJAVU_SANS, dejaVuSans } from '../../src/pdf/font'
import { readTrueType } from '../../src/pdf/truetype/read'
import { trueTypeKit } from '../../src/pdf/truetype/fontkit'
import { pdfText } from '../helpers/pdf'

const cut = await dejaVuSans()
const full = readFileSync(createRequire(import.meta.url).resolve(DEJAVU_SANS))
const ours = trueTypeKit.create(cut)
const theirs = fontkit.create(cut)
const original = fontkit.create(full)

/** A glyph as fontkit draws it: outline and advance, comparable across fonts whatever its id. */
const drawing = (font: typeof original, id: number) => {
  const glyph = font.getGlyph(id)
  return { path: glyph.path.toSVG(), advance: glyph.advanceWidth }
}

describe('the TrueType font pdf-lib embeds', () => {
  it('reports the metrics fontkit reports, which the PDF font descriptor carries', () => {
    expect({
      unitsPerEm: ours.unitsPerEm,
      ascent: ours.ascent,
      descent: ours.descent,
      capHeight: ours.capHeight,
      xHeight: ours.xHeight,
      italicAngle: ours.italicAngle,
      bbox: ours.bbox,
      postscriptName: ours.postscriptName,
      familyClass: ours['OS/2'].sFamilyClass,
      fixedPitch: ours.post.isFixedPitch,
      italic: ours.head.macStyle.italic,
      cff: ours.cff,
    }).toEqual({
      unitsPerEm: theirs.unitsPerEm,
      ascent: theirs.ascent,
      descent: theirs.descent,
      capHeight: theirs.capHeight,
      xHeight: theirs.xHeight,
      italicAngle: theirs.italicAngle,
      bbox: { minX: theirs.bbox.minX, minY: theirs.bbox.minY, maxX: theirs.bbox.maxX, maxY: theirs.bbox.maxY },
      postscriptName: 'DejaVuSans',
      familyClass: theirs['OS/2'].sFamilyClass,
      fixedPitch: Boolean(theirs.post.isFixedPitch),
      italic: theirs.head.macStyle.italic,
      cff: false,
    })
  })

  it('maps every code point to the glyph, advance and code points fontkit does, and the rest to .notdef', () => {
    // fontkit also lists U+FFFF, which the cmap's closing segment maps to .notdef (checked below).
    expect(ours.characterSet).toEqual([...theirs.characterSet].filter((cp) => cp !== 0xffff).sort((a, b) => a - b))
    const seen = (font: { glyphForCodePoint(cp: number): { id: number; advanceWidth: number; codePoints: number[] } }, cp: number) => {
      const g = font.glyphForCodePoint(cp)
      // .notdef's code points are fontkit's U+FFFF again; pdf-lib leaves .notdef out of ToUnicode.
      return [g.id, g.advanceWidth, g.id === 0 ? [] : [...g.codePoints]]
    }
    for (const cp of [...theirs.characterSet, 0x4e00, 0x1f389, 0x0a, 0xffff]) expect([cp, ...seen(ours, cp)]).toEqual([cp, ...seen(theirs, cp)])
    expect(ours.hasGlyphForCodePoint(0x142)).toBe(true)
    expect(ours.hasGlyphForCodePoint(0x4e00)).toBe(false)
  })

  it('lays text out one glyph per code point, as fontkit does for a font without substitutions', () => {
    for (const text of ['Łódź office', 'Ελληνικά Προϊόντα Α.Ε.', 'Șțefan “Öl” – 12 345,67 zł', 'emoji 🎉 and 北京']) {
      expect(ours.layout(text).glyphs.map((g) => g.id)).toEqual(theirs.layout(text).glyphs.map((g) => g.id))
    }
  })

  it('a subset holds the glyphs included, numbered in that order after .notdef, plus the parts of accented ones, each drawn as in DejaVu Sans', async () => {
    const subset = ours.createSubset()
    const glyphs = ours.layout('Łódź Ελλάδα ẞ').glyphs
    expect(glyphs.map((g) => subset.includeGlyph(g))).toEqual([1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 5, 11])
    expect(subset.includeGlyph(glyphs[0]!.id)).toBe(1)
    const bytes = await new Promise<Uint8Array>((resolve, reject) => {
      const parts: Uint8Array[] = []
      const stream = subset.encodeStream().on('data', (b) => parts.push(b))
      ;(stream.on as (event: string, listener: (value: unknown) => void) => unknown)('error', reject)
      stream.on('end', () => resolve(parts[0]!))
    })
    const embedded = fontkit.create(bytes)
    // ó, ź, ά are drawn from a letter and an accent: those come after .notdef and the eleven included.
    expect(embedded.numGlyphs).toBeGreaterThan(12)
    const fromFull = (cp: number) => drawing(original, original.glyphForCodePoint(cp).id)
    const codePoints = [...'Łódź Ελλάδα ẞ'].map((ch) => ch.codePointAt(0)!)
    expect(glyphs.map((g) => drawing(embedded, subset.includeGlyph(g)))).toEqual(codePoints.map(fromFull))
  })

  it('pdf-lib embeds it as a TrueType font program, measures with its advances, and poppler reads the text back', async () => {
    const pdf = await PDFDocument.create()
    pdf.registerFontkit(trueTypeKit as unknown as Parameters<PDFDocument['registerFontkit']>[0])
    const font = await pdf.embedFont(cut, { subset: true })
    pdf.addPage().drawText('Zażółć gęślą jaźń', { font, size: 12 })
    expect(font.widthOfTextAtSize('Zażółć', 10)).toBeCloseTo(theirs.layout('Zażółć').glyphs.reduce((w, g) => w + g.advanceWidth, 0) * (10 / 2048), 6)
    const bytes = await pdf.save({ useObjectStreams: false })
    expect(new TextDecoder('latin1').decode(bytes)).toContain('/FontFile2')
    expect(pdfText(bytes).trim()).toBe('Zażółć gęślą jaźń')
  })

  it('refuses what is not a TrueType font with glyf outlines', () => {
    expect(() => readTrueType(new TextEncoder().encode('OTTO and then some bytes'))).toThrow('not a TrueType font')
  })
})
