import type { BlobStore } from './blob-store.js'
import { cidForBytes, parseBlobCid, verifyBlob } from './cid.js'
import { MAX_BLOB_BYTES } from './constants.js'
import { BlobNotFoundError, BlobTooLargeError } from './errors.js'

/**
 * An in-memory {@link BlobStore} for tests and the memory coordinator. It copies bytes in and out so
 * callers cannot alter stored blobs, and still verifies hashes on `get`.
 */
export function createMemoryBlobStore(): BlobStore & { readonly size: number } {
  const blobs = new Map<string, Uint8Array>()
  return {
    get size() {
      return blobs.size
    },
    async put(bytes) {
      if (bytes.length > MAX_BLOB_BYTES) throw new BlobTooLargeError(bytes.length, MAX_BLOB_BYTES)
      const cid = (await cidForBytes(bytes)).toString()
      if (!blobs.has(cid)) blobs.set(cid, bytes.slice())
      return cid
    },
    async get(cid) {
      const parsed = parseBlobCid(cid)
      const bytes = blobs.get(parsed.toString())
      if (bytes === undefined) throw new BlobNotFoundError(cid, [])
      await verifyBlob(parsed, bytes, 'memory store')
      return bytes.slice()
    },
    async has(cid) {
      return blobs.has(parseBlobCid(cid).toString())
    },
    async delete(cid) {
      blobs.delete(parseBlobCid(cid).toString())
    },
  }
}
