import { GOSSIP_SIGNING_DOMAIN } from './constants.js'
import type { GossipKind } from './topics.js'

/** Fields every gossip message carries. */
interface GossipMessageBase {
  /** Schema version. */
  readonly v: 1
  /** Task id (the topic's middle segment). */
  readonly task: string
  /** Round number. */
  readonly round: bigint
  /** Chain address of the hospital that signed the message. */
  readonly sender: string
}

/** "My encrypted update for this round is stored under `cid`." */
export interface UpdateSharedMessage extends GossipMessageBase {
  readonly kind: 'update-shared'
  /** CID of the encrypted update envelope in the blob store. */
  readonly cid: string
  /** The commitment recorded on chain for this update (0x + 64 hex). */
  readonly commitment: string
}

/** A committee member's verdict on one participant's update. */
export interface VerdictMessage extends GossipMessageBase {
  readonly kind: 'verdict'
  /** Address of the participant whose update was judged. */
  readonly subject: string
  /** CID of the judged envelope. */
  readonly cid: string
  readonly accepted: boolean
  /** Short reason (norm bound, Krum score, commitment mismatch …), at most 256 characters. */
  readonly reason: string
}

/** "The aggregate of this round is stored under `cid` and hashes to `modelHash`." */
export interface ModelPublishedMessage extends GossipMessageBase {
  readonly kind: 'model-published'
  readonly cid: string
  /** sha256 of the model bytes as submitted on chain (0x + 64 hex). */
  readonly modelHash: string
}

/** A gossip message before signing. */
export type UnsignedGossipMessage = UpdateSharedMessage | VerdictMessage | ModelPublishedMessage

/** A gossip message with the sender wallet's EIP-191 signature over {@link signingBytes}. */
export type GossipMessage = UnsignedGossipMessage & { readonly signature: string }

/** The message kind → message type map. */
export interface GossipMessageByKind {
  'update-shared': UpdateSharedMessage
  verdict: VerdictMessage
  'model-published': ModelPublishedMessage
}

/** Kind-specific fields in signing order. */
export const KIND_FIELDS: { readonly [K in GossipKind]: readonly string[] } = {
  'update-shared': ['cid', 'commitment'],
  verdict: ['subject', 'cid', 'accepted', 'reason'],
  'model-published': ['cid', 'modelHash'],
}

/**
 * The bytes a message's wallet signature covers: the domain, then a JSON array of every field in a
 * fixed order (round as a decimal string, addresses lowercased). Field order never depends on object
 * key order, so any implementation can rebuild the bytes.
 */
export function signingBytes(message: UnsignedGossipMessage): Uint8Array {
  const record = message as unknown as Record<string, unknown>
  const fields: unknown[] = [message.v, message.kind, message.task, message.round.toString(), message.sender.toLowerCase()]
  for (const name of KIND_FIELDS[message.kind]) {
    const value = record[name]
    fields.push(name === 'subject' && typeof value === 'string' ? value.toLowerCase() : value)
  }
  return new TextEncoder().encode(`${GOSSIP_SIGNING_DOMAIN}\n${JSON.stringify(fields)}`)
}

/** Wire form: UTF-8 JSON with the round as a decimal string. */
export function encodeGossipMessage(message: GossipMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...message, round: message.round.toString() }))
}
