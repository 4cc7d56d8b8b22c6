// Reading a TrueType font (glyf outlines): its tables, the code point → glyph map, each glyph's
// bytes and metrics, and what a PDF's font descriptor needs. Only what cutting DejaVu Sans and
// embedding it in a PDF use (src/pdf/truetype/): no CFF, no collections, no layout tables.

export type TrueType = {
  /** The raw tables by tag ("glyf", "cvt ", …). */
  tables: Map<string, DataView>
  numGlyphs: number
  unitsPerEm: number
  /** hhea's ascender and descender, and head's bounding box, in font units. */
  ascent: number
  descent: number
  bbox: { minX: number; minY: number; maxX: number; maxY: number }
  /** OS/2 version 2 and later only, as fontkit reports them. */
  capHeight: number | undefined
  xHeight: number | undefined
  italicAngle: number
  italic: boolean
  fixedPitch: boolean
  familyClass: number
  postscriptName: string | null
  /** Code point → glyph id, for the glyphs the font maps (glyph 0, .notdef, never). */
  cmap: Map<number, number>
  glyph(id: number): Uint8Array
  advance(id: number): number
  leftBearing(id: number): number
}

export function readTrueType(bytes: Uint8Array): TrueType {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(0)
  if (version !== 0x00010000 && version !== 0x74727565) throw new Error('not a TrueType font (glyf outlines)')
  const tables = new Map<string, DataView>()
  for (let i = 0, n = view.getUint16(4); i < n; i++) {
    const record = 12 + i * 16
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4))
    tables.set(tag, new DataView(bytes.buffer, bytes.byteOffset + view.getUint32(record + 8), view.getUint32(record + 12)))
  }
  const table = (tag: string) => {
    const t = tables.get(tag)
    if (!t) throw new Error(`the font has no ${tag} table`)
    return t
  }
  const head = table('head')
  const hhea = table('hhea')
  const hmtx = table('hmtx')
  const loca = table('loca')
  const glyf = table('glyf')
  const os2 = tables.get('OS/2')
  const post = table('post')
  const numGlyphs = table('maxp').getUint16(4)
  const longLoca = head.getInt16(50) === 1
  const metrics = hhea.getUint16(34)
  const offset = (id: number) => (longLoca ? loca.getUint32(id * 4) : loca.getUint16(id * 2) * 2)
  const checked = (id: number) => {
    if (!Number.isInteger(id) || id < 0 || id >= numGlyphs) throw new Error(`no glyph ${id} in the font`)
    return id
  }
  return {
    tables,
    numGlyphs,
    unitsPerEm: head.getUint16(18),
    ascent: hhea.getInt16(4),
    descent: hhea.getInt16(6),
    bbox: { minX: head.getInt16(36), minY: head.getInt16(38), maxX: head.getInt16(40), maxY: head.getInt16(42) },
    capHeight: os2 && os2.getUint16(0) >= 2 ? os2.getInt16(88) : undefined,
    xHeight: os2 && os2.getUint16(0) >= 2 ? os2.getInt16(86) : undefined,
    italicAngle: post.getInt32(4) / 65536,
    italic: (head.getUint16(44) & 2) !== 0,
    fixedPitch: post.getUint32(12) !== 0,
    familyClass: os2 ? os2.getInt16(30) : 0,
    postscriptName: tables.has('name') ? nameRecord(table('name'), 6) : null,
    cmap: readCmap(table('cmap')),
    glyph(id) {
      checked(id)
      return new Uint8Array(glyf.buffer, glyf.byteOffset + offset(id), offset(id + 1) - offset(id))
    },
    advance: (id) => hmtx.getUint16(Math.min(checked(id), metrics - 1) * 4),
    leftBearing: (id) => (checked(id) < metrics ? hmtx.getInt16(id * 4 + 2) : hmtx.getInt16(metrics * 4 + (id - metrics) * 2)),
  }
}

/** The glyphs a composite glyph is drawn from, each with where its id sits in `data` (none for a simple glyph). */
export function components(data: Uint8Array): { at: number; glyphId: number }[] {
  if (data.length < 10) return []
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  if (view.getInt16(0) >= 0) return []
  const found = []
  let at = 10
  for (;;) {
    const flags = view.getUint16(at)
    found.push({ at: at + 2, glyphId: view.getUint16(at + 2) })
    at += 4 + (flags & 0x0001 ? 4 : 2) // ARG_1_AND_2_ARE_WORDS
    if (flags & 0x0008) at += 2 // WE_HAVE_A_SCALE
    else if (flags & 0x0040) at += 4 // WE_HAVE_AN_X_AND_Y_SCALE
    else if (flags & 0x0080) at += 8 // WE_HAVE_A_TWO_BY_TWO
    if (!(flags & 0x0020)) return found // MORE_COMPONENTS
  }
}

/** Code point → glyph id from the Windows Unicode subtable: format 12 when the font has one, else 4. */
function readCmap(cmap: DataView): Map<number, number> {
  const records = []
  for (let i = 0, n = cmap.getUint16(2); i < n; i++) {
    const r = 4 + i * 8
    records.push({ platform: cmap.getUint16(r), encoding: cmap.getUint16(r + 2), offset: cmap.getUint32(r + 4) })
  }
  const pick = records.find((r) => r.platform === 3 && r.encoding === 10) ?? records.find((r) => r.platform === 3 && r.encoding === 1)
  if (!pick) throw new Error('the font has no Windows Unicode cmap')
  const map = new Map<number, number>()
  const at = pick.offset
  const format = cmap.getUint16(at)
  if (format === 12) {
    for (let i = 0, n = cmap.getUint32(at + 12); i < n; i++) {
      const group = at + 16 + i * 12
      const [start, end, glyph] = [cmap.getUint32(group), cmap.getUint32(group + 4), cmap.getUint32(group + 8)]
      for (let cp = start; cp <= end; cp++) if (glyph + cp - start !== 0) map.set(cp, glyph + cp - start)
    }
  } else if (format === 4) {
    const segments = cmap.getUint16(at + 6) / 2
    const ends = at + 14
    const starts = ends + segments * 2 + 2
    const deltas = starts + segments * 2
    const rangeOffsets = deltas + segments * 2
    for (let s = 0; s < segments; s++) {
      const [start, end] = [cmap.getUint16(starts + s * 2), cmap.getUint16(ends + s * 2)]
      const [delta, rangeOffset] = [cmap.getInt16(deltas + s * 2), cmap.getUint16(rangeOffsets + s * 2)]
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let glyph = rangeOffset === 0 ? cp : cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (cp - start) * 2)
        if (rangeOffset === 0 || glyph !== 0) glyph = (glyph + delta) & 0xffff
        if (glyph !== 0) map.set(cp, glyph)
      }
    }
  } else throw new Error(`cmap format ${format} is not supported`)
  return map
}

/** A name record (6: the PostScript name), from the Windows (UTF-16) or Macintosh (Roman) records. */
function nameRecord(name: DataView, nameId: number): string | null {
  const strings = name.getUint16(4)
  let mac: string | null = null
  for (let i = 0, n = name.getUint16(2); i < n; i++) {
    const r = 6 + i * 12
    if (name.getUint16(r + 6) !== nameId) continue
    const [platform, length, offset] = [name.getUint16(r), name.getUint16(r + 8), strings + name.getUint16(r + 10)]
    if (platform === 3) {
      let text = ''
      for (let k = 0; k < length; k += 2) text += String.fromCharCode(name.getUint16(offset + k))
      return text
    }
    // PostScript names are ASCII, so Mac Roman reads as Latin-1.
    if (platform === 1) mac = String.fromCharCode(...new Uint8Array(name.buffer, name.byteOffset + offset, length))
  }
  return mac
}
