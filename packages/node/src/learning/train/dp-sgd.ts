import { AdaptiveClipper, noiseMultiplierFor, PrivacyBudgetExceededError, RdpAccountant, type GaussianNoise } from '@fedchain/dp'
import { requireArgument } from '../errors.js'
import type { Batch, Network } from '../model/network.js'
import { clippedGradientSum } from './per-example.js'

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

/** Configuration of {@link createDpSgd}. */
export interface DpSgdInit {
  /**
   * Total noise multiplier z per step (noise std = z·C on the clipped sum). With adaptive
   * clipping part of it pays for the released clip count.
   */
  readonly noiseMultiplier: number
  /** Clip norm C (the starting value with adaptive clipping). */
  readonly clipNorm: number
  readonly delta: number
  /** ε this party may spend in total; a run that would exceed it is refused before any step. */
  readonly epsilonBudget: number
  /** Noise source: CSPRNG in production, seeded in simulation. */
  readonly noise: GaussianNoise
  /** Accountant holding this party's earlier steps (all rounds). @default a fresh one */
  readonly accountant?: RdpAccountant
  /** Track the γ-quantile of per-example norms (Andrew et al. 2021). Omitted: fixed C. */
  readonly adaptive?: {
    /** @default 0.5 */
    readonly targetQuantile?: number
    /** @default 0.2 */
    readonly learningRate?: number
  }
  /** Refuse the run when the ledger cannot take it (the caller charges the ledger afterwards). */
  readonly ledger?: { canCharge(step: { noiseMultiplier: number; sampleRate: number; steps: number }): boolean }
  /** The task whose budget this is, named by {@link PrivacyBudgetExceededError}. @default 'local-training' */
  readonly taskId?: string
}

/**
 * DP-SGD (Abadi et al. 2016) with batched per-example clipping: each step clips every sampled
 * example's gradient to C from one batched pass, adds N(0, (z_Δ·C)²) to the sum, divides by the
 * expected batch size and records the step with the RDP accountant.
 * @throws {PrivacyBudgetExceededError} from `begin` when the planned steps would overshoot
 */
export function createDpSgd(init: DpSgdInit): PrivateStepper {
  requireArgument(init.noiseMultiplier > 0 && Number.isFinite(init.noiseMultiplier), 'noiseMultiplier', 'a positive number', init.noiseMultiplier)
  requireArgument(init.clipNorm > 0 && Number.isFinite(init.clipNorm), 'clipNorm', 'a positive number', init.clipNorm)
  const accountant = init.accountant ?? new RdpAccountant()
  const z = init.noiseMultiplier
  let clipper: AdaptiveClipper | undefined
  let fixedClip = init.clipNorm
  let sampleRate = 1
  let steps = 0
  let gradientMultiplier = z
  return {
    begin(plan) {
      const step = { noiseMultiplier: z, sampleRate: plan.sampleRate, steps: plan.steps }
      const after = accountant.epsilonAfter(init.delta, step)
      if (after > init.epsilonBudget || (init.ledger !== undefined && !init.ledger.canCharge(step))) {
        throw new PrivacyBudgetExceededError({
          taskId: init.taskId ?? 'local-training',
          epsilonSpent: accountant.totalSteps === 0 ? 0 : accountant.getEpsilon(init.delta),
          epsilonRequested: after,
          epsilonBudget: init.epsilonBudget,
          delta: init.delta,
        })
      }
      sampleRate = plan.sampleRate
    },
    step({ network, params, batch, expectedBatchSize }) {
      if (init.adaptive !== undefined && clipper === undefined) {
        // σ_b = m/20 (Andrew et al.), raised to z when needed so the count's share of the privacy
        // cost stays ≤ 1/4: z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2) ≤ 1.155·z.
        const countNoiseStd = Math.max(expectedBatchSize / 20, z)
        clipper = new AdaptiveClipper({
          initialClip: fixedClip,
          countNoiseStd,
          rng: init.noise,
          ...(init.adaptive.targetQuantile === undefined ? {} : { targetQuantile: init.adaptive.targetQuantile }),
          ...(init.adaptive.learningRate === undefined ? {} : { learningRate: init.adaptive.learningRate }),
        })
        gradientMultiplier = clipper.gradientNoiseMultiplier(z)
      }
      const clip = clipper?.clip ?? fixedClip
      let grad: Float32Array
      let loss = 0
      let lastNorms: Float32Array = new Float32Array(0)
      if (batch.labels.length === 0) {
        grad = new Float32Array(network.numParams)
      } else {
        const clipped = clippedGradientSum(network, params, batch, clip)
        grad = clipped.sum
        loss = clipped.loss
        lastNorms = clipped.norms
      }
      init.noise.addTo(grad, gradientMultiplier * clip)
      clipper?.update(lastNorms, { expectedCount: expectedBatchSize })
      const scale = 1 / expectedBatchSize
      for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) * scale
      accountant.step({ noiseMultiplier: z, sampleRate })
      steps++
      fixedClip = clipper?.clip ?? fixedClip
      return { grad, loss }
    },
    report() {
      return {
        steps,
        sampleRate,
        noiseMultiplier: z,
        clipNorm: clipper?.clip ?? fixedClip,
        epsilon: accountant.totalSteps === 0 ? 0 : accountant.getEpsilon(init.delta),
        delta: init.delta,
      }
    },
  }
}

/**
 * The smallest noise multiplier that keeps `steps` steps at `sampleRate` within `epsilon`,
 * checked with the accountant (ε ≤ target exactly, not just within the search tolerance).
 */
export function planNoiseMultiplier(parameters: { readonly epsilon: number; readonly delta: number; readonly sampleRate: number; readonly steps: number }): number {
  const { epsilon, delta, sampleRate, steps } = parameters
  const spent = (z: number) => {
    const accountant = new RdpAccountant()
    accountant.step({ noiseMultiplier: z, sampleRate, steps })
    return accountant.getEpsilon(delta)
  }
  // noiseMultiplierFor is accurate to its search tolerance; nudge up until ε ≤ target exactly.
  let z = noiseMultiplierFor({ targetEpsilon: epsilon, delta, sampleRate, steps })
  for (let i = 0; i < 200 && spent(z) > epsilon; i++) z *= 1.001
  return z
}
