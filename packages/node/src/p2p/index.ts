/**
 * @packageDocumentation
 * The node's libp2p layer: a host factory (TCP on loopback by default, Noise, Yamux, identify,
 * gossipsub with StrictSign; no bootstrap, DHT or mDNS), per-task topics, wallet-signed message
 * schemas and the topic validators that drop anything else and lower the sender's peer score.
 *
 * @example
 * ```ts
 * import { createP2PHost, createTaskGossip } from './p2p/index.js'
 * const host = await createP2PHost({ privateKey: identity.libp2pKey, peers })
 * const gossip = createTaskGossip({ pubsub: host.pubsub, isRegistered, isRoundOpen })
 * gossip.joinTask('breast-cancer')
 * gossip.onMessage((message, { publisher }) => console.log(message.kind, publisher))
 * ```
 */
export { DEFAULT_LISTEN, MAX_GOSSIP_MESSAGE_BYTES } from './constants.js'
export { GossipMessageInvalidError, PeerDialError, WaitTimeoutError } from './errors.js'
export { createP2PHost, type P2PHost, type P2PHostInit, type P2PServices } from './host.js'
export { GOSSIP_KINDS, parseTopic, taskTopics, topicFor, type GossipKind } from './topics.js'
export {
  encodeGossipMessage,
  signingBytes,
  type GossipMessage,
  type GossipMessageByKind,
  type ModelPublishedMessage,
  type UnsignedGossipMessage,
  type UpdateSharedMessage,
  type VerdictMessage,
} from './messages.js'
export { decodeGossipMessage, type DecodeResult, type GossipRejectReason } from './decode-message.js'
export { createMessageValidator, type GossipAuthorization, type MessageValidator, type MessageValidatorInit, type ValidationOutcome } from './message-validator.js'
export {
  createTaskGossip,
  type GossipDelivery,
  type GossipPublishResult,
  type GossipRejection,
  type TaskGossip,
  type TaskGossipInit,
} from './gossip.js'
export { createPeerKeeper, type PeerKeeper, type PeerKeeperInit } from './peer-keeper.js'
export { waitFor, type WaitForOptions } from './wait.js'
