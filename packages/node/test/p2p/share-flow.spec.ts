import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEphemeralIdentity, decryptUpdate, encryptUpdate, type NodeIdentity } from '../../src/crypto/index.js'
import { createP2PHost, createTaskGossip, waitFor, type GossipMessage, type P2PHost, type TaskGossip } from '../../src/p2p/index.js'
import { blobStorePath, createBlobExchange, createFsBlobStore, createNetworkedBlobStore, type BlobExchange, type BlobStore } from '../../src/storage/index.js'

interface Node {
  identity: NodeIdentity
  host: P2PHost
  exchange: BlobExchange
  blobs: BlobStore
  gossip: TaskGossip
  inbox: GossipMessage[]
}

// The SHARE and VERIFY steps of a round with every module of this layer: identities, hosts,
// filesystem blob stores with peer fetch, signed gossip, and update envelopes.
describe('sharing an encrypted update between three nodes', { timeout: 40_000 }, () => {
  const task = 'digits'
  const nodes: Node[] = []

  beforeAll(async () => {
    const identities = await Promise.all([0, 1, 2].map(() => createEphemeralIdentity()))
    const registry = new Map(identities.map((id) => [id.address, id.peerId.toString()]))
    for (const identity of identities) {
      const host = await createP2PHost({ privateKey: identity.libp2pKey, peers: nodes.map((n) => n.host.multiaddrs()[0]!), isAllowedPeer: (peerId) => [...registry.values()].includes(peerId) })
      const local = await createFsBlobStore({ path: blobStorePath(await mkdtemp(join(tmpdir(), 'fedchain-share-'))) })
      const exchange = createBlobExchange({ host: host.libp2p, store: local })
      await exchange.start()
      const blobs = createNetworkedBlobStore({ local, exchange, providers: () => host.libp2p.getPeers() })
      const gossip = createTaskGossip({ pubsub: host.pubsub, isRegistered: (a, p) => registry.get(a) === p, isRoundOpen: (_t, round) => round === 1n })
      const inbox: GossipMessage[] = []
      gossip.onMessage((m) => inbox.push(m))
      gossip.joinTask(task)
      nodes.push({ identity, host, exchange, blobs, gossip, inbox })
    }
    await waitFor('all nodes subscribed', () => nodes.every((n) => n.gossip.subscribers(task).length === 2), { timeoutMs: 30_000 })
  }, 60_000)

  afterAll(async () => {
    for (const node of nodes) {
      node.gossip.close()
      await node.exchange.stop().catch(() => undefined)
      await node.blobs.close?.()
      await node.host.stop()
    }
  })

  it('encrypts to the committee, announces the CID, and each member fetches, verifies and decrypts it', async () => {
    const [sender, ...committee] = nodes as [Node, Node, Node]
    const delta = new Float32Array(250_000).map((_, i) => Math.cos(i) / 100)
    const context = { taskId: task, round: 1n, sender: sender.identity.address }
    const envelope = encryptUpdate({ payload: delta, recipients: committee.map((n) => n.identity.encryption.publicKey), context })
    const cid = await sender.blobs.put(envelope)
    const { recipients } = await sender.gossip.publish({ v: 1, kind: 'update-shared', task, round: 1n, sender: sender.identity.address, cid, commitment: '0x' + '00'.repeat(32) }, sender.identity.wallet)
    expect(recipients).toBe(2)

    for (const member of committee) {
      await waitFor('the announcement', () => member.inbox.length === 1)
      const announced = member.inbox[0]!
      if (announced.kind !== 'update-shared') throw new Error(`unexpected ${announced.kind}`)
      expect(await member.blobs.has(announced.cid)).toBe(false)
      const bytes = decryptUpdate({
        envelope: await member.blobs.get(announced.cid),
        recipient: member.identity.encryption,
        expected: { taskId: announced.task, round: announced.round, sender: announced.sender },
      })
      expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)).toEqual(delta)
      expect(await member.blobs.has(announced.cid)).toBe(true)
    }
  })
})
