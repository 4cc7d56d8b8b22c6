// The "fontkit" pdf-lib embeds custom fonts through (PDFDocument.registerFontkit), for TrueType fonts.
// It stands in for @pdf-lib/fontkit, which reads every font format there is (CFF, WOFF2 with its
// Brotli dictionary, legacy Chinese and Japanese encodings, Arabic and Indic shaping) and was a third
// of the Worker's upload and ~150 ms of a first PDF; the PDFs' font is the one TrueType file we cut
// (src/pdf/font.ts), without layout tables, so one glyph per code point is all the layout there is.
// pdf-lib reads: the metrics for the font descriptor, layout() to measure and encode text, the
// glyphs' advances and code points (widths, ToUnicode), and a subset it serialises as a stream.
import { readTrueType, type TrueType } from './read'
import { withComponents, writeSubset } from './write'

export type Glyph = { id: number; advanceWidth: number; codePoints: number[] }

export const trueTypeKit = {
  create(bytes: Uint8Array): TrueTypeFont {
    return new TrueTypeFont(readTrueType(bytes))
  },
}

export class TrueTypeFont {
  readonly cff = false
  readonly unitsPerEm: number
  readonly ascent: number
  readonly descent: number
  readonly capHeight: number | undefined
  readonly xHeight: number | undefined
  readonly italicAngle: number
  readonly bbox: TrueType['bbox']
  readonly postscriptName: string | null
  /** The code points with a glyph, ascending. */
  readonly characterSet: number[]
  /** What pdf-lib's font flags read (FontFlags.ts), under fontkit's names. */
  readonly 'OS/2': { sFamilyClass: number }
  readonly post: { isFixedPitch: boolean }
  readonly head: { macStyle: { italic: boolean } }
  readonly #glyphs = new Map<number, Glyph>()
  #codePointsOf: Map<number, number[]> | undefined

  constructor(readonly font: TrueType) {
    this.unitsPerEm = font.unitsPerEm
    this.ascent = font.ascent
    this.descent = font.descent
    this.capHeight = font.capHeight
    this.xHeight = font.xHeight
    this.italicAngle = font.italicAngle
    this.bbox = font.bbox
    this.postscriptName = font.postscriptName
    this.characterSet = [...font.cmap.keys()].sort((a, b) => a - b)
    this['OS/2'] = { sFamilyClass: font.familyClass }
    this.post = { isFixedPitch: font.fixedPitch }
    this.head = { macStyle: { italic: font.italic } }
  }

  /** .notdef (glyph 0) for a code point the font lacks, as fontkit does. */
  glyphForCodePoint(codePoint: number): Glyph {
    return this.getGlyph(this.font.cmap.get(codePoint) ?? 0)
  }

  hasGlyphForCodePoint(codePoint: number): boolean {
    return this.font.cmap.has(codePoint)
  }

  getGlyph(id: number): Glyph {
    let glyph = this.#glyphs.get(id)
    if (!glyph) this.#glyphs.set(id, (glyph = { id, advanceWidth: this.font.advance(id), codePoints: this.codePointsOf(id) }))
    return glyph
  }

  /** One glyph per code point: the font has no substitutions, and pdf-lib positions by advances alone. */
  layout(text: string): { glyphs: Glyph[] } {
    return { glyphs: Array.from(text, (ch) => this.glyphForCodePoint(ch.codePointAt(0)!)) }
  }

  createSubset(): TrueTypeSubset {
    return new TrueTypeSubset(this.font)
  }

  /** Every code point mapped to the glyph, as fontkit's glyph.codePoints (pdf-lib's ToUnicode map). */
  private codePointsOf(id: number): number[] {
    if (!this.#codePointsOf) {
      this.#codePointsOf = new Map()
      for (const [cp, glyph] of this.font.cmap) this.#codePointsOf.set(glyph, [...(this.#codePointsOf.get(glyph) ?? []), cp])
    }
    return this.#codePointsOf.get(id) ?? []
  }
}

/** The glyphs a document uses, numbered in the order pdf-lib asks for them after .notdef. */
export class TrueTypeSubset {
  readonly #ids = new Map<number, number>([[0, 0]])

  constructor(private readonly font: TrueType) {}

  /** The glyph's id in the subset, which is what the page's text shows. */
  includeGlyph(glyph: number | { id: number }): number {
    const id = typeof glyph === 'number' ? glyph : glyph.id
    let subsetId = this.#ids.get(id)
    if (subsetId === undefined) this.#ids.set(id, (subsetId = this.#ids.size))
    return subsetId
  }

  /** The subset as a font file, its glyphs' parts appended after the glyphs included. */
  encode(): Uint8Array {
    return writeSubset(this.font, withComponents(this.font, this.#ids.keys()))
  }

  /**
   * fontkit's stream interface, which pdf-lib's serialisation listens to: "data" once, then "end", or
   * "error" (typed as pdf-lib types it, which leaves "error" out).
   */
  encodeStream(): SubsetStream {
    const listeners = new Map<string, ((value?: unknown) => void)[]>()
    const stream: SubsetStream = {
      on(event, listener) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener as (value?: unknown) => void])
        return stream
      },
    }
    const emit = (event: string, value?: unknown) => {
      for (const listener of listeners.get(event) ?? []) listener(value)
    }
    // After the caller has attached its listeners, as a stream would.
    queueMicrotask(() => {
      let bytes: Uint8Array
      try {
        bytes = this.encode()
      } catch (e) {
        return emit('error', e)
      }
      emit('data', bytes)
      emit('end')
    })
    return stream
  }
}

type SubsetStream = { on(event: 'data' | 'end', listener: (bytes: Uint8Array) => void): SubsetStream }
