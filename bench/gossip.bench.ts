// libp2p delivery latency on 127.0.0.1: 1 MB and 4 MB blobs over a direct stream (the blob
// exchange), the same payloads as raw gossipsub messages to two receivers, and the latency of a
// signed, validated gossip envelope (update-shared). Run: `pnpm -s build && node bench/gossip.bench.ts`.
// Writes bench/results/gossip.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// The crypto, p2p and storage modules are not re-exported from @fedchain/node's root entry yet; import
// their build output (dependencies resolve from packages/node).
import { createEphemeralIdentity } from '../packages/node/dist/crypto/index.js'
import { createP2PHost, createTaskGossip, waitFor } from '../packages/node/dist/p2p/index.js'
import { createBlobExchange, createMemoryBlobStore } from '../packages/node/dist/storage/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const MB = 1_000_000
const RUNS = 15

function stats(samples: number[]): { medianMs: number; p90Ms: number; minMs: number } {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 100) / 100
  return { medianMs: at(0.5), p90Ms: at(0.9), minMs: at(0) }
}

function payload(bytes: number, seed: number): Uint8Array {
  return new Uint8Array(bytes).map((_, i) => (i * 31 + seed) & 0xff)
}

// Raw gossip of 4 MB needs a decode cap above the 1 MiB default (envelopes never need it).
const identities = await Promise.all([0, 1, 2].map(() => createEphemeralIdentity()))
const hosts = []
for (const identity of identities) {
  hosts.push(await createP2PHost({ privateKey: identity.libp2pKey, peers: hosts.map((h) => h.multiaddrs()[0]!), maxMessageBytes: 5 * MB }))
}
const rows: Array<Record<string, string | number>> = []

// 1. Direct stream: host 1 fetches a blob held by host 0.
const store = createMemoryBlobStore()
const server = createBlobExchange({ host: hosts[0]!.libp2p, store })
const client = createBlobExchange({ host: hosts[1]!.libp2p, store: createMemoryBlobStore() })
await server.start()
await client.start()
for (const size of [1 * MB, 4 * MB, 16 * MB]) {
  const samples: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    const cid = await store.put(payload(size, run))
    const start = performance.now()
    const bytes = await client.fetch(hosts[0]!.peerId, cid)
    if (bytes?.length !== size) throw new Error('blob fetch failed')
    if (run > 0) samples.push(performance.now() - start)
  }
  rows.push({ path: 'direct stream (blob exchange, CID verified)', payloadBytes: size, ...stats(samples) })
}

// 2. Raw gossipsub: host 0 publishes, time until both others delivered.
const topic = 'fedchain-bench/raw'
const arrivals = new Map<string, number>()
for (const [i, host] of hosts.entries()) {
  host.pubsub.subscribe(topic)
  if (i > 0) {
    host.pubsub.addEventListener('message', (e) => {
      if (e.detail.topic !== topic) return
      const key = `${e.detail.data.length}:${e.detail.data[0]}`
      arrivals.set(key, (arrivals.get(key) ?? 0) + 1)
    })
  }
}
await waitFor('raw topic subscribers', () => hosts[0]!.pubsub.getSubscribers(topic).length === 2, { timeoutMs: 30_000 })
for (const size of [1 * MB, 4 * MB]) {
  const samples: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    const data = payload(size, run)
    const key = `${size}:${data[0]}`
    arrivals.delete(key)
    const start = performance.now()
    const result = await hosts[0]!.pubsub.publish(topic, data)
    if (result.recipients.length !== 2) throw new Error(`raw gossip reached ${result.recipients.length} peers`)
    await waitFor(`delivery of ${size} B`, () => arrivals.get(key) === 2, { timeoutMs: 30_000, intervalMs: 1 })
    if (run > 0) samples.push(performance.now() - start)
  }
  rows.push({ path: 'gossipsub raw message, both receivers', payloadBytes: size, ...stats(samples) })
}

// 3. Signed update-shared envelope through TaskGossip (wallet signature + validator on receipt).
const wallets = identities.map((id) => id.wallet)
const registry = new Map(wallets.map((w, i) => [w.address, hosts[i]!.peerId.toString()]))
let delivered = 0
const gossips = hosts.map((host) => {
  const g = createTaskGossip({ pubsub: host.pubsub, isRegistered: (a: string, p: string) => registry.get(a) === p, isRoundOpen: () => true })
  g.joinTask('bench')
  g.onMessage(() => delivered++)
  return g
})
await waitFor('task subscribers', () => gossips.every((g) => g.subscribers('bench').length === 2), { timeoutMs: 30_000 })
const cid = await store.put(payload(1000, 1))
const envelopeSamples: number[] = []
let envelopeBytes = 0
for (let run = 0; run <= RUNS * 2; run++) {
  delivered = 0
  const start = performance.now()
  const { message } = await gossips[0]!.publish(
    { v: 1, kind: 'update-shared', task: 'bench', round: BigInt(run + 1), sender: wallets[0]!.address, cid, commitment: '0x' + 'ab'.repeat(32) },
    wallets[0]!,
  )
  envelopeBytes = JSON.stringify({ ...message, round: message.round.toString() }).length
  await waitFor('envelope delivery', () => delivered === 2, { timeoutMs: 30_000, intervalMs: 1 })
  if (run > 0) envelopeSamples.push(performance.now() - start)
}
rows.push({ path: `signed update-shared envelope (${envelopeBytes} B), both receivers`, payloadBytes: envelopeBytes, ...stats(envelopeSamples) })

gossips.forEach((g) => g.close())
await server.stop()
await client.stop()
await Promise.all(hosts.map((h) => h.stop()))

console.log(`\nlibp2p delivery latency on 127.0.0.1 (3 in-process nodes, ${RUNS} runs after 1 warm-up; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`)
console.table(rows)
const result = {
  bench: 'gossip',
  command: 'node bench/gossip.bench.ts',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  runs: RUNS,
  rows,
}
mkdirSync(join(here, 'results'), { recursive: true })
writeFileSync(join(here, 'results', 'gossip.json'), JSON.stringify(result, null, 2) + '\n')
console.log(`wrote ${join('bench', 'results', 'gossip.json')}`)
