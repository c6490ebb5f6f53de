import type { BlobStore } from './blob-store.js'
import { blobStorePath, createFsBlobStore } from './fs-blob-store.js'
import { createKuboBlobStore } from './kubo-blob-store.js'

/** Options of {@link openNodeBlobStore}. */
export interface NodeBlobStoreInit {
  /** The node's data dir; blobs go to `<dataDir>/blobs` unless `ipfsApi` is given. */
  readonly dataDir: string
  /** Kubo RPC API URL (`--ipfs-api`, or `ipfsApi` in the node's config.json). */
  readonly ipfsApi?: string
}

/** The local store of a node and where it keeps its blobs, for logs and the status page. */
export interface NodeBlobStore {
  readonly store: BlobStore
  /** `filesystem <path>` or `Kubo <url>`. */
  readonly location: string
}

/**
 * Opens the blob store a node keeps its own blobs in: the filesystem blockstore under its data
 * dir, or an external Kubo daemon. A Kubo daemon is asked once here (an offline `block/stat`), so
 * a wrong URL or a stopped daemon stops the node at start rather than in its first round.
 * @throws {BlobStoreUnreachableError} the Kubo RPC API does not answer
 */
export async function openNodeBlobStore(init: NodeBlobStoreInit): Promise<NodeBlobStore> {
  if (init.ipfsApi === undefined) {
    const path = blobStorePath(init.dataDir)
    return { store: await createFsBlobStore({ path }), location: `filesystem ${path}` }
  }
  const store = createKuboBlobStore({ url: init.ipfsApi })
  await store.ping()
  return { store, location: `Kubo ${init.ipfsApi}` }
}
