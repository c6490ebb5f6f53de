// Cost of coordination: the full protocol (embedded chain + libp2p + blob stores + committee) against
// the in-memory coordinator on the same seed, per phase; round latency as the consortium grows; and
// the blob path (encrypt → store → peer fetch → decrypt) as the update grows.
// Run: node bench/protocol.bench.ts [ratio] [nodes] [size] [processes]   (after `pnpm -s build`)
// Writes bench/results/protocol.json and bench/results/protocol-nodes.svg.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crypto, p2p, renderLineChart, seriesColor, simulate, storage } from '@fedchain/node'

const here = dirname(fileURLToPath(import.meta.url))
const resultsPath = join(here, 'results', 'protocol.json')
const wanted = process.argv.slice(2)
const runs = (name: string) => wanted.length === 0 || wanted.includes(name)
const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {}
const results: Record<string, unknown> = { ...previous, machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, date: new Date().toISOString() }

type Summary = Awaited<ReturnType<typeof simulate.runSimulation>>
type Phases = Record<string, number>

/** Sum of each phase over the rounds, and the rounds' total (setup excluded). */
function phases(summary: Summary): { perRoundMs: number; phases: Phases } {
  const total: Phases = {}
  for (const round of summary.rounds) for (const [k, v] of Object.entries(round.ms)) total[k] = (total[k] ?? 0) + v
  const sum = Object.values(total).reduce((a, b) => a + b, 0)
  const perRound = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, Math.round(v / summary.rounds.length)]))
  return { perRoundMs: Math.round(sum / summary.rounds.length), phases: perRound }
}

async function timed(options: Parameters<typeof simulate.runSimulation>[0]['options'], protocol: boolean) {
  const started = performance.now()
  const summary = await simulate.runSimulation({ options, ...(protocol ? { coordinator: simulate.protocolCoordinator() } : {}) })
  return { wallMs: Math.round(performance.now() - started), summary }
}

if (runs('ratio')) {
  // The setting: digits, 10 hospitals, 2 local epochs, measured side by side.
  const options = { source: { example: 'digits' as const }, nodes: 10, rounds: 5, localEpochs: 2, seed: 1, partition: { kind: 'dirichlet' as const, alpha: 0.3 } }
  const memory = await timed(options, false)
  const protocol = await timed(options, true)
  const m = phases(memory.summary)
  const p = phases(protocol.summary)
  const ratio = {
    setting: 'digits, 10 hospitals, Dirichlet(0.3), 2 local epochs, 5 rounds, MLP',
    memory: { wallMs: memory.wallMs, perRoundMs: m.perRoundMs, phases: m.phases, accuracy: memory.summary.final.accuracy },
    protocol: { wallMs: protocol.wallMs, perRoundMs: p.perRoundMs, phases: p.phases, accuracy: protocol.summary.final.accuracy, gasPerParticipantRound: protocol.summary.gas.perParticipantRound },
    wallRatio: +(protocol.wallMs / memory.wallMs).toFixed(2),
    perRoundRatio: +(p.perRoundMs / m.perRoundMs).toFixed(2),
    sameModel: memory.summary.final.modelSha256 === protocol.summary.final.modelSha256,
  }
  results['ratio'] = ratio
  console.table({ memory: { wallMs: memory.wallMs, perRoundMs: m.perRoundMs, ...m.phases }, protocol: { wallMs: protocol.wallMs, perRoundMs: p.perRoundMs, ...p.phases } })
  console.log(`protocol / memory: wall ${ratio.wallRatio}×, per round ${ratio.perRoundRatio}×; same model: ${ratio.sameModel}`)
}

if (runs('nodes')) {
  const rows: { nodes: number; memoryPerRoundMs: number; protocolPerRoundMs: number; setupMs: number; phases: Phases; finalized: number }[] = []
  for (const nodes of [5, 10, 20, 40, 64]) {
    const options = { source: { example: 'digits' as const }, nodes, rounds: 2, seed: 1, partition: { kind: 'iid' as const } }
    const memory = await timed(options, false)
    const protocol = await timed(options, true)
    const p = phases(protocol.summary)
    const row = {
      nodes,
      memoryPerRoundMs: phases(memory.summary).perRoundMs,
      protocolPerRoundMs: p.perRoundMs,
      setupMs: Math.round(protocol.wallMs - p.perRoundMs * protocol.summary.rounds.length - protocol.summary.timing.baselineMs),
      phases: p.phases,
      finalized: protocol.summary.rounds.filter((r) => r.finalizeTx !== null).length,
    }
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  results['nodes'] = { setting: 'digits, IID, MLP, 2 rounds, committee ≤ 7', rows }
  const svg = renderLineChart({
    id: 'round-latency-vs-nodes',
    title: 'Round latency against consortium size',
    xLabel: 'hospitals',
    yLabel: 'ms per round',
    series: [
      { id: 'protocol', label: 'full protocol', color: seriesColor(0), points: rows.map((r) => ({ x: r.nodes, y: r.protocolPerRoundMs })) },
      { id: 'memory', label: 'memory coordinator', color: seriesColor(1), points: rows.map((r) => ({ x: r.nodes, y: r.memoryPerRoundMs })) },
    ],
  })
  writeFileSync(join(here, 'results', 'protocol-nodes.svg'), svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" '))
}

if (runs('size')) {
  // Blob path of one update between two nodes on 127.0.0.1, encrypted to a committee of 7 + auditor.
  const hostA = await p2p.createP2PHost({ privateKey: (await crypto.createEphemeralIdentity()).libp2pKey })
  const hostB = await p2p.createP2PHost({ privateKey: (await crypto.createEphemeralIdentity()).libp2pKey })
  const storeA = storage.createMemoryBlobStore()
  const exchangeA = storage.createBlobExchange({ host: hostA.libp2p, store: storeA })
  const exchangeB = storage.createBlobExchange({ host: hostB.libp2p, store: storage.createMemoryBlobStore() })
  await exchangeA.start()
  await exchangeB.start()
  await hostB.connect(hostA.multiaddrs()[0] as string)
  const committee = Array.from({ length: 8 }, () => crypto.generateX25519KeyPair())
  const recipients = committee.map((k) => k.publicKey)
  const rows: Record<string, number>[] = []
  for (const params of [10_000, 100_000, 1_000_000]) {
    const update = new Float32Array(params).map((_, i) => Math.sin(i))
    const context = { taskId: '1', round: 1n, sender: '0x0000000000000000000000000000000000000001' }
    const samples: Record<string, number[]> = { encryptMs: [], putMs: [], fetchMs: [], decryptMs: [] }
    for (let trial = 0; trial < 5; trial++) {
      let t = performance.now()
      const envelope = crypto.encryptUpdate({ payload: update, recipients, context })
      samples['encryptMs']?.push(performance.now() - t)
      t = performance.now()
      const cid = await storeA.put(envelope)
      samples['putMs']?.push(performance.now() - t)
      t = performance.now()
      const fetched = await exchangeB.fetch(hostA.peerId, cid)
      samples['fetchMs']?.push(performance.now() - t)
      t = performance.now()
      crypto.decryptUpdate({ envelope: fetched as Uint8Array, recipient: committee[0] as crypto.X25519KeyPair, expected: context })
      samples['decryptMs']?.push(performance.now() - t)
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
    const row = { params, bytes: params * 4, ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, +median(v).toFixed(2)])) }
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  await Promise.all([exchangeA.stop(), exchangeB.stop()])
  await Promise.all([hostA.stop(), hostB.stop()])
  results['size'] = { setting: 'one update, 8 recipients, two libp2p nodes on 127.0.0.1, median of 5', rows }
}

if (runs('processes')) {
  // One OS process per hospital (`simulate --processes`): the daemons poll the chain every pollMs
  // at the latest and wake on each new block; round 1 also creates the task, so it is left out.
  const rows: { pollMs: number; perRoundMs: number; phases: Phases }[] = []
  for (const pollMs of [250, 1_000]) {
    const outDir = mkdtempSync(join(tmpdir(), 'fedchain-bench-processes-'))
    try {
      const coordinator = simulate.processCoordinator({ outDir, pollMs })
      const summary = await simulate.runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 4, rounds: 4, seed: 1 }, coordinator })
      const p = phases({ ...summary, rounds: summary.rounds.slice(1) })
      rows.push({ pollMs, perRoundMs: p.perRoundMs, phases: p.phases })
      console.log(JSON.stringify(rows.at(-1)))
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  }
  results['processes'] = { setting: 'breast cancer, 4 hospital processes + chain process, 4 rounds, mean of rounds 2-4', rows }
}

mkdirSync(dirname(resultsPath), { recursive: true })
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
console.log(`wrote ${resultsPath}`)
