import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeGossip, type NodeGossip } from '../../src/daemon/node-gossip.js'
import { createLogger } from '../../src/daemon/logger.js'
import { createTaskGossip, waitFor, type P2PHost, type TaskGossip } from '../../src/p2p/index.js'
import { startHosts, stopHosts } from '../p2p/fixtures.js'
import { CID, samples, TASK } from '../p2p/messages-fixture.js'

describe('a node daemon’s gossip', { timeout: 40_000 }, () => {
  const publisherWallet = new Wallet('0x' + '7'.repeat(64))
  let hosts: P2PHost[]
  let publisher: TaskGossip
  let node: NodeGossip
  const warnings: Record<string, unknown>[] = []

  beforeAll(async () => {
    hosts = await startHosts(2)
    const registry = new Map([[publisherWallet.address.toLowerCase(), hosts[0]!.peerId.toString()]])
    publisher = createTaskGossip({ pubsub: hosts[0]!.pubsub, isRegistered: () => true, isRoundOpen: () => true })
    publisher.joinTask(TASK)
    const log = createLogger({ level: 'warn', write: (line) => warnings.push(JSON.parse(line) as Record<string, unknown>) })
    node = createNodeGossip({ host: hosts[1]!, registeredPeerOf: async (address) => registry.get(address.toLowerCase()), currentRound: (task) => (task === TASK ? 5 : undefined), log })
    node.gossip.joinTask(TASK)
    await waitFor('the publisher to see the node subscribed', () => publisher.subscribers(TASK).length === 1, { timeoutMs: 30_000 })
  }, 60_000)

  afterAll(async () => {
    publisher?.close()
    node?.gossip.close()
    await stopHosts(hosts ?? [])
  })

  it('records who announced an update of the current round, to fetch it from them first', async () => {
    expect(node.announcedBy(CID)).toBeUndefined()
    await publisher.publish(samples(publisherWallet, 5n)[0]!, publisherWallet)
    await waitFor('the announcement', () => node.announcedBy(CID) !== undefined, { timeoutMs: 15_000 })
    expect(node.announcedBy(CID)).toBe(hosts[0]!.peerId.toString())
    expect(node.stats()).toEqual({ delivered: 1, rejected: {} })
  })

  it('rejects and logs a message replayed from an earlier round', async () => {
    await publisher.publish(samples(publisherWallet, 4n)[0]!, publisherWallet)
    await waitFor('the rejection', () => (node.stats().rejected['round-closed'] ?? 0) === 1, { timeoutMs: 15_000 })
    expect(warnings.at(-1)).toMatchObject({ level: 'warn', msg: 'gossip message rejected', reason: 'round-closed', publisher: hosts[0]!.peerId.toString() })
    expect(node.stats().delivered).toBe(1)
  })
})
