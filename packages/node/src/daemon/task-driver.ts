import { join } from 'node:path'
import {
  findRoundOpened,
  findRoundOutcome,
  indicesOf,
  readActiveHospitals,
  readTaskSchedule,
  readTaskTerms,
  TASK_STATUS_NAMES,
  TaskStatus,
  type EventPosition,
  type RoundOpenedEvent,
  type TaskSchedule,
} from '@fedchain/aggregator-contract'
import { PrivacyBudgetExceededError } from '@fedchain/dp'
import type { Contract } from 'ethers'
import { decodeTaskManifest, schemaMismatch, cidOfSha256, scalingOf, type TaskManifest, type TaskScaling } from '../config/task-manifest.js'
import type { NodeIdentity } from '../crypto/identity.js'
import type { Dataset } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'
import { buildNetwork, type Network } from '../learning/model/network.js'
import { deserializeParams, serializeParams } from '../learning/model/serialize.js'
import type { AggregatorClient } from '../protocol/aggregator-client.js'
import { createProtocolParticipant, sha256Hex, type ProtocolParticipant } from '../protocol/participant.js'
import { isTerminal } from '../round/phases.js'
import { RoundStateStore, type RoundState } from '../round/state-store.js'
import type { BlobStore } from '../storage/blob-store.js'
import { readJsonIfExists, writeJsonAtomic } from '../util/atomic-json.js'
import { decideCommitteeVerdict } from './committee-verdict.js'
import { DEADLINE_MARGIN_S, FETCH_ATTEMPTS, FETCH_RETRY_MS, WAD_FLOAT } from './constants.js'
import { PrivacyTargetUnreachableError, TaskIncompatibleError } from './errors.js'
import { createLocalTrainer, type LocalTrainer } from './local-trainer.js'
import type { DaemonLogger } from './logger.js'
import type { TaskGossip } from '../p2p/gossip.js'
import { committeeKeys } from './committee-keys.js'
import { loadValidationSet } from './validation-set.js'

/** A round as the status endpoint shows it. */
export interface DriverRoundRecord {
  readonly round: number
  readonly status: 'finalized' | 'aborted'
  readonly finalizeTx: string | null
  /** Accuracy and loss of the round's resulting model on this node's own rows. */
  readonly accuracy: number | null
  readonly loss: number | null
  readonly epsilon: number
}

/** What the daemon shows about one task. */
export interface TaskDriverStatus {
  readonly taskId: string
  readonly round: number
  readonly phase: string
  readonly taskStatus: string
  readonly rounds: readonly DriverRoundRecord[]
  readonly epsilonSpent: number
  readonly epsilonBudget?: number
  readonly delta?: number
  /** The task's feature scaling (unknown until the manifest is read). */
  readonly scaling?: TaskScaling
}

/** Everything a task driver shares with the daemon. */
export interface TaskDriverInit {
  readonly taskId: bigint
  readonly identity: NodeIdentity
  readonly client: AggregatorClient
  /** Read-only aggregator contract (queries and logs). */
  readonly aggregator: Contract
  readonly store: BlobStore
  readonly dataDir: string
  readonly csvPath: string
  readonly localSchema: DatasetSchema
  /** Registry index of this node. */
  readonly index: number
  readonly log: DaemonLogger
  /** The node's gossip: the driver joins the task's topics and announces its shares there. */
  readonly gossip?: TaskGossip
  /** Seconds since the epoch, for deadlines (injectable for tests). @default wall clock */
  readonly now?: () => number
}

/** Drives one task's rounds from the chain's state; each `tick` does at most what is due now. */
export interface TaskDriver {
  readonly taskId: bigint
  /** Reads the chain and takes the next due step (train + commit, share, verify + submit, finalize, abort). */
  tick(): Promise<void>
  status(): TaskDriverStatus
  /** True once the task completed or closed and the last round was concluded locally. */
  readonly done: boolean
  /** The task's current round as of the last tick (0 before the first), as `status().round`. */
  readonly round: number
}

/** The round being driven: its deadlines and committee, and the block it opened in (where its shares are searched from). */
type OpenedRound = RoundOpenedEvent & EventPosition

interface Prepared {
  readonly manifest: TaskManifest
  readonly network: Network
  readonly trainer: LocalTrainer
  readonly participant: ProtocolParticipant
  /** The task's shared validation set (standardized), when its manifest names one. */
  readonly validation?: Dataset
  readonly epsilonBudget?: number
  readonly delta?: number
}

/**
 * The per-task round machine of a running node. It follows the chain by reading its state every
 * tick rather than trusting a stream of events, so a node that was killed, lost its RPC endpoint or
 * missed events simply picks up where the chain is: every step checks the chain's bitmaps and the
 * node's persisted {@link RoundStateStore} first, so nothing is sent twice.
 */
export function createTaskDriver(init: TaskDriverInit): TaskDriver {
  const { taskId, client, aggregator, identity, log } = init
  const now = init.now ?? (() => Date.now() / 1000)
  const state = new RoundStateStore(init.dataDir, taskId.toString())
  const bit = 1n << BigInt(init.index)
  const concluded = new Set<number>()
  // A round this node sits out (budget exhausted, target unreachable): not retried at every poll.
  let sitOutRound = -1
  let prepared: Prepared | undefined
  let opened: OpenedRound | undefined
  let schedule: TaskSchedule | undefined
  const currentRound = () => schedule?.round ?? 0
  let saved: RoundState | undefined
  let done = false
  let phase = 'idle'
  const rounds: DriverRoundRecord[] = []
  let baseCache: { sha256: string; params: Float32Array } | undefined

  // The rounds this node saw end, kept beside the round state so a restarted node still shows them.
  const historyPath = join(init.dataDir, 'tasks', taskId.toString(), 'history.json')

  async function prepare(): Promise<Prepared> {
    if (prepared !== undefined) return prepared
    const history = await readJsonIfExists(historyPath).catch(() => undefined)
    if (Array.isArray(history) && rounds.length === 0) {
      for (const record of history as DriverRoundRecord[]) {
        rounds.push(record)
        concluded.add(record.round)
      }
    }
    const terms = await readTaskTerms(aggregator, taskId)
    let manifestBytes: Uint8Array
    try {
      manifestBytes = await init.store.get(cidOfSha256(terms.dataSchemaHash))
    } catch (cause) {
      throw new TaskIncompatibleError(taskId, `cannot fetch the task manifest (${(cause as Error).message})`, 'the node holding it (the task creator’s blob store) must be running and connected', 'manifest-unavailable')
    }
    let manifest: TaskManifest
    let network: Network
    try {
      manifest = decodeTaskManifest(manifestBytes)
      network = buildNetwork(manifest.model)
    } catch (cause) {
      // The blob matched the hash the chain pins for the task: no retry will make it usable.
      throw new TaskIncompatibleError(taskId, `its manifest is unusable (${(cause as { shortMessage?: string }).shortMessage ?? (cause as Error).message})`, 'the task owner must create a new task with `fedchain task create`; this node does not follow this one', 'manifest-invalid')
    }
    const mismatch = schemaMismatch(manifest.schema, init.localSchema)
    if (mismatch !== undefined) throw new TaskIncompatibleError(taskId, `the local data schema does not match the task's: ${mismatch}`, 'export the CSV with the task schema’s columns, or do not follow this task (--task)')
    // Loaded up front, before training: a set that can never load stops the task at once rather
    // than at this node's first verdict, and every committee member then holds the same rows.
    const validation = manifest.validation === undefined ? undefined : await loadValidationSet({ taskId, store: init.store, validation: manifest.validation, schema: manifest.schema, ...(manifest.standardization === undefined ? {} : { standardization: manifest.standardization }) })
    const trainer = await createLocalTrainer({
      csvPath: init.csvPath,
      manifest,
      network,
      privacy: { epsilonWad: terms.dpEpsilon, deltaWad: terms.dpDelta, totalRounds: terms.totalRounds },
      dataDir: init.dataDir,
      taskId,
    })
    const participant = await createProtocolParticipant({
      client,
      wallet: identity.wallet,
      encryption: identity.encryption,
      store: init.store,
      state,
      dataDir: init.dataDir,
      taskId,
      ...(init.gossip === undefined ? {} : { gossip: init.gossip }),
    })
    init.gossip?.joinTask(taskId.toString())
    prepared = {
      manifest,
      network,
      trainer,
      participant,
      ...(validation === undefined ? {} : { validation }),
      ...(terms.dpEpsilon > 0n ? { epsilonBudget: Number(terms.dpEpsilon) / WAD_FLOAT, delta: Number(terms.dpDelta) / WAD_FLOAT } : {}),
    }
    log.info('following task', { taskId, model: manifest.model.kind, rows: trainer.rows, dp: terms.dpEpsilon > 0n, validationRows: validation?.labels.length, scaling: scalingOf(manifest) })
    return prepared
  }

  /** The round's base model, fetched by CID and checked against the sha256 the round opened with. */
  async function baseModel(p: Prepared, round: OpenedRound): Promise<Float32Array> {
    if (baseCache?.sha256 === round.baseModelSha256) return baseCache.params
    const { cid, sha256 } = await client.currentModel(taskId)
    if (sha256.toLowerCase() !== round.baseModelSha256.toLowerCase()) throw new RangeError(`round ${round.round}: the current model ${sha256} is not the round's base ${round.baseModelSha256}`)
    const bytes = await init.store.get(cid)
    const digest = sha256Hex(bytes)
    if (digest !== round.baseModelSha256.toLowerCase()) throw new RangeError(`model ${cid} hashes to ${digest}, the chain says ${round.baseModelSha256}`)
    const params = deserializeParams(bytes, p.network).params
    baseCache = { sha256: round.baseModelSha256, params }
    return params
  }

  async function concludeSaved(p: Prepared): Promise<void> {
    if (saved === undefined || isTerminal(saved.phase) || concluded.has(saved.round)) return
    const outcome = await findRoundOutcome(aggregator, taskId, saved.round)
    if (outcome === undefined) return
    await p.participant.conclude(saved.round, outcome.outcome, outcome.txHash)
    if (outcome.outcome === 'aborted' && !isTerminal((await state.load())?.phase ?? 'idle')) {
      // conclude() leaves a round it thinks unfinished alone; an aborted round is over whatever the phase.
      await state.advance(saved.round, 'aborted')
    }
    let evaluation: { accuracy: number; loss: number } | undefined
    if (outcome.outcome === 'finalized') {
      const model = await client.currentModel(taskId).catch(() => undefined)
      const bytes = model === undefined ? undefined : await init.store.get(model.cid).catch(() => undefined)
      if (bytes !== undefined) evaluation = p.trainer.evaluate(deserializeParams(bytes, p.network).params)
    }
    concluded.add(saved.round)
    rounds.push({
      round: saved.round,
      status: outcome.outcome,
      finalizeTx: outcome.outcome === 'finalized' ? outcome.txHash : null,
      accuracy: evaluation?.accuracy ?? null,
      loss: evaluation?.loss ?? null,
      epsilon: p.trainer.epsilonSpent(),
    })
    await writeJsonAtomic(historyPath, rounds)
    log.info(`round ${outcome.outcome}`, { taskId, round: saved.round, tx: outcome.txHash, accuracy: evaluation?.accuracy, loss: evaluation?.loss })
    saved = await state.load()
  }

  async function trainAndCommit(p: Prepared, round: OpenedRound): Promise<void> {
    if (saved?.round === round.round && saved.commit !== undefined) {
      // Killed after recording the commitment: the participant re-sends it only if the chain lacks it.
      await p.participant.commit({ round: round.round, update: new Uint8Array(0), sampleCount: saved.commit.sampleCount })
      log.info('commitment re-sent after restart', { taskId, round: round.round })
      return
    }
    phase = 'training'
    const global = await baseModel(p, round)
    const started = performance.now()
    let update
    try {
      update = await p.trainer.train(global, round.round)
    } catch (error) {
      // Both are final for this round: sit it out (the others go on) instead of retrying each poll.
      if (error instanceof PrivacyBudgetExceededError) {
        sitOutRound = round.round
        log.warn('privacy budget exhausted: not taking part in this round', { taskId, round: round.round, epsilonSpent: p.trainer.epsilonSpent(), error })
        return
      }
      if (error instanceof PrivacyTargetUnreachableError) {
        sitOutRound = round.round
        log.error('privacy target unreachable: not taking part in this round', { taskId, round: round.round, error, code: error.code, hint: error.hint })
        return
      }
      throw error
    }
    const bytes = serializeParams(p.network, update.delta)
    log.info('trained', { taskId, round: round.round, examples: update.examples, loss: update.meanLoss, ms: Math.round(performance.now() - started), epsilonIfShared: update.epsilonAfterRelease })
    const { receipt } = await p.participant.commit({ round: round.round, update: bytes, sampleCount: update.examples, ...(update.privacyCharge === undefined ? {} : { privacyCharge: update.privacyCharge }) })
    log.info('committed', { taskId, round: round.round, tx: receipt?.hash })
  }

  async function share(p: Prepared, round: OpenedRound): Promise<void> {
    const committee = await committeeKeys({ client, committee: round.committee, onMissingKey: (member) => log.warn('committee member has no valid encryption key in the registry; it cannot open this update', { taskId, round: round.round, member }) })
    if (p.manifest.auditorKey !== undefined) committee.push(Uint8Array.from(Buffer.from(p.manifest.auditorKey.slice(2), 'hex')))
    // The update is charged to the privacy ledger here, before it is encrypted and shared, and not
    // when it was trained: a round that aborts before this node shares costs it no ε. Charged
    // first, so a node killed between the charge and the share over-counts, never under-counts.
    const charge = saved?.round === round.round ? saved.commit?.privacyCharge : undefined
    if (charge !== undefined) {
      try {
        await p.trainer.chargeRelease(round.round, charge)
      } catch (error) {
        if (!(error instanceof PrivacyBudgetExceededError)) throw error
        sitOutRound = round.round
        log.warn('privacy budget exhausted: not sharing this round', { taskId, round: round.round, epsilonSpent: p.trainer.epsilonSpent(), error })
        return
      }
    }
    const epsilon = p.trainer.epsilonSpent()
    const { receipt, cid } = await p.participant.share({ round: round.round, recipients: committee, ...(epsilon > 0 ? { epsilonSpent: epsilon } : {}) })
    log.info('shared', { taskId, round: round.round, cid, tx: receipt?.hash, recipients: committee.length })
  }

  async function verifyAndSubmit(p: Prepared, round: OpenedRound): Promise<void> {
    phase = 'verifying'
    if (saved?.round === round.round && saved.phase === 'shared') saved = await state.advance(round.round, 'verifying')
    const global = await baseModel(p, round)
    const shared = await client.sharedUpdates(taskId, round.round, round.blockNumber)
    // Fetch every envelope (with a few retries) before judging: a blob missed only because a peer
    // was briefly unreachable would otherwise be rejected by this member and accepted by others.
    for (const event of shared) {
      for (let attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
        const fetched = await init.store.get(event.updateCid).then(() => true, () => false)
        if (fetched) break
        if (attempt < FETCH_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, FETCH_RETRY_MS))
      }
    }
    const { opened: updates, unopened } = await p.participant.openUpdates({ round: round.round, shared })
    const indexOf = new Map<string, number>()
    const reputationOf = new Map<string, number>()
    for (const event of shared) {
      const address = event.hospital.toLowerCase()
      const { index } = await client.hospital(event.hospital)
      indexOf.set(address, index)
      reputationOf.set(address, Number(await client.reputationScore(index)) / WAD_FLOAT)
    }
    const verdict = decideCommitteeVerdict({ round: round.round, network: p.network, global, opened: updates, unopened, indexOf, reputationOf, ...(p.validation === undefined ? {} : { validation: p.validation }) })
    const modelCid = await init.store.put(verdict.modelBytes)
    const receipt = await client.submitVerdict({
      taskId,
      round: round.round,
      acceptedBitmap: verdict.acceptedBitmap,
      modelSha256: sha256Hex(verdict.modelBytes),
      modelCid,
      qualityScores: verdict.qualityScores,
    })
    if (saved?.round === round.round && saved.phase === 'verifying') saved = await state.advance(round.round, 'submitted', { submissionTx: receipt.hash })
    log.info('verdict submitted', { taskId, round: round.round, accepted: verdict.accepted.length, rejected: verdict.rejected, modelCid, tx: receipt.hash })
  }

  /** finalize/abort race between nodes: whoever is second gets a revert that means "already done". */
  async function quietly(action: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run()
      log.info(action, { taskId, round: schedule?.round })
    } catch (error) {
      log.debug(`${action} not needed`, { taskId, reason: (error as { errorName?: string }).errorName ?? (error as Error).message })
    }
  }

  return {
    taskId,
    get done() {
      return done
    },

    get round() {
      return currentRound()
    },

    async tick() {
      schedule = await readTaskSchedule(aggregator, taskId)
      if (schedule.status === TaskStatus.None) {
        // `--task` may name a task the owner has not created yet.
        phase = 'waiting for the task'
        return
      }
      const p = await prepare()
      saved = await state.load()
      if (saved !== undefined && !isTerminal(saved.phase) && (schedule.round > saved.round || schedule.status !== TaskStatus.RoundOpen)) await concludeSaved(p)
      if (schedule.status === TaskStatus.Completed || schedule.status === TaskStatus.Closed) {
        const status = TASK_STATUS_NAMES[schedule.status]
        if (!done) {
          log.info('task over', { taskId, status, finalizedRounds: schedule.finalizedRounds })
          init.gossip?.leaveTask(taskId.toString())
        }
        done = true
        phase = status
        return
      }
      if (schedule.status !== TaskStatus.RoundOpen) {
        phase = saved?.phase ?? 'idle'
        return
      }
      const r = schedule.round
      if (opened?.round !== r) opened = await findRoundOpened(aggregator, taskId, r)
      if (opened === undefined) return
      const round = opened
      const live = await client.roundState(taskId)
      const t = now()
      const commitOver = t > Number(round.commitDeadline) + DEADLINE_MARGIN_S
      const shareOver = t > Number(round.shareDeadline) + DEADLINE_MARGIN_S
      const verifyOver = t > Number(round.verifyDeadline) + DEADLINE_MARGIN_S
      phase = saved?.round === r ? saved.phase : 'idle'

      const enoughCommitted = indicesOf(live.committed).length >= schedule.minParticipants
      // Read at most once per tick, and only by the steps that need it.
      let active: Promise<bigint> | undefined
      const everyoneCommitted = async () => live.committed === (await (active ??= readActiveHospitals(aggregator)))
      if ((live.committed & bit) === 0n) {
        if (t <= Number(round.commitDeadline) && sitOutRound !== r) {
          await trainAndCommit(p, round)
          return
        }
      } else if (saved?.round === r && saved.phase === 'committed' && !shareOver && sitOutRound !== r) {
        // A round with too few commitments once they are over can only abort: the update is not
        // released (and its ε not spent) for a round that cannot count.
        if ((commitOver || (await everyoneCommitted())) && enoughCommitted) {
          await share(p, round)
          return
        }
      }
      const isMember = (live.committee & bit) !== 0n
      // The contract refuses verdicts on a round with too few commitments: it can only abort.
      if (isMember && (live.submitted & bit) === 0n && !live.quorumReached && !verifyOver && live.committed !== 0n && enoughCommitted) {
        const allShared = live.shared === live.committed
        const commitsDone = commitOver || (await everyoneCommitted())
        if (shareOver || (allShared && commitsDone)) {
          await verifyAndSubmit(p, round)
          return
        }
      }
      if (live.quorumReached) {
        await quietly('finalized round', () => client.finalize(taskId, r))
      } else if (verifyOver || (commitOver && !enoughCommitted)) {
        await quietly('aborted round', () => client.abortRound(taskId, r))
      }
    },

    status() {
      return {
        taskId: taskId.toString(),
        round: currentRound(),
        phase,
        taskStatus: schedule === undefined ? 'unknown' : TASK_STATUS_NAMES[schedule.status],
        rounds: [...rounds],
        epsilonSpent: prepared?.trainer.epsilonSpent() ?? 0,
        ...(prepared?.epsilonBudget === undefined ? {} : { epsilonBudget: prepared.epsilonBudget, delta: prepared.delta }),
        ...(prepared === undefined ? {} : { scaling: scalingOf(prepared.manifest) }),
      }
    },
  }
}
