import { GaussianNoise } from '@fedchain/dp'
import { createDpSgd, planNoiseMultiplier, type PrivateStepper } from '../learning/train/dp-sgd.js'

export interface PrivacyFactoryInit {
  readonly epsilon: number
  readonly delta: number
  readonly rounds: number
  readonly localEpochs: number
  readonly batchSize: number
  readonly clipNorm: number
  readonly adaptiveClipping: boolean
  /** Target quantile γ of adaptive clipping. */
  readonly clipQuantile: number
  readonly seed: number
}

/**
 * Builds each hospital's DP-SGD stepper: its own accountant, its budget ε for the whole run, and
 * the constant noise multiplier that spends exactly that budget over all its planned steps
 * (rounds × local epochs × 1/q steps at sampling rate q = batch / local rows).
 */
export function createPrivacyFactory(init: PrivacyFactoryInit): (index: number, trainRows: number) => PrivateStepper {
  return (index, trainRows) => {
    const batch = Math.min(init.batchSize, trainRows)
    const sampleRate = batch / trainRows
    const steps = init.rounds * init.localEpochs * Math.max(1, Math.round(1 / sampleRate))
    const noiseMultiplier = planNoiseMultiplier({ epsilon: init.epsilon, delta: init.delta, sampleRate, steps })
    return createDpSgd({
      noiseMultiplier,
      clipNorm: init.clipNorm,
      delta: init.delta,
      epsilonBudget: init.epsilon,
      taskId: `simulation (hospital ${index})`,
      // Seeded so simulations are reproducible; a production node uses the CSPRNG default.
      noise: GaussianNoise.seeded(`fedchain-simulate:${init.seed}:${index}`),
      ...(init.adaptiveClipping ? { adaptive: { targetQuantile: init.clipQuantile } } : {}),
    })
  }
}
