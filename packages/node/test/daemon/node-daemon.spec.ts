import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectAggregator } from '@fedchain/aggregator-contract'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Wallet, type Log } from 'ethers'
import { initNode } from '../../src/config/index.js'
import { decryptUpdate, generateX25519KeyPair } from '../../src/crypto/index.js'
import { createLogger, createTask, launchRound, startDevChain, startNodeDaemon, type DevChain, type NodeDaemon } from '../../src/daemon/index.js'
import { connectRpc } from '../../src/chain/provider.js'
import { parseDatasetSchema } from '../../src/learning/index.js'
import { createP2PHost } from '../../src/p2p/index.js'
import { RoundStateStore } from '../../src/round/index.js'
import { blobStorePath, createFsBlobStore } from '../../src/storage/index.js'
import { fileExists } from '../../src/crypto/key-file-io.js'
import { startKuboRpcServer, type KuboRpcServer } from '../storage/kubo-rpc-server.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)
const HOSPITALS = 3

/** Splits the example CSV round-robin per label, as examples/cluster/split-csv.mjs does. */
async function splitExample(dir: string): Promise<string[]> {
  const [header, ...rows] = (await readFile(new URL('data/wdbc.csv', EXAMPLE), 'utf8')).split('\n').filter((l) => l.trim() !== '')
  const labelIndex = (header as string).split(',').indexOf('malignant')
  const parts: string[][] = Array.from({ length: HOSPITALS }, () => [])
  const seen = new Map<string, number>()
  for (const row of rows) {
    const label = row.split(',')[labelIndex] as string
    const k = seen.get(label) ?? 0
    seen.set(label, k + 1)
    parts[k % HOSPITALS]?.push(row)
  }
  return Promise.all(
    parts.map(async (part, i) => {
      const path = join(dir, `hospital-${i + 1}.csv`)
      await writeFile(path, `${header}\n${part.join('\n')}\n`)
      return path
    }),
  )
}

function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  return (async () => {
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
}

describe('node daemon (3 nodes, JSON-RPC dev chain; node 3 keeps its blobs in Kubo)', () => {
  let dir: string
  let chain: DevChain
  // Node 3 was initialized with --ipfs-api: an in-process stand-in of the Kubo RPC API (no Kubo
  // binary can be installed here; see kubo-rpc-server.ts).
  let kubo: KuboRpcServer
  const nodes: NodeDaemon[] = []
  const dataDirs: string[] = []
  const log = createLogger({ level: 'error' })
  let funderKey: string

  const start = (i: number, logger = log) =>
    startNodeDaemon({ dataDir: dataDirs[i] as string, password: 'pw', taskId: 1n, funderKey, pollMs: 150, log: logger })

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-daemon-'))
    kubo = await startKuboRpcServer()
    chain = await startDevChain({ port: 0, accounts: 2, admitPollMs: 100 })
    funderKey = chain.file.devAccounts?.accounts[0]?.privateKey as string
    const csvs = await splitExample(dir)
    for (const [i, csv] of csvs.entries()) {
      const dataDir = join(dir, `h${i + 1}`)
      dataDirs.push(dataDir)
      await initNode({ dataDir, data: csv, schema: new URL('schema.json', EXAMPLE).pathname, rpc: chain.file.rpc, contract: chain.file.aggregator, password: 'pw', scryptN: 1024, name: `h${i + 1}`, ...(i === 2 ? { ipfsApi: kubo.url } : {}) })
    }
    nodes.push(...(await Promise.all(dataDirs.map((_, i) => start(i)))))
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled(nodes.map((n) => n.stop()))
    await chain?.stop()
    await kubo?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('joins, trains, commits, shares, verifies and finalizes rounds; nodes stopped after committing or sharing resume without sending anything twice', async () => {
    // Nodes dialed each other from the multiaddrs registered on chain.
    await waitUntil(async () => nodes.every((n) => n.status().peers === HOSPITALS - 1), 20_000, 'peers to connect')
    // A libp2p peer that is not a registered hospital cannot connect.
    const stranger = await createP2PHost({ privateKey: await generateKeyPair('Ed25519') })
    await stranger.connect(nodes[0]?.multiaddrs[0] as string).catch(() => undefined)
    // Refused at once, or closed by the node's gater right after the handshake.
    await waitUntil(async () => stranger.libp2p.getConnections().length === 0, 5_000, 'the stranger to be disconnected')
    await stranger.stop()
    const provider = await connectRpc({ url: chain.file.rpc })
    const owner = new Wallet(funderKey, provider)
    const store = await createFsBlobStore({ path: blobStorePath(dataDirs[0] as string) })
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    const auditor = generateX25519KeyPair()
    const task = await createTask({
      signer: owner,
      aggregator: chain.file.aggregator,
      model: { kind: 'logistic-regression', inputs: schema.features.length, classes: 2 },
      schema,
      rounds: 3,
      store,
      seed: 1,
      auditorKey: `0x${Buffer.from(auditor.publicKey).toString('hex')}`,
      timing: { commitDuration: 30, shareDuration: 30, verifyDuration: 30 },
    })
    expect(task.taskId).toBe(1n)

    // Round 1 runs without help.
    const first = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: 1n, wait: true, pollMs: 100 })
    expect(first.outcome).toBe('finalized')

    // Round 2: stop node 2 right after its commitment is recorded, then start a new daemon on its data dir.
    const second = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: 1n })
    const victimState = new RoundStateStore(dataDirs[1] as string, '1')
    await waitUntil(async () => (await victimState.load())?.commit?.txHash !== undefined && (await victimState.load())?.round === second.round, 20_000, 'node 2 to commit')
    const victim = nodes[1] as NodeDaemon
    await victim.stop()
    nodes[1] = await start(1)
    const aggregator = connectAggregator(chain.file.aggregator, provider)
    const finalizedRound = async (round: number) => (await aggregator.queryFilter(aggregator.filters['RoundFinalized']?.(1n, round) ?? '*')).length === 1
    await waitUntil(() => finalizedRound(second.round), 40_000, 'round 2 to finalize')

    // Round 3: stop node 3 once it shared (it may or may not have submitted its verdict yet).
    const third = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: 1n })
    const thirdState = new RoundStateStore(dataDirs[2] as string, '1')
    await waitUntil(async () => {
      const state = await thirdState.load()
      return state?.round === third.round && state.sharedCid !== undefined
    }, 20_000, 'node 3 to share')
    const sharer = nodes[2] as NodeDaemon
    await sharer.stop()
    const lines: string[] = []
    nodes[2] = await start(2, createLogger({ level: 'info', write: (line) => lines.push(line) }))
    await waitUntil(async () => {
      const s = (await aggregator.getFunction('taskSchedule')(1n)) as { status: bigint }
      return Number(s.status) === 3 // Completed
    }, 40_000, 'the task to complete')
    await waitUntil(async () => (await thirdState.load())?.phase === 'finalized', 10_000, 'node 3 to conclude round 3')
    // The restarted node re-sent nothing the chain already had: no step of it failed (a repeated
    // share or verdict would revert with AggregatorAlreadyShared/AlreadySubmitted and log an error).
    expect(lines.filter((line) => (JSON.parse(line) as { level: string }).level === 'error')).toEqual([])

    const commits = await aggregator.queryFilter(aggregator.filters['UpdateCommitted']?.(1n, second.round, victim.address) ?? '*')
    expect(commits).toHaveLength(1)
    const finalized = await aggregator.queryFilter(aggregator.filters['RoundFinalized']?.(1n) ?? '*')
    expect(finalized).toHaveLength(3)
    // The restarted node concludes the round it committed to before the kill.
    await waitUntil(async () => (await victimState.load())?.phase === 'finalized', 10_000, 'node 2 to conclude round 2')

    // The status endpoint serves the rounds as JSON and as the HTML page.
    await waitUntil(async () => (nodes[0]?.status().summary.rounds.length ?? 0) >= 3, 10_000, 'node 1 to record the rounds')
    const json = (await (await fetch(`${nodes[0]?.statusUrl}/status.json`)).json()) as { summary: { rounds: { round: number; status: string; accuracy: number }[] } }
    expect(json.summary.rounds.map((r) => r.status)).toEqual(['finalized', 'finalized', 'finalized'])
    // Every share was also announced over gossip, and nothing was rejected.
    const gossip = nodes[0]?.status().gossip
    expect(gossip?.delivered).toBeGreaterThanOrEqual(2 * 3 - 1)
    expect(gossip?.rejected).toEqual({})
    expect(json.summary.rounds[2]?.accuracy).toBeGreaterThan(0.8)
    const html = await (await fetch(nodes[0]?.statusUrl as string)).text()
    expect(html).toContain('<html')
    // The task's auditor can open every shared update (here node 1's, from node 1's blob store).
    const shared = await aggregator.queryFilter(aggregator.filters['UpdateShared']?.(1n, first.round, nodes[0]?.address) ?? '*')
    const cid = (aggregator.interface.parseLog(shared[0] as Log)?.args.getValue('updateCid')) as string
    const update = decryptUpdate({ envelope: await store.get(cid), recipient: auditor, expected: { taskId: '1', round: BigInt(first.round), sender: nodes[0]?.address as string } })
    expect(update.length).toBeGreaterThan(0)
    // Node 3 kept its own share, and what it fetched from its peers to train (the task manifest,
    // the initial model: only node 1 stored them), in Kubo; its data dir has no blob store.
    expect(nodes[2]?.status().blobs).toBe(`Kubo ${kubo.url}`)
    expect(nodes[0]?.status().blobs).toBe(`filesystem ${blobStorePath(dataDirs[0] as string)}`)
    // The task names no validation set or statistics: each node scales with its own.
    expect(nodes[0]?.status().scaling).toBe('local')
    const thirdShare = (await thirdState.load())?.sharedCid as string
    expect(kubo.blocks.has(thirdShare)).toBe(true)
    expect(kubo.blocks.has(task.manifestCid)).toBe(true)
    expect(kubo.blocks.has(task.modelCid)).toBe(true)
    expect(await fileExists(blobStorePath(dataDirs[2] as string))).toBe(false)
    await store.close?.()
    provider.destroy()
  }, 90_000)
})
