import { recoverSigner } from '../crypto/index.js'
import { MAX_GOSSIP_MESSAGE_BYTES } from './constants.js'
import { decodeGossipMessage, type GossipRejectReason } from './decode-message.js'
import { signingBytes, type GossipMessage } from './messages.js'
import type { GossipKind } from './topics.js'

/** Chain-backed checks the validator needs; both may be async and are injected by the node. */
export interface GossipAuthorization {
  /**
   * Whether `address` is a registered hospital whose registered libp2p peer id is `peerId`.
   * Binding the two means a registered wallet cannot publish through someone else's host.
   */
  isRegistered(address: string, peerId: string): boolean | Promise<boolean>
  /**
   * Whether round `round` of task `taskId` currently accepts a message of `kind` (a node may, for
   * instance, take `model-published` until the next round opens but `update-shared` only before
   * the share deadline).
   */
  isRoundOpen(taskId: string, round: bigint, kind: GossipKind): boolean | Promise<boolean>
  /**
   * Optional last check with the whole message, e.g. a verdict only from a committee member, an
   * `update-shared` only from a participant whose commitment is on chain.
   */
  authorize?(message: GossipMessage, publisherPeerId: string): boolean | Promise<boolean>
}

/** Options of {@link createMessageValidator}. */
export interface MessageValidatorInit extends GossipAuthorization {
  /**
   * Largest accepted message, bytes.
   * @default 65536
   */
  readonly maxMessageBytes?: number
}

/**
 * What to do with a message: deliver it, reject it (not forwarded; the publisher's score falls), or
 * ignore it (not forwarded, no penalty: our own chain lookup failed, not the peer).
 */
export type ValidationOutcome =
  | { readonly action: 'accept'; readonly message: GossipMessage }
  | { readonly action: 'reject'; readonly reason: GossipRejectReason; readonly detail: string }
  | { readonly action: 'ignore'; readonly detail: string }

/** Validates one raw gossip message. */
export type MessageValidator = (topic: string, data: Uint8Array, publisherPeerId: string | undefined) => Promise<ValidationOutcome>

/**
 * Builds the validator behind every task topic. Checks, cheapest first: size, JSON schema, topic
 * match, libp2p signature present, wallet signature recovers to `sender`, `sender` registered with
 * the publishing peer id, round open, then the optional `authorize` hook. Never throws.
 *
 * @example
 * ```ts
 * const validate = createMessageValidator({ isRegistered: (a, p) => registry.matches(a, p), isRoundOpen: (t, r) => rounds.isOpen(t, r) })
 * const outcome = await validate(topic, bytes, publisherPeerId)
 * ```
 */
export function createMessageValidator(init: MessageValidatorInit): MessageValidator {
  const maxBytes = init.maxMessageBytes ?? MAX_GOSSIP_MESSAGE_BYTES
  return async (topic, data, publisherPeerId) => {
    const decoded = decodeGossipMessage(topic, data, maxBytes)
    if (!decoded.ok) return { action: 'reject', reason: decoded.reason, detail: decoded.detail }
    const message = decoded.message
    if (publisherPeerId === undefined) return { action: 'reject', reason: 'unsigned', detail: 'no libp2p publisher signature' }

    let signer: string
    try {
      signer = recoverSigner(signingBytes(message), message.signature)
    } catch {
      return { action: 'reject', reason: 'bad-signature', detail: 'signature does not parse' }
    }
    if (signer.toLowerCase() !== message.sender.toLowerCase()) {
      return { action: 'reject', reason: 'bad-signature', detail: `signed by ${signer}, claims ${message.sender}` }
    }

    const checked: GossipMessage = { ...message, sender: signer }
    try {
      if (!(await init.isRegistered(signer, publisherPeerId))) {
        return { action: 'reject', reason: 'unregistered', detail: `${signer} is not registered with peer ${publisherPeerId}` }
      }
      if (!(await init.isRoundOpen(message.task, message.round, message.kind))) {
        return { action: 'reject', reason: 'round-closed', detail: `round ${message.round} of ${message.task} is not open for ${message.kind}` }
      }
      if (init.authorize !== undefined && !(await init.authorize(checked, publisherPeerId))) {
        return { action: 'reject', reason: 'unauthorized', detail: `${signer} may not send this ${message.kind}` }
      }
    } catch (err) {
      return { action: 'ignore', detail: `authorization lookup failed: ${err instanceof Error ? err.message : String(err)}` }
    }
    return { action: 'accept', message: checked }
  }
}
