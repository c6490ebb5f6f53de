import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { BlobExchange } from './blob-exchange.js'
import type { BlobStore } from './blob-store.js'
import { parseBlobCid } from './cid.js'
import { BlobHashMismatchError, BlobNotFoundError } from './errors.js'

/** Options of {@link createNetworkedBlobStore}. */
export interface NetworkedBlobStoreInit {
  /** Where blobs are kept (normally the filesystem store under the data dir). */
  readonly local: BlobStore
  /** The exchange used to fetch missing blobs. */
  readonly exchange: BlobExchange
  /**
   * Peers to ask for a CID, in order, e.g. `() => host.libp2p.getPeers()`; the round machine can
   * put the peer that announced the CID first.
   */
  readonly providers: (cid: string) => readonly PeerId[] | Promise<readonly PeerId[]>
  /** Called when a peer served bytes that do not match the CID (the bytes are discarded). */
  readonly onHashMismatch?: (error: BlobHashMismatchError, peer: PeerId) => void
}

/**
 * `providers` for {@link createNetworkedBlobStore}: the hospital that announced a CID holds it, so
 * it is asked first, then every other connected peer.
 * @param announcedBy peer id (string) that announced a CID, if any
 * @param connected the peers connected now, e.g. `() => host.libp2p.getPeers()`
 */
export function announcerFirst(announcedBy: (cid: string) => string | undefined, connected: () => readonly PeerId[]): (cid: string) => readonly PeerId[] {
  return (cid) => {
    const announcer = announcedBy(cid)
    const peers = connected()
    if (announcer === undefined) return peers
    return [peerIdFromString(announcer), ...peers.filter((p) => p.toString() !== announcer)]
  }
}

/**
 * A {@link BlobStore} that answers from the local store and, when a blob is missing, fetches it from
 * peers over the node's own libp2p, verifies it against its CID and keeps a local copy.
 *
 * @example
 * ```ts
 * const local = await createFsBlobStore({ path: blobStorePath(dataDir) })
 * const exchange = createBlobExchange({ host: host.libp2p, store: local })
 * await exchange.start()
 * const store = createNetworkedBlobStore({ local, exchange, providers: () => host.libp2p.getPeers() })
 * const envelope = await store.get(announcedCid)
 * ```
 */
export function createNetworkedBlobStore(init: NetworkedBlobStoreInit): BlobStore {
  const { local, exchange } = init
  return {
    put: (bytes, options) => local.put(bytes, options),
    has: (cid, options) => local.has(cid, options),
    delete: async (cid, options) => local.delete?.(cid, options),
    close: async () => local.close?.(),
    async get(cid, options) {
      parseBlobCid(cid)
      if (await local.has(cid, options)) return local.get(cid, options)
      const peers = await init.providers(cid)
      const failures: string[] = []
      for (const peer of peers) {
        options?.signal?.throwIfAborted()
        try {
          const bytes = await exchange.fetch(peer, cid, options)
          if (bytes === undefined) {
            failures.push(`${peer.toString()}: not found`)
            continue
          }
          await local.put(bytes, options)
          return bytes
        } catch (err) {
          if (err instanceof BlobHashMismatchError) init.onHashMismatch?.(err, peer)
          failures.push(`${peer.toString()}: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
      throw new BlobNotFoundError(cid, peers.map(String), failures)
    },
  }
}
