import { beforeAll, describe, expect, it } from 'vitest'
import { buildNetwork, initParams } from '../../src/learning/model/network.js'
import type { ModelSpec } from '../../src/learning/model/spec.js'
import { SeededRandom } from '../../src/learning/random.js'
import { ensureBackend } from '../../src/learning/tf.js'
import {
  clippedGradientSum,
  clippedGradientSumNaive,
  perExampleGradientNorms,
  perExampleGradientNormsNaive,
} from '../../src/learning/train/per-example.js'

const specs: ModelSpec[] = [
  { kind: 'logistic-regression', inputs: 7, classes: 2 },
  { kind: 'mlp', inputs: 7, hidden: [12, 5], activation: 'tanh', classes: 3 },
  { kind: 'mlp', inputs: 7, hidden: [9], classes: 2 },
  { kind: 'cnn', image: { height: 4, width: 4, channels: 1 }, filters: 3, classes: 3 },
]

function batchFor(inputs: number, classes: number, size: number, random: SeededRandom) {
  const features = Float32Array.from({ length: size * inputs }, () => 2 * random.normal())
  const labels = Int32Array.from({ length: size }, () => random.int(classes))
  return { features, labels }
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)))
  return worst
}

beforeAll(async () => {
  await ensureBackend()
})

describe.each(specs)('per-example gradients of $kind', (spec) => {
  const network = buildNetwork(spec)
  const random = new SeededRandom(7)
  const params = initParams(network, random)
  const batch = batchFor(network.inputSize, network.numClasses, 16, random)

  it('batched norms equal the naive per-example loop to 1e-5', () => {
    const fast = perExampleGradientNorms(network, params, batch)
    const naive = perExampleGradientNormsNaive(network, params, batch)
    expect(fast.length).toBe(16)
    expect(relativeError(fast, naive)).toBeLessThan(1e-5)
  })

  it('the clipped sum equals the naive loop and every clipped example is within the bound', () => {
    const clip = 0.5
    const fast = clippedGradientSum(network, params, batch, clip)
    const naive = clippedGradientSumNaive(network, params, batch, clip)
    expect(relativeError(fast.sum, naive.sum)).toBeLessThan(1e-5)
    // Clip bound per example: factor·‖gᵢ‖ ≤ C for every i (with float32 slack).
    for (const norm of fast.norms) expect(Math.min(1, clip / norm) * norm).toBeLessThanOrEqual(clip * (1 + 1e-6))
    expect(fast.norms.some((n) => n > clip)).toBe(true)
  })

  it("every example's clipped gradient, computed alone, has norm ≤ C", () => {
    const clip = 0.5
    const d = network.inputSize
    for (let i = 0; i < 16; i++) {
      const single = { features: batch.features.subarray(i * d, (i + 1) * d), labels: batch.labels.subarray(i, i + 1) }
      const { sum } = clippedGradientSum(network, params, single, clip)
      const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0))
      expect(norm).toBeLessThanOrEqual(clip * (1 + 1e-5))
    }
  })
})
