// Files that wrangler bundles as Data modules (wrangler.toml [[rules]]): the import is the bytes.
declare module '*.ttf' {
  const bytes: ArrayBuffer
  export default bytes
}
