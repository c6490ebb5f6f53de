import { beforeAll, describe, expect, it } from 'vitest'
import { ModelError } from '../../src/learning/errors.js'
import { buildNetwork, initParams } from '../../src/learning/model/network.js'
import { deserializeParams, serializeParams } from '../../src/learning/model/serialize.js'
import { modelSpecHash, type ModelSpec } from '../../src/learning/model/spec.js'
import { SeededRandom } from '../../src/learning/random.js'
import { evaluateModel, rocAuc } from '../../src/learning/train/evaluate.js'
import { exampleGradient } from '../../src/learning/train/per-example.js'
import { trainLocal } from '../../src/learning/train/local-train.js'
import { ensureBackend, tf } from '../../src/learning/tf.js'
import { forward } from '../../src/learning/model/network.js'

beforeAll(async () => {
  await ensureBackend()
})

const mlp: ModelSpec = { kind: 'mlp', inputs: 5, hidden: [6, 4], activation: 'sigmoid', classes: 3 }
const cnn: ModelSpec = { kind: 'cnn', image: { height: 4, width: 4, channels: 1 }, filters: 2, classes: 2 }

function summedLoss(spec: ModelSpec, params: Float32Array, features: Float32Array, labels: Int32Array): number {
  const network = buildNetwork(spec)
  return tf.tidy(() => {
    const logits = forward(network, params, tf.tensor2d(features, [labels.length, network.inputSize]))
    const logp = tf.logSoftmax(logits).arraySync() as number[][]
    return -labels.reduce((s, y, i) => s + (logp[i]?.[y] as number), 0)
  })
}

describe('models', () => {
  it.each([mlp, cnn, { kind: 'logistic-regression', inputs: 16, classes: 2 } as ModelSpec])('explicit backprop of $kind matches finite differences', (spec) => {
    const network = buildNetwork(spec)
    const random = new SeededRandom(11)
    const params = initParams(network, random)
    const features = Float32Array.from({ length: 3 * network.inputSize }, () => random.normal())
    const labels = Int32Array.from({ length: 3 }, () => random.int(network.numClasses))
    const grad = exampleGradient(network, params, { features, labels })
    const h = 1e-2
    for (let k = 0; k < 12; k++) {
      const i = random.int(network.numParams)
      const up = Float32Array.from(params)
      const down = Float32Array.from(params)
      up[i] = (up[i] as number) + h
      down[i] = (down[i] as number) - h
      const numeric = (summedLoss(spec, up, features, labels) - summedLoss(spec, down, features, labels)) / (2 * h)
      expect(Math.abs(numeric - (grad[i] as number))).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric))
    }
  })

  it('serialization round-trips and binds the spec', () => {
    const network = buildNetwork(mlp)
    const params = initParams(network, new SeededRandom(1))
    const blob = serializeParams(network, params)
    const { header, params: back } = deserializeParams(blob, network)
    expect(Array.from(back)).toEqual(Array.from(params))
    expect(header).toMatchObject({ version: 1, dtype: 'float32', specHash: modelSpecHash(mlp), shapes: [[5, 6], [6], [6, 4], [4], [4, 3], [3]] })
    expect(() => deserializeParams(blob, buildNetwork({ ...mlp, hidden: [6, 5] }))).toThrow(ModelError)
    expect(() => deserializeParams(blob.subarray(0, blob.length - 4))).toThrow(/expected \d+ bytes/)
    const tampered = Uint8Array.from(blob)
    tampered[0] = 0
    expect(() => deserializeParams(tampered)).toThrow(/magic/)
  })

  it('spec hashes ignore key order and include defaults', () => {
    expect(modelSpecHash({ kind: 'mlp', classes: 3, hidden: [6, 4], inputs: 5, activation: 'sigmoid' })).toBe(modelSpecHash(mlp))
    expect(modelSpecHash({ kind: 'mlp', inputs: 5, hidden: [6], classes: 2 })).toBe(modelSpecHash({ kind: 'mlp', inputs: 5, hidden: [6], classes: 2, activation: 'relu' }))
    expect(() => buildNetwork({ kind: 'mlp', inputs: 0, hidden: [], classes: 2 })).toThrow(/inputs must be a positive integer/)
  })

  it('the CNN learns a separable image task on this backend', () => {
    const network = buildNetwork(cnn)
    const random = new SeededRandom(4)
    const n = 64
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2)
    // class 1: bright left half, class 0: bright right half
    const features = Float32Array.from({ length: n * 16 }, (_, k) => {
      const row = Math.floor(k / 16)
      const col = k % 4
      return ((labels[row] === 1) === col < 2 ? 1 : 0) + 0.3 * random.normal()
    })
    const data = { features, labels, numFeatures: 16, numClasses: 2 }
    const start = initParams(network, random)
    const before = evaluateModel(network, start, data)
    const { params } = trainLocal({ network, global: start, data, epochs: 15, batchSize: 8, optimizer: { kind: 'adam', learningRate: 0.05 }, random })
    const after = evaluateModel(network, params, data)
    expect(after.loss).toBeLessThan(before.loss)
    expect(after.accuracy).toBeGreaterThan(0.95)
  })

  it('AUC counts ties as one half', () => {
    const probs = Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.6, 0.4, 0.2, 0.8])
    expect(rocAuc(probs, Int32Array.from([0, 1, 0, 1]), 1, 2)).toBe(0.875)
  })
})
