import type { PrivateStepper } from '../learning/train/dp-sgd.js'

export interface PrivacyFactoryInit {
  readonly epsilon: number
  readonly delta: number
  readonly rounds: number
  readonly localEpochs: number
  readonly batchSize: number
  readonly clipNorm: number
  readonly adaptiveClipping: boolean
  readonly seed: number
}

/** Builds each hospital's DP-SGD stepper with its own accountant and budget. */
export function createPrivacyFactory(_init: PrivacyFactoryInit): (index: number, trainRows: number) => PrivateStepper {
  throw new Error('DP-SGD is not wired yet')
}
