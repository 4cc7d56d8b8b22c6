// Builds the PDFs' font: DejaVu Sans cut down to the letters EU customers' names and the three
// catalogs need (~6,250 glyphs → a few hundred), written to generated/DejaVuSans-subset.ttf. Node
// reads that file and the Worker bundles it (wrangler.toml), so both print with the same bytes. Runs
// on `npm install` (scripts/copy-assets.mjs), before every wrangler build ([build] in wrangler.toml),
// before `npm start`, `npm run dev` and the tests; it does the work only when the file is stale.
//
//   node scripts/subset-font.mjs
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SUBSET_FONT = join(ROOT, 'generated/DejaVuSans-subset.ttf')

/**
 * The code points kept, where DejaVu Sans has them: every letter of the EU's languages and the
 * punctuation, currency and arrows the catalogs and Intl's formats print (test/pdf/font.test.ts
 * checks both). Latin covers the languages written in it: Latin-1 and Extended-A, Romanian ș ț
 * (Extended-B), German ẞ, Irish dotted consonants and Welsh ŵ-row letters (Extended Additional).
 * Greek and Cyrillic are there because Greek and Bulgarian companies are EU customers too. Text is
 * NFC-normalised before printing, so no combining marks are needed; anything else prints as "?"
 * (docs/rules.md). Whole blocks cost more than they give: Extended-B and Extended Additional are
 * mostly African, Pinyin and Vietnamese letters (~19 KB gzip).
 */
export const SUBSET_RANGES = [
  [0x0020, 0x007e], // Basic Latin
  [0x00a0, 0x00ff], // Latin-1 Supplement
  [0x0100, 0x017f], // Latin Extended-A
  [0x0218, 0x021b], // Ș ș Ț ț (Romanian)
  [0x02bc, 0x02bc], // ʼ (modifier apostrophe, in names)
  [0x02c6, 0x02c7], // ˆ ˇ
  [0x02d8, 0x02dd], // ˘ ˙ ˚ ˛ ˜ ˝
  [0x0370, 0x03ce], // Greek (without Coptic and symbol variants)
  [0x0400, 0x045f], // Cyrillic (Bulgarian, and the Serbian, Macedonian, Ukrainian, Russian letters)
  [0x1e02, 0x1e03], // Ḃ ḃ (Irish)
  [0x1e0a, 0x1e0b], // Ḋ ḋ
  [0x1e1e, 0x1e1f], // Ḟ ḟ
  [0x1e40, 0x1e41], // Ṁ ṁ
  [0x1e56, 0x1e57], // Ṗ ṗ
  [0x1e60, 0x1e61], // Ṡ ṡ
  [0x1e6a, 0x1e6b], // Ṫ ṫ
  [0x1e80, 0x1e85], // Ẁ ẁ Ẃ ẃ Ẅ ẅ (Welsh)
  [0x1e9e, 0x1e9e], // ẞ (German capital sharp s)
  [0x1ef2, 0x1ef3], // Ỳ ỳ (Welsh)
  [0x2000, 0x2027], // spaces, dashes, quotes, daggers, bullet, ellipsis
  [0x202f, 0x2030], // narrow no-break space (Intl's thousands separator in some languages), ‰
  [0x2032, 0x2033], // ′ ″
  [0x2039, 0x203a], // ‹ ›
  [0x2044, 0x2044], // ⁄
  [0x20ac, 0x20ac], // €
  [0x2116, 0x2116], // №
  [0x2122, 0x2122], // ™
  [0x2190, 0x2193], // ← ↑ → ↓
  [0x2212, 0x2212], // − (minus)
]

/** The font the subset is cut from (the dejavu-fonts-ttf package). */
export function sourceFontPath() {
  return createRequire(join(ROOT, 'package.json')).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
}

/**
 * Writes the subset when the file is missing or older than this script or the lockfile (which pins
 * the font's version); a rebuild that comes out the same leaves the file untouched. Returns its path.
 */
export function ensureFontSubset(target = SUBSET_FONT) {
  const built = statSync(target, { throwIfNoEntry: false })?.mtimeMs ?? 0
  const inputs = [fileURLToPath(import.meta.url), join(ROOT, 'package-lock.json')]
  if (built > Math.max(...inputs.map((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0))) return target
  const bytes = subsetTrueType(readFileSync(sourceFontPath()), codePointsOf(SUBSET_RANGES))
  mkdirSync(dirname(target), { recursive: true })
  // A reader (a test, a server) never sees half a file: write beside it, then rename over it.
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, bytes)
  renameSync(temporary, target)
  return target
}

export function codePointsOf(ranges) {
  const codePoints = []
  for (const [first, last] of ranges) for (let cp = first; cp <= last; cp++) codePoints.push(cp)
  return codePoints
}

// Tables the subset keeps. The layout tables (GSUB, GPOS, GDEF, kern, MATH) are dropped: pdf-lib
// measures text by advance widths only, so kerning never reached the page, and without GSUB "fi"
// stays two letters (the text copied out of a PDF stays plain).
const KEPT = ['OS/2', 'cmap', 'cvt ', 'fpgm', 'gasp', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post', 'prep']

/**
 * A TrueType font (glyf outlines) with only the glyphs of `codePoints` (and the glyphs their
 * composite glyphs are built from), renumbered in their original order after .notdef.
 */
export function subsetTrueType(source, codePoints) {
  const font = readTables(source)
  const head = font.table('head')
  const longLoca = head.getInt16(50) === 1
  const numGlyphs = font.table('maxp').getUint16(4)
  const loca = font.table('loca')
  const glyf = font.table('glyf')
  const glyphAt = (id) => {
    const start = longLoca ? loca.getUint32(id * 4) : loca.getUint16(id * 2) * 2
    const end = longLoca ? loca.getUint32(id * 4 + 4) : loca.getUint16(id * 2 + 2) * 2
    return new Uint8Array(glyf.buffer, glyf.byteOffset + start, end - start)
  }

  const cmap = readCmap(font.table('cmap'))
  const mapped = new Map()
  for (const cp of codePoints) {
    const id = cmap.get(cp)
    if (id) mapped.set(cp, id)
  }
  // Composite glyphs (most accented letters) draw other glyphs: keep those too.
  const keep = new Set([0, ...mapped.values()])
  for (const id of keep) for (const { glyphId } of components(glyphAt(id))) keep.add(glyphId)
  const order = [...keep].sort((a, b) => a - b)
  if (order.at(-1) >= numGlyphs) throw new Error('subset-font: a glyph id past the end of the font')
  const newId = new Map(order.map((old, i) => [old, i]))

  // glyf + loca (long offsets), composite references renumbered.
  const glyphs = order.map((old) => {
    const data = Uint8Array.from(glyphAt(old))
    const view = new DataView(data.buffer)
    for (const { at, glyphId } of components(data)) view.setUint16(at, newId.get(glyphId))
    return pad(data, 4)
  })
  const newGlyf = concat(glyphs)
  const newLoca = new DataView(new ArrayBuffer((order.length + 1) * 4))
  let offset = 0
  glyphs.forEach((g, i) => {
    newLoca.setUint32(i * 4, offset)
    offset += g.length
  })
  newLoca.setUint32(order.length * 4, offset)

  // hmtx with a full metric per glyph.
  const hhea = font.table('hhea')
  const hmtx = font.table('hmtx')
  const numberOfHMetrics = hhea.getUint16(34)
  const metric = (id) => {
    const i = Math.min(id, numberOfHMetrics - 1)
    const lsb = id < numberOfHMetrics ? hmtx.getInt16(id * 4 + 2) : hmtx.getInt16(numberOfHMetrics * 4 + (id - numberOfHMetrics) * 2)
    return [hmtx.getUint16(i * 4), lsb]
  }
  const newHmtx = new DataView(new ArrayBuffer(order.length * 4))
  let advanceMax = 0
  order.forEach((old, i) => {
    const [advance, lsb] = metric(old)
    newHmtx.setUint16(i * 4, advance)
    newHmtx.setInt16(i * 4 + 2, lsb)
    advanceMax = Math.max(advanceMax, advance)
  })

  const newHead = copy(head)
  newHead.setUint32(8, 0) // checkSumAdjustment, set once the file is complete
  newHead.setInt16(50, 1) // long loca
  const newHhea = copy(hhea)
  newHhea.setUint16(10, advanceMax)
  newHhea.setUint16(34, order.length)
  const newMaxp = copy(font.table('maxp'))
  newMaxp.setUint16(4, order.length)
  // post version 3: no glyph names (pdf-lib and PDF viewers go by glyph id).
  const newPost = copy(font.table('post'), 32)
  newPost.setUint32(0, 0x00030000)
  const cps = [...mapped.keys()].sort((a, b) => a - b)
  const newOs2 = copy(font.table('OS/2'))
  newOs2.setUint16(64, Math.min(cps[0], 0xffff)) // usFirstCharIndex
  newOs2.setUint16(66, Math.min(cps.at(-1), 0xffff)) // usLastCharIndex

  const tables = {
    'OS/2': newOs2,
    cmap: writeCmap(cps.map((cp) => [cp, newId.get(mapped.get(cp))])),
    glyf: newGlyf,
    head: newHead,
    hhea: newHhea,
    hmtx: newHmtx,
    loca: newLoca,
    maxp: newMaxp,
    post: newPost,
  }
  for (const tag of KEPT) if (!(tag in tables) && font.has(tag)) tables[tag] = font.table(tag)
  return writeFont(tables)
}

function readTables(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(0)
  if (version !== 0x00010000 && version !== 0x74727565) throw new Error('subset-font: not a TrueType font')
  const tables = new Map()
  for (let i = 0, n = view.getUint16(4); i < n; i++) {
    const record = 12 + i * 16
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4))
    tables.set(tag, new DataView(bytes.buffer, bytes.byteOffset + view.getUint32(record + 8), view.getUint32(record + 12)))
  }
  return {
    has: (tag) => tables.has(tag),
    table(tag) {
      const t = tables.get(tag)
      if (!t) throw new Error(`subset-font: the font has no ${tag} table`)
      return t
    },
  }
}

/** Code point → glyph id from the Windows Unicode subtable (format 4, or 12 when the font has one). */
function readCmap(cmap) {
  const records = []
  for (let i = 0, n = cmap.getUint16(2); i < n; i++) {
    const r = 4 + i * 8
    records.push({ platform: cmap.getUint16(r), encoding: cmap.getUint16(r + 2), offset: cmap.getUint32(r + 4) })
  }
  const pick = records.find((r) => r.platform === 3 && r.encoding === 10) ?? records.find((r) => r.platform === 3 && r.encoding === 1)
  if (!pick) throw new Error('subset-font: the font has no Windows Unicode cmap')
  const map = new Map()
  const at = pick.offset
  const format = cmap.getUint16(at)
  if (format === 12) {
    for (let i = 0, n = cmap.getUint32(at + 12); i < n; i++) {
      const g = at + 16 + i * 12
      const start = cmap.getUint32(g)
      const end = cmap.getUint32(g + 4)
      const glyph = cmap.getUint32(g + 8)
      for (let cp = start; cp <= end; cp++) map.set(cp, glyph + cp - start)
    }
  } else if (format === 4) {
    const segCount = cmap.getUint16(at + 6) / 2
    const ends = at + 14
    const starts = ends + segCount * 2 + 2
    const deltas = starts + segCount * 2
    const rangeOffsets = deltas + segCount * 2
    for (let s = 0; s < segCount; s++) {
      const end = cmap.getUint16(ends + s * 2)
      const start = cmap.getUint16(starts + s * 2)
      const delta = cmap.getInt16(deltas + s * 2)
      const rangeOffset = cmap.getUint16(rangeOffsets + s * 2)
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let glyph
        if (rangeOffset === 0) glyph = (cp + delta) & 0xffff
        else {
          glyph = cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (cp - start) * 2)
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff
        }
        if (glyph !== 0) map.set(cp, glyph)
      }
    }
  } else throw new Error(`subset-font: cmap format ${format} is not supported`)
  return map
}

/** A cmap with one format 4 subtable (every kept code point is in the BMP), for Unicode and Windows. */
function writeCmap(pairs) {
  if (pairs.some(([cp]) => cp > 0xfffe)) throw new Error('subset-font: only BMP code points fit a format 4 cmap')
  // One segment per run of consecutive code points whose glyph ids are consecutive too.
  const segments = []
  for (const [cp, glyph] of pairs) {
    const last = segments.at(-1)
    if (last && cp === last.end + 1 && glyph - cp === last.glyph - last.start) last.end = cp
    else segments.push({ start: cp, end: cp, glyph })
  }
  // The closing segment maps 0xFFFF to glyph 0 (delta 1).
  segments.push({ start: 0xffff, end: 0xffff, glyph: 0x10000 })
  const segCount = segments.length
  const length = 16 + segCount * 8
  const sub = new DataView(new ArrayBuffer(length))
  const log2 = Math.floor(Math.log2(segCount))
  sub.setUint16(0, 4)
  sub.setUint16(2, length)
  sub.setUint16(6, segCount * 2)
  sub.setUint16(8, 2 * 2 ** log2)
  sub.setUint16(10, log2)
  sub.setUint16(12, segCount * 2 - 2 * 2 ** log2)
  segments.forEach((s, i) => {
    sub.setUint16(14 + i * 2, s.end)
    sub.setUint16(16 + segCount * 2 + i * 2, s.start)
    sub.setUint16(16 + segCount * 4 + i * 2, (s.glyph - s.start) & 0xffff)
    // idRangeOffset stays 0: every segment maps by delta.
  })
  const cmap = new DataView(new ArrayBuffer(4 + 2 * 8 + length))
  cmap.setUint16(2, 2)
  // Unicode BMP and Windows Unicode BMP share the one subtable.
  for (const [i, [platform, encoding]] of [[0, 3], [3, 1]].entries()) {
    cmap.setUint16(4 + i * 8, platform)
    cmap.setUint16(6 + i * 8, encoding)
    cmap.setUint32(8 + i * 8, 20)
  }
  new Uint8Array(cmap.buffer).set(new Uint8Array(sub.buffer), 20)
  return cmap
}

/** The glyphs a composite glyph is made of, with where each id is stored in `data`. */
function components(data) {
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

function writeFont(tables) {
  const tags = Object.keys(tables).sort()
  const bodies = tags.map((tag) => {
    const t = tables[tag]
    return t instanceof Uint8Array ? t : new Uint8Array(t.buffer, t.byteOffset, t.byteLength)
  })
  const headerLength = 12 + tags.length * 16
  const total = headerLength + bodies.reduce((sum, b) => sum + pad(b, 4).length, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  const log2 = Math.floor(Math.log2(tags.length))
  view.setUint32(0, 0x00010000)
  view.setUint16(4, tags.length)
  view.setUint16(6, 16 * 2 ** log2)
  view.setUint16(8, log2)
  view.setUint16(10, tags.length * 16 - 16 * 2 ** log2)
  let offset = headerLength
  let headOffset = 0
  tags.forEach((tag, i) => {
    const body = bodies[i]
    const record = 12 + i * 16
    for (let c = 0; c < 4; c++) out[record + c] = tag.charCodeAt(c)
    out.set(body, offset)
    view.setUint32(record + 4, checksum(pad(body, 4)))
    view.setUint32(record + 8, offset)
    view.setUint32(record + 12, body.length)
    if (tag === 'head') headOffset = offset
    offset += pad(body, 4).length
  })
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0)
  return out
}

function checksum(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let sum = 0
  for (let i = 0; i < bytes.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0
  return sum
}

function pad(bytes, to) {
  if (bytes.length % to === 0) return bytes
  const padded = new Uint8Array(bytes.length + to - (bytes.length % to))
  padded.set(bytes)
  return padded
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function copy(view, length = view.byteLength) {
  const bytes = new Uint8Array(length)
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, Math.min(length, view.byteLength)))
  return new DataView(bytes.buffer)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = ensureFontSubset()
  console.log(`subset-font: ${path} (${readFileSync(path).length} bytes)`)
}
