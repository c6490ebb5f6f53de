import { ModelError } from '../errors.js'
import type { SeededRandom } from '../random.js'
import { scoped, tf } from '../tf.js'
import { activationLayer, avgPoolLayer, convLayer, denseLayer, type Layer, type ParamLayerTrace } from './layers.js'
import { validateModelSpec, type ModelSpec } from './spec.js'

/** Where one parameter tensor lives in the flat parameter vector. */
export interface ParamSlot {
  readonly shape: readonly number[]
  readonly offset: number
  readonly size: number
}

/** A model spec compiled to layers plus the flat parameter layout. */
export interface Network {
  readonly spec: ModelSpec
  readonly layers: readonly Layer[]
  /** Slots in layer order, weights before bias. */
  readonly slots: readonly ParamSlot[]
  readonly numParams: number
  readonly inputSize: number
  readonly numClasses: number
}

function layersFor(spec: ModelSpec): { layers: Layer[]; inputSize: number } {
  switch (spec.kind) {
    case 'logistic-regression':
      return { layers: [denseLayer(spec.inputs, spec.classes)], inputSize: spec.inputs }
    case 'mlp': {
      const layers: Layer[] = []
      let width = spec.inputs
      for (const hidden of spec.hidden) {
        layers.push(denseLayer(width, hidden), activationLayer(hidden, spec.activation ?? 'relu'))
        width = hidden
      }
      layers.push(denseLayer(width, spec.classes))
      return { layers, inputSize: spec.inputs }
    }
    case 'cnn': {
      const { height: h, width: w, channels: c } = spec.image
      const f = spec.filters ?? 16
      const flat = (f * h * w) / 4
      return {
        layers: [convLayer(h, w, c, f), activationLayer(f * h * w, 'relu'), avgPoolLayer(h, w, f), denseLayer(flat, spec.classes)],
        inputSize: h * w * c,
      }
    }
  }
}

/**
 * Compiles a spec.
 * @throws {ModelError} `MODEL_INVALID`
 */
export function buildNetwork(spec: ModelSpec): Network {
  validateModelSpec(spec)
  const { layers, inputSize } = layersFor(spec)
  const slots: ParamSlot[] = []
  let offset = 0
  for (const layer of layers) {
    for (const shape of layer.paramShapes) {
      const size = shape.reduce((a, b) => a * b, 1)
      slots.push({ shape, offset, size })
      offset += size
    }
  }
  return { spec, layers, slots, numParams: offset, inputSize, numClasses: spec.classes }
}

/** Glorot-uniform weights and zero biases, from a seeded generator. */
export function initParams(network: Network, random: SeededRandom): Float32Array {
  const params = new Float32Array(network.numParams)
  for (const slot of network.slots) {
    if (slot.shape.length !== 2) continue
    const [fanIn, fanOut] = slot.shape as [number, number]
    const limit = Math.sqrt(6 / (fanIn + fanOut))
    for (let i = 0; i < slot.size; i++) params[slot.offset + i] = (2 * random.next() - 1) * limit
  }
  return params
}

/** Throws unless `params` fits `network`. */
export function checkParams(network: Network, params: Float32Array): void {
  if (params.length !== network.numParams) {
    throw new ModelError('MODEL_INVALID', `parameter vector has ${params.length} values, the ${network.spec.kind} needs ${network.numParams}`, {
      hint: 'the parameters belong to a different model spec',
    })
  }
}

function paramTensors(network: Network, params: Float32Array): tf.Tensor[] {
  return network.slots.map((s) => tf.tensor(params.subarray(s.offset, s.offset + s.size), [...s.shape]))
}

function run(network: Network, params: Float32Array, x: tf.Tensor2D, trace: ParamLayerTrace[] | undefined) {
  const tensors = paramTensors(network, params)
  const caches: unknown[] = []
  let h = x
  let k = 0
  for (const layer of network.layers) {
    const own = tensors.slice(k, k + layer.paramShapes.length)
    k += layer.paramShapes.length
    const { y, cache } = layer.forward(h, own, trace)
    caches.push(cache)
    h = y
  }
  return { logits: h, tensors, caches }
}

/** Pure forward pass: logits `[batch, classes]` for row-major inputs. Call inside a tfjs scope (`scoped` or `tf.tidy`). */
export function forward(network: Network, params: Float32Array, x: tf.Tensor2D): tf.Tensor2D {
  return run(network, params, x, undefined).logits
}

/** A batch as tensors-to-be: row-major features and class indices. */
export interface Batch {
  readonly features: Float32Array
  readonly labels: Int32Array
}

/**
 * Forward and backward pass of the summed softmax cross-entropy over a batch, returning what both
 * plain SGD and DP-SGD need: per trainable layer its input matrix and the gradient at its output.
 * Call inside a tfjs scope (`scoped` or `tf.tidy`); the returned tensors die with the scope.
 */
export function traceBatch(network: Network, params: Float32Array, batch: Batch): { traces: ParamLayerTrace[]; loss: tf.Scalar } {
  const size = batch.labels.length
  const x = tf.tensor2d(batch.features, [size, network.inputSize])
  const traces: ParamLayerTrace[] = []
  const { logits, tensors, caches } = run(network, params, x, traces)
  const onehot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), network.numClasses)
  const logProbs = tf.logSoftmax(logits)
  const loss = tf.neg(tf.sum(tf.mul(onehot, logProbs))) as tf.Scalar
  // d(Σᵢ lossᵢ)/d logitsᵢ = softmaxᵢ − yᵢ; row i depends on example i only, which is what makes
  // per-example norms computable from these batched tensors.
  let grad: tf.Tensor2D | undefined = tf.sub(tf.exp(logProbs), onehot) as tf.Tensor2D
  // Nothing below the first trainable layer needs a gradient, so its input gradient is skipped.
  const firstTrainable = network.layers.findIndex((candidate) => candidate.paramShapes.length > 0)
  let k = tensors.length
  for (let l = network.layers.length - 1; l >= 0 && grad !== undefined; l--) {
    const layer = network.layers[l] as Layer
    k -= layer.paramShapes.length
    const own = tensors.slice(k, k + layer.paramShapes.length)
    grad = layer.backward(grad, own, caches[l], l > firstTrainable)
  }
  return { traces, loss }
}

/**
 * Σ over examples of `scale[i]` × example i's gradient, as one flat vector in parameter order.
 * With no scale it is the plain summed gradient.
 */
export function weightedGradient(network: Network, traces: readonly ParamLayerTrace[], scale?: tf.Tensor1D): Float32Array {
  const out = new Float32Array(network.numParams)
  traces.forEach((trace, t) => {
    const g = trace.outputGrad as tf.Tensor2D
    const rows = g.shape[0]
    const scaled = scale === undefined ? g : (tf.mul(g, tf.reshape(repeatRows(scale, trace.positions, rows), [rows, 1])) as tf.Tensor2D)
    const dw = tf.matMul(trace.input, scaled, true, false)
    const db = tf.sum(scaled, 0)
    const wSlot = network.slots[2 * t] as ParamSlot
    const bSlot = network.slots[2 * t + 1] as ParamSlot
    out.set(dw.dataSync(), wSlot.offset)
    out.set(db.dataSync(), bSlot.offset)
  })
  return out
}

function repeatRows(perExample: tf.Tensor1D, positions: number, rows: number): tf.Tensor1D {
  if (positions === 1) return perExample
  return tf.reshape(tf.tile(tf.reshape(perExample, [rows / positions, 1]), [1, positions]), [rows]) as tf.Tensor1D
}

/** Predicted class probabilities `[n × classes]` for a dataset, evaluated in chunks. */
export function predictProbabilities(network: Network, params: Float32Array, features: Float32Array, chunk = 512): Float32Array {
  const n = features.length / network.inputSize
  const out = new Float32Array(n * network.numClasses)
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk)
    const probs = scoped(() => {
      const x = tf.tensor2d(features.subarray(start * network.inputSize, end * network.inputSize), [end - start, network.inputSize])
      return tf.softmax(forward(network, params, x)).dataSync() as Float32Array
    })
    out.set(probs, start * network.numClasses)
  }
  return out
}
