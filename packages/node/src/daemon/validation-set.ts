import { NodeConfigError } from '../config/errors.js'
import type { TaskStandardization, TaskValidationSet } from '../config/task-manifest.js'
import { parseCsv } from '../learning/data/csv.js'
import type { Dataset } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'
import { applyStandardizer, fitStandardizer, standardizerOf } from '../learning/data/standardize.js'
import { DatasetError } from '../learning/errors.js'
import { sha256Hex } from '../protocol/participant.js'
import type { BlobStore } from '../storage/blob-store.js'
import { TaskIncompatibleError, ValidationSetHashMismatchError, ValidationSetUnavailableError } from './errors.js'

/** Parameters of {@link parseValidationSet}. */
export interface ParseValidationSetParameters {
  /** The CSV bytes (UTF-8, header row), as stored in the blob. */
  readonly bytes: Uint8Array
  /** The task's schema: the same columns and label values as every hospital's CSV. */
  readonly schema: DatasetSchema
  /** Names the CSV in errors (a path, or the blob's CID). */
  readonly source: string
  /** The task's feature scaling; omitted: statistics fitted on the validation rows alone. */
  readonly standardization?: TaskStandardization
}

/**
 * Parses a validation CSV with the loader the nodes use for their own rows and standardizes it
 * with the task's scaling, or without one with statistics fitted on the validation rows alone.
 * Every committee member must feed the loss check bit-identical inputs, so nothing a member holds
 * privately (its own rows, their mean and variance) may enter: the result depends only on what the
 * manifest pins.
 *
 * @throws {DatasetError} the CSV does not follow `schema` (codes as `parseCsv`)
 */
export function parseValidationSet(p: ParseValidationSetParameters): Dataset {
  const raw = parseValidationRows(p)
  return applyStandardizer(raw, p.standardization === undefined ? fitStandardizer(raw) : standardizerOf(p.standardization))
}

/**
 * `task create`'s default feature scaling: the mean and standard deviation of each feature over the
 * validation rows, the only data every hospital holds alike.
 * @throws {DatasetError} the CSV does not follow `schema`
 */
export function validationStandardization(p: ParseValidationSetParameters): TaskStandardization {
  return standardizationOfRows(parseValidationRows(p))
}

/** The mean and standard deviation of each feature over `rows` (raw), as a task records them. */
export function standardizationOfRows(rows: Dataset): TaskStandardization {
  const { mean, std } = fitStandardizer(rows)
  return { mean: [...mean], std: [...std] }
}

function parseValidationRows(p: ParseValidationSetParameters): Dataset {
  // Decoded as `readFile(path, 'utf8')` decodes a node's own CSV, so both loaders see the same text.
  return parseCsv({ text: new TextDecoder().decode(p.bytes), schema: p.schema, source: p.source })
}

/**
 * `task create --validation`: refuses a CSV the nodes could not load with the task's schema,
 * before anything is stored or sent.
 *
 * @returns the number of validation rows
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` naming `--validation`, with the CSV problem
 *   (a {@link DatasetError}) as `cause` and its code in `details.reason`
 */
export function checkValidationCsv(p: ParseValidationSetParameters): number {
  return checkValidationRows(p).labels.length
}

/**
 * {@link checkValidationCsv} returning the parsed rows, unscaled, for a caller that also fits the
 * task's scaling on them.
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` naming `--validation`
 */
export function checkValidationRows(p: ParseValidationSetParameters): Dataset {
  try {
    return parseValidationRows(p)
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error
    throw new NodeConfigError('CONFIG_ARGUMENT_INVALID', `--validation does not match the task's schema: ${error.shortMessage}`, {
      details: { argument: 'validation', reason: error.code, ...error.details },
      cause: error,
      hint: `${error.hint ?? 'fix the CSV'}; the --validation CSV must follow the task's schema, like every hospital's CSV`,
    })
  }
}

/** Parameters of {@link loadValidationSet}. */
export interface LoadValidationSetParameters {
  readonly taskId: bigint
  readonly store: BlobStore
  /** What the task manifest records. */
  readonly validation: TaskValidationSet
  /** The task manifest's schema. */
  readonly schema: DatasetSchema
  /** The task manifest's feature scaling, if it sets one. */
  readonly standardization?: TaskStandardization
}

/**
 * The daemon's side of a task's validation set: fetches the blob by CID, checks it against the
 * sha256 the manifest records and parses and standardizes it with {@link parseValidationSet}.
 *
 * @throws {ValidationSetUnavailableError} no peer delivered the blob (worth retrying)
 * @throws {ValidationSetHashMismatchError} the store returned other bytes (worth retrying)
 * @throws {TaskIncompatibleError} `manifest-invalid`: the CSV does not follow the task's schema.
 *   Final: the manifest, whose hash the chain pins, names exactly these bytes.
 */
export async function loadValidationSet(p: LoadValidationSetParameters): Promise<Dataset> {
  const { taskId, validation } = p
  let bytes: Uint8Array
  try {
    bytes = await p.store.get(validation.cid)
  } catch (cause) {
    throw new ValidationSetUnavailableError(taskId, validation.cid, cause)
  }
  // Blob stores check bytes against their CID already; checked again here because the loss check
  // is only as sound as these bytes, and a BlobStore is an interface anyone may implement.
  const digest = sha256Hex(bytes)
  if (digest !== validation.sha256.toLowerCase()) throw new ValidationSetHashMismatchError(taskId, validation.cid, validation.sha256, digest)
  try {
    return parseValidationSet({ bytes, schema: p.schema, source: `validation set ${validation.cid}`, ...(p.standardization === undefined ? {} : { standardization: p.standardization }) })
  } catch (cause) {
    if (!(cause instanceof DatasetError)) throw cause
    throw new TaskIncompatibleError(taskId, `its validation set is unusable (${cause.shortMessage})`, 'the task owner must create a new task with `fedchain task create --validation` and a CSV that follows the task schema; this node does not follow this one', 'manifest-invalid')
  }
}
