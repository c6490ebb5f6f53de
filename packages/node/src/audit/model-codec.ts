import { ModelError } from '../learning/errors.js'
import { deserializeParams, serializeParams, type ModelBlobHeader } from '../learning/model/serialize.js'
import type { Network } from '../learning/model/network.js'

/** Turns model (and update) blobs into parameters and back, bit-exactly as the nodes serialize them. */
export interface ModelCodec {
  /** sha256 hex of the model spec the blobs belong to. */
  readonly specHash: string
  readonly shapes: readonly (readonly number[])[]
  /** @throws {ModelError} for a malformed blob or one of another model */
  decode(blob: Uint8Array): Float32Array
  encode(params: Float32Array): Uint8Array
}

/** The codec of a known network (from a run's summary): `serializeParams` / `deserializeParams`. */
export function networkCodec(network: Network): ModelCodec {
  const header = deserializeParams(serializeParams(network, new Float32Array(network.numParams))).header
  return {
    specHash: header.specHash,
    shapes: header.shapes,
    decode: (blob) => deserializeParams(blob, network).params,
    encode: (params) => serializeParams(network, params),
  }
}

/**
 * The codec of the model a template blob holds (e.g. the task's initial model, whose CID is on
 * chain), for when the model spec itself is not at hand: every blob of a model shares the
 * template's header (spec hash, shapes, padding) byte for byte, followed by float32 data.
 * @throws {ModelError} when the template is not a model blob
 */
export function templateCodec(template: Uint8Array): ModelCodec {
  const { header, params } = deserializeParams(template)
  const dataOffset = template.length - 4 * params.length
  const prefix = template.slice(0, dataOffset)
  const sameModel = (h: ModelBlobHeader) => h.specHash === header.specHash && h.shapes.length === header.shapes.length && h.shapes.every((s, i) => s.join('x') === header.shapes[i]?.join('x'))
  return {
    specHash: header.specHash,
    shapes: header.shapes,
    decode(blob) {
      const decoded = deserializeParams(blob)
      if (!sameModel(decoded.header)) {
        throw new ModelError('MODEL_INVALID', `the blob holds parameters for model spec ${decoded.header.specHash.slice(0, 12)}…, expected ${header.specHash.slice(0, 12)}…`, {
          details: { specHash: decoded.header.specHash, expected: header.specHash },
          hint: 'fetch the model that belongs to this task',
        })
      }
      return decoded.params
    },
    encode(values) {
      const out = new Uint8Array(dataOffset + 4 * values.length)
      out.set(prefix)
      const view = new DataView(out.buffer)
      for (let i = 0; i < values.length; i++) view.setFloat32(dataOffset + 4 * i, values[i] as number, true)
      return out
    },
  }
}
