// Types for scripts/build-node.mjs (plain JavaScript; tsconfig has no allowJs), which the bench
// imports to build the bundle `npm start` runs. A pattern, since an ambient module can't be named
// by a relative path.
declare module '*/scripts/build-node.mjs' {
  /** The repository root. */
  export const ROOT: string
  /** Builds `src/node.ts` (or another entry) into `outfile` with esbuild; resolves with the time it took in ms. */
  export function buildNodeBundle(outfile: string, entry?: string): Promise<number>
}
