// Writing a TrueType font with some of another's glyphs: the file a PDF embeds (the glyphs a document
// uses) and the cut DejaVu Sans the PDFs start from (scripts/subset-font.ts), which also keeps a cmap
// and the tables a font file needs to stand on its own.
import { components, type TrueType } from './read'

/** Glyph ids in the order given, then the glyphs composite ones among them are drawn from. */
export function withComponents(font: TrueType, glyphIds: Iterable<number>): number[] {
  const order = [...new Set(glyphIds)]
  const seen = new Set(order)
  for (let i = 0; i < order.length; i++) {
    for (const { glyphId } of components(font.glyph(order[i]!))) {
      if (!seen.has(glyphId)) order.push(glyphId)
      seen.add(glyphId)
    }
  }
  return order
}

/**
 * A font of the glyphs `order` (old ids, .notdef first, composite glyphs' parts included: see
 * withComponents), renumbered 0… in that order. Without `cmap`, the tables a PDF needs of an embedded
 * TrueType font (ISO 32000 9.9: head, hhea, loca, maxp, cvt, prep, glyf, hmtx, fpgm); with it
 * (code point → new id), a standalone font with that cmap and OS/2, name, post and gasp.
 */
export function writeSubset(font: TrueType, order: number[], cmap?: [number, number][]): Uint8Array {
  if (order[0] !== 0) throw new Error('a subset starts with .notdef')
  const newId = new Map(order.map((old, i) => [old, i]))
  const glyphs = order.map((old) => {
    const data = Uint8Array.from(font.glyph(old))
    const view = new DataView(data.buffer)
    for (const { at, glyphId } of components(data)) {
      const id = newId.get(glyphId)
      if (id === undefined) throw new Error(`glyph ${old} is drawn from glyph ${glyphId}, which the subset lacks`)
      view.setUint16(at, id)
    }
    return pad(data)
  })
  const loca = new DataView(new ArrayBuffer((order.length + 1) * 4))
  let offset = 0
  glyphs.forEach((g, i) => {
    loca.setUint32(i * 4, offset)
    offset += g.length
  })
  loca.setUint32(order.length * 4, offset)

  const hmtx = new DataView(new ArrayBuffer(order.length * 4))
  let advanceMax = 0
  order.forEach((old, i) => {
    hmtx.setUint16(i * 4, font.advance(old))
    hmtx.setInt16(i * 4 + 2, font.leftBearing(old))
    advanceMax = Math.max(advanceMax, font.advance(old))
  })
  const head = copy(table(font, 'head'))
  head.setUint32(8, 0) // checkSumAdjustment: set once the whole file is known
  head.setInt16(50, 1) // long loca offsets
  const hhea = copy(table(font, 'hhea'))
  hhea.setUint16(10, advanceMax)
  hhea.setUint16(34, order.length) // a full metric for every glyph
  const maxp = copy(table(font, 'maxp'))
  maxp.setUint16(4, order.length)

  const tables: Record<string, DataView | Uint8Array> = { glyf: concat(glyphs), head, hhea, hmtx, loca, maxp }
  // Hinting stays: the glyphs' instructions call into fpgm and read cvt.
  for (const tag of ['cvt ', 'fpgm', 'prep']) if (font.tables.has(tag)) tables[tag] = table(font, tag)
  if (cmap) {
    const codePoints = cmap.map(([cp]) => cp).sort((a, b) => a - b)
    const os2 = copy(table(font, 'OS/2'))
    os2.setUint16(64, Math.min(codePoints[0] ?? 0, 0xffff)) // usFirstCharIndex
    os2.setUint16(66, Math.min(codePoints.at(-1) ?? 0, 0xffff)) // usLastCharIndex
    // post version 3: no glyph names (PDF viewers and pdf-lib go by glyph id).
    const post = copy(table(font, 'post'), 32)
    post.setUint32(0, 0x00030000)
    Object.assign(tables, { cmap: writeCmap(cmap), 'OS/2': os2, post, name: table(font, 'name') })
    if (font.tables.has('gasp')) tables.gasp = table(font, 'gasp')
  }
  return writeFont(tables)
}

function table(font: TrueType, tag: string): DataView {
  const t = font.tables.get(tag)
  if (!t) throw new Error(`the font has no ${tag} table`)
  return t
}

/** One format 4 subtable (the kept code points are all in the BMP), for Unicode and for Windows. */
function writeCmap(pairs: [number, number][]): Uint8Array {
  const sorted = [...pairs].sort(([a], [b]) => a - b)
  if (sorted.some(([cp]) => cp > 0xfffe)) throw new Error('only BMP code points fit a format 4 cmap')
  // A segment per run of consecutive code points whose glyph ids are consecutive too; all map by delta.
  const segments: { start: number; end: number; delta: number }[] = []
  for (const [cp, glyph] of sorted) {
    const last = segments.at(-1)
    if (last && cp === last.end + 1 && glyph - cp === last.delta) last.end = cp
    else segments.push({ start: cp, end: cp, delta: glyph - cp })
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 }) // the closing segment: 0xFFFF → glyph 0
  const count = segments.length
  const length = 16 + count * 8
  const sub = new DataView(new ArrayBuffer(length))
  const log2 = Math.floor(Math.log2(count))
  sub.setUint16(0, 4)
  sub.setUint16(2, length)
  sub.setUint16(6, count * 2)
  sub.setUint16(8, 2 * 2 ** log2)
  sub.setUint16(10, log2)
  sub.setUint16(12, count * 2 - 2 * 2 ** log2)
  segments.forEach((s, i) => {
    sub.setUint16(14 + i * 2, s.end)
    sub.setUint16(16 + count * 2 + i * 2, s.start)
    sub.setUint16(16 + count * 4 + i * 2, s.delta & 0xffff)
  })
  const out = new Uint8Array(20 + length)
  const view = new DataView(out.buffer)
  view.setUint16(2, 2)
  ;[[0, 3], [3, 1]].forEach(([platform, encoding], i) => {
    view.setUint16(4 + i * 8, platform!)
    view.setUint16(6 + i * 8, encoding!)
    view.setUint32(8 + i * 8, 20)
  })
  out.set(new Uint8Array(sub.buffer), 20)
  return out
}

/** The font file: the table directory (tags sorted, checksums) and the tables, each 4-byte aligned. */
function writeFont(tables: Record<string, DataView | Uint8Array>): Uint8Array {
  const tags = Object.keys(tables).sort()
  const bodies = tags.map((tag) => {
    const t = tables[tag]!
    return t instanceof Uint8Array ? t : new Uint8Array(t.buffer, t.byteOffset, t.byteLength)
  })
  const headerLength = 12 + tags.length * 16
  const out = new Uint8Array(headerLength + bodies.reduce((sum, b) => sum + pad(b).length, 0))
  const view = new DataView(out.buffer)
  const log2 = Math.floor(Math.log2(tags.length))
  view.setUint32(0, 0x00010000)
  view.setUint16(4, tags.length)
  view.setUint16(6, 16 * 2 ** log2)
  view.setUint16(8, log2)
  view.setUint16(10, tags.length * 16 - 16 * 2 ** log2)
  let offset = headerLength
  let headAt = -1
  tags.forEach((tag, i) => {
    const body = pad(bodies[i]!)
    const record = 12 + i * 16
    for (let c = 0; c < 4; c++) out[record + c] = tag.charCodeAt(c)
    view.setUint32(record + 4, checksum(body))
    view.setUint32(record + 8, offset)
    view.setUint32(record + 12, bodies[i]!.length)
    out.set(body, offset)
    if (tag === 'head') headAt = offset
    offset += body.length
  })
  view.setUint32(headAt + 8, (0xb1b0afba - checksum(out)) >>> 0)
  return out
}

function checksum(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let sum = 0
  for (let i = 0; i < bytes.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0
  return sum
}

function pad(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 === 0) return bytes
  const padded = new Uint8Array(bytes.length + 4 - (bytes.length % 4))
  padded.set(bytes)
  return padded
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function copy(view: DataView, length = view.byteLength): DataView {
  const bytes = new Uint8Array(length)
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, Math.min(length, view.byteLength)))
  return new DataView(bytes.buffer)
}
