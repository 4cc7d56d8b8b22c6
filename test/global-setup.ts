// Runs once before the test files: the PDFs' font subset they render with, in case this checkout's
// `npm install` predates the script or the script changed since (scripts/subset-font.mjs).
import { ensureFontSubset } from '../scripts/subset-font.mjs'

export default function setup(): void {
  ensureFontSubset()
}
