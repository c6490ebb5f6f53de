import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet } from 'ethers'
import { createTaskGossip, encodeGossipMessage, topicFor, waitFor, type GossipMessage, type GossipRejection, type P2PHost, type TaskGossip } from '../../src/p2p/index.js'
import { samples, sign, TASK } from './messages-fixture.js'
import { startHosts, stopHosts } from './fixtures.js'

// Network tests wait on conditions (waitFor), never fixed sleeps; the generous timeouts only matter
// on a loaded machine.
describe('gossip between three nodes on 127.0.0.1', { timeout: 40_000 }, () => {
  const wallets = [0, 1, 2].map((i) => new Wallet('0x' + String(i + 1).repeat(64)))
  let hosts: P2PHost[]
  let gossips: TaskGossip[]
  const received: GossipMessage[][] = [[], [], []]
  const rejected: GossipRejection[][] = [[], [], []]

  beforeAll(async () => {
    hosts = await startHosts(3)
    // The on-chain registry: wallet i runs host i.
    const registry = new Map(wallets.map((w, i) => [w.address, hosts[i]!.peerId.toString()]))
    gossips = hosts.map((host, i) => {
      const gossip = createTaskGossip({
        pubsub: host.pubsub,
        isRegistered: (address, peerId) => registry.get(address) === peerId,
        isRoundOpen: (_task, round) => round === 1n,
      })
      gossip.onMessage((m) => received[i]!.push(m))
      gossip.onReject((r) => rejected[i]!.push(r))
      gossip.joinTask(TASK)
      return gossip
    })
    await waitFor('every node to see the other two subscribed', () => gossips.every((g) => g.subscribers(TASK).length === 2), { timeoutMs: 30_000 })
  }, 60_000)

  afterAll(async () => {
    gossips?.forEach((g) => g.close())
    await stopHosts(hosts ?? [])
  })

  it('delivers a signed update announcement to both other nodes', async () => {
    const message = { ...samples(wallets[0], 1n)[0]! }
    const result = await gossips[0]!.publish(message, wallets[0]!)
    expect(result.recipients).toBe(2)
    await waitFor('both peers to receive', () => received[1]!.length === 1 && received[2]!.length === 1, { timeoutMs: 15_000 })
    expect(received[1]![0]).toEqual(sign(message, wallets[0]))
    expect(received[2]![0]).toEqual(result.message)
    expect(received[0]).toEqual([])
  })

  it('drops forged, unregistered, closed-round and oversized messages and lowers the publisher score', async () => {
    const before = received.map((r) => r.length)
    const forger = hosts[0]!
    const forgerId = forger.peerId.toString()
    const topic = topicFor(TASK, 'update-shared')
    // Claims to come from wallet 1 but is signed by wallet 0.
    const forged = encodeGossipMessage({ ...sign({ ...samples(wallets[1], 1n)[0]! }, wallets[0]) })
    // Validly signed by a wallet the registry does not know.
    const outsider = new Wallet('0x' + '9'.repeat(64))
    const unregistered = encodeGossipMessage(sign(samples(outsider, 1n)[0]!, outsider))
    // Signed by wallet 1, published through host 0: registered wallet, wrong peer id.
    const borrowed = encodeGossipMessage(sign(samples(wallets[1], 1n)[0]!, wallets[1]))
    const closed = encodeGossipMessage(sign(samples(wallets[0], 2n)[0]!, wallets[0]))
    const oversized = new Uint8Array(70_000).fill(0x20)
    // Five invalid messages cost 5² × 3 = 75 points: below the gossip threshold, not yet graylisted.
    for (const data of [oversized, forged, unregistered, borrowed, closed]) await forger.pubsub.publish(topic, data)

    await waitFor('both peers to reject five messages', () => rejected[1]!.length >= 5 && rejected[2]!.length >= 5, { timeoutMs: 15_000 })
    for (const i of [1, 2]) {
      expect(rejected[i]!.map((r) => r.reason).sort()).toEqual(['bad-signature', 'oversized', 'round-closed', 'unregistered', 'unregistered'])
      expect(rejected[i]!.every((r) => r.publisher === forgerId)).toBe(true)
      expect(received[i]!.length).toBe(before[i])
      await waitFor('the forger score to fall below the gossip threshold', () => gossips[i]!.peerScore(forgerId) < -10, { timeoutMs: 5_000 })
    }
    expect(gossips[1]!.rejectionCounts()).toMatchObject({ 'bad-signature': 1, unregistered: 2, 'round-closed': 1, oversized: 1 })
  })

  it('still delivers honest messages from the other nodes afterwards', async () => {
    const verdict = samples(wallets[2], 1n)[1]!
    await gossips[2]!.publish(verdict, wallets[2]!)
    await waitFor('node 1 to receive the verdict', () => received[1]!.some((m) => m.kind === 'verdict'), { timeoutMs: 15_000 })
    expect(received[1]!.find((m) => m.kind === 'verdict')).toMatchObject({ kind: 'verdict', sender: wallets[2]!.address, accepted: false })
  })
})
