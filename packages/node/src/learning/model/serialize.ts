import { ModelError } from '../errors.js'
import type { Network } from './network.js'
import { modelSpecHash } from './spec.js'

/** "FCMP": fedchain model parameters. */
const MAGIC = 0x504d4346
/** Bump when the layout below changes; readers refuse versions they do not know. */
export const MODEL_BLOB_VERSION = 1
const DTYPE_FLOAT32 = 1

/** What a serialized parameter blob says about itself. */
export interface ModelBlobHeader {
  readonly version: number
  readonly dtype: 'float32'
  /** sha256 hex of the model spec the parameters belong to. */
  readonly specHash: string
  readonly shapes: readonly (readonly number[])[]
}

/**
 * Layout (little-endian): u32 magic · u16 version · u8 dtype · u8 reserved · 32-byte spec hash ·
 * u16 tensor count · per tensor (u8 rank, u32 × rank dims) · zero padding to 4 bytes · float32 data.
 */
export function serializeParams(network: Network, params: Float32Array): Uint8Array {
  if (params.length !== network.numParams) {
    throw new ModelError('MODEL_INVALID', `cannot serialize ${params.length} values for a model of ${network.numParams}`)
  }
  const shapes = network.slots.map((s) => s.shape)
  let headerBytes = 4 + 2 + 1 + 1 + 32 + 2
  for (const shape of shapes) headerBytes += 1 + 4 * shape.length
  const dataOffset = Math.ceil(headerBytes / 4) * 4
  const out = new Uint8Array(dataOffset + params.length * 4)
  const view = new DataView(out.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint16(4, MODEL_BLOB_VERSION, true)
  view.setUint8(6, DTYPE_FLOAT32)
  out.set(Buffer.from(modelSpecHash(network.spec), 'hex'), 8)
  view.setUint16(40, shapes.length, true)
  let p = 42
  for (const shape of shapes) {
    view.setUint8(p++, shape.length)
    for (const d of shape) {
      view.setUint32(p, d, true)
      p += 4
    }
  }
  for (let i = 0; i < params.length; i++) view.setFloat32(dataOffset + 4 * i, params[i] as number, true)
  return out
}

function corrupt(problem: string): ModelError {
  return new ModelError('MODEL_BLOB_INVALID', `not a valid model parameter blob: ${problem}`, {
    hint: 'the blob is truncated, corrupted or from another program',
  })
}

/**
 * Reads a blob written by {@link serializeParams}. With `network`, also checks that the spec hash
 * and shapes match it.
 * @throws {ModelError} `MODEL_BLOB_INVALID` on a malformed blob, `MODEL_INVALID` on a spec mismatch
 */
export function deserializeParams(blob: Uint8Array, network?: Network): { header: ModelBlobHeader; params: Float32Array } {
  if (blob.length < 42) throw corrupt(`only ${blob.length} bytes`)
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  if (view.getUint32(0, true) !== MAGIC) throw corrupt('wrong magic number')
  const version = view.getUint16(4, true)
  if (version !== MODEL_BLOB_VERSION) throw corrupt(`format version ${version}, this build reads ${MODEL_BLOB_VERSION}`)
  if (view.getUint8(6) !== DTYPE_FLOAT32) throw corrupt(`unknown dtype code ${view.getUint8(6)}`)
  const specHash = Buffer.from(blob.subarray(8, 40)).toString('hex')
  const count = view.getUint16(40, true)
  const shapes: number[][] = []
  let p = 42
  let total = 0
  for (let t = 0; t < count; t++) {
    if (p >= blob.length) throw corrupt('header ends early')
    const rank = view.getUint8(p++)
    if (p + 4 * rank > blob.length) throw corrupt('header ends early')
    const shape: number[] = []
    for (let d = 0; d < rank; d++) {
      shape.push(view.getUint32(p, true))
      p += 4
    }
    shapes.push(shape)
    total += shape.reduce((a, b) => a * b, 1)
  }
  const dataOffset = Math.ceil(p / 4) * 4
  if (blob.length !== dataOffset + 4 * total) throw corrupt(`expected ${dataOffset + 4 * total} bytes, got ${blob.length}`)
  const params = new Float32Array(total)
  for (let i = 0; i < total; i++) params[i] = view.getFloat32(dataOffset + 4 * i, true)
  const header: ModelBlobHeader = { version, dtype: 'float32', specHash, shapes }
  if (network !== undefined) {
    const expected = modelSpecHash(network.spec)
    const sameShapes =
      shapes.length === network.slots.length && network.slots.every((s, i) => s.shape.join('x') === shapes[i]?.join('x'))
    if (specHash !== expected || !sameShapes) {
      throw new ModelError('MODEL_INVALID', `the blob holds parameters for model spec ${specHash.slice(0, 12)}…, expected ${expected.slice(0, 12)}…`, {
        details: { specHash, expected },
        hint: 'fetch the model that belongs to this task',
      })
    }
  }
  return { header, params }
}
