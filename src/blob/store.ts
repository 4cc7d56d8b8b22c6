// Where uploaded files live (CONVENTIONS §11: an interface at the edge). Today the database
// (./database.ts); an object store such as R2 can take its place when volumes grow.
export type StoredBlob = { bytes: Uint8Array<ArrayBuffer>; contentType: string }

export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  get(key: string): Promise<StoredBlob | undefined>
  delete(key: string): Promise<void>
}
