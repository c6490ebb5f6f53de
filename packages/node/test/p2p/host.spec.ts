import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createP2PHost, createPeerKeeper, createTaskGossip, GossipMessageInvalidError, PeerDialError, waitFor, WaitTimeoutError, type P2PHost } from '../../src/p2p/index.js'
import { startHosts, stopHosts } from './fixtures.js'
import { alice, samples, TASK } from './messages-fixture.js'

describe('createP2PHost', { timeout: 40_000 }, () => {
  const started: P2PHost[] = []
  const start = async (init: Partial<Parameters<typeof createP2PHost>[0]> = {}): Promise<P2PHost> => {
    const host = await createP2PHost({ privateKey: await generateKeyPair('Ed25519'), ...init })
    started.push(host)
    return host
  }
  afterEach(async () => {
    await stopHosts(started.splice(0))
  })

  it('listens on loopback only by default and advertises dialable multiaddrs', async () => {
    const host = await start()
    const addrs = host.multiaddrs()
    expect(addrs.length).toBeGreaterThan(0)
    for (const addr of addrs) expect(addr).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${host.peerId.toString()}$`))
  })

  it('dials the given peers at start and reports the ones that fail without failing', async () => {
    const a = await start()
    const deadPeer = (await generateKeyPair('Ed25519')).publicKey.toString()
    // Port 9 on loopback: nothing listens, the dial is refused at once.
    const b = await start({ peers: [a.multiaddrs()[0]!, `/ip4/127.0.0.1/tcp/9/p2p/${deadPeer}`] })
    expect(b.libp2p.getPeers().map(String)).toEqual([a.peerId.toString()])
    expect(b.dialFailures).toHaveLength(1)
    expect(b.dialFailures[0]).toBeInstanceOf(PeerDialError)
    expect(b.dialFailures[0]!.address).toContain(deadPeer)
    await expect(b.connect('/ip4/127.0.0.1/tcp/9')).rejects.toBeInstanceOf(PeerDialError)
  })

  it('publishes to nobody without throwing when alone, and refuses to publish an invalid message', async () => {
    const host = await start()
    const gossip = createTaskGossip({ pubsub: host.pubsub, isRegistered: () => true, isRoundOpen: () => true })
    gossip.joinTask(TASK)
    expect((await gossip.publish(samples()[0]!, alice)).recipients).toBe(0)
    const verdict = { ...samples()[1]!, reason: 'x'.repeat(300) }
    await expect(gossip.publish(verdict, alice)).rejects.toBeInstanceOf(GossipMessageInvalidError)
    expect(() => gossip.joinTask('bad task id')).toThrow(GossipMessageInvalidError)
    gossip.close()
    expect(host.pubsub.getTopics()).toEqual([])
  })

  it('admits only allowed peers when given an admission check', async () => {
    const stranger = await start()
    const friend = await start()
    const gated = await start({ isAllowedPeer: (peerId) => peerId === friend.peerId.toString() })
    await friend.connect(gated.multiaddrs()[0]!)
    // Outbound: refused before dialing.
    await expect(gated.connect(stranger.multiaddrs()[0]!)).rejects.toBeInstanceOf(PeerDialError)
    // Inbound: the stranger may see its side complete, but the gated host closes the connection
    // right after the handshake.
    await stranger.connect(gated.multiaddrs()[0]!).catch(() => undefined)
    const strangerId = stranger.peerId.toString()
    await waitFor('the stranger to be disconnected', () => !stranger.libp2p.getPeers().some((p) => p.equals(gated.peerId)) && !gated.libp2p.getPeers().some((p) => p.toString() === strangerId))
    expect(gated.libp2p.getPeers().map(String)).toEqual([friend.peerId.toString()])
  })
})

describe('waitFor', () => {
  it('resolves once the condition holds and times out with a typed error otherwise', async () => {
    let calls = 0
    await waitFor('three calls', () => ++calls >= 3, { intervalMs: 1 })
    expect(calls).toBe(3)
    await expect(waitFor('never', () => false, { timeoutMs: 30, intervalMs: 5 })).rejects.toBeInstanceOf(WaitTimeoutError)
  })
})

describe('createPeerKeeper', { timeout: 40_000 }, () => {
  it('connects listed peers, skips itself and bad addresses, and reconnects after a hang-up', async () => {
    const hosts = await startHosts(2)
    const [a, b] = hosts as [P2PHost, P2PHost]
    try {
      // b dialed a at start; hang up so the keeper has work to do.
      await b.libp2p.hangUp(a.peerId)
      await waitFor('the hang-up', () => a.libp2p.getPeers().length === 0)
      const keeper = createPeerKeeper({ host: a, addresses: () => [b.multiaddrs()[0]!, a.multiaddrs()[0]!, 'not a multiaddr', '/ip4/127.0.0.1/tcp/9'], intervalMs: 50 })
      await keeper.tick()
      expect(a.libp2p.getPeers().map(String)).toEqual([b.peerId.toString()])
      expect([...keeper.failures().keys()]).toEqual(['not a multiaddr'])
      keeper.start()
      await a.libp2p.hangUp(b.peerId)
      await waitFor('the keeper to reconnect', () => a.libp2p.getPeers().some((p) => p.equals(b.peerId)))
      keeper.stop()
    } finally {
      await stopHosts(hosts)
    }
  })
})
