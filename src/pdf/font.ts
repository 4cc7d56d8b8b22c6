// DejaVu Sans for the PDFs: Polish and Italian letters need a Unicode font (the 14 standard PDF
// fonts have neither ą nor ł). It comes from the dejavu-fonts-ttf package, cut down to the letters
// EU customers' names and the catalogs need (~600 of its ~6,250 glyphs, 78 KB of its 757 KB). Node
// cuts it in memory on the first PDF; the Worker has no file system and its upload has a size
// budget, so wrangler's build writes the same cut to generated/DejaVuSans-subset.ttf
// (scripts/subset-font.ts), bundles it as a Data module (wrangler.toml) and src/worker.ts hands it
// over here. Both run cutDejaVuSans on the same bytes, so the Worker prints what the tests print.
import { readTrueType } from './truetype/read'
import { withComponents, writeSubset } from './truetype/write'

/**
 * The code points kept, where DejaVu Sans has them: every letter of the EU's languages and the
 * punctuation, currency and arrows the catalogs and Intl's formats print (test/pdf/font.test.ts
 * checks both). Latin covers the languages written in it: Latin-1 and Extended-A, Romanian ș ț
 * (Extended-B), German ẞ, Irish dotted consonants and Welsh ŵ-row letters (Extended Additional).
 * Greek and Cyrillic are there because Greek and Bulgarian companies are EU customers too. Text is
 * NFC-normalised before printing, so no combining marks are needed; anything else prints as "?"
 * (docs/rules.md). Whole blocks would cost more than they give: Extended-B and Extended Additional
 * are mostly African, Pinyin and Vietnamese letters (~19 KB gzip).
 */
export const SUBSET_RANGES: readonly (readonly [number, number])[] = [
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

/** The package file the PDFs' font is cut from (resolved from the project's node_modules). */
export const DEJAVU_SANS = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf'

/**
 * DejaVu Sans with only the glyphs of SUBSET_RANGES (and those their accented letters are built
 * from), a cmap for them, and no layout tables: pdf-lib places glyphs by their advances alone, so
 * kerning never reached the page, and without GSUB "fi" stays two letters (text copied out of a PDF
 * stays plain). The name table, with the font's copyright and licence, travels along.
 */
export function cutDejaVuSans(full: Uint8Array): Uint8Array {
  const font = readTrueType(full)
  const kept: [number, number][] = []
  for (const [first, last] of SUBSET_RANGES) {
    for (let cp = first; cp <= last; cp++) {
      const glyph = font.cmap.get(cp)
      if (glyph !== undefined) kept.push([cp, glyph])
    }
  }
  // The glyphs keep their order in DejaVu Sans, after .notdef; the parts of accented letters follow.
  const order = withComponents(font, [0, ...new Set(kept.map(([, glyph]) => glyph).sort((a, b) => a - b))])
  const newId = new Map(order.map((old, i) => [old, i]))
  return writeSubset(font, order, kept.map(([cp, glyph]) => [cp, newId.get(glyph)!]))
}

let fontBytes: Promise<Uint8Array> | undefined

/** The Worker's entry passes the bundled cut once; nothing is read from disk after that. */
export function useBundledFont(bytes: ArrayBuffer): void {
  fontBytes = Promise.resolve(new Uint8Array(bytes))
}

export function dejaVuSans(): Promise<Uint8Array> {
  fontBytes ??= cutFromPackage().catch((e: unknown) => {
    fontBytes = undefined
    throw e
  })
  return fontBytes
}

async function cutFromPackage(): Promise<Uint8Array> {
  // Imported here rather than at the top so the Worker bundle never evaluates them.
  const [{ readFile }, { createRequire }] = await Promise.all([import('node:fs/promises'), import('node:module')])
  return cutDejaVuSans(new Uint8Array(await readFile(createRequire(import.meta.url).resolve(DEJAVU_SANS))))
}
