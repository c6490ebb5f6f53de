import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { findRoundOutcome } from '@fedchain/aggregator-contract'
import { Wallet, type JsonRpcProvider } from 'ethers'
import { readChainFile, type ChainFile } from '../config/chain-file.js'
import { connectRpc } from '../chain/provider.js'
import { generateX25519KeyPair, type X25519KeyPair } from '../crypto/index.js'
import { createTask, launchRound } from '../daemon/task-admin.js'
import { concatDatasets } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'
import { LearningError } from '../learning/errors.js'
import { deserializeParams } from '../learning/model/serialize.js'
import { createAggregatorClient, type AggregatorClient } from '../protocol/aggregator-client.js'
import { sha256Hex } from '../protocol/participant.js'
import { RoundStateStore } from '../round/state-store.js'
import { blobStorePath, createFsBlobStore } from '../storage/index.js'
import { createSupervisor, isRunning, readLog, type Child } from './child-processes.js'
import { phasesFromDaemonLogs } from './daemon-phases.js'
import { watchBlocks, type BlockWakeup } from '../daemon/block-wakeup.js'
import { csvOf, schemaOf } from './cluster-csv.js'
import type { NodeKill, RoundContext, RoundOutcome, SimulationCoordinator } from './coordinator.js'
import type { SimulatedHospital } from './hospital.js'
import { ProcessCoordinatorError } from './process-errors.js'
import { RUN_FILES, writeAuditorKey, writeChainRecord } from './run-record.js'
import type { PhaseTimings, RoundFault } from './summary.js'

export { ProcessCoordinatorError, type ProcessCoordinatorErrorCode } from './process-errors.js'

/** Options of {@link processCoordinator}. */
export interface ProcessCoordinatorInit {
  /**
   * The run directory: `chain.json`, `schema.json`, `data/<hospital>.csv`, `nodes/<hospital>` (each
   * node's data dir, its blob store in `blobs`) and `logs/<process>.log` go there, and at stop the
   * chain's record (`chain/record.json`) and the auditor key (`auditor.key`) for `fedchain audit`.
   * Node data dirs, the chain file, the chain record and the auditor key of a previous run in the
   * same directory are removed first.
   */
  readonly outDir: string
  /** The fedchain CLI entry point the children run. @default this package's `dist/cli/main.js` */
  readonly cli?: string
  /** Commit, share and verify phase length, seconds. @default 20 */
  readonly phaseSeconds?: number
  /** Local training recipe written to the task manifest (the daemons train with it). */
  readonly training?: { readonly epochs?: number; readonly batchSize?: number; readonly learningRate?: number }
  /**
   * Record-level DP budget for the whole task, written on chain: the daemons train with DP-SGD and
   * report their ε spent in their shares, which the outcome's `epsilon` lists. @default no DP
   */
  readonly dp?: { readonly epsilon: number; readonly delta: number }
  /** Committee size. @default 7 */
  readonly committeeSize?: number
  /** How long a child may take to start (chain ready, node admitted), ms. @default 60 000 */
  readonly startTimeoutMs?: number
  /** How long `stop` waits after SIGTERM before SIGKILL, ms. @default 5 000 */
  readonly killTimeoutMs?: number
  /** How often the chain is polled for the round's outcome, ms. @default 250 */
  readonly pollMs?: number
  /**
   * Nodes to kill mid-round, as a crash would: once the node's round state records its commitment
   * in `round`, its daemon gets SIGKILL. With `down: false` a new daemon starts at once on the
   * same data dir and resumes the round from its persisted state; with `down: true` it starts
   * again only after the round finalized without it or was aborted. `node` is a hospital id or its
   * 0-based position.
   */
  readonly kills?: readonly NodeKill[]
}

/** A child process of the coordinator, for tests and diagnostics. */
export interface CoordinatorChild {
  readonly name: string
  readonly pid: number | undefined
  /** Whether the process has exited. */
  readonly exited: boolean
}

const DEFAULT_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

interface NodeInfo {
  readonly id: string
  readonly dir: string
  readonly address: string
  index: number
  /** The node's current daemon (a new one after each restart). */
  daemon: Child
}

interface Cluster {
  readonly blocks: BlockWakeup
  readonly chainFile: ChainFile
  readonly provider: JsonRpcProvider
  readonly owner: Wallet
  readonly client: AggregatorClient
  readonly nodes: NodeInfo[]
  readonly schema: DatasetSchema
  /** The task's auditor: every daemon also encrypts its update to it, so `fedchain audit` can open them. */
  readonly auditor: X25519KeyPair
  /** Rewards credited so far per hospital id. */
  readonly credited: Map<string, bigint>
  /** The pooled validation split as CSV (`data/validation.csv`): the task's validation set. */
  readonly validationCsv: string
  taskId: bigint | undefined
}

/** How many times a daemon's log says it became an active hospital (once per start). */
const countActive = (log: string) => log.split('"active hospital"').length - 1

/**
 * `fedchain simulate --processes`: the consortium as separate OS processes on 127.0.0.1, the way
 * `examples/cluster/run.sh` runs one: a `fedchain chain start` child, and per hospital `fedchain
 * node init` then a `fedchain node start` daemon child with its own data dir, keys, libp2p host and
 * blob store. The coordinator is the task owner: it creates the task and launches each round
 * in-process against the chain's JSON-RPC, waits for the chain to record the round finalized or
 * aborted, and reads the finalized model from a node's blob store, checked against the chain's
 * sha256.
 *
 * Each hospital's CSV holds its training rows as the simulation standardized them, and the task
 * tells the daemons to take them as they are (an identity scaling in the manifest); its validation
 * set is the simulation's pooled validation split, which the in-process committee scores on too.
 * Differences from the in-process coordinators, by construction: the initial parameters are the
 * task's (seeded by `fedchain task create`'s code with seed 1), not the simulation's; the daemons
 * train with their own seeds and with plain SGD at the manifest's learning rate (adaptive clipping
 * and Adam are the simulation's, not the daemon's); DP is the task's on-chain budget (`dp`). Of the
 * attacks only label flipping reaches the daemons (it poisons the rows written to the CSV); update
 * corruption happens inside the simulation's hospitals, which do not run here. The accuracy therefore
 * differs from the memory coordinator on the same seed; the coordination is the real multi-process
 * one. The daemons aggregate with FedAvg only, so `--strategy` must be `fedavg`.
 *
 * The run is auditable like an in-process protocol run: the task names an auditor whose X25519
 * key the coordinator generates (every daemon also encrypts its update to it), and at stop, before
 * the chain child is stopped, the chain's aggregator logs and transactions are read over JSON-RPC
 * into `chain/record.json` and the auditor's private key is written to `auditor.key`; with the
 * nodes' blob stores (`nodes/<hospital>/blobs`) and `summary.json`, `fedchain audit --run <out>`
 * recomputes every aggregate. The record says the daemons aggregated under their lower-case
 * addresses (`aggregationIds: 'address'`), so the audit orders updates as they did.
 * A round's phases run in the daemons: the outcome's `ms` comes from their logs (`phasesFromDaemonLogs`).
 */
export function processCoordinator(init: ProcessCoordinatorInit): SimulationCoordinator & { readonly children: () => readonly CoordinatorChild[] } {
  const cli = init.cli ?? DEFAULT_CLI
  const phaseSeconds = init.phaseSeconds ?? 20
  const startTimeoutMs = init.startTimeoutMs ?? 60_000
  const killTimeoutMs = init.killTimeoutMs ?? 5_000
  const pollMs = init.pollMs ?? 250
  const kills = init.kills ?? []
  const logs = join(init.outDir, 'logs')
  const env = {
    ...process.env,
    // Development-only secrets of this run: a fresh key password, cheap scrypt for the node keys.
    FEDCHAIN_KEY_PASSWORD: randomBytes(16).toString('hex'),
    FEDCHAIN_SCRYPT_N: '1024',
  }
  let cluster: Cluster | undefined
  const supervisor = createSupervisor({ cli, env, logs, startTimeoutMs, killTimeoutMs })
  const { spawnChild, runToEnd, waitFor, terminate, requireAlive } = supervisor

  // The funder (the chain's account 0) sends every node gas and its stake, as in the cluster example.
  let funderKey = ''
  function startDaemon(id: string, dir: string): Child {
    return spawnChild(id, ['node', 'start', '--data-dir', dir, '--task', '1', '--fund-from-env', 'FEDCHAIN_FUNDER_KEY', '--poll-ms', String(pollMs)], { FEDCHAIN_FUNDER_KEY: funderKey })
  }

  /** Waits until the daemon logged its `n+1`-th "active hospital" line (a restarted one appends to the same log). */
  async function waitUntilActive(child: Child, earlierStarts: number): Promise<void> {
    await waitFor(child, `${child.name} to be an active hospital`, async () => countActive(await readLog(child)) > earlierStarts)
  }

  async function setUp(hospitals: readonly SimulatedHospital[]): Promise<Cluster> {
    const first = hospitals[0]
    if (first === undefined) throw new RangeError('the process coordinator needs at least one hospital')
    await Promise.all([RUN_FILES.nodes, RUN_FILES.chainRecord, RUN_FILES.auditorKey, 'logs', 'data', 'chain.json'].map((f) => rm(join(init.outDir, f), { recursive: true, force: true })))
    await mkdir(logs, { recursive: true })
    await mkdir(join(init.outDir, 'data'), { recursive: true })
    const schema = schemaOf(first.train)
    const schemaPath = join(init.outDir, 'schema.json')
    await writeFile(schemaPath, `${JSON.stringify(schema, null, 2)}\n`)
    // The in-process coordinator's committee scores updates on the pooled validation split; here
    // the task names the same rows as its validation set, so the daemons' committee does too.
    const validationCsv = join(init.outDir, 'data', 'validation.csv')
    await writeFile(validationCsv, csvOf(concatDatasets(hospitals.map((h) => h.validation)), schema))

    const chainPath = join(init.outDir, 'chain.json')
    const chain = spawnChild('chain', ['chain', 'start', '--port', '0', '--accounts', '4', '--out', chainPath])
    await waitFor(chain, 'the chain', async () => (await readFile(chainPath, 'utf8').catch(() => '')).length > 0)
    const chainFile = await readChainFile(chainPath)
    const ownerKey = chainFile.devAccounts?.accounts[0]?.privateKey
    if (ownerKey === undefined) throw new ProcessCoordinatorError('PROCESS_START_FAILED', `${chainPath} holds no development accounts`, 'the chain must be `fedchain chain start`')
    const provider = await connectRpc({ url: chainFile.rpc })
    const owner = new Wallet(ownerKey, provider)

    funderKey = ownerKey
    const nodes: NodeInfo[] = []
    for (const hospital of hospitals) {
      const csv = join(init.outDir, 'data', `${hospital.id}.csv`)
      await writeFile(csv, csvOf(hospital.train, schema))
      const dir = join(init.outDir, 'nodes', hospital.id)
      const result = await runToEnd(`${hospital.id}.init`, ['node', 'init', '--data-dir', dir, '--data', csv, '--schema', schemaPath, '--chain', chainPath, '--name', hospital.id, '--json'])
      nodes.push({ id: hospital.id, dir, address: String(result['address']), index: -1, daemon: startDaemon(hospital.id, dir) })
    }
    await Promise.all(nodes.map((node) => waitUntilActive(node.daemon, 0)))
    const client = await createAggregatorClient({ address: chainFile.aggregator, signer: owner })
    for (const node of nodes) node.index = (await client.hospital(node.address)).index
    // The outcome lands in a block: waiting for the round wakes on each one, like the daemons.
    const blocks = await watchBlocks(provider)
    return { chainFile, provider, blocks, owner, client, nodes, schema, auditor: generateX25519KeyPair(), credited: new Map(), validationCsv, taskId: undefined }
  }

  async function createClusterTask(c: Cluster, context: RoundContext): Promise<bigint> {
    const home = c.nodes[0] as NodeInfo
    // The first hospital serves the initial model and the manifest; the others fetch them over libp2p.
    const store = await createFsBlobStore({ path: blobStorePath(home.dir) })
    try {
      const created = await createTask({
        signer: c.owner,
        aggregator: c.chainFile.aggregator,
        model: context.network.spec,
        schema: c.schema,
        rounds: context.rounds,
        store,
        committeeSize: init.committeeSize ?? 7,
        ...(init.dp === undefined ? {} : { dp: init.dp }),
        timing: { commitDuration: phaseSeconds, shareDuration: phaseSeconds, verifyDuration: phaseSeconds },
        training: {
          ...(init.training?.epochs === undefined ? {} : { epochs: init.training.epochs }),
          ...(init.training?.batchSize === undefined ? {} : { batchSize: init.training.batchSize }),
          ...(init.training?.learningRate === undefined ? {} : { learningRate: init.training.learningRate }),
        },
        auditorKey: `0x${Buffer.from(c.auditor.publicKey).toString('hex')}`,
        validation: { csv: await readFile(c.validationCsv), source: c.validationCsv },
        // The CSVs hold rows the simulation already standardized: the daemons take them as they
        // are, the scaling the in-process coordinators train with, instead of refitting per node.
        standardization: { mean: c.schema.features.map(() => 0), std: c.schema.features.map(() => 1) },
        seed: 1,
      })
      return created.taskId
    } finally {
      await store.close?.()
    }
  }

  /** The finalized model's bytes from any node's blob store, checked against the chain's sha256. */
  async function fetchModel(c: Cluster, cid: string, sha256: string, round: number): Promise<Uint8Array> {
    for (const node of c.nodes) {
      const store = await createFsBlobStore({ path: blobStorePath(node.dir) })
      try {
        const bytes = await store.get(cid).catch(() => undefined)
        if (bytes !== undefined && sha256Hex(bytes) === sha256.toLowerCase()) return bytes
      } finally {
        await store.close?.()
      }
    }
    throw new ProcessCoordinatorError('ROUND_MODEL_UNAVAILABLE', `round ${round}: no node holds model ${cid} with the chain's sha256 ${sha256}`, 'see the committee nodes’ logs under <out>/logs')
  }

  /** Gas of every aggregator transaction mined from `fromBlock` to `toBlock`. */
  async function gasBetween(c: Cluster, fromBlock: number, toBlock: number): Promise<number> {
    let gas = 0n
    const aggregator = c.chainFile.aggregator.toLowerCase()
    for (let n = fromBlock; n <= toBlock; n++) {
      const block = await c.provider.getBlock(n)
      for (const hash of block?.transactions ?? []) {
        const receipt = await c.provider.getTransactionReceipt(hash)
        if (receipt !== null && receipt.to?.toLowerCase() === aggregator) gas += receipt.gasUsed
      }
    }
    return Number(gas)
  }

  async function readStanding(c: Cluster): Promise<{ reputation: Record<string, number>; rewards: Record<string, string> }> {
    const reputation: Record<string, number> = {}
    const rewards: Record<string, string> = {}
    for (const node of c.nodes) {
      const [score, credited] = await Promise.all([c.client.reputationScore(node.index), c.client.claimable(node.address)])
      reputation[node.id] = Number(score) / 1e18
      rewards[node.id] = (credited - (c.credited.get(node.id) ?? 0n)).toString()
      c.credited.set(node.id, credited)
    }
    return { reputation, rewards }
  }

  /** The node a `kills` entry names. */
  function nodeOfKill(c: Cluster, kill: NodeKill): NodeInfo {
    const node = typeof kill.node === 'number' ? c.nodes[kill.node] : c.nodes.find((n) => n.id === kill.node)
    if (node === undefined) throw new ProcessCoordinatorError('PROCESS_START_FAILED', `--kill names node ${String(kill.node)}, which the run does not have`, `use a node index below ${c.nodes.length} or a hospital id`)
    return node
  }

  /** Starts a new daemon on the node's data dir; with `wait`, until it is an active hospital again. */
  async function restartDaemon(node: NodeInfo, wait: boolean): Promise<void> {
    const earlierStarts = countActive(await readLog(node.daemon))
    node.daemon = startDaemon(node.id, node.dir)
    if (wait) await waitUntilActive(node.daemon, earlierStarts)
  }

  /**
   * Kills this round's victims (`kills`) with SIGKILL once each has recorded its commitment in its
   * round state, and restarts those not kept down. A victim that has not committed when the round
   * ends (it sat the round out) is left alone.
   */
  const roundTimeout = (round: number) => new ProcessCoordinatorError('ROUND_TIMEOUT', `round ${round} neither finalized nor aborted within ${3 * phaseSeconds + 30} s`, `see the node logs under ${logs}`)

  async function crashVictims(c: Cluster, simulatedRound: number, taskId: bigint, round: number, openedBlock: number, deadline: number): Promise<{ node: NodeInfo; down: boolean }[]> {
    const crashed: { node: NodeInfo; down: boolean }[] = []
    for (const kill of kills.filter((k) => k.round === simulatedRound)) {
      const node = nodeOfKill(c, kill)
      const state = new RoundStateStore(node.dir, taskId.toString())
      let committed: boolean
      for (let poll = 0; ; poll++) {
        const current = await state.load().catch(() => undefined)
        committed = current?.round === round && current.commit?.txHash !== undefined
        if (committed) break
        // The round ended without this node's commitment: it sat the round out, nothing to kill.
        if (poll % 10 === 9 && (await findRoundOutcome(c.client.contract, taskId, round, openedBlock)) !== undefined) break
        await requireAlive()
        if (Date.now() > deadline) throw roundTimeout(round)
        await sleep(25)
      }
      if (!committed) continue
      node.daemon.killed = true
      node.daemon.process.kill('SIGKILL')
      await node.daemon.exit
      const down = kill.down === true
      if (!down) await restartDaemon(node, false)
      crashed.push({ node, down })
    }
    return crashed
  }

  async function runRound(context: RoundContext): Promise<RoundOutcome> {
    // The summary names the simulation's strategy, and `fedchain audit` replays it: it must be the
    // daemons' (FedAvg, daemon/committee-verdict.ts).
    if (context.strategy.name !== 'fedavg') {
      throw new LearningError('LEARNING_INVALID_ARGUMENT', `--strategy must be fedavg with --processes (the node daemons aggregate with FedAvg); got '${context.strategy.name}'`, {
        details: { argument: '--strategy', actual: context.strategy.name },
        hint: 'drop --strategy, or run the other strategies without --processes',
      })
    }
    const c = cluster
    if (c === undefined) throw new RangeError('process coordinator used before start()')
    await requireAlive()
    const startedAt = Date.now()
    c.taskId ??= await createClusterTask(c, context)
    const taskId = c.taskId
    const launched = await launchRound({ signer: c.owner, aggregator: c.chainFile.aggregator, taskId }, c.client)
    const launchedAt = Date.now()
    const openedBlock = (await c.provider.getTransactionReceipt(launched.txHash))?.blockNumber ?? 0
    // The daemons abort a round without quorum at its verify deadline; allow that plus a margin.
    const deadline = Date.now() + (3 * phaseSeconds + 30) * 1000
    const crashed = await crashVictims(c, context.round, taskId, launched.round, openedBlock, deadline)
    let outcome: Awaited<ReturnType<typeof findRoundOutcome>>
    for (;;) {
      context.signal?.throwIfAborted()
      outcome = await findRoundOutcome(c.client.contract, taskId, launched.round, openedBlock)
      if (outcome !== undefined) break
      await requireAlive()
      if (Date.now() > deadline) {
        throw roundTimeout(launched.round)
      }
      // An abort ends the wait; the run stops with the signal's reason, as everywhere else.
      await c.blocks.wait(pollMs, context.signal ?? new AbortController().signal).catch(() => context.signal?.throwIfAborted())
    }
    const endedAt = Date.now()
    // Nodes kept down for the round come back for the next one.
    for (const { node, down } of crashed) if (down) await restartDaemon(node, true)
    const shared = await c.client.sharedUpdates(taskId, launched.round, openedBlock)
    const sharedBy = new Set(shared.map((u) => u.hospital.toLowerCase()))
    const faults: RoundFault[] = crashed.map(({ node, down }) => ({ node: node.id, killedAfter: 'commit', resumed: !down && sharedBy.has(node.address.toLowerCase()) }))
    const outcomeBlock = (await c.provider.getTransactionReceipt(outcome.txHash))?.blockNumber ?? openedBlock
    const gasUsed = await gasBetween(c, openedBlock, outcomeBlock)
    // The phases happen in the daemons: their logs tell where the round crossed from one to the
    // next. Creating the task and launching the round count as commit; reading the outcome as finalize.
    const phases = phasesFromDaemonLogs(await Promise.all(c.nodes.map((n) => readLog(n.daemon))), { taskId: taskId.toString(), round: launched.round, launchedAt, endedAt })
    const ms: PhaseTimings = { ...phases, commit: phases.commit + (launchedAt - startedAt), finalize: phases.finalize + (Date.now() - endedAt) }
    if (outcome.outcome === 'aborted') {
      return { global: context.global, accepted: [], rejected: [], epsilon: {}, faults, gasUsed, finalizeTx: null, modelCid: null, ms }
    }
    const { event } = outcome
    const model = await c.client.currentModel(taskId)
    if (model.sha256.toLowerCase() !== event.modelSha256.toLowerCase()) {
      throw new ProcessCoordinatorError('ROUND_MODEL_UNAVAILABLE', `round ${launched.round}: the task's current model differs from the RoundFinalized event`, 'run `fedchain audit` on the task', {
        current: model.sha256,
        event: event.modelSha256,
      })
    }
    const bytes = await fetchModel(c, model.cid, model.sha256, launched.round)
    const { params } = deserializeParams(bytes, context.network)
    const epsilon: Record<string, number> = {}
    if (init.dp !== undefined) {
      const byAddress = new Map(c.nodes.map((n) => [n.address.toLowerCase(), n.id]))
      for (const update of shared) {
        const id = byAddress.get(update.hospital.toLowerCase())
        if (id !== undefined) epsilon[id] = Number(update.epsilonSpent) / 1e18
      }
    }
    const bit = (bits: bigint, node: NodeInfo) => ((bits >> BigInt(node.index)) & 1n) === 1n
    const { reputation, rewards } = await readStanding(c)
    return {
      global: params,
      accepted: c.nodes.filter((n) => bit(event.accepted, n)).map((n) => n.id),
      rejected: c.nodes.filter((n) => bit(event.rejected, n)).map((n) => ({ id: n.id, reason: 'rejected by the committee' })),
      epsilon,
      reputation,
      rewards,
      faults,
      gasUsed,
      finalizeTx: outcome.txHash,
      modelCid: model.cid,
      ms,
    }
  }

  /**
   * Writes `chain/record.json` from the live chain and `auditor.key`, for `fedchain audit --run`.
   * The daemons aggregate under their lower-case addresses, which the record says.
   */
  async function recordRun(c: Cluster, taskId: bigint): Promise<void> {
    await writeChainRecord({
      provider: c.provider,
      chainId: c.chainFile.chainId,
      aggregator: c.chainFile.aggregator,
      token: c.chainFile.token,
      taskId,
      hospitals: c.nodes.map((n) => ({ id: n.id, address: n.address, index: n.index })),
      aggregationIds: 'address',
      outDir: init.outDir,
    })
    await writeAuditorKey(init.outDir, c.auditor)
  }

  async function stop(): Promise<void> {
    const c = cluster
    cluster = undefined
    const children = supervisor.children()
    const chains = children.filter((child) => child.name === 'chain')
    try {
      // Nodes first (they talk to the chain while stopping), then the record, then the chain.
      await Promise.all(children.filter((child) => child.name !== 'chain').map(terminate))
      if (c?.taskId !== undefined && chains.every(isRunning)) await recordRun(c, c.taskId)
    } finally {
      await c?.blocks.stop()
      c?.provider.destroy()
      await Promise.all(chains.map(terminate))
      supervisor.release()
    }
  }

  return {
    name: 'processes',
    children: () => supervisor.children().map((c) => ({ name: c.name, pid: c.process.pid, exited: !isRunning(c) })),

    async start({ hospitals }) {
      try {
        cluster = await setUp(hospitals)
      } catch (error) {
        // runSimulation only calls stop() once start() succeeded: clean up the children here.
        await stop()
        throw error
      }
    },

    runRound,
    stop,
  }
}