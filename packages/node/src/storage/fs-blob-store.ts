import { join } from 'node:path'
import { FsBlockstore } from 'blockstore-fs'
import type { BlobStore } from './blob-store.js'
import { cidForBytes, parseBlobCid, verifyBlob } from './cid.js'
import { BLOBS_DIR, MAX_BLOB_BYTES } from './constants.js'
import { BlobHashMismatchError, BlobNotFoundError, BlobTooLargeError } from './errors.js'

/** Options of {@link createFsBlobStore}. */
export interface FsBlobStoreInit {
  /** Directory of the blockstore; use {@link blobStorePath} for the node's data dir. */
  readonly path: string
}

/** Where a node keeps its blobs: `<dataDir>/blobs`. */
export function blobStorePath(dataDir: string): string {
  return join(dataDir, BLOBS_DIR)
}

/**
 * A {@link BlobStore} on the local filesystem (`blockstore-fs`: one file per block, sharded by the
 * last characters of the CID, written through a temporary file). A block that no longer matches its
 * CID (disk corruption, manual edit) is deleted on read and reported.
 *
 * @example
 * ```ts
 * const store = await createFsBlobStore({ path: blobStorePath(dataDir) })
 * const cid = await store.put(envelope)
 * ```
 */
export async function createFsBlobStore(init: FsBlobStoreInit): Promise<BlobStore> {
  const blockstore = new FsBlockstore(init.path, { createIfMissing: true })
  await blockstore.open()
  const source = `local store ${init.path}`

  return {
    async put(bytes, options) {
      if (bytes.length > MAX_BLOB_BYTES) throw new BlobTooLargeError(bytes.length, MAX_BLOB_BYTES)
      const cid = await cidForBytes(bytes)
      if (!(await blockstore.has(cid, options))) await blockstore.put(cid, bytes, options)
      return cid.toString()
    },
    async get(cid, options) {
      const parsed = parseBlobCid(cid)
      if (!(await blockstore.has(parsed, options))) throw new BlobNotFoundError(cid, [])
      const bytes = await collect(blockstore.get(parsed, options))
      try {
        await verifyBlob(parsed, bytes, source)
      } catch (err) {
        if (err instanceof BlobHashMismatchError) await blockstore.delete(parsed)
        throw err
      }
      return bytes
    },
    async has(cid, options) {
      return blockstore.has(parseBlobCid(cid), options)
    },
    async delete(cid, options) {
      await blockstore.delete(parseBlobCid(cid), options)
    },
    async close() {
      await blockstore.close()
    },
  }
}

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  for await (const chunk of chunks) {
    parts.push(chunk)
    length += chunk.length
  }
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(length)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
