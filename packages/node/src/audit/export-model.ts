import { deserializeParams, type ModelBlobHeader } from '../learning/model/serialize.js'
import { sha256Hex } from '../protocol/participant.js'
import { writeBytesAtomic } from '../util/atomic-bytes.js'
import type { BlobStoreSet } from './blob-copies.js'
import type { ChainHistory } from './chain-history.js'
import { decodeHistory } from './decode-events.js'
import { ModelExportError, TaskNotFoundError } from './errors.js'
import { lastFinalized, quorumVerdict, taskIds, taskTimeline } from './task-timeline.js'

/** Inputs of {@link loadFinalizedModel}. */
export interface LoadFinalizedModelParameters {
  readonly history: ChainHistory
  /** @default the history's task, else the last task created */
  readonly taskId?: bigint
  /** The contract's round id. @default the last finalized round */
  readonly round?: number
  readonly stores: BlobStoreSet
}

/** A finalized global model whose bytes hash to the chain's `modelSha256`. */
export interface VerifiedModel {
  readonly taskId: bigint
  readonly round: number
  /** 0x-hex sha256, as RoundFinalized recorded it. */
  readonly modelSha256: string
  readonly modelCid: string
  readonly bytes: Uint8Array
  readonly header: ModelBlobHeader
  readonly params: Float32Array
}

/**
 * Fetches the global model a round finalized and checks it against the chain: its blob (the CID the
 * quorum submitted) must hash to RoundFinalized's `modelSha256`.
 * @throws {TaskNotFoundError} for an unknown task or round
 * @throws {ModelExportError} when the round was not finalized, no copy is stored, or the bytes do not match the on-chain hash
 */
export async function loadFinalizedModel(parameters: LoadFinalizedModelParameters): Promise<VerifiedModel> {
  const { events } = decodeHistory(parameters.history)
  const taskId = parameters.taskId ?? parameters.history.taskId ?? taskIds(events).at(-1)
  if (taskId === undefined) throw new TaskNotFoundError('a task', [])
  const task = taskTimeline(events, taskId)
  const finalizedRounds = task.rounds.filter((r) => r.status === 'finalized').map((r) => String(r.round))
  let round = lastFinalized(task)
  if (parameters.round !== undefined) {
    round = task.rounds.find((r) => r.round === parameters.round)
    if (round === undefined) throw new TaskNotFoundError(`round ${parameters.round} of task ${taskId}`, finalizedRounds)
  }
  if (round === undefined || round.finalized === undefined) {
    throw new ModelExportError(
      round === undefined ? `task ${taskId} has no finalized round yet` : `round ${round.round} of task ${taskId} was ${round.status === 'aborted' ? 'aborted' : 'not finalized yet'}: it has no global model`,
      { taskId: taskId.toString(), round: round?.round },
      finalizedRounds.length === 0 ? 'wait for a round to finalize (fedchain status)' : `export one of the finalized rounds: ${finalizedRounds.join(', ')}`,
    )
  }
  const modelSha256 = round.finalized.modelSha256.toLowerCase()
  const verdict = quorumVerdict(round)
  if (verdict === undefined) {
    throw new ModelExportError(`round ${round.round} of task ${taskId} has no quorum submission naming its model CID`, { taskId: taskId.toString(), round: round.round }, 'the chain history is incomplete; read it again from the RPC endpoint')
  }
  const lookup = await parameters.stores.lookup(verdict.modelCid)
  const corrupt = lookup.copies.filter((c) => c.status === 'corrupt').map((c) => c.store)
  if (lookup.bytes === undefined) {
    throw new ModelExportError(
      `no valid copy of the model of round ${round.round} (${verdict.modelCid}) in ${parameters.stores.dirs.length} blob store${parameters.stores.dirs.length === 1 ? '' : 's'}${corrupt.length > 0 ? `; corrupt copies in ${corrupt.join(', ')}` : ''}`,
      { cid: verdict.modelCid, corrupt, stores: parameters.stores.dirs },
      corrupt.length > 0 ? 'the stored model was tampered with or corrupted; fetch it from another node’s store (--blobs) and run `fedchain audit`' : 'pass --blobs <dir> with a node store that holds the model',
    )
  }
  const actual = sha256Hex(lookup.bytes)
  if (actual !== modelSha256) {
    throw new ModelExportError(
      `the model of round ${round.round} hashes to ${actual}, not the on-chain ${modelSha256}; refusing to export it`,
      { cid: verdict.modelCid, expected: modelSha256, actual },
      'the quorum published a CID whose content is not the finalized model; run `fedchain audit` to see which party diverged',
    )
  }
  const { header, params } = deserializeParams(lookup.bytes)
  return { taskId, round: round.round, modelSha256, modelCid: verdict.modelCid, bytes: lookup.bytes, header, params }
}

/** The JSON export: the header (model spec hash, shapes) and one flat array of parameters per tensor. */
export interface ModelJson {
  readonly format: 'fedchain-model'
  readonly version: 1
  readonly taskId: string
  readonly round: number
  readonly modelSha256: string
  readonly modelCid: string
  readonly specHash: string
  readonly dtype: 'float32'
  readonly shapes: readonly (readonly number[])[]
  /** Row-major values of each tensor, in the order of `shapes`. */
  readonly parameters: readonly (readonly number[])[]
}

/** {@link VerifiedModel} as {@link ModelJson}; float32 values print exactly and parse back to the same floats. */
export function modelToJson(model: VerifiedModel): ModelJson {
  const parameters: number[][] = []
  let offset = 0
  for (const shape of model.header.shapes) {
    const size = shape.reduce((a, b) => a * b, 1)
    parameters.push(Array.from(model.params.subarray(offset, offset + size)))
    offset += size
  }
  return {
    format: 'fedchain-model',
    version: 1,
    taskId: model.taskId.toString(),
    round: model.round,
    modelSha256: model.modelSha256,
    modelCid: model.modelCid,
    specHash: model.header.specHash,
    dtype: model.header.dtype,
    shapes: model.header.shapes,
    parameters,
  }
}

/** Output formats of `fedchain export`. */
export type ExportFormat = 'bin' | 'json'

/** Writes the model (the verified blob itself, or its JSON form) atomically to `path`. */
export async function writeModelExport(model: VerifiedModel, path: string, format: ExportFormat): Promise<number> {
  const bytes = format === 'bin' ? model.bytes : new TextEncoder().encode(`${JSON.stringify(modelToJson(model))}\n`)
  await writeBytesAtomic(path, bytes, 0o644)
  return bytes.length
}
