// Types for scripts/subset-font.mjs (plain JavaScript, so that `npm install` and wrangler can run it
// with node alone), which the tests import.
/** Where the subset is written: generated/DejaVuSans-subset.ttf. */
export const SUBSET_FONT: string
/** The code point ranges kept, first and last inclusive. */
export const SUBSET_RANGES: [number, number][]
export function sourceFontPath(): string
export function ensureFontSubset(target?: string): string
export function codePointsOf(ranges: [number, number][]): number[]
/** A TrueType font with only the glyphs of `codePoints` (and their composite glyphs' parts). */
export function subsetTrueType(source: Uint8Array, codePoints: number[]): Uint8Array
