import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { parseDatasetSchema, type DatasetSchema } from '../learning/data/schema.js'
import { validateModelSpec, type ModelSpec } from '../learning/model/spec.js'
import { parseBlobCid } from '../storage/cid.js'
import { NodeConfigError } from './errors.js'

/**
 * The blob of a task's shared validation set: a CSV following the task's schema, stored next to the
 * manifest. Its sha256 is the digest the CID embeds (blob CIDs are CIDv1 raw sha2-256); both are
 * recorded so a node checks the bytes it is handed against the manifest, whose own hash the chain pins.
 */
export interface TaskValidationSet {
  /** CIDv1 raw sha2-256 of the CSV bytes (`bafkrei…`). */
  readonly cid: string
  /** sha256 of the CSV bytes, 0x-hex, lower case. */
  readonly sha256: string
}

/**
 * Feature scaling every node applies to its rows before training and scoring: x ↦ (x − mean) / std
 * per feature, in schema order. One set for the whole task, so that a raw value means the same model
 * input at every hospital; statistics each node fitted on its own rows differ under non-IID data
 * (one hospital's mean is another's outlier), which skews the model and the committee's checks.
 */
export interface TaskStandardization {
  readonly mean: readonly number[]
  /** Positive. */
  readonly std: readonly number[]
}

/**
 * Everything a node needs besides the initial parameters to take part in a task: the model spec
 * (to rebuild the network the parameters belong to), the data schema its CSV must follow, and the
 * local training recipe. `fedchain task create` stores it as a blob and records its sha256 as the
 * task's `dataSchemaHash`, so the chain binds the schema (and the rest) of every task.
 */
export interface TaskManifest {
  readonly format: 'fedchain-task'
  readonly version: 1
  readonly model: ModelSpec
  readonly schema: DatasetSchema
  readonly training: {
    /** Local epochs per round. */
    readonly epochs: number
    readonly batchSize: number
    readonly learningRate: number
    /** Clip norm C of DP-SGD when the task sets a DP budget. */
    readonly clipNorm: number
  }
  /**
   * Raw X25519 public key (0x-hex, 32 bytes) of the task's auditor: every update is also encrypted
   * to it, so an auditor can later recompute each aggregate (`fedchain audit`). Omitted: no auditor.
   */
  readonly auditorKey?: string
  /**
   * A validation set every committee member scores updates on (`task create --validation`), so
   * the committee can run the holdout-loss check and still reach bit-identical verdicts. Its rows
   * are shared with every hospital: public or consented reference data, never one hospital's
   * patient records. Omitted: the committee runs the norm and cosine checks only. A node too old
   * to know this field ignores it and so may disagree with the others on a round (which then
   * aborts): every committee member must understand it.
   */
  readonly validation?: TaskValidationSet
  /**
   * The task's feature scaling (`task create` fits it on the validation set by default). Omitted:
   * each node standardizes its rows with statistics fitted on them alone. Like `validation`, every
   * node must understand it: one that ignores it trains on differently scaled inputs.
   */
  readonly standardization?: TaskStandardization
}

/** Whether a task sets one feature scaling for every node (`task`) or leaves each node to its own statistics (`local`). */
export type TaskScaling = 'task' | 'local'

/** The {@link TaskScaling} of a manifest. */
export function scalingOf(manifest: Pick<TaskManifest, 'standardization'>): TaskScaling {
  return manifest.standardization === undefined ? 'local' : 'task'
}

/** The manifest's canonical bytes (the blob stored and hashed). */
export function encodeTaskManifest(manifest: TaskManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest))
}

/** sha256 of the manifest bytes, 0x-hex: the task's `dataSchemaHash`. */
export function taskManifestHash(bytes: Uint8Array): string {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`
}

/**
 * The blob CID of a manifest known only by its sha256 (CIDv1 raw sha2-256 embeds the digest), so
 * nodes find the manifest from the chain's `dataSchemaHash` alone.
 */
export function cidOfSha256(sha256Hex: string): string {
  const bytes = Buffer.from(sha256Hex.replace(/^0x/, ''), 'hex')
  if (bytes.length !== 32) throw new RangeError(`expected a 32-byte sha256, got ${bytes.length} bytes`)
  return CID.createV1(raw.code, createDigest(sha256.code, bytes)).toString()
}

function bad(problem: string): NodeConfigError {
  return new NodeConfigError('TASK_MANIFEST_INVALID', `task manifest: ${problem}`, {
    hint: 'the task was created by an incompatible tool or its manifest blob is corrupted',
  })
}

/** Parses and checks manifest bytes. @throws {NodeConfigError} `TASK_MANIFEST_INVALID` */
export function decodeTaskManifest(bytes: Uint8Array): TaskManifest {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch (cause) {
    throw new NodeConfigError('TASK_MANIFEST_INVALID', 'task manifest is not JSON', { cause })
  }
  const v = value as Partial<TaskManifest> | null
  if (v?.format !== 'fedchain-task' || v.version !== 1) throw bad('not a fedchain task manifest of version 1')
  if (typeof v.model !== 'object' || v.model === null) throw bad('model spec missing')
  validateModelSpec(v.model)
  const schema = parseDatasetSchema(v.schema)
  const t = v.training
  const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0
  if (t === undefined || !Number.isInteger(t.epochs) || !positive(t.epochs) || !Number.isInteger(t.batchSize) || !positive(t.batchSize) || !positive(t.learningRate) || !positive(t.clipNorm)) {
    throw bad('training must hold positive epochs, batchSize, learningRate and clipNorm')
  }
  if (v.auditorKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(v.auditorKey)) throw bad('auditorKey must be a 32-byte 0x-hex X25519 public key')
  const validation = v.validation === undefined ? undefined : decodeValidationSet(v.validation)
  const standardization = v.standardization === undefined ? undefined : decodeStandardization(v.standardization, schema.features.length)
  return {
    format: 'fedchain-task',
    version: 1,
    model: v.model,
    schema,
    training: t,
    ...(v.auditorKey === undefined ? {} : { auditorKey: v.auditorKey.toLowerCase() }),
    ...(validation === undefined ? {} : { validation }),
    ...(standardization === undefined ? {} : { standardization }),
  }
}

function decodeStandardization(value: unknown, features: number): TaskStandardization {
  const problem = standardizationProblem(value, features)
  if (problem !== undefined) throw bad(`standardization.${problem}`)
  return value as TaskStandardization
}

/**
 * What is wrong with a {@link TaskStandardization} for a schema of `features` columns, e.g.
 * `std must hold positive numbers`; undefined when nothing is.
 */
export function standardizationProblem(value: unknown, features: number): string | undefined {
  const { mean, std } = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof TaskStandardization, unknown>>
  const check = (list: unknown, name: string, ok: (x: number) => boolean, what: string): string | undefined => {
    if (!Array.isArray(list) || list.length !== features) return `${name} must hold one number per feature (${features})`
    if (!list.every((x) => typeof x === 'number' && Number.isFinite(x) && ok(x))) return `${name} must hold ${what} numbers`
    return undefined
  }
  return check(mean, 'mean', () => true, 'finite') ?? check(std, 'std', (x) => x > 0, 'positive')
}

function decodeValidationSet(value: unknown): TaskValidationSet {
  if (typeof value !== 'object' || value === null) throw bad('validation must be an object with cid and sha256')
  const { cid, sha256: digest } = value as Partial<Record<keyof TaskValidationSet, unknown>>
  if (typeof digest !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(digest)) throw bad('validation.sha256 must be a 32-byte 0x-hex sha256')
  let parsed: CID
  try {
    parsed = parseBlobCid(cid as string)
  } catch (cause) {
    throw new NodeConfigError('TASK_MANIFEST_INVALID', `task manifest: validation.cid ${(cause as { shortMessage?: string }).shortMessage ?? String(cause)}`, {
      cause,
      hint: 'the task was created by an incompatible tool or its manifest blob is corrupted',
    })
  }
  // A blob CID embeds the sha256 of its bytes: a pair that disagrees names no blob at all.
  if (cidOfSha256(digest) !== parsed.toString()) throw bad('validation.cid and validation.sha256 name different blobs')
  return { cid: parsed.toString(), sha256: digest.toLowerCase() }
}

/**
 * Whether a node's local schema can serve a task: same features in the same order, same label
 * column and classes.
 * @returns undefined when compatible, otherwise the first difference
 */
export function schemaMismatch(task: DatasetSchema, local: DatasetSchema): string | undefined {
  if (task.features.join('\u0000') !== local.features.join('\u0000')) return `features differ (task: ${task.features.length} columns, local: ${local.features.length})`
  if (task.label.column !== local.label.column) return `label column differs (task: ${task.label.column}, local: ${local.label.column})`
  if (task.label.classes.join('\u0000') !== local.label.classes.join('\u0000')) return `label classes differ (task: ${task.label.classes.join(',')}, local: ${local.label.classes.join(',')})`
  return undefined
}
