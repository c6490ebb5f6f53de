/** Loopback only, OS-chosen port: the default for tests and simulations. */
export const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/0'] as const

/** First segment of every fedchain gossip topic: `fedchain/<taskId>/<kind>`. */
export const TOPIC_PREFIX = 'fedchain'

/**
 * Largest gossip message accepted, bytes: 64 KiB. Envelopes carry CIDs and hashes (< 1 KiB);
 * update bytes travel through the blob store. Gossipsub itself drops anything ≥ 4 MiB silently
 * (DESIGN.md §7).
 */
export const MAX_GOSSIP_MESSAGE_BYTES = 64 * 1024

/** Domain separator of the bytes a gossip message's wallet signature covers. */
export const GOSSIP_SIGNING_DOMAIN = 'fedchain/gossip/v1'

/** Task ids allowed in topics: 1–128 characters of [A-Za-z0-9._:-]. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/

/** Longest free-text reason in a verdict, characters. */
export const MAX_REASON_CHARS = 256

/**
 * Score penalty weight of invalid messages on a task topic (penalty = count² × weight): one
 * invalid message costs -3 (a bug, not yet an attack), two put the peer below the gossip
 * threshold (-10), six below the graylist threshold (-80), after which its traffic is ignored.
 */
export const INVALID_MESSAGE_WEIGHT = -3

/**
 * Gossip messages above this are dropped by gossipsub before decoding (no validator, no score
 * change): 1 MiB. Between {@link MAX_GOSSIP_MESSAGE_BYTES} and this, the validator rejects them
 * and the publisher's score falls.
 */
export const MAX_DECODED_GOSSIP_BYTES = 1 << 20

/** Per-second decay of the invalid-message counter: 0.99/s ≈ 70 s half-life. */
export const INVALID_MESSAGE_DECAY = 0.99

/** Poll interval of the wait helpers, milliseconds. */
export const WAIT_POLL_MS = 25

/** Interval between two reconnection passes of the peer keeper, milliseconds: 2 s. */
export const PEER_KEEPER_INTERVAL_MS = 2_000

/** Inbound connections per second accepted from 127.0.0.1 when every node of a cluster shares it. */
export const LOOPBACK_INBOUND_CONNECTIONS_PER_SECOND = 1_000
