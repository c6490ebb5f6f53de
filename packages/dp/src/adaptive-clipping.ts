/**
 * Adaptive clipping by quantile tracking: G. Andrew, O. Thakkar, H. B. McMahan, S. Ramaswamy,
 * "Differentially Private Learning with Adaptive Clipping", NeurIPS 2021 (arXiv:1905.03871).
 *
 * Each round the clip C moves geometrically toward the γ-quantile of the update norms:
 *   b̃ = (Σᵢ 1[‖Δᵢ‖ ≤ C] + N(0, σ_b²)) / m,   C ← C · exp(−η · (b̃ − γ)).
 * When more norms than the target fraction are clipped, b̃ < γ and C grows; when fewer are
 * clipped, C shrinks. The count is itself released with noise σ_b; its privacy cost is paid by
 * noising the gradients slightly less than z would require alone (see
 * {@link AdaptiveClipper.gradientNoiseMultiplier}), so the pair costs exactly one Gaussian
 * mechanism with multiplier z.
 */
import { InvalidArgumentError } from './errors.js'
import { defaultGaussianNoise } from './noise.js'
import type { GaussianNoise } from './noise.js'

/** Options of {@link AdaptiveClipper}. */
export interface AdaptiveClipperInit {
  /** The clip norm C₀ to start from (> 0). */
  readonly initialClip: number
  /** Target fraction γ ∈ (0, 1) of norms left unclipped. @default 0.5 */
  readonly targetQuantile?: number
  /** Geometric learning rate η > 0. @default 0.2 */
  readonly learningRate?: number
  /**
   * Standard deviation σ_b of the Gaussian noise on the count of unclipped norms (≥ 0; 0 only for
   * non-private experiments). Andrew et al. suggest σ_b = m/20 for m norms per update.
   */
  readonly countNoiseStd: number
  /** Noise source for the count. @default the process-wide CSPRNG-backed {@link GaussianNoise} */
  readonly rng?: GaussianNoise
  /** Lower bound on C. @default 0 (none) */
  readonly minClip?: number
  /** Upper bound on C. @default Infinity (none) */
  readonly maxClip?: number
}

/** Options of {@link AdaptiveClipper.update}. */
export interface AdaptiveClipperUpdateOptions {
  /**
   * The denominator m of the noisy fraction: the expected number of norms (e.g. the expected
   * number of participants under Poisson sampling). @default norms.length
   */
  readonly expectedCount?: number
}

/** Serializable state of an {@link AdaptiveClipper} (its configuration and current clip). */
export interface AdaptiveClipperState {
  readonly clip: number
  readonly targetQuantile: number
  readonly learningRate: number
  readonly countNoiseStd: number
  readonly minClip: number
  readonly maxClip: number
}

/**
 * Tracks the γ-quantile of per-example (or per-client) update norms privately.
 *
 * @example
 * ```ts
 * const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: batchSize / 20 })
 * const z = clipper.gradientNoiseMultiplier(1.1) // noise the clipped sum with z·C, not 1.1·C
 * // … clip each example to clipper.clip, add N(0, (z·C)²) …
 * clipper.update(norms) // C for the next step
 * ```
 */
export class AdaptiveClipper {
  /** Target fraction γ of norms left unclipped. */
  readonly targetQuantile: number
  /** Geometric learning rate η. */
  readonly learningRate: number
  /** Standard deviation σ_b of the noise on the unclipped count. */
  readonly countNoiseStd: number
  /** Lower bound on the clip. */
  readonly minClip: number
  /** Upper bound on the clip. */
  readonly maxClip: number
  private _clip: number
  private readonly _rng: GaussianNoise | undefined

  /**
   * @throws {InvalidArgumentError} on a non-positive clip, γ ∉ (0, 1), η ≤ 0, σ_b < 0 or
   *   inconsistent bounds
   */
  constructor(init: AdaptiveClipperInit) {
    const { initialClip, targetQuantile = 0.5, learningRate = 0.2, countNoiseStd, minClip = 0, maxClip = Number.POSITIVE_INFINITY } = init
    if (!(initialClip > 0) || !Number.isFinite(initialClip)) {
      throw new InvalidArgumentError('initialClip', `must be a positive finite number, got ${initialClip}`)
    }
    if (!(targetQuantile > 0 && targetQuantile < 1)) {
      throw new InvalidArgumentError('targetQuantile', `must be in (0, 1), got ${targetQuantile}`, 'the median, 0.5, is the usual choice')
    }
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new InvalidArgumentError('learningRate', `must be a positive finite number, got ${learningRate}`, 'Andrew et al. use 0.2')
    }
    if (!(countNoiseStd >= 0) || !Number.isFinite(countNoiseStd)) {
      throw new InvalidArgumentError('countNoiseStd', `must be a finite number ≥ 0, got ${countNoiseStd}`, 'use expected count / 20')
    }
    if (!(minClip >= 0) || !(maxClip > minClip) || Number.isNaN(maxClip)) {
      throw new InvalidArgumentError('minClip', `bounds must satisfy 0 ≤ minClip < maxClip, got [${minClip}, ${maxClip}]`)
    }
    this.targetQuantile = targetQuantile
    this.learningRate = learningRate
    this.countNoiseStd = countNoiseStd
    this.minClip = minClip
    this.maxClip = maxClip
    this._clip = Math.min(maxClip, Math.max(minClip, initialClip))
    this._rng = init.rng
  }

  /** The current clip norm C. */
  get clip(): number {
    return this._clip
  }

  /**
   * One geometric update from this step's norms (measured before clipping):
   * C ← C·exp(−η·(b̃ − γ)), b̃ the noised fraction of norms ≤ C.
   * @returns the new clip norm
   * @throws {InvalidArgumentError} when a norm is NaN or negative, or `expectedCount` ≤ 0
   */
  update(norms: ArrayLike<number>, options: AdaptiveClipperUpdateOptions = {}): number {
    const expectedCount = options.expectedCount ?? norms.length
    if (!(expectedCount > 0) || !Number.isFinite(expectedCount)) {
      throw new InvalidArgumentError('expectedCount', `must be a positive finite number, got ${expectedCount}`, 'pass at least one norm')
    }
    let unclipped = 0
    for (let i = 0; i < norms.length; i++) {
      const norm = norms[i] as number
      if (!(norm >= 0)) throw new InvalidArgumentError(`norms[${i}]`, `must be a number ≥ 0, got ${norm}`)
      if (norm <= this._clip) unclipped++
    }
    const noise = this.countNoiseStd === 0 ? 0 : this.countNoiseStd * (this._rng ?? defaultGaussianNoise()).standardNormal()
    const fraction = (unclipped + noise) / expectedCount
    const next = this._clip * Math.exp(-this.learningRate * (fraction - this.targetQuantile))
    this._clip = Math.min(this.maxClip, Math.max(this.minClip, next))
    return this._clip
  }

  /**
   * The noise multiplier for the gradients when the clip count is also released: with total
   * multiplier z, the gradients get z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2), so that the gradient query
   * (sensitivity C, noise z_Δ·C) and the count query (sensitivity ½ after centring, noise σ_b)
   * compose to exactly one Gaussian mechanism with multiplier z (Andrew et al. 2021, §3.1).
   * @throws {InvalidArgumentError} when z ≤ 0, or σ_b ≤ z/2 (the count alone would cost more
   *   than the whole budget)
   */
  gradientNoiseMultiplier(z: number): number {
    if (!(z > 0) || !Number.isFinite(z)) throw new InvalidArgumentError('z', `must be a positive finite number, got ${z}`)
    const countMultiplier = 2 * this.countNoiseStd
    if (!(countMultiplier > z)) {
      throw new InvalidArgumentError(
        'countNoiseStd',
        `σ_b = ${this.countNoiseStd} must exceed z/2 = ${z / 2} for the count's privacy cost to fit in noise multiplier ${z}`,
        'use σ_b = m/20 with m the number of norms per update, or a smaller z',
      )
    }
    return 1 / Math.sqrt(1 / (z * z) - 1 / (countMultiplier * countMultiplier))
  }

  /** Configuration and current clip, for persistence (restore with {@link AdaptiveClipper.fromState}). */
  toJSON(): AdaptiveClipperState {
    return {
      clip: this._clip,
      targetQuantile: this.targetQuantile,
      learningRate: this.learningRate,
      countNoiseStd: this.countNoiseStd,
      minClip: this.minClip,
      maxClip: this.maxClip,
    }
  }

  /**
   * Restores a clipper from {@link AdaptiveClipper.toJSON} output.
   * @throws {InvalidArgumentError} when a field is out of its domain
   */
  static fromState(state: AdaptiveClipperState, rng?: GaussianNoise): AdaptiveClipper {
    return new AdaptiveClipper({
      initialClip: state.clip,
      targetQuantile: state.targetQuantile,
      learningRate: state.learningRate,
      countNoiseStd: state.countNoiseStd,
      minClip: state.minClip,
      // JSON turns Infinity into null.
      maxClip: state.maxClip ?? Number.POSITIVE_INFINITY,
      ...(rng === undefined ? {} : { rng }),
    })
  }
}
