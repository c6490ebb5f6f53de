import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { HDNodeWallet } from 'ethers'
import { generateX25519KeyPair, type X25519KeyPair } from '../crypto/index.js'
import { createP2PHost, createTaskGossip, type P2PHost, type TaskGossip } from '../p2p/index.js'
import { createAggregatorClient, type AggregatorClient } from '../protocol/aggregator-client.js'
import { createProtocolParticipant, type ProtocolParticipant } from '../protocol/participant.js'
import { RoundStateStore } from '../round/index.js'
import { announcerFirst, blobStorePath, createBlobExchange, createFsBlobStore, createNetworkedBlobStore, type BlobExchange, type BlobStore } from '../storage/index.js'

/** One in-process hospital node of a full-protocol simulation. */
export interface SimulatedNode {
  readonly id: string
  readonly wallet: HDNodeWallet
  /** The node's libp2p key; a restarted node reuses it, as it would from its key file. */
  readonly privateKey: PrivateKey
  readonly encryption: X25519KeyPair
  readonly host: P2PHost
  readonly store: BlobStore
  readonly client: AggregatorClient
  readonly gossip: TaskGossip
  readonly dataDir: string
  /** The aggregator's address and chain id: the EIP-712 domain of the node's relayed entries. */
  readonly aggregator: { readonly address: string; readonly chainId: bigint }
  /** Registry index, known once admitted. */
  index: number
  participant: ProtocolParticipant | undefined
  stop(): Promise<void>
}

export interface StartSimulatedNodeInit {
  readonly id: string
  readonly wallet: HDNodeWallet
  readonly aggregatorAddress: string
  readonly chainId: bigint
  readonly dataDir: string
  /** Address → registered libp2p peer id, for the gossip validator. */
  readonly registry: ReadonlyMap<string, string>
  /** Whether a task's round accepts gossip now. */
  readonly isRoundOpen: (taskId: string, round: bigint) => boolean
  /** The peer known to hold a CID (its announcer), asked before the other connected peers. */
  readonly announcedBy: (cid: string) => string | undefined
  /** Keys of a node being restarted (from its key files); fresh keys otherwise. */
  readonly keys?: { readonly privateKey: PrivateKey; readonly encryption: X25519KeyPair }
}

/** Starts a node's libp2p host (loopback), its blob store and exchange, and its chain client. */
export async function startSimulatedNode(init: StartSimulatedNodeInit): Promise<SimulatedNode> {
  const privateKey = init.keys?.privateKey ?? (await generateKeyPair('Ed25519'))
  const host = await createP2PHost({ privateKey })
  const local = await createFsBlobStore({ path: blobStorePath(init.dataDir) })
  const exchange: BlobExchange = createBlobExchange({ host: host.libp2p, store: local })
  await exchange.start()
  const store = createNetworkedBlobStore({
    local,
    exchange,
    providers: announcerFirst(init.announcedBy, () => host.libp2p.getPeers()),
  })
  const gossip = createTaskGossip({
    pubsub: host.pubsub,
    isRegistered: (address, peerId) => init.registry.get(address.toLowerCase()) === peerId,
    isRoundOpen: (taskId, round) => init.isRoundOpen(taskId, round),
  })
  const client = await createAggregatorClient({ address: init.aggregatorAddress, signer: init.wallet })
  return {
    id: init.id,
    wallet: init.wallet,
    privateKey,
    encryption: init.keys?.encryption ?? generateX25519KeyPair(),
    host,
    store,
    client,
    gossip,
    dataDir: init.dataDir,
    aggregator: { address: init.aggregatorAddress, chainId: init.chainId },
    index: -1,
    participant: undefined,
    async stop() {
      gossip.close()
      await exchange.stop()
      await store.close?.()
      await host.stop()
    },
  }
}

/** Builds the node's round participant for `taskId` (after admission, when its index is known). */
export async function joinTask(node: SimulatedNode, taskId: bigint): Promise<ProtocolParticipant> {
  node.gossip.joinTask(taskId.toString())
  node.participant = await createProtocolParticipant({
    client: node.client,
    wallet: node.wallet,
    encryption: node.encryption,
    store: node.store,
    state: new RoundStateStore(node.dataDir, taskId.toString()),
    dataDir: node.dataDir,
    taskId,
    gossip: node.gossip,
    aggregator: node.aggregator,
  })
  return node.participant
}

/** `<base>/<id>`: each simulated node keeps its keys, blobs and round state apart. */
export function nodeDataDir(base: string, id: string): string {
  return join(base, id)
}
