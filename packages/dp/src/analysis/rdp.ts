/**
 * Rényi differential privacy (RDP) of the sampled Gaussian mechanism, and its conversion to
 * (ε, δ)-DP. Pure functions, no state.
 *
 * Sources:
 * - I. Mironov, K. Talwar, L. Zhang, "Rényi Differential Privacy of the Sampled Gaussian
 *   Mechanism", 2019 (arXiv:1908.10530), §3.3: log A_α for integer α (binomial expansion) and
 *   fractional α (two series split at z₀ = σ²·log(1/q − 1) + ½, with erfc tails).
 * - B. Balle, G. Barthe, M. Gaboardi, J. Hsu, T. Sato, "Hypothesis Testing Interpretations and
 *   Rényi Differential Privacy", AISTATS 2020 (arXiv:1905.09982), Theorem 21: the conversion
 *   ε = rdp + log((α−1)/α) − (log δ + log α)/(α−1).
 *
 * The computation follows Opacus (`opacus/accountants/analysis/rdp.py`: `_compute_log_a_int`,
 * `_compute_log_a_frac`, `_compute_rdp`, `get_privacy_spent`) term for term, so that ε agrees
 * with Opacus's `RDPAccountant` (the test vectors check 1e-9 relative against a 50-digit
 * numerical integration of A_α).
 *
 * @example
 * ```ts
 * // Opacus's own accountant test: σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 → ε ≈ 7.3291
 * rdpEpsilon({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5 })
 * ```
 */
import { InvalidArgumentError } from '../errors.js'
import { lgamma, logAddExp, logErfc, logSubExp } from './special.js'

/**
 * The default RDP orders: 1.1, 1.2, …, 10.9 (step 0.1) then 12, 13, …, 63 — Opacus's
 * `RDPAccountant.DEFAULT_ALPHAS`, built with the same float expression `1 + x / 10` so that
 * 2.0, 3.0, … 10.0 are exact integers and take the integer-order path, as in Opacus.
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
])

/** Terms of the fractional-order series are summed until both fall below e^−30 (as Opacus). */
const FRACTIONAL_SERIES_LOG_CUTOFF = -30
/** A hard stop so that a pathological input cannot loop forever (never reached in practice; ∞ is returned then). */
const FRACTIONAL_SERIES_MAX_TERMS = 100_000

/** Parameters of {@link sampledGaussianRdp}. */
export interface SampledGaussianRdpParameters {
  /** Poisson sampling rate q ∈ (0, 1]. */
  readonly sampleRate: number
  /** Noise standard deviation divided by the L2 sensitivity (σ ≥ 0; 0 means no privacy). */
  readonly noiseMultiplier: number
  /** RDP order α > 1 (`Infinity` allowed, giving ∞). */
  readonly order: number
}

/**
 * RDP ε(α) of one application of the sampled Gaussian mechanism.
 * q = 1 reduces to the plain Gaussian mechanism, α/(2σ²).
 * @throws {InvalidArgumentError} on q ∉ (0, 1], σ < 0 or NaN, α ≤ 1
 */
export function sampledGaussianRdp({ sampleRate, noiseMultiplier, order }: SampledGaussianRdpParameters): number {
  checkSampleRate(sampleRate)
  checkNoiseMultiplier(noiseMultiplier)
  checkOrder(order, 'order')
  return rdpUnchecked(sampleRate, noiseMultiplier, order)
}

/** Parameters of {@link computeRdp}. */
export interface ComputeRdpParameters {
  /** Poisson sampling rate q ∈ (0, 1]. */
  readonly sampleRate: number
  /** Noise multiplier σ ≥ 0. */
  readonly noiseMultiplier: number
  /** Number of compositions (a non-negative integer). */
  readonly steps: number
  /** RDP orders, each > 1. @default DEFAULT_RDP_ORDERS */
  readonly orders?: readonly number[]
}

/**
 * RDP of `steps` compositions of the sampled Gaussian mechanism at every order
 * (Opacus `compute_rdp`): steps × ε(α).
 * @returns one value per order, in the same order; entries may be `Infinity`
 * @throws {InvalidArgumentError} on an argument outside its domain
 */
export function computeRdp({ sampleRate, noiseMultiplier, steps, orders = DEFAULT_RDP_ORDERS }: ComputeRdpParameters): Float64Array {
  checkSampleRate(sampleRate)
  checkNoiseMultiplier(noiseMultiplier)
  checkSteps(steps)
  checkOrders(orders)
  const out = new Float64Array(orders.length)
  for (let k = 0; k < orders.length; k++) {
    out[k] = steps === 0 ? 0 : rdpUnchecked(sampleRate, noiseMultiplier, orders[k] as number) * steps
  }
  return out
}

/** Parameters of {@link privacySpent}. */
export interface PrivacySpentParameters {
  /** RDP orders, each > 1. */
  readonly orders: readonly number[]
  /** Accumulated RDP at each order (same length as `orders`). */
  readonly rdp: ArrayLike<number>
  /** Target δ ∈ (0, 1). */
  readonly delta: number
}

/** ε and the order at which the conversion was tightest. */
export interface EpsilonAtOrder {
  /** ε of the (ε, δ)-DP guarantee; `Infinity` when there is no privacy. */
  readonly epsilon: number
  /** The optimal RDP order α (NaN when every order gave NaN). */
  readonly order: number
}

/**
 * Converts accumulated RDP to (ε, δ)-DP with the improved bound of Balle et al. 2020
 * (Opacus `get_privacy_spent`): ε = min_α [rdp(α) + log((α−1)/α) − (log δ + log α)/(α−1)].
 * @throws {InvalidArgumentError} on δ ∉ (0, 1), mismatched lengths or an order ≤ 1
 */
export function privacySpent({ orders, rdp, delta }: PrivacySpentParameters): EpsilonAtOrder {
  checkDelta(delta)
  checkOrders(orders)
  if (rdp.length !== orders.length) {
    throw new InvalidArgumentError('rdp', `has ${rdp.length} values for ${orders.length} orders`, 'pass one RDP value per order')
  }
  return privacySpentUnchecked(orders, rdp, Math.log(delta))
}

/** Parameters of {@link rdpEpsilon}. */
export interface RdpEpsilonParameters {
  /** Noise multiplier σ ≥ 0 (noise standard deviation / L2 sensitivity). */
  readonly noiseMultiplier: number
  /** Poisson sampling rate q ∈ (0, 1]. */
  readonly sampleRate: number
  /** Number of steps (a non-negative integer). */
  readonly steps: number
  /** Target δ ∈ (0, 1). */
  readonly delta: number
  /** RDP orders. @default DEFAULT_RDP_ORDERS */
  readonly orders?: readonly number[]
}

/**
 * ε after `steps` steps of DP-SGD (sampled Gaussian mechanism) for a target δ, via RDP and the
 * improved conversion — the value Opacus's `RDPAccountant.get_epsilon` reports.
 *
 * @example
 * ```ts
 * const { epsilon, order } = rdpEpsilon({ noiseMultiplier: 1.1, sampleRate: 256 / 60000, steps: 14063, delta: 1e-5 })
 * ```
 * @throws {InvalidArgumentError} on an argument outside its domain
 */
export function rdpEpsilon({ noiseMultiplier, sampleRate, steps, delta, orders = DEFAULT_RDP_ORDERS }: RdpEpsilonParameters): EpsilonAtOrder {
  checkDelta(delta)
  const rdp = computeRdp({ sampleRate, noiseMultiplier, steps, orders })
  return privacySpentUnchecked(orders, rdp, Math.log(delta))
}

/** Parameters of {@link noiseMultiplierFor}. */
export interface NoiseMultiplierForParameters {
  /** The ε to reach at the end of training (> 0). */
  readonly targetEpsilon: number
  /** Target δ ∈ (0, 1). */
  readonly delta: number
  /** Poisson sampling rate q ∈ (0, 1]. */
  readonly sampleRate: number
  /** Number of steps (a positive integer). */
  readonly steps: number
  /** The result's ε lies in [targetEpsilon − tolerance, targetEpsilon]. @default 0.01 */
  readonly epsilonTolerance?: number
  /** RDP orders. @default DEFAULT_RDP_ORDERS */
  readonly orders?: readonly number[]
}

/** Above this no σ is tried: the budget is then considered unreachable (as Opacus's `MAX_SIGMA`). */
export const MAX_NOISE_MULTIPLIER = 1e6

/**
 * The smallest noise multiplier σ (to within the tolerance) whose ε after `steps` steps is at most
 * `targetEpsilon`: ε(σ) ≤ target and target − ε(σ) ≤ `epsilonTolerance`. Same search as Opacus's
 * `get_noise_multiplier` (double an upper bound from 10, then bisect from [0, upper]), so it
 * returns the same σ.
 * @throws {InvalidArgumentError} on an argument outside its domain, or when even σ = 10⁶ cannot
 *   reach the target (a target ε that is too small for δ)
 */
export function noiseMultiplierFor({
  targetEpsilon,
  delta,
  sampleRate,
  steps,
  epsilonTolerance = 0.01,
  orders = DEFAULT_RDP_ORDERS,
}: NoiseMultiplierForParameters): number {
  if (!(targetEpsilon > 0) || !Number.isFinite(targetEpsilon)) {
    throw new InvalidArgumentError('targetEpsilon', `must be a positive finite number, got ${targetEpsilon}`)
  }
  if (!(epsilonTolerance > 0) || !Number.isFinite(epsilonTolerance)) {
    throw new InvalidArgumentError('epsilonTolerance', `must be a positive finite number, got ${epsilonTolerance}`)
  }
  checkDelta(delta)
  checkSampleRate(sampleRate)
  checkSteps(steps)
  checkOrders(orders)
  const logDelta = Math.log(delta)
  const epsilonAt = (sigma: number): number => {
    const rdp = new Float64Array(orders.length)
    for (let k = 0; k < orders.length; k++) rdp[k] = rdpUnchecked(sampleRate, sigma, orders[k] as number) * steps
    return privacySpentUnchecked(orders, rdp, logDelta).epsilon
  }
  let sigmaLow = 0
  let sigmaHigh = 10
  let epsilonHigh = Number.POSITIVE_INFINITY
  while (epsilonHigh > targetEpsilon) {
    sigmaHigh *= 2
    epsilonHigh = epsilonAt(sigmaHigh)
    if (sigmaHigh > MAX_NOISE_MULTIPLIER) {
      throw new InvalidArgumentError(
        'targetEpsilon',
        `${targetEpsilon} is unreachable with δ = ${delta}, q = ${sampleRate} and ${steps} steps (ε = ${epsilonHigh} even at σ = ${sigmaHigh})`,
        'raise the target ε or δ, or lower the number of steps',
      )
    }
  }
  while (targetEpsilon - epsilonHigh > epsilonTolerance) {
    const sigma = (sigmaLow + sigmaHigh) / 2
    const epsilon = epsilonAt(sigma)
    if (epsilon < targetEpsilon) {
      sigmaHigh = sigma
      epsilonHigh = epsilon
    } else {
      sigmaLow = sigma
    }
  }
  return sigmaHigh
}

// ---------------------------------------------------------------------------------------------
// Internals (validated inputs only). Exported for the accountant, not from the package.

/** RDP at one order for one step, arguments already validated. */
export function rdpUnchecked(q: number, sigma: number, alpha: number): number {
  if (sigma === 0) return Number.POSITIVE_INFINITY
  if (q === 1) return alpha / (2 * sigma * sigma)
  if (alpha === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY
  return logA(q, sigma, alpha) / (alpha - 1)
}

/** The (ε, order) minimization of {@link privacySpent}, inputs already validated. */
export function privacySpentUnchecked(orders: readonly number[], rdp: ArrayLike<number>, logDelta: number): EpsilonAtOrder {
  let best = Number.NaN
  let bestOrder = Number.NaN
  for (let k = 0; k < orders.length; k++) {
    const alpha = orders[k] as number
    const eps = (rdp[k] as number) - (logDelta + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha)
    // NaN entries are skipped, as numpy's nanargmin does; the first minimum wins.
    if (!Number.isNaN(eps) && (Number.isNaN(best) || eps < best)) {
      best = eps
      bestOrder = alpha
    }
  }
  if (Number.isNaN(best)) return { epsilon: Number.POSITIVE_INFINITY, order: Number.NaN }
  return { epsilon: best, order: bestOrder }
}

function logA(q: number, sigma: number, alpha: number): number {
  return Number.isInteger(alpha) ? logAIntegerOrder(q, sigma, alpha) : logAFractionalOrder(q, sigma, alpha)
}

/** log n! for n = 0…LOG_FACTORIAL_CACHE−1, filled on first use (integer orders go up to 63 by default). */
const LOG_FACTORIAL_CACHE = 1024
let logFactorials: Float64Array | undefined

function logFactorial(n: number): number {
  if (n >= LOG_FACTORIAL_CACHE) return lgamma(n + 1)
  if (logFactorials === undefined) {
    logFactorials = new Float64Array(LOG_FACTORIAL_CACHE)
    for (let i = 0; i < LOG_FACTORIAL_CACHE; i++) logFactorials[i] = lgamma(i + 1)
  }
  return logFactorials[n] as number
}

/**
 * Integer α (Mironov et al. 2019, §3.3): A_α = Σ_{i=0}^{α} C(α,i)·q^i·(1−q)^(α−i)·e^((i²−i)/(2σ²)),
 * every term positive.
 */
function logAIntegerOrder(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q)
  const log1mQ = Math.log1p(-q)
  const twoSigma2 = 2 * sigma * sigma
  const logAlphaFactorial = logFactorial(alpha)
  let result = Number.NEGATIVE_INFINITY
  for (let i = 0; i <= alpha; i++) {
    const logCoef = logAlphaFactorial - logFactorial(i) - logFactorial(alpha - i) + i * logQ + (alpha - i) * log1mQ
    result = logAddExp(result, logCoef + (i * i - i) / twoSigma2)
  }
  return result
}

/**
 * Fractional α (Mironov et al. 2019, §3.3): A_α = A₀ + A₁, the integrals over (−∞, z₀] and
 * [z₀, ∞), each an alternating-tail series in the generalized binomial C(α, i) with erfc weights.
 */
function logAFractionalOrder(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q)
  const log1mQ = Math.log1p(-q)
  const twoSigma2 = 2 * sigma * sigma
  const sqrt2Sigma = Math.SQRT2 * sigma
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5
  const logAlphaGammaNumerator = lgamma(alpha + 1)
  let logA0 = Number.NEGATIVE_INFINITY
  let logA1 = Number.NEGATIVE_INFINITY
  let converged = false
  for (let i = 0; i < FRACTIONAL_SERIES_MAX_TERMS; i++) {
    // C(α, i) = Γ(α+1) / (Γ(i+1)·Γ(α−i+1)); its sign is that of Γ(α−i+1) (α is not an integer).
    const m = alpha - i + 1
    const logCoef = logAlphaGammaNumerator - logFactorial(i) - lgamma(m)
    const positive = m > 0 || Math.ceil(-m) % 2 === 0
    const j = alpha - i
    const logT0 = logCoef + i * logQ + j * log1mQ
    const logT1 = logCoef + j * logQ + i * log1mQ
    const logE0 = -Math.LN2 + logErfc((i - z0) / sqrt2Sigma)
    const logE1 = -Math.LN2 + logErfc((z0 - j) / sqrt2Sigma)
    const logS0 = logT0 + (i * i - i) / twoSigma2 + logE0
    const logS1 = logT1 + (j * j - j) / twoSigma2 + logE1
    if (positive) {
      logA0 = logAddExp(logA0, logS0)
      logA1 = logAddExp(logA1, logS1)
    } else if (logA0 < logS0 || logA1 < logS1) {
      // The alternating tail cancelled below double precision (Opacus raises here). No bound
      // can be claimed at this order: report ∞, which the conversion simply never selects.
      return Number.POSITIVE_INFINITY
    } else {
      logA0 = logSubExp(logA0, logS0)
      logA1 = logSubExp(logA1, logS1)
    }
    if (Math.max(logS0, logS1) < FRACTIONAL_SERIES_LOG_CUTOFF) {
      converged = true
      break
    }
  }
  // Same reasoning if the series did not settle: ∞ is the only safe answer.
  if (!converged) return Number.POSITIVE_INFINITY
  return logAddExp(logA0, logA1)
}

// ---------------------------------------------------------------------------------------------
// Validation (shared with the accountant).

/** @throws {InvalidArgumentError} unless 0 < q ≤ 1 */
export function checkSampleRate(q: number, name = 'sampleRate'): void {
  if (!(q > 0 && q <= 1)) {
    throw new InvalidArgumentError(name, `must be in (0, 1], got ${q}`, 'use the expected batch size divided by the dataset size')
  }
}

/** @throws {InvalidArgumentError} unless σ is a finite number ≥ 0 */
export function checkNoiseMultiplier(sigma: number, name = 'noiseMultiplier'): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new InvalidArgumentError(name, `must be a finite number ≥ 0, got ${sigma}`)
  }
}

/** @throws {InvalidArgumentError} unless steps is an integer ≥ 0 */
export function checkSteps(steps: number, name = 'steps'): void {
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new InvalidArgumentError(name, `must be an integer ≥ 0, got ${steps}`)
  }
}

/** @throws {InvalidArgumentError} unless 0 < δ < 1 */
export function checkDelta(delta: number, name = 'delta'): void {
  if (!(delta > 0 && delta < 1)) {
    throw new InvalidArgumentError(name, `must be in (0, 1), got ${delta}`, 'a common choice is δ < 1/(dataset size)')
  }
}

function checkOrder(alpha: number, name: string): void {
  if (!(alpha > 1)) throw new InvalidArgumentError(name, `RDP orders must be > 1, got ${alpha}`)
}

/** @throws {InvalidArgumentError} unless every order is > 1 and there is at least one */
export function checkOrders(orders: readonly number[]): void {
  if (orders.length === 0) throw new InvalidArgumentError('orders', 'must not be empty', 'omit it to use DEFAULT_RDP_ORDERS')
  for (let k = 0; k < orders.length; k++) checkOrder(orders[k] as number, `orders[${k}]`)
}
