import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { P2PHost } from '../../src/p2p/index.js'
import {
  BlobHashMismatchError,
  BlobNotFoundError,
  cidForBytes,
  createBlobExchange,
  createMemoryBlobStore,
  createNetworkedBlobStore,
  type BlobExchange,
  type BlobStore,
} from '../../src/storage/index.js'
import { startHosts, stopHosts } from '../p2p/fixtures.js'
import { shouldBehaveLikeBlobStore } from './blob-store-behaviour.js'

describe('fetching blobs from peers over libp2p', { timeout: 40_000 }, () => {
  let hosts: P2PHost[]
  let stores: BlobStore[]
  let exchanges: BlobExchange[]

  beforeAll(async () => {
    hosts = await startHosts(3)
    stores = hosts.map(() => createMemoryBlobStore())
    exchanges = hosts.map((host, i) => createBlobExchange({ host: host.libp2p, store: stores[i]! }))
    await Promise.all(exchanges.map((e) => e.start()))
  })

  afterAll(async () => {
    await Promise.all(exchanges.map((e) => e.stop().catch(() => undefined)))
    await stopHosts(hosts)
  })

  it('fetches a missing blob from the peer that has it, verifies it and keeps a copy', async () => {
    const blob = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => (i * 7) % 256)
    const cid = await stores[0]!.put(blob)
    const store = createNetworkedBlobStore({ local: stores[2]!, exchange: exchanges[2]!, providers: () => hosts[2]!.libp2p.getPeers() })
    const fetched = await store.get(cid)
    expect(Buffer.from(fetched).equals(blob)).toBe(true)
    expect(await stores[2]!.has(cid)).toBe(true)
  })

  it('answers not found for a blob no peer has', async () => {
    const cid = (await cidForBytes(Uint8Array.of(4, 0, 4))).toString()
    expect(await exchanges[1]!.fetch(hosts[0]!.peerId, cid)).toBeUndefined()
    const store = createNetworkedBlobStore({ local: stores[1]!, exchange: exchanges[1]!, providers: () => hosts[1]!.libp2p.getPeers() })
    const err = await store.get(cid).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobNotFoundError)
    expect((err as BlobNotFoundError).details?.['triedPeers']).toHaveLength(2)
  })

  it('rejects and reports a peer that serves bytes not matching the CID, then tries the next peer', async () => {
    const honest = new TextEncoder().encode('the real update')
    const cid = await cidForBytes(honest)
    // Peer 0 lies: its store answers every CID with other bytes.
    const lying: BlobStore = { put: async () => cid.toString(), has: async () => true, get: async () => new TextEncoder().encode('a forged update') }
    await exchanges[0]!.stop()
    const liar = createBlobExchange({ host: hosts[0]!.libp2p, store: lying })
    await liar.start()
    try {
      await stores[1]!.put(honest)
      const direct = await exchanges[2]!.fetch(hosts[0]!.peerId, cid.toString()).catch((e: unknown) => e)
      expect(direct).toBeInstanceOf(BlobHashMismatchError)
      expect((direct as BlobHashMismatchError).cid).toBe(cid.toString())
      expect((direct as BlobHashMismatchError).source).toBe(`peer ${hosts[0]!.peerId.toString()}`)

      const reported: string[] = []
      const store = createNetworkedBlobStore({
        local: createMemoryBlobStore(),
        exchange: exchanges[2]!,
        providers: () => [hosts[0]!.peerId, hosts[1]!.peerId],
        onHashMismatch: (error, peer) => reported.push(`${error.cid}@${peer.toString()}`),
      })
      expect(Buffer.from(await store.get(cid.toString())).equals(honest)).toBe(true)
      expect(reported).toEqual([`${cid.toString()}@${hosts[0]!.peerId.toString()}`])
    } finally {
      await liar.stop()
      await exchanges[0]!.start()
    }
  })
})

describe('networked blob store without peers', { timeout: 40_000 }, () => {
  let host: P2PHost
  beforeAll(async () => {
    host = (await startHosts(1))[0]!
  })
  afterAll(async () => stopHosts([host]))

  shouldBehaveLikeBlobStore(async () => {
    const local = createMemoryBlobStore()
    return createNetworkedBlobStore({ local, exchange: createBlobExchange({ host: host.libp2p, store: local }), providers: () => host.libp2p.getPeers() })
  })
})
