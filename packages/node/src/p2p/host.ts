import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { identify, type Identify } from '@libp2p/identify'
import type { AbortOptions, ConnectionGater, Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { DEFAULT_LISTEN, LOOPBACK_INBOUND_CONNECTIONS_PER_SECOND, MAX_DECODED_GOSSIP_BYTES } from './constants.js'
import { PeerDialError } from './errors.js'
import { fastMessageId } from './fast-message-id.js'

/** Services every fedchain libp2p node runs. */
// A type alias (not an interface) so it satisfies libp2p's index-signature `ServiceMap`.
export type P2PServices = {
  identify: Identify
  pubsub: GossipSub
}

/** Options of {@link createP2PHost}. */
export interface P2PHostInit {
  /** The node's Ed25519 libp2p key (from `loadNodeIdentity`); the peer id derives from it. */
  readonly privateKey: PrivateKey
  /**
   * Multiaddrs to listen on.
   * @default ['/ip4/127.0.0.1/tcp/0']
   */
  readonly listen?: readonly string[]
  /** Peer multiaddrs (`…/p2p/<peer id>`) dialed at start: from the chain registry and `--peer`. */
  readonly peers?: readonly string[]
  /**
   * Admission control: when given, connections (inbound and outbound) to peers for which it
   * returns false are closed right after the Noise handshake, before any protocol runs. Pass the
   * on-chain registry's "is this peer id a registered hospital" so strangers cannot even connect.
   */
  readonly isAllowedPeer?: (peerId: string) => boolean | Promise<boolean>
  /**
   * Largest gossip message this host decodes, bytes (the validator's own cap is usually smaller).
   * @default 1048576
   */
  readonly maxMessageBytes?: number
  /**
   * Inbound connections accepted per second from one IP address. libp2p's default (5) suits peers
   * on distinct hosts; a consortium simulated on one machine dials everything from 127.0.0.1.
   * @default 1000 when listening on loopback only, else 5
   */
  readonly inboundConnectionsPerSecond?: number
}

/** A started libp2p node: TCP, Noise, Yamux, identify and gossipsub with strict signing. */
export interface P2PHost {
  /** The underlying libp2p node (shared by gossip and the blob exchange). */
  readonly libp2p: Libp2p<P2PServices>
  readonly peerId: PeerId
  /** The gossipsub service. */
  readonly pubsub: GossipSub
  /** Start-up dials of `peers` that failed (the node runs anyway and can `connect` later). */
  readonly dialFailures: readonly PeerDialError[]
  /** Listen addresses including `/p2p/<peer id>`, ready to hand to other nodes. */
  multiaddrs(): string[]
  /**
   * Connects to a peer.
   *
   * @throws {@link PeerDialError} when the dial fails
   */
  connect(address: string | Multiaddr, options?: AbortOptions): Promise<PeerId>
  /** Stops libp2p (closes connections and listeners). */
  stop(): Promise<void>
}

/**
 * Creates and starts a libp2p host. No bootstrap list, DHT or mDNS: peers come only from `peers`
 * and later `connect` calls (the on-chain registry), so a node never talks to the public network.
 * Gossipsub runs with `StrictSign` (every message signed by its publisher's peer key) and a score
 * function that ignores IP colocation (consortium nodes may share a NAT or, in tests, 127.0.0.1).
 *
 * @example
 * ```ts
 * const host = await createP2PHost({ privateKey: identity.libp2pKey, peers: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…'] })
 * host.multiaddrs() // ['/ip4/127.0.0.1/tcp/53211/p2p/12D3Koo…']
 * await host.stop()
 * ```
 */
export async function createP2PHost(init: P2PHostInit): Promise<P2PHost> {
  const maxMessageBytes = init.maxMessageBytes ?? MAX_DECODED_GOSSIP_BYTES
  const isAllowedPeer = init.isAllowedPeer
  const listen = [...(init.listen ?? DEFAULT_LISTEN)]
  const loopbackOnly = listen.every((address) => address.startsWith('/ip4/127.') || address.startsWith('/ip6/::1/'))
  const libp2p = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen },
    connectionManager: {
      inboundConnectionThreshold: init.inboundConnectionsPerSecond ?? (loopbackOnly ? LOOPBACK_INBOUND_CONNECTIONS_PER_SECOND : 5),
      maxIncomingPendingConnections: loopbackOnly ? LOOPBACK_INBOUND_CONNECTIONS_PER_SECOND : 10,
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    ...(isAllowedPeer === undefined ? {} : { connectionGater: admissionGater(isAllowedPeer) }),
    services: {
      identify: identify(),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        fastMsgIdFn: fastMessageId,
        emitSelf: false,
        // A node that is alone on a topic (peers still starting) gets `recipients: 0` back
        // instead of an exception; the caller decides whether to retry.
        allowPublishToZeroTopicPeers: true,
        // Messages are sent to every subscribed peer, not only the mesh: the consortium is small
        // and a share must reach the whole committee at once.
        floodPublish: true,
        // Decode somewhat oversized messages so the validator can reject them and penalise the
        // sender; only grossly oversized ones are dropped undecoded.
        maxInboundDataLength: maxMessageBytes,
        scoreParams: { IPColocationFactorWeight: 0 },
      }),
    },
  })
  await libp2p.start()

  const connect = async (address: string | Multiaddr, options?: AbortOptions): Promise<PeerId> => {
    const text = address.toString()
    try {
      const connection = await libp2p.dial(typeof address === 'string' ? multiaddr(address) : address, options)
      return connection.remotePeer
    } catch (cause) {
      throw new PeerDialError(text, cause)
    }
  }

  const dialFailures: PeerDialError[] = []
  await Promise.all(
    (init.peers ?? []).map(async (address) => {
      try {
        await connect(address)
      } catch (err) {
        dialFailures.push(err as PeerDialError)
      }
    }),
  )

  return {
    libp2p,
    peerId: libp2p.peerId,
    pubsub: libp2p.services.pubsub,
    dialFailures,
    multiaddrs: () => libp2p.getMultiaddrs().map((m) => m.toString()),
    connect,
    stop: async () => {
      await libp2p.stop()
    },
  }
}

/** A gater that admits only the peers `isAllowedPeer` accepts; the libp2p defaults apply otherwise. */
function admissionGater(isAllowedPeer: (peerId: string) => boolean | Promise<boolean>): ConnectionGater {
  const deny = async (peerId: PeerId): Promise<boolean> => !(await isAllowedPeer(peerId.toString()))
  return {
    denyDialPeer: deny,
    denyInboundEncryptedConnection: deny,
    denyOutboundEncryptedConnection: deny,
  }
}
