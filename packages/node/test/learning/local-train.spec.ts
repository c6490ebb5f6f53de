import { beforeAll, describe, expect, it } from 'vitest'
import { l2 } from '../../src/aggregation/math.js'
import { buildNetwork, initParams } from '../../src/learning/model/network.js'
import { SeededRandom } from '../../src/learning/random.js'
import { evaluateModel } from '../../src/learning/train/evaluate.js'
import { trainLocal } from '../../src/learning/train/local-train.js'
import { ensureBackend } from '../../src/learning/tf.js'

beforeAll(async () => {
  await ensureBackend()
})

const network = buildNetwork({ kind: 'mlp', inputs: 3, hidden: [6], classes: 2 })
const random = new SeededRandom(6)
const labels = Int32Array.from({ length: 120 }, (_, i) => i % 2)
const data = {
  features: Float32Array.from({ length: 360 }, (_, k) => (labels[Math.floor(k / 3)] === 1 ? 0.8 : -0.8) + random.normal()),
  labels,
  numFeatures: 3,
  numClasses: 2,
}
const global = initParams(network, new SeededRandom(1))

describe('local training', () => {
  it.each(['sgd', 'adam'] as const)('%s lowers the training loss and reports delta = params − global', (kind) => {
    const result = trainLocal({ network, global, data, epochs: 5, batchSize: 16, random: new SeededRandom(2), optimizer: { kind, learningRate: kind === 'sgd' ? 0.2 : 0.02 } })
    expect(evaluateModel(network, result.params, data).loss).toBeLessThan(evaluateModel(network, global, data).loss)
    expect(result.steps).toBe(5 * Math.ceil(120 / 16))
    result.delta.forEach((d, i) => expect(d).toBeCloseTo((result.params[i] as number) - (global[i] as number), 6))
  })

  it('the FedProx term keeps the local model closer to the global one', () => {
    const plain = trainLocal({ network, global, data, epochs: 5, random: new SeededRandom(2) })
    const prox = trainLocal({ network, global, data, epochs: 5, random: new SeededRandom(2), proximalMu: 1 })
    expect(l2(prox.delta)).toBeLessThan(0.8 * l2(plain.delta))
  })

  it('rejects bad hyper-parameters with the argument named', () => {
    expect(() => trainLocal({ network, global, data, epochs: 0, random })).toThrow(/epochs must be a positive integer/)
    expect(() => trainLocal({ network, global: new Float32Array(3), data, random })).toThrow(/parameter vector has 3 values/)
  })
})
