// The BlobStore kept in the database: a `blobs` row per file and its bytes in `blob_chunks` (libSQL
// blob columns) of at most 1 MiB, because Turso refuses rows over 5 MB and answers at most 10 MB at
// once. It needs no service beyond the database, so it works the same on Node (a file) and on
// Workers (Turso over HTTP), and a file can be written in the same batch as the row that refers to
// it (putStatements).
import { and, eq, type SQLWrapper } from 'drizzle-orm'
import type { Executor } from '../db/client'
import { blobChunks, blobs } from '../db/schema'
import type { BlobStore, StoredBlob } from './store'

export const CHUNK_BYTES = 1024 * 1024

export function databaseBlobStore(db: Executor) {
  /** The inserts for a `db.batch([...])`, so the file and the row that names it are written together. */
  const putStatements = (key: string, bytes: Uint8Array, contentType: string) => {
    const chunks = Math.ceil(bytes.byteLength / CHUNK_BYTES)
    return [
      db.insert(blobs).values({ key, contentType, size: bytes.byteLength, chunks }),
      ...Array.from({ length: chunks }, (_, seq) => {
        const part = bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES)
        return db.insert(blobChunks).values({ key, seq, bytes: Buffer.from(part.buffer, part.byteOffset, part.byteLength) })
      }),
    ] as const
  }
  /**
   * The reads that start fetching a file, for the caller's batch: its head and first chunk, the key
   * given as a value or as a subquery on the row that names the file — so a file of one chunk comes
   * in the same round trip as that row. `finish` then reads any further chunk.
   */
  const firstReads = (key: string | SQLWrapper) => ({
    head: db.select().from(blobs).where(eq(blobs.key, key)).limit(1),
    first: db.select({ bytes: blobChunks.bytes }).from(blobChunks).where(and(eq(blobChunks.key, key), eq(blobChunks.seq, 0))).limit(1),
  })
  /** The file from its head (and first chunk, if read with it); undefined if it is missing or incomplete. */
  const finish = async (head: typeof blobs.$inferSelect | undefined, first?: { bytes: Uint8Array }): Promise<StoredBlob | undefined> => {
    if (!head) return undefined
    const bytes = new Uint8Array(head.size)
    // One chunk per query keeps every answer far below the server's limit.
    for (let seq = 0; seq < head.chunks; seq++) {
      const chunk = seq === 0 && first ? first : await db.select({ bytes: blobChunks.bytes }).from(blobChunks).where(and(eq(blobChunks.key, head.key), eq(blobChunks.seq, seq))).get()
      if (!chunk) return undefined
      bytes.set(chunk.bytes, seq * CHUNK_BYTES)
    }
    return { bytes, contentType: head.contentType }
  }
  const store: BlobStore = {
    async put(key, bytes, contentType) {
      for (const statement of putStatements(key, bytes, contentType)) await statement
    },
    async get(key): Promise<StoredBlob | undefined> {
      return finish(await db.select().from(blobs).where(eq(blobs.key, key)).get())
    },
    async delete(key) {
      await db.delete(blobChunks).where(eq(blobChunks.key, key))
      await db.delete(blobs).where(eq(blobs.key, key))
    },
  }
  return { ...store, putStatements, firstReads, finish }
}
