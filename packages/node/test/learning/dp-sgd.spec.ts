import { GaussianNoise, PrivacyBudgetExceededError, RdpAccountant } from '@fedchain/dp'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildNetwork, initParams } from '../../src/learning/model/network.js'
import { SeededRandom } from '../../src/learning/random.js'
import { createDpSgd, planNoiseMultiplier } from '../../src/learning/train/dp-sgd.js'
import { trainLocal } from '../../src/learning/train/local-train.js'
import { ensureBackend } from '../../src/learning/tf.js'

beforeAll(async () => {
  await ensureBackend()
})

const network = buildNetwork({ kind: 'mlp', inputs: 4, hidden: [8], classes: 2 })
const random = new SeededRandom(2)
const n = 200
const labels = Int32Array.from({ length: n }, (_, i) => i % 2)
const data = {
  features: Float32Array.from({ length: n * 4 }, (_, k) => (labels[Math.floor(k / 4)] === 1 ? 1 : -1) + random.normal()),
  labels,
  numFeatures: 4,
  numClasses: 2,
}

describe('DP-SGD', () => {
  it('spends exactly the planned budget and reports it', () => {
    const sampleRate = 20 / n
    const steps = 3 * 10
    const z = planNoiseMultiplier({ epsilon: 2, delta: 1e-5, sampleRate, steps })
    const accountant = new RdpAccountant()
    const stepper = createDpSgd({ noiseMultiplier: z, clipNorm: 1, delta: 1e-5, epsilonBudget: 2, noise: GaussianNoise.seeded(1), accountant, adaptive: {} })
    const global = initParams(network, new SeededRandom(1))
    const result = trainLocal({ network, global, data, epochs: 3, batchSize: 20, random: new SeededRandom(3), privacy: stepper, optimizer: { kind: 'sgd', learningRate: 0.5 } })
    expect(result.privacy?.steps).toBe(steps)
    expect(result.privacy?.epsilon).toBeLessThanOrEqual(2)
    expect(result.privacy?.epsilon).toBeGreaterThan(1.95)
    expect(accountant.totalSteps).toBe(steps)
  })

  it('refuses a run that would exceed the budget before taking a step', () => {
    const accountant = new RdpAccountant()
    const stepper = createDpSgd({ noiseMultiplier: 0.5, clipNorm: 1, delta: 1e-5, epsilonBudget: 1, noise: GaussianNoise.seeded(1), accountant })
    const global = initParams(network, new SeededRandom(1))
    expect(() => trainLocal({ network, global, data, batchSize: 20, random: new SeededRandom(3), privacy: stepper })).toThrow(PrivacyBudgetExceededError)
    expect(accountant.totalSteps).toBe(0)
  })

  it('names the task whose budget a refused run would exceed', () => {
    const stepper = createDpSgd({ noiseMultiplier: 0.5, clipNorm: 1, delta: 1e-5, epsilonBudget: 1, noise: GaussianNoise.seeded(1), taskId: '7' })
    const global = initParams(network, new SeededRandom(1))
    expect(() => trainLocal({ network, global, data, batchSize: 20, random: new SeededRandom(3), privacy: stepper })).toThrow(/^task 7: this step would raise ε from 0\.0000 to /)
  })

  it('is reproducible with a seeded noise source and still learns', () => {
    const run = () => {
      const z = planNoiseMultiplier({ epsilon: 8, delta: 1e-5, sampleRate: 0.1, steps: 50 })
      const stepper = createDpSgd({ noiseMultiplier: z, clipNorm: 1, delta: 1e-5, epsilonBudget: 8, noise: GaussianNoise.seeded(7), adaptive: {} })
      return trainLocal({ network, global: initParams(network, new SeededRandom(1)), data, epochs: 5, batchSize: 20, random: new SeededRandom(3), privacy: stepper, optimizer: { kind: 'sgd', learningRate: 0.5 } })
    }
    const a = run()
    const b = run()
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true)
    expect(a.meanLoss).toBeLessThan(Math.log(2))
  })
})

describe('DP-SGD and the budget ledger', () => {
  it('asks the ledger before the first step and refuses when it cannot take the run', () => {
    const asked: { noiseMultiplier: number; sampleRate: number; steps: number }[] = []
    const stepper = createDpSgd({
      noiseMultiplier: 2,
      clipNorm: 1,
      delta: 1e-5,
      epsilonBudget: 100,
      noise: GaussianNoise.seeded(1),
      ledger: { canCharge: (step) => (asked.push(step), false) },
    })
    const global = initParams(network, new SeededRandom(1))
    expect(() => trainLocal({ network, global, data, batchSize: 20, random: new SeededRandom(3), privacy: stepper })).toThrow(PrivacyBudgetExceededError)
    expect(asked).toEqual([{ noiseMultiplier: 2, sampleRate: 0.1, steps: 10 }])
  })
})
