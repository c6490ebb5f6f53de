import { TopicValidatorResult, type GossipSub, type Message, type TopicValidatorFn } from '@libp2p/gossipsub'
import { signBytes, type MessageSigner } from '../crypto/index.js'
import { INVALID_MESSAGE_DECAY, INVALID_MESSAGE_WEIGHT, MAX_GOSSIP_MESSAGE_BYTES } from './constants.js'
import { decodeGossipMessage, type GossipRejectReason } from './decode-message.js'
import { GossipMessageInvalidError } from './errors.js'
import { createMessageValidator, type GossipAuthorization } from './message-validator.js'
import { encodeGossipMessage, signingBytes, type GossipMessage, type UnsignedGossipMessage } from './messages.js'
import { parseTopic, taskTopics, topicFor } from './topics.js'

/** Options of {@link createTaskGossip}. */
export interface TaskGossipInit extends GossipAuthorization {
  /** The host's gossipsub service (`host.pubsub`). */
  readonly pubsub: GossipSub
  /**
   * Largest accepted message, bytes.
   * @default 65536
   */
  readonly maxMessageBytes?: number
}

/** Where a delivered message came from. */
export interface GossipDelivery {
  readonly topic: string
  /** Peer id of the original publisher (libp2p-signed). */
  readonly publisher: string
}

/** A rejected message, for logs and metrics. */
export interface GossipRejection {
  readonly topic: string
  /** Original publisher, when the message carried one. */
  readonly publisher: string | undefined
  /** The peer that forwarded it to us (its score falls). */
  readonly propagationSource: string
  readonly reason: GossipRejectReason
  readonly detail: string
}

/** Result of {@link TaskGossip.publish}. */
export interface GossipPublishResult {
  /** Peers the message was sent to; 0 means nobody is subscribed yet. */
  readonly recipients: number
  /** The signed message as sent. */
  readonly message: GossipMessage
}

/** Signed, validated gossip for the tasks a node takes part in. */
export interface TaskGossip {
  /** Subscribes to the task's topics and installs their validators. Idempotent. */
  joinTask(taskId: string): void
  /** Unsubscribes and removes the validators. */
  leaveTask(taskId: string): void
  /**
   * Signs a message with the node's chain wallet and publishes it on its task topic.
   *
   * @throws {@link GossipMessageInvalidError} when the message fails the schema peers enforce
   */
  publish(message: UnsignedGossipMessage, signer: MessageSigner): Promise<GossipPublishResult>
  /** Registers a handler for validated messages; returns a function that removes it. */
  onMessage(handler: (message: GossipMessage, delivery: GossipDelivery) => void): () => void
  /** Registers a handler for rejected messages; returns a function that removes it. */
  onReject(handler: (rejection: GossipRejection) => void): () => void
  /** Rejected messages so far, per reason. */
  rejectionCounts(): Readonly<Record<GossipRejectReason, number>>
  /** Gossipsub's current score of a peer (negative after invalid messages); 0 when unknown. */
  peerScore(peerId: string): number
  /** Peers subscribed to a task's topic of `kind` (default `update-shared`). */
  subscribers(taskId: string, kind?: UnsignedGossipMessage['kind']): string[]
  /** Leaves every task and detaches from the pubsub service. */
  close(): void
}

/** Internals of `@libp2p/gossipsub`'s class that its exported interface does not declare. */
interface GossipSubScoring {
  getScore?(peerId: string): number
  score?: { params?: { topics?: Record<string, unknown> } }
}

/**
 * Per-task gossip over gossipsub: topics `fedchain/<taskId>/{update-shared,verdict,model-published}`,
 * messages signed by the sender's chain wallet on top of libp2p's StrictSign, and a topic
 * validator on each topic that rejects (so the message is not forwarded and the publisher's peer
 * score falls) wrong schema, oversized, unsigned, badly signed, unregistered senders and messages
 * for closed rounds.
 *
 * @example
 * ```ts
 * const gossip = createTaskGossip({ pubsub: host.pubsub, isRegistered, isRoundOpen })
 * gossip.joinTask('breast-cancer')
 * gossip.onMessage((m) => { if (m.kind === 'update-shared') fetchAndVerify(m.cid) })
 * await gossip.publish({ v: 1, kind: 'update-shared', task: 'breast-cancer', round: 3n, sender: me.address, cid, commitment }, me.wallet)
 * ```
 */
export function createTaskGossip(init: TaskGossipInit): TaskGossip {
  const { pubsub } = init
  const maxBytes = init.maxMessageBytes ?? MAX_GOSSIP_MESSAGE_BYTES
  const validate = createMessageValidator(init)
  const tasks = new Set<string>()
  const messageHandlers = new Set<(message: GossipMessage, delivery: GossipDelivery) => void>()
  const rejectHandlers = new Set<(rejection: GossipRejection) => void>()
  const counts: Record<GossipRejectReason, number> = {
    oversized: 0,
    malformed: 0,
    schema: 0,
    'wrong-topic': 0,
    unsigned: 0,
    'bad-signature': 0,
    unregistered: 0,
    'round-closed': 0,
    unauthorized: 0,
  }
  const scoring = pubsub as unknown as GossipSubScoring

  const topicValidator: TopicValidatorFn = async (propagationSource, msg) => {
    const publisher = msg.type === 'signed' ? msg.from.toString() : undefined
    const outcome = await validate(msg.topic, msg.data, publisher)
    if (outcome.action === 'accept') return TopicValidatorResult.Accept
    if (outcome.action === 'ignore') return TopicValidatorResult.Ignore
    counts[outcome.reason]++
    const rejection: GossipRejection = { topic: msg.topic, publisher, propagationSource: propagationSource.toString(), reason: outcome.reason, detail: outcome.detail }
    for (const handler of rejectHandlers) handler(rejection)
    return TopicValidatorResult.Reject
  }

  const onPubsubMessage = (event: CustomEvent<Message>): void => {
    const msg = event.detail
    const where = parseTopic(msg.topic)
    if (where === undefined || !tasks.has(where.taskId) || msg.type !== 'signed') return
    // Already validated; decoding again is cheaper than keeping a cache keyed by message.
    const decoded = decodeGossipMessage(msg.topic, msg.data, maxBytes)
    if (!decoded.ok) return
    const delivery: GossipDelivery = { topic: msg.topic, publisher: msg.from.toString() }
    for (const handler of messageHandlers) handler(decoded.message, delivery)
  }
  pubsub.addEventListener('message', onPubsubMessage)

  function scoreTopic(topic: string): void {
    const topics = scoring.score?.params?.topics
    if (topics === undefined || topics[topic] !== undefined) return
    // Only invalid messages count against a peer: rounds are minutes apart, so the usual
    // "too few mesh deliveries" penalties would punish honest, quiet peers.
    topics[topic] = {
      topicWeight: 1,
      timeInMeshWeight: 0.01,
      timeInMeshQuantum: 1000,
      timeInMeshCap: 100,
      firstMessageDeliveriesWeight: 0.1,
      firstMessageDeliveriesDecay: 0.9,
      firstMessageDeliveriesCap: 10,
      meshMessageDeliveriesWeight: 0,
      meshMessageDeliveriesDecay: 0.5,
      meshMessageDeliveriesCap: 1,
      meshMessageDeliveriesThreshold: 1,
      meshMessageDeliveriesWindow: 10,
      meshMessageDeliveriesActivation: 5000,
      meshFailurePenaltyWeight: 0,
      meshFailurePenaltyDecay: 0.5,
      invalidMessageDeliveriesWeight: INVALID_MESSAGE_WEIGHT,
      invalidMessageDeliveriesDecay: INVALID_MESSAGE_DECAY,
    }
  }

  function leave(taskId: string): void {
    for (const topic of taskTopics(taskId)) {
      pubsub.unsubscribe(topic)
      pubsub.topicValidators.delete(topic)
    }
    tasks.delete(taskId)
  }

  return {
    joinTask(taskId) {
      if (tasks.has(taskId)) return
      for (const topic of taskTopics(taskId)) {
        scoreTopic(topic)
        pubsub.topicValidators.set(topic, topicValidator)
        pubsub.subscribe(topic)
      }
      tasks.add(taskId)
    },
    leaveTask: leave,
    async publish(message, signer) {
      const topic = topicFor(message.task, message.kind)
      const signed = { ...message, signature: signBytes(signer, signingBytes(message)) } as GossipMessage
      const bytes = encodeGossipMessage(signed)
      const check = decodeGossipMessage(topic, bytes, maxBytes)
      if (!check.ok) throw new GossipMessageInvalidError(`${check.reason}: ${check.detail}`)
      const result = await pubsub.publish(topic, bytes)
      return { recipients: result.recipients.length, message: signed }
    },
    onMessage(handler) {
      messageHandlers.add(handler)
      return () => messageHandlers.delete(handler)
    },
    onReject(handler) {
      rejectHandlers.add(handler)
      return () => rejectHandlers.delete(handler)
    },
    rejectionCounts: () => ({ ...counts }),
    peerScore: (peerId) => scoring.getScore?.(peerId) ?? 0,
    subscribers: (taskId, kind = 'update-shared') => pubsub.getSubscribers(topicFor(taskId, kind)).map(String),
    close() {
      for (const taskId of [...tasks]) leave(taskId)
      pubsub.removeEventListener('message', onPubsubMessage)
      messageHandlers.clear()
      rejectHandlers.clear()
    },
  }
}
