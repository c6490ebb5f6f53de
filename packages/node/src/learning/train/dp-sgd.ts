import type { Batch, Network } from '../model/network.js'

/** What one private step returns to the training loop. */
export interface PrivateStepResult {
  /** Clipped, noised gradient divided by the expected batch size. */
  readonly grad: Float32Array
  /** Summed loss of the sampled examples. */
  readonly loss: number
}

/** Per-run privacy outcome, reported with the update. */
export interface PrivateTrainingReport {
  readonly steps: number
  readonly sampleRate: number
  readonly noiseMultiplier: number
  readonly clipNorm: number
  /** ε spent so far by this party (all rounds), for the run's δ. */
  readonly epsilon: number
  readonly delta: number
}

/** The DP-SGD hook of {@link trainLocal}. */
export interface PrivateStepper {
  /** Called before the first step; may refuse (budget) by throwing. */
  begin(plan: { readonly sampleRate: number; readonly steps: number }): void
  step(input: { readonly network: Network; readonly params: Float32Array; readonly batch: Batch; readonly expectedBatchSize: number }): PrivateStepResult
  report(): PrivateTrainingReport
}
