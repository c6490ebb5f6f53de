import { randomInt } from 'node:crypto'
import { connectFedToken, DEFAULT_TASK_TIMING, findRoundOutcome, WAD } from '@fedchain/aggregator-contract'
import { DEFAULT_RDP_ORDERS, privacySpent } from '@fedchain/dp'
import type { Contract, Signer } from 'ethers'
import { sendAndWait } from '../chain/send.js'
import { invalidArgument } from '../config/errors.js'
import { cidOfSha256, decodeTaskManifest, encodeTaskManifest, taskManifestHash, type TaskManifest, type TaskScaling, type TaskStandardization, scalingOf } from '../config/task-manifest.js'
import type { Dataset } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'
import { buildNetwork, initParams } from '../learning/model/network.js'
import { serializeParams } from '../learning/model/serialize.js'
import type { ModelSpec } from '../learning/model/spec.js'
import { SeededRandom } from '../learning/random.js'
import { createAggregatorClient, type AggregatorClient } from '../protocol/aggregator-client.js'
import { epsilonToWad, sha256Hex } from '../protocol/participant.js'
import type { BlobStore } from '../storage/blob-store.js'
import { PrivacyTargetUnreachableError } from './errors.js'
import { abortableSleep } from './membership.js'
import { checkValidationRows, standardizationOfRows } from './validation-set.js'

/** Parameters of {@link createTask}. */
export interface CreateTaskParameters {
  /** The task owner (holds the task-creator role; pays the reward escrow). */
  readonly signer: Signer
  readonly aggregator: string
  readonly model: ModelSpec
  readonly schema: DatasetSchema
  readonly rounds: number
  /** Where the initial model and the task manifest are stored; nodes fetch them from there over libp2p. */
  readonly store: BlobStore
  /** Reward per round, token units. @default 1000 FED */
  readonly rewardPerRound?: bigint
  /** @default 7 */
  readonly committeeSize?: number
  /** @default 1 */
  readonly minParticipants?: number
  /** Record-level DP budget for the whole task; omitted: no DP. */
  readonly dp?: { readonly epsilon: number; readonly delta: number }
  /** Phase durations, seconds. @default 60 / 60 / 120 */
  readonly timing?: { readonly commitDuration?: number; readonly shareDuration?: number; readonly verifyDuration?: number }
  readonly training?: Partial<TaskManifest['training']>
  /** Raw X25519 public key (0x-hex) of the task's auditor; updates are also encrypted to it. */
  readonly auditorKey?: string
  /** Seed of the initial parameters. @default random */
  readonly seed?: number
  /**
   * A validation CSV following `schema` that every committee member scores updates on (the
   * holdout-loss check). Its rows go to every hospital: only data the task owner may share with
   * all of them (public or consented reference data), never one hospital's patient records.
   * Omitted: the committee runs the norm and cosine checks only.
   */
  readonly validation?: {
    readonly csv: Uint8Array
    /** Names the CSV in errors (its path). @default '<validation csv>' */
    readonly source?: string
  }
  /**
   * The feature scaling every node applies (see {@link TaskStandardization}): given statistics,
   * `'validation'` (fitted on the validation CSV) or `'local'` (none in the manifest: each node
   * fits its own). @default 'validation' with a validation CSV, else 'local'
   */
  readonly standardization?: TaskStandardization | 'validation' | 'local'
}

/** What {@link createTask} did. */
export interface CreateTaskReturnType {
  readonly taskId: bigint
  readonly txHash: string
  readonly modelCid: string
  readonly modelSha256: string
  readonly manifestCid: string
  readonly manifestSha256: string
  /** With a validation set: where its CSV is stored, and how many rows it has. */
  readonly validation?: { readonly cid: string; readonly sha256: string; readonly rows: number }
  /** Whether the manifest sets one feature scaling for every node. */
  readonly standardization: TaskScaling

  readonly escrow: bigint
}

/**
 * `fedchain task create`: initial parameters and the task manifest (model spec, data schema,
 * training recipe) go into `store`; the escrow (reward × rounds) is approved (minted first when the
 * owner holds the minter role and lacks tokens) and the task is created with the model's sha256 and
 * the manifest's sha256 as its `dataSchemaHash`. A validation CSV is checked against the schema
 * and stored as a blob beside the manifest, which records its CID and sha256.
 *
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` (`--validation`) when the validation CSV does
 *   not follow the schema, before anything is stored or sent
 */
export async function createTask(p: CreateTaskParameters): Promise<CreateTaskReturnType> {
  if (p.dp !== undefined) checkPrivacyTarget(p.dp)
  const validation = p.validation === undefined ? undefined : describeValidationCsv(p.validation, p.schema)
  const standardization = taskStandardization(p, validation?.raw)
  const network = buildNetwork(p.model)
  const initial = serializeParams(network, initParams(network, new SeededRandom(p.seed ?? randomInt(2 ** 31))))
  const manifest: TaskManifest = {
    format: 'fedchain-task',
    version: 1,
    model: p.model,
    schema: p.schema,
    training: { epochs: 1, batchSize: 32, learningRate: 0.1, clipNorm: 1, ...p.training },
    ...(p.auditorKey === undefined ? {} : { auditorKey: p.auditorKey.toLowerCase() }),
    ...(validation === undefined ? {} : { validation: { cid: validation.cid, sha256: validation.sha256 } }),
    ...(standardization === undefined ? {} : { standardization }),
  }
  // Validate before anything is stored or sent.
  decodeTaskManifest(encodeTaskManifest(manifest))
  const manifestBytes = encodeTaskManifest(manifest)
  const modelCid = await p.store.put(initial)
  if (validation !== undefined) await p.store.put(validation.csv)
  const manifestCid = await p.store.put(manifestBytes)
  const client = await createAggregatorClient({ address: p.aggregator, signer: p.signer })
  const owner = await p.signer.getAddress()
  const rewardPerRound = p.rewardPerRound ?? 1_000n * WAD
  const escrow = rewardPerRound * BigInt(p.rounds)
  if (escrow > 0n) await ensureEscrow(client.contract, p.signer, owner, escrow)
  const timing = { ...DEFAULT_TASK_TIMING, ...p.timing }
  const modelSha256 = sha256Hex(initial)
  const manifestSha256 = taskManifestHash(manifestBytes)
  const { taskId, receipt } = await client.createTask({
    modelSpecCid: modelCid,
    modelSpecSha256: modelSha256,
    dataSchemaHash: manifestSha256,
    rounds: p.rounds,
    commitDuration: timing.commitDuration,
    shareDuration: timing.shareDuration,
    verifyDuration: timing.verifyDuration,
    committeeSize: p.committeeSize ?? DEFAULT_TASK_TIMING.committeeSize,
    minParticipants: p.minParticipants ?? 1,
    dpEpsilon: p.dp === undefined ? 0n : epsilonToWad(p.dp.epsilon),
    dpDelta: p.dp === undefined ? 0n : epsilonToWad(p.dp.delta),
    rewardPerRound,
    committeeFeeBps: DEFAULT_TASK_TIMING.committeeFeeBps,
    slashAmount: DEFAULT_TASK_TIMING.slashAmount,
  })
  return {
    taskId,
    txHash: receipt.hash,
    modelCid,
    modelSha256,
    manifestCid,
    manifestSha256,
    ...(validation === undefined ? {} : { validation: { cid: validation.cid, sha256: validation.sha256, rows: validation.rows } }),
    standardization: scalingOf(manifest),
    escrow,
  }
}

/** The manifest's feature scaling for {@link CreateTaskParameters.standardization}. */
function taskStandardization(p: CreateTaskParameters, validationRows: Dataset | undefined): TaskStandardization | undefined {
  const choice = p.standardization ?? (validationRows === undefined ? 'local' : 'validation')
  if (choice === 'local') return undefined
  if (choice !== 'validation') return choice
  if (validationRows === undefined) throw invalidArgument('standardization', 'validation needs a --validation CSV to fit the statistics on', 'add --validation <csv>, or use --standardization local')
  return standardizationOfRows(validationRows)
}

/**
 * A validation CSV checked against the task's schema (as the nodes will load it), with the CID it
 * will be stored under: blob CIDs embed the sha256 (CIDv1 raw sha2-256), so the manifest can name
 * the blob before anything is stored.
 */
function describeValidationCsv(validation: NonNullable<CreateTaskParameters['validation']>, schema: DatasetSchema): { csv: Uint8Array; cid: string; sha256: string; rows: number; raw: Dataset } {
  const raw = checkValidationRows({ bytes: validation.csv, schema, source: validation.source ?? '<validation csv>' })
  const sha256 = sha256Hex(validation.csv)
  return { csv: validation.csv, cid: cidOfSha256(sha256), sha256, rows: raw.labels.length, raw }
}

/**
 * The smallest ε any DP-SGD run reaches at `delta`: the accountant's conversion of zero Rényi
 * divergence (unbounded noise) at its largest order. A budget below it is unreachable whatever
 * the data, the rounds and the recipe.
 */
export function epsilonFloor(delta: number): number {
  return privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp: new Float64Array(DEFAULT_RDP_ORDERS.length), delta }).epsilon
}

/**
 * Refuses a DP budget that no hospital can meet, before anything is stored or sent.
 *
 * Only the floor every dataset shares can be checked here. Whether a budget above it is reachable
 * depends on each hospital's DP-SGD steps, i.e. on its row count (sampling rate = batch / rows,
 * steps = rounds × epochs × rows / batch), which the task creator does not know: a node that finds
 * the budget unreachable for its rows logs `privacy target unreachable` once per round and sits the
 * rounds out (PrivacyTargetUnreachableError in the local trainer). In practice the noise cap moves
 * that limit only by a negligible amount above the floor.
 */
export function checkPrivacyTarget(dp: { readonly epsilon: number; readonly delta: number }): void {
  // The values the nodes will read back from the chain (WAD, nine decimals).
  const epsilon = Number(epsilonToWad(dp.epsilon)) / 1e18
  const delta = Number(epsilonToWad(dp.delta)) / 1e18
  if (!(delta > 0 && delta < 1)) {
    throw invalidArgument('dp-delta', `must be between 1e-9 and 1 (the chain keeps nine decimals), got '${dp.delta}'`, 'e.g. --dp-delta 1e-5 (well below 1 / the number of rows)')
  }
  const floor = epsilonFloor(delta)
  if (!(epsilon > floor)) {
    throw new PrivacyTargetUnreachableError(`a DP budget of ε = ${dp.epsilon} is unreachable at δ = ${delta}: no amount of noise brings ε below ${floor.toFixed(4)}, whatever the data`, {
      details: { epsilon: dp.epsilon, delta, epsilonFloor: floor },
      hint: `pass a --dp-epsilon above ${floor.toFixed(4)} (or a larger --dp-delta); the budget covers all the task’s rounds`,
    })
  }
}

async function ensureEscrow(aggregator: Contract, signer: Signer, owner: string, escrow: bigint): Promise<void> {
  const token = connectFedToken((await aggregator.getFunction('token')()) as string, signer)
  const balance = (await token.getFunction('balanceOf')(owner)) as bigint
  if (balance < escrow) {
    const minter = (await token.getFunction('MINTER_ROLE')()) as string
    if ((await token.getFunction('hasRole')(minter, owner)) as boolean) {
      await sendAndWait({ action: 'mint the reward escrow', send: () => token.getFunction('mint')(owner, escrow - balance) })
    }
  }
  const allowance = (await token.getFunction('allowance')(owner, aggregator.target)) as bigint
  if (allowance < escrow) await sendAndWait({ action: 'approve the reward escrow', send: () => token.getFunction('approve')(aggregator.target, escrow) })
}

/** Parameters of {@link launchRound}. */
export interface LaunchRoundParameters {
  readonly signer: Signer
  readonly aggregator: string
  readonly taskId: bigint
  /** Wait until the round is finalized or aborted. @default false */
  readonly wait?: boolean
  readonly pollMs?: number
  readonly signal?: AbortSignal
}

/** What {@link launchRound} did. */
export interface LaunchRoundReturnType {
  readonly taskId: bigint
  readonly round: number
  readonly txHash: string
  readonly committee: bigint
  readonly quorum: number
  readonly deadlines: { readonly commit: number; readonly share: number; readonly verify: number }
  /** With `wait`: how the round ended. */
  readonly outcome?: 'finalized' | 'aborted'
  readonly outcomeTx?: string
  readonly modelSha256?: string
}

/** `fedchain round launch`: opens the task's next round (anyone may), optionally waiting for its end. */
export async function launchRound(p: LaunchRoundParameters, client?: AggregatorClient): Promise<LaunchRoundReturnType> {
  const aggregator = client ?? (await createAggregatorClient({ address: p.aggregator, signer: p.signer }))
  const { receipt, event } = await aggregator.openRound(p.taskId)
  const launched: LaunchRoundReturnType = {
    taskId: p.taskId,
    round: event.round,
    txHash: receipt.hash,
    committee: event.committee,
    quorum: event.quorum,
    deadlines: { commit: Number(event.commitDeadline), share: Number(event.shareDeadline), verify: Number(event.verifyDeadline) },
  }
  if (p.wait !== true) return launched
  const signal = p.signal ?? new AbortController().signal
  for (;;) {
    const outcome = await findRoundOutcome(aggregator.contract, p.taskId, event.round, receipt.blockNumber)
    if (outcome !== undefined) {
      return { ...launched, outcome: outcome.outcome, outcomeTx: outcome.txHash, ...(outcome.outcome === 'finalized' ? { modelSha256: outcome.event.modelSha256 } : {}) }
    }
    await abortableSleep(p.pollMs ?? 1_000, signal)
  }
}
