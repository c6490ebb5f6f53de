/**
 * @packageDocumentation
 * Content-addressed blob storage for encrypted updates and models. Every store returns CIDv1 raw
 * sha2-256 strings and verifies bytes against their CID on read. Implementations: a filesystem
 * blockstore under the data dir, the same fetching missing blobs from peers over libp2p, an external
 * Kubo daemon (`createKuboBlobStore`), and an in-memory store. Choices are explained in storage/README.md.
 *
 * @example
 * ```ts
 * import { createFsBlobStore, blobStorePath } from './storage/index.js'
 * const store = await createFsBlobStore({ path: blobStorePath(dataDir) })
 * const cid = await store.put(envelope)      // 'bafkrei…'
 * const same = await store.get(cid)          // verified against the CID
 * ```
 */
export { BLOB_PROTOCOL, MAX_BLOB_BYTES } from './constants.js'
export { BlobHashMismatchError, BlobNotFoundError, BlobStoreUnreachableError, BlobTooLargeError, InvalidCidError } from './errors.js'
export type { BlobStore } from './blob-store.js'
export { cidForBytes, parseBlobCid, verifyBlob } from './cid.js'
export { createMemoryBlobStore } from './memory-blob-store.js'
export { createFsBlobStore, blobStorePath, type FsBlobStoreInit } from './fs-blob-store.js'
export { createKuboBlobStore, type KuboBlobStore, type KuboBlobStoreInit } from './kubo-blob-store.js'
export { openNodeBlobStore, type NodeBlobStore, type NodeBlobStoreInit } from './node-blob-store.js'
export { createBlobExchange, type BlobExchange, type BlobExchangeHost, type BlobExchangeInit } from './blob-exchange.js'
export { announcerFirst, createNetworkedBlobStore, type NetworkedBlobStoreInit } from './networked-blob-store.js'
