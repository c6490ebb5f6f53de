import { generateKeyPair } from '@libp2p/crypto/keys'
import { createP2PHost, type P2PHost, type P2PHostInit } from '../../src/p2p/index.js'

/** Starts `count` hosts on 127.0.0.1 with fresh keys; each later host dials all earlier ones. */
export async function startHosts(count: number, init: Partial<P2PHostInit> = {}): Promise<P2PHost[]> {
  const hosts: P2PHost[] = []
  for (let i = 0; i < count; i++) {
    hosts.push(await createP2PHost({ privateKey: await generateKeyPair('Ed25519'), peers: hosts.map((h) => h.multiaddrs()[0]!), ...init }))
  }
  return hosts
}

/** Stops hosts, ignoring those already stopped. */
export async function stopHosts(hosts: readonly P2PHost[]): Promise<void> {
  await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)))
}
