import type { GossipRejectReason } from '../p2p/decode-message.js'
import { createTaskGossip, type TaskGossip } from '../p2p/gossip.js'
import type { P2PHost } from '../p2p/host.js'
import type { DaemonLogger } from './logger.js'

/** What a node's gossip saw, for the status page. */
export interface GossipStats {
  /** Valid messages delivered to this node. */
  readonly delivered: number
  /** Rejected messages per reason (their senders' peer scores fell). */
  readonly rejected: Readonly<Partial<Record<GossipRejectReason, number>>>
}

/** The gossip of a running node: announcements of shared updates, checked against the chain. */
export interface NodeGossip {
  readonly gossip: TaskGossip
  /** Peer id of the hospital that announced `cid`, asked first when the blob is fetched. */
  announcedBy(cid: string): string | undefined
  stats(): GossipStats
}

/** Options of {@link createNodeGossip}. */
export interface NodeGossipInit {
  readonly host: P2PHost
  /** The peer id the chain registry binds to `address` (an active hospital), if any. */
  readonly registeredPeerOf: (address: string) => Promise<string | undefined>
  /** The round task `taskId` is in according to the chain, when this node follows the task. */
  readonly currentRound: (taskId: string) => number | undefined
  readonly log: DaemonLogger
}

/** Announcements kept for provider lookups; older ones belong to rounds long over. */
const MAX_ANNOUNCEMENTS = 4_096

/**
 * Joins the consortium's gossip as DESIGN's SHARE step has it: each hospital announces the CID of
 * its encrypted update, signed by its chain wallet, and committee members ask the announcer first.
 * A message from a peer the registry does not bind to the signing wallet, or for a round before the
 * task's current one (a replay), is rejected, logged, and lowers the forwarding peer's score. The
 * round may also be the next one: a peer's view of the chain can run a poll ahead of this node's.
 */
export function createNodeGossip(init: NodeGossipInit): NodeGossip {
  const announcements = new Map<string, string>()
  let delivered = 0
  const gossip = createTaskGossip({
    pubsub: init.host.pubsub,
    isRegistered: async (address, peerId) => (await init.registeredPeerOf(address)) === peerId,
    isRoundOpen: (taskId, round) => {
      const current = init.currentRound(taskId)
      return current !== undefined && (Number(round) === current || Number(round) === current + 1)
    },
  })
  gossip.onMessage((message, delivery) => {
    delivered++
    if (message.kind !== 'update-shared') return
    announcements.delete(message.cid)
    announcements.set(message.cid, delivery.publisher)
    if (announcements.size > MAX_ANNOUNCEMENTS) announcements.delete(announcements.keys().next().value as string)
    init.log.debug('update announced', { task: message.task, round: message.round.toString(), sender: message.sender, cid: message.cid })
  })
  gossip.onReject((rejection) => init.log.warn('gossip message rejected', { ...rejection }))
  return {
    gossip,
    announcedBy: (cid) => announcements.get(cid),
    stats: () => ({ delivered, rejected: Object.fromEntries(Object.entries(gossip.rejectionCounts()).filter(([, n]) => n > 0)) }),
  }
}
