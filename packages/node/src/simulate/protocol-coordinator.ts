import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  bitmapOf,
  connectFedToken,
  DEFAULT_TASK_TIMING,
  deployConsortium,
  encodeQualityScores,
  indicesOf,
  WAD,
} from '@fedchain/aggregator-contract'
import { EMBEDDED_MNEMONIC, startEmbeddedChain, type EmbeddedChain } from '@fedchain/aggregator-contract/embedded'
import { HDNodeWallet, type TransactionReceipt } from 'ethers'
import type { ClientUpdate } from '../aggregation/types.js'
import { generateX25519KeyPair, type X25519KeyPair } from '../crypto/index.js'
import { FedchainError } from '../errors.js'
import { concatDatasets, type Dataset } from '../learning/data/dataset.js'
import { deserializeParams, serializeParams } from '../learning/model/serialize.js'
import type { AggregatorClient, HospitalRecord } from '../protocol/aggregator-client.js'
import type { ProtocolParticipant } from '../protocol/participant.js'
import { sha256Hex } from '../protocol/participant.js'
import type { NodeKill, RoundContext, RoundOutcome, SimulationCoordinator } from './coordinator.js'
import type { SimulatedHospital } from './hospital.js'
import type { RoundFault } from './summary.js'
import { joinTask, nodeDataDir, startSimulatedNode, type SimulatedNode } from './protocol-node.js'
import { createRoundDecider, type RoundDeciderInit, type RoundVerdict } from './round-verdict.js'
import { RUN_FILES, writeAuditorKey, writeChainRecord } from './run-record.js'

/** Stake every simulated hospital puts up (FED). */
const STAKE = 100n * WAD
/** Reward escrowed per round by the task owner (FED). */
const REWARD_PER_ROUND = 1_000n * WAD

export interface ProtocolCoordinatorInit extends RoundDeciderInit {
  /**
   * The run directory: node data dirs go to `<outDir>/nodes`, and at stop the chain's record
   * (`chain/record.json`) and the auditor key (`auditor.key`) are written for `fedchain audit`.
   * @default a temporary directory, removed at stop
   */
  readonly outDir?: string
  /** Committee size when more than 7 hospitals take part. @default 7 */
  readonly committeeSize?: number
  /**
   * Nodes to kill mid-round: right after committing in `round`, the node's process state is lost
   * (libp2p host, blob store handles, in-memory round progress). With `down: false` it is
   * restarted from its data dir once the others have shared, publishes its new listen address on
   * chain, and resumes the round from its persisted state. With `down: true` it stays down for the
   * rest of the round: the others wait for the share deadline, the round finalizes without it (it
   * counts as absent) or, when the committee lost its quorum, is aborted at the verify deadline;
   * the node restarts for the next round. `node` is a hospital id or its 0-based position.
   */
  readonly kills?: readonly NodeKill[]
  /**
   * Relay commitments and shares: each hospital signs its entry (EIP-712) and the task owner sends
   * one `commitBatch` and one `shareBatch` per round, instead of two transactions per hospital.
   * @default true
   */
  readonly relay?: boolean
}


/** What happened to a killed node, for the run's record. */
export interface NodeFault extends RoundFault {
  readonly round: number
}

/** The protocol disagreed with itself: a model hash differs from the chain's record. */
export class ProtocolIntegrityError extends FedchainError {
  constructor(shortMessage: string, details: Record<string, unknown>) {
    super('PROTOCOL_INTEGRITY', shortMessage, { details, hint: 'run `fedchain audit` on the task to see which step diverged' })
  }
}

interface Consortium {
  readonly chain: EmbeddedChain
  readonly aggregatorAddress: string
  readonly tokenAddress: string
  /** Every update is also encrypted to the auditor, so `fedchain audit` can recompute aggregates. */
  readonly auditor: X25519KeyPair
  readonly owner: AggregatorClient
  readonly nodes: SimulatedNode[]
  readonly byAddress: Map<string, SimulatedNode>
  readonly byHospital: Map<string, SimulatedNode>
  /** Restarts a stopped node from its data dir with its keys. */
  readonly restart: (node: SimulatedNode) => Promise<SimulatedNode>
  readonly holdout: Dataset
  readonly announcements: Map<string, string>
  /** Rewards credited to each hospital so far (claimable, nobody claims during a simulation). */
  readonly credited: Map<string, bigint>
  taskId: bigint | undefined
  openRound: number
}

/** Restarts a stopped node from its data dir and puts the new instance in its place. */
async function restartInto(c: Consortium, node: SimulatedNode, taskId: bigint): Promise<SimulatedNode> {
  const restarted = await c.restart(node)
  c.nodes[c.nodes.indexOf(node)] = restarted
  c.byAddress.set(restarted.wallet.address.toLowerCase(), restarted)
  c.byHospital.set(restarted.id, restarted)
  await joinTask(restarted, taskId)
  return restarted
}

/**
 * Every hospital's on-chain reputation score (0…1) and the rewards credited since the last call
 * (wei, decimal strings), read after a round is finalized.
 */
async function readStanding(c: Consortium): Promise<{ reputation: Record<string, number>; rewards: Record<string, string> }> {
  const reputation: Record<string, number> = {}
  const rewards: Record<string, string> = {}
  await Promise.all(
    c.nodes.map(async (node) => {
      const [score, credited] = await Promise.all([c.owner.reputationScore(node.index), c.owner.claimable(node.wallet.address)])
      reputation[node.id] = Number(score) / 1e18
      rewards[node.id] = (credited - (c.credited.get(node.id) ?? 0n)).toString()
      c.credited.set(node.id, credited)
    }),
  )
  return { reputation, rewards }
}

/** Moves the embedded chain's clock past `deadline` (seconds) instead of waiting for it. */
async function passDeadline(chain: EmbeddedChain, deadline: bigint): Promise<void> {
  const latest = await chain.provider.getBlock('latest')
  const now = BigInt(latest?.timestamp ?? 0)
  if (now <= deadline) await chain.provider.send('evm_increaseTime', [Number(deadline - now) + 1])
  await chain.provider.send('evm_mine', [])
}

function participantOf(node: SimulatedNode): ProtocolParticipant {
  if (node.participant === undefined) throw new RangeError(`node ${node.id} has not joined the task`)
  return node.participant
}

function addGas(total: bigint, receipt: TransactionReceipt | undefined): bigint {
  return receipt === undefined ? total : total + receipt.gasUsed
}

/**
 * The full protocol in one process: an embedded EVM chain with the aggregator contract, one libp2p
 * host and filesystem blob store per hospital on 127.0.0.1, and every round run as on a real
 * consortium: commit on chain → encrypted update to the blob store + share on chain → each committee
 * member fetches over libp2p, decrypts, checks the commitment, verifies and aggregates → verdicts on
 * chain → quorum finalize. Training and the verification maths are the memory coordinator's, so the
 * same seed gives the same model; what this adds is the coordination, and its cost is measured.
 *
 * In a simulation every committee member's holdout is the pooled validation split, so members reach
 * bit-identical verdicts; `--malicious` hospitals poison their updates but verify honestly (a
 * committee with more than a third of colluding verifiers can stall rounds, never finalize a wrong
 * model: rounds without quorum are aborted at their deadline).
 */
export function protocolCoordinator(init: ProtocolCoordinatorInit = {}): SimulationCoordinator & { readonly faults: readonly NodeFault[] } {
  let consortium: Consortium | undefined
  let ownedDir: string | undefined
  // Committee members in a simulation share one holdout and so one verification history.
  const decider = createRoundDecider(init)
  const kills = init.kills ?? []
  const relay = init.relay ?? true
  const faults: NodeFault[] = []

  async function setUp(hospitals: readonly SimulatedHospital[]): Promise<Consortium> {
    if (init.outDir !== undefined) {
      // A previous run in the same directory left node state for a chain that no longer exists.
      await Promise.all([RUN_FILES.nodes, RUN_FILES.chainRecord, RUN_FILES.auditorKey].map((f) => rm(join(init.outDir as string, f), { recursive: true, force: true })))
    }
    const baseDir = init.outDir === undefined ? (ownedDir = await mkdtemp(join(tmpdir(), 'fedchain-simulate-'))) : join(init.outDir, RUN_FILES.nodes)
    const chain = await startEmbeddedChain({ accounts: hospitals.length + 1 })
    const ownerSigner = chain.signers[0]
    if (ownerSigner === undefined) throw new RangeError('the embedded chain has no accounts')
    const { token, tokenAddress, aggregatorAddress } = await deployConsortium(ownerSigner, { minStake: STAKE })
    const { createAggregatorClient } = await import('../protocol/aggregator-client.js')
    const owner = await createAggregatorClient({ address: aggregatorAddress, signer: ownerSigner })
    const root = HDNodeWallet.fromPhrase(EMBEDDED_MNEMONIC, undefined, "m/44'/60'/0'/0")
    const registry = new Map<string, string>()
    // CID → peer id of the node that announced it (on chain, through its share), asked first.
    const announcements = new Map<string, string>()
    const state = { openRound: 0 }
    const start = (id: string, wallet: HDNodeWallet, keys?: { privateKey: SimulatedNode['privateKey']; encryption: X25519KeyPair }) =>
      startSimulatedNode({
        id,
        wallet,
        aggregatorAddress,
        chainId: BigInt(chain.chainId),
        dataDir: nodeDataDir(baseDir, id),
        registry,
        isRoundOpen: (_task, round) => Number(round) === state.openRound,
        announcedBy: (cid) => announcements.get(cid),
        ...(keys === undefined ? {} : { keys }),
      })
    const nodes: SimulatedNode[] = []
    for (const [i, hospital] of hospitals.entries()) {
      const wallet = root.deriveChild(i + 1).connect(chain.provider)
      await (await token.getFunction('mint')(wallet.address, STAKE)).wait()
      nodes.push(await start(hospital.id, wallet))
    }
    for (const node of nodes) {
      await (await connectFedToken(tokenAddress, node.wallet).getFunction('approve')(aggregatorAddress, STAKE)).wait()
      await node.client.applyForMembership(node.host.peerId.toString(), node.encryption.publicKey, node.host.multiaddrs(), STAKE)
      await owner.admitHospital(node.wallet.address)
      const record = await owner.hospital(node.wallet.address)
      node.index = record.index
      registry.set(node.wallet.address.toLowerCase(), record.peerId)
    }
    // Nodes find each other through the multiaddrs registered on chain, as real hospitals do.
    for (const [i, node] of nodes.entries()) {
      for (const other of nodes.slice(i + 1)) {
        const record = await owner.hospital(other.wallet.address)
        for (const address of record.multiaddrs) {
          if (await node.host.connect(address).then(() => true, () => false)) break
        }
      }
    }
    await (await token.getFunction('mint')(await ownerSigner.getAddress(), REWARD_PER_ROUND * 10_000n)).wait()
    await (await token.getFunction('approve')(aggregatorAddress, REWARD_PER_ROUND * 10_000n)).wait()
    return {
      chain,
      aggregatorAddress,
      tokenAddress,
      auditor: generateX25519KeyPair(),
      owner,
      nodes,
      byAddress: new Map(nodes.map((n) => [n.wallet.address.toLowerCase(), n])),
      byHospital: new Map(nodes.map((n) => [n.id, n])),
      holdout: concatDatasets(hospitals.map((h) => h.validation)),
      async restart(node) {
        const restarted = await start(node.id, node.wallet, { privateKey: node.privateKey, encryption: node.encryption })
        restarted.index = node.index
        await restarted.client.updateProfile(restarted.host.peerId.toString(), restarted.encryption.publicKey, restarted.host.multiaddrs())
        for (const other of nodes) {
          if (other === node || other === restarted) continue
          for (const address of (await owner.hospital(other.wallet.address)).multiaddrs) {
            if (await restarted.host.connect(address).then(() => true, () => false)) break
          }
        }
        return restarted
      },
      announcements,
      credited: new Map(),
      taskId: undefined,
      get openRound() {
        return state.openRound
      },
      set openRound(round: number) {
        state.openRound = round
      },
    }
  }

  async function createTask(c: Consortium, context: RoundContext): Promise<bigint> {
    const spec = serializeParams(context.network, context.global)
    const first = c.nodes[0] as SimulatedNode
    const cid = await first.store.put(spec)
    const { taskId, receipt: _receipt } = await c.owner.createTask({
      modelSpecCid: cid,
      modelSpecSha256: sha256Hex(spec),
      dataSchemaHash: sha256Hex(new TextEncoder().encode(context.network.spec === undefined ? 'fedchain' : JSON.stringify(context.network.spec))),
      rounds: context.rounds,
      ...DEFAULT_TASK_TIMING,
      committeeSize: init.committeeSize ?? DEFAULT_TASK_TIMING.committeeSize,
      minParticipants: 1,
      dpEpsilon: 0n,
      dpDelta: 0n,
      rewardPerRound: REWARD_PER_ROUND,
    })
    for (const node of c.nodes) await joinTask(node, taskId)
    return taskId
  }

  return {
    name: 'protocol',
    faults,

    async start({ hospitals }) {
      consortium = await setUp(hospitals)
    },

    async runRound(context): Promise<RoundOutcome> {
      const c = consortium
      if (c === undefined) throw new RangeError('protocol coordinator used before start()')
      const ms = { train: 0, commit: 0, share: 0, verify: 0, aggregate: 0, finalize: 0 }
      let gas = 0n
      c.taskId ??= await createTask(c, context)
      const taskId = c.taskId

      let started = performance.now()
      const opened = await c.owner.openRound(taskId)
      gas = addGas(gas, opened.receipt)
      const round = opened.event.round
      c.openRound = round
      const globalBytes = serializeParams(context.network, context.global)
      if (sha256Hex(globalBytes) !== opened.event.baseModelSha256) {
        throw new ProtocolIntegrityError(`round ${round} opened from a model other than the simulation's global model`, {
          chain: opened.event.baseModelSha256,
          local: sha256Hex(globalBytes),
        })
      }
      ms.commit += performance.now() - started

      // Train hospital by hospital in id order (the memory coordinator's order, so the same seed
      // gives the same updates), then commit: the nodes send their transactions concurrently.
      const epsilon: Record<string, number> = {}
      const trained: { node: SimulatedNode; bytes: Uint8Array; examples: number }[] = []
      for (const hospital of context.hospitals) {
        context.signal?.throwIfAborted()
        const update = hospital.localUpdate(context.network, context.global)
        ms.train += update.trainMs
        if (update.epsilon !== undefined) epsilon[hospital.id] = update.epsilon
        trained.push({ node: c.byHospital.get(hospital.id) as SimulatedNode, bytes: serializeParams(context.network, update.delta), examples: update.examples })
      }
      started = performance.now()
      if (relay) {
        const prepared = await Promise.all(trained.map(({ node, bytes, examples }) => participantOf(node).prepareCommit({ round, update: bytes, sampleCount: examples })))
        const entries = prepared.flatMap(({ entry }) => (entry === undefined ? [] : [entry]))
        if (entries.length > 0) gas = addGas(gas, await c.owner.commitBatch(taskId, round, entries))
      } else {
        const commits = await Promise.all(trained.map(({ node, bytes, examples }) => participantOf(node).commit({ round, update: bytes, sampleCount: examples })))
        for (const { receipt } of commits) gas = addGas(gas, receipt)
      }
      ms.commit += performance.now() - started

      // Fault injection: nodes killed right after committing lose everything but their data dir.
      const roundFaults: RoundFault[] = []
      // Nodes that stayed down for the round restart for the next one.
      const bringBack = async (nodes: readonly SimulatedNode[]) => {
        for (const node of nodes) {
          await restartInto(c, node, taskId)
          roundFaults.push({ node: node.id, killedAfter: 'commit', resumed: false })
        }
      }
      const killOf = (node: SimulatedNode) => kills.find((k) => k.round === context.round && (k.node === node.id || k.node === c.nodes.indexOf(node)))
      const killed = trained.map((t) => t.node).filter((node) => killOf(node) !== undefined)
      const down = killed.filter((node) => killOf(node)?.down === true)
      for (const node of killed) await node.stop()

      // Share: each node encrypts its update to the committee (and the auditor), stores it and opens
      // its commitment on chain.
      started = performance.now()
      const records: HospitalRecord[] = await Promise.all(indicesOf(opened.event.committee).map(async (index) => c.owner.hospital(await c.owner.hospitalAt(index))))
      const recipients = [...records.map((r) => r.encryptionKey), c.auditor.publicKey]
      const shareOf = (node: SimulatedNode) => participantOf(node).share({ round, recipients, ...(epsilon[node.id] === undefined ? {} : { epsilonSpent: epsilon[node.id] }) })
      const alive = trained.map(({ node }) => node).filter((node) => !killed.includes(node))
      if (relay) {
        const epsilonOf = (node: SimulatedNode) => (epsilon[node.id] === undefined ? {} : { epsilonSpent: epsilon[node.id] })
        const prepared = await Promise.all(alive.map((node) => participantOf(node).prepareShare({ round, recipients, ...epsilonOf(node) })))
        const entries = prepared.flatMap(({ entry }) => (entry === undefined ? [] : [entry]))
        if (entries.length > 0) gas = addGas(gas, await c.owner.shareBatch(taskId, round, entries))
        await Promise.all(alive.map((node) => participantOf(node).confirmShared(round)))
      } else {
        const shares = await Promise.all(alive.map((node) => shareOf(node)))
        for (const { receipt } of shares) gas = addGas(gas, receipt)
      }
      // Nodes killed for a moment come back from their data dirs and finish what they started.
      for (const node of killed.filter((n) => !down.includes(n))) {
        const restarted = await restartInto(c, node, taskId)
        const { receipt } = await shareOf(restarted)
        gas = addGas(gas, receipt)
        roundFaults.push({ node: node.id, killedAfter: 'commit', resumed: true })
      }
      // Without every committed update shared, verdicts open only at the share deadline.
      if (down.length > 0) await passDeadline(c.chain, opened.event.shareDeadline)
      ms.share += performance.now() - started

      // Verify: every committee member fetches and decrypts every update itself.
      const committee = indicesOf(opened.event.committee)
        .map((index) => c.nodes.find((n) => n.index === index) as SimulatedNode)
        .filter((member) => !down.includes(member))
      started = performance.now()
      const shared = await c.owner.sharedUpdates(taskId, round, opened.receipt.blockNumber)
      for (const event of shared) {
        const sender = c.byAddress.get(event.hospital.toLowerCase())
        if (sender !== undefined) c.announcements.set(event.updateCid, sender.host.peerId.toString())
      }
      const verdicts = new Map<string, RoundVerdict>()
      const memberVerdicts: { member: SimulatedNode; verdict: RoundVerdict }[] = []
      let aggregationMs = 0
      // Members fetch (over libp2p) and decrypt concurrently, as separate machines would.
      const openedByMember = await Promise.all(committee.map((member) => participantOf(member).openUpdates({ round, shared })))
      for (const [position, member] of committee.entries()) {
        const { opened: updates, unopened } = openedByMember[position] as Awaited<ReturnType<ProtocolParticipant['openUpdates']>>
        const clientUpdates: ClientUpdate[] = updates.map((u) => {
          const node = c.byAddress.get(u.hospital.toLowerCase()) as SimulatedNode
          return { id: node.id, delta: deserializeParams(u.bytes, context.network).params, examples: Number(u.sampleCount) }
        })
        // Members whose opened sets match reach the same verdict: compute it once per distinct set.
        const key = clientUpdates.map((u) => u.id).join(',')
        let verdict = verdicts.get(key)
        if (verdict === undefined) {
          verdict = decider.decide(context, clientUpdates, c.holdout, verdicts.size === 0)
          const unopenedRejections = unopened.map((u) => ({ id: (c.byAddress.get(u.hospital.toLowerCase()) as SimulatedNode).id, reason: `unopened: ${u.reason}` }))
          verdict = { ...verdict, rejected: [...verdict.rejected, ...unopenedRejections].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) }
          verdicts.set(key, verdict)
          aggregationMs += verdict.aggregateMs
        }
        memberVerdicts.push({ member, verdict })
      }
      ms.verify += performance.now() - started - aggregationMs

      // Aggregate: each member stores its aggregate and submits its verdict.
      started = performance.now()
      const submissions = await Promise.all(
        memberVerdicts.map(async ({ member, verdict }) => {
          const accepted = verdict.accepted.map((id) => c.byHospital.get(id) as SimulatedNode).sort((a, b) => a.index - b.index)
          const modelBytes = serializeParams(context.network, verdict.global)
          const modelCid = await member.store.put(modelBytes)
          return member.client.submitVerdict({
            taskId,
            round,
            acceptedBitmap: bitmapOf(accepted.map((n) => n.index)),
            modelSha256: sha256Hex(modelBytes),
            modelCid,
            qualityScores: encodeQualityScores(accepted.map((n) => Math.round(Math.min(1, Math.max(0, verdict.scores[n.id] ?? 0)) * 10_000))),
          })
        }),
      )
      for (const receipt of submissions) gas = addGas(gas, receipt)
      ms.aggregate += performance.now() - started + aggregationMs

      // Finalize once the quorum agreed; the chain's model is the next global model.
      started = performance.now()
      const state = await c.owner.roundState(taskId)
      if (!state.quorumReached) {
        await passDeadline(c.chain, opened.event.verifyDeadline)
        gas = addGas(gas, await c.owner.abortRound(taskId, round))
        for (const node of c.nodes) if (!down.includes(node)) await node.participant?.conclude(round, 'aborted')
        ms.finalize += performance.now() - started
        c.openRound = 0
        await bringBack(down)
        faults.push(...roundFaults.map((f) => ({ ...f, round: context.round })))
        return { global: context.global, accepted: [], rejected: [], epsilon, faults: roundFaults, gasUsed: Number(gas), finalizeTx: null, modelCid: null, ms }
      }
      const finalized = await c.owner.finalize(taskId, round)
      gas = addGas(gas, finalized.receipt)
      const model = await c.owner.currentModel(taskId)
      const quorum = memberVerdicts.find(({ verdict }) => sha256Hex(serializeParams(context.network, verdict.global)) === model.sha256)
      if (quorum === undefined) {
        throw new ProtocolIntegrityError(`round ${round} finalized a model no committee member computed`, { modelSha256: model.sha256 })
      }
      for (const node of c.nodes) if (!down.includes(node)) await node.participant?.conclude(round, 'finalized', finalized.receipt.hash)
      ms.finalize += performance.now() - started
      await bringBack(down)
      const { reputation, rewards } = await readStanding(c)
      faults.push(...roundFaults.map((f) => ({ ...f, round: context.round })))
      c.openRound = 0
      return {
        global: quorum.verdict.global,
        accepted: quorum.verdict.accepted,
        rejected: quorum.verdict.rejected,
        epsilon,
        reputation,
        rewards,
        committee: committee.map((m) => m.id),
        faults: roundFaults,
        gasUsed: Number(gas),
        finalizeTx: finalized.receipt.hash,
        modelCid: model.cid,
        ms,
      }
    },

    async stop() {
      const c = consortium
      consortium = undefined
      if (c !== undefined) {
        if (init.outDir !== undefined && c.taskId !== undefined) {
          await writeChainRecord({
            provider: c.chain.provider,
            chainId: c.chain.chainId,
            aggregator: c.aggregatorAddress,
            token: c.tokenAddress,
            taskId: c.taskId,
            hospitals: c.nodes.map((n) => ({ id: n.id, address: n.wallet.address, index: n.index })),
            outDir: init.outDir,
          })
          await writeAuditorKey(init.outDir, c.auditor)
        }
        await Promise.allSettled(c.nodes.map((n) => n.stop()))
        await c.chain.stop()
      }
      if (ownedDir !== undefined) await rm(ownedDir, { recursive: true, force: true })
    },
  }
}
