/**
 * GTG-Shapley: guided truncated gradient Shapley (Liu, Chen, Yang, Zhou & Yu 2022, "GTG-Shapley:
 * Efficient and Accurate Participant Contribution Evaluation in Federated Learning", ACM TIST).
 *
 * Monte-Carlo permutation sampling of Shapley values where each coalition's model is rebuilt from
 * the round's updates (no retraining), with:
 * - between-round truncation: when the whole round barely changed the utility, |U(N) − U(∅)| <
 *   ε_b, every value is 0 and no permutation is sampled;
 * - within-round truncation: inside a permutation, once the prefix's utility is within ε_i of U(N),
 *   the remaining participants' marginals are taken as 0 without evaluating them;
 * - guided sampling: permutation k puts participant k mod n first, so every participant is
 *   evaluated early (where marginals are largest) equally often.
 * Sampling stops when the estimates have converged or the evaluation budget is spent.
 */
import { CONVERGENCE_WINDOW, DEFAULT_BETWEEN_ROUND_TOLERANCE, DEFAULT_CONVERGENCE_TOLERANCE, DEFAULT_WITHIN_ROUND_TOLERANCE, DEFAULT_EVALUATIONS_PER_PLAYER } from './constants.js'
import { InvalidArgumentError } from '../errors.js'
import { createSeededRandom, type SeededRandom } from '../random.js'
import { cachedUtility, checkPlayers, type ContributionReturnType, type SubsetUtility } from './utility.js'

/** Input of {@link gtgShapley}. */
export interface GtgShapleyParameters {
  /** Number of participants n (coalition members are 0 … n − 1). */
  readonly players: number
  /** Coalition utility, higher is better (see {@link lossUtility}). */
  readonly utility: SubsetUtility
  /**
   * Sampling budget: most distinct coalitions evaluated, U(∅) and U(N) included. A permutation
   * that would exceed it is discarded, never half-counted. @default 50·n (at least 2 + n)
   */
  readonly maxEvaluations?: number
  /** Most permutations sampled. @default no limit (the budget and convergence decide) */
  readonly maxPermutations?: number
  /** Fewest permutations before convergence is checked. @default n (everyone led once) */
  readonly minPermutations?: number
  /**
   * Within-round truncation ε_i, relative to the round's gain |U(N) − U(∅)|: a prefix whose
   * utility is closer than ε_i·|U(N) − U(∅)| to U(N) ends the evaluations of that permutation.
   * 0 disables it. @default 0.01
   */
  readonly withinRoundTolerance?: number
  /** Between-round truncation ε_b, absolute, in utility units. @default 1e-9 */
  readonly betweenRoundTolerance?: number
  /**
   * Convergence: the mean relative L1 change of the estimates over the last 3 permutations is
   * below this. @default 0.01
   */
  readonly convergenceTolerance?: number
  /** Seed of the permutation sampler. @default 0 */
  readonly seed?: number
  /** Explicit random source (overrides `seed`). */
  readonly random?: SeededRandom
}

/** Output of {@link gtgShapley}. */
export interface GtgShapleyReturnType extends ContributionReturnType {
  /** Complete permutations averaged into `values`. */
  readonly permutations: number
  /** Whether sampling stopped because the estimates converged (false: budget or limit). */
  readonly converged: boolean
  /** Whether the between-round truncation applied (all values 0). */
  readonly truncatedRound: boolean
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value < min) {
    throw new InvalidArgumentError(name, `must be an integer ≥ ${min}, got ${String(value)}`)
  }
  return value
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(name, `must be a finite number ≥ 0, got ${String(value)}`)
  return value
}

function guidedPermutation(n: number, k: number, random: SeededRandom): number[] {
  const first = k % n
  const rest = Array.from({ length: n }, (_, i) => i).filter((i) => i !== first)
  for (let i = rest.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1)
    const t = rest[i] ?? 0
    rest[i] = rest[j] ?? 0
    rest[j] = t
  }
  return [first, ...rest]
}

/**
 * Estimates every participant's Shapley value for one round with GTG-Shapley.
 *
 * @returns values in utility units; without truncation they sum to U(N) − U(∅) (efficiency).
 * @throws {@link InvalidArgumentError} for a bad option or a non-finite utility.
 * @example
 * ```ts
 * const utility = lossUtility({ updates, loss: (delta) => validationLoss(delta) })
 * const { values } = await gtgShapley({ players: updates.length, utility, maxEvaluations: 500, seed: 1 })
 * const quality = qualityBpsFromScores(values)
 * ```
 */
export async function gtgShapley(params: GtgShapleyParameters): Promise<GtgShapleyReturnType> {
  checkPlayers(params.players)
  const n = params.players
  const maxEvaluations = positiveInteger('maxEvaluations', params.maxEvaluations, Math.max(DEFAULT_EVALUATIONS_PER_PLAYER * n, n + 2), 2)
  const maxPermutations = positiveInteger('maxPermutations', params.maxPermutations, Number.POSITIVE_INFINITY, 1)
  const minPermutations = positiveInteger('minPermutations', params.minPermutations, n, 1)
  const within = nonNegative('withinRoundTolerance', params.withinRoundTolerance, DEFAULT_WITHIN_ROUND_TOLERANCE)
  const between = nonNegative('betweenRoundTolerance', params.betweenRoundTolerance, DEFAULT_BETWEEN_ROUND_TOLERANCE)
  const tolerance = nonNegative('convergenceTolerance', params.convergenceTolerance, DEFAULT_CONVERGENCE_TOLERANCE)
  const random = params.random ?? createSeededRandom(params.seed ?? 0)

  const utility = cachedUtility(params.utility)
  const all = Array.from({ length: n }, (_, i) => i)
  const empty = await utility([])
  const full = await utility(all)
  const gain = full - empty
  const values = new Array<number>(n).fill(0)
  if (Math.abs(gain) < between) {
    return { values, evaluations: utility.evaluations(), permutations: 0, converged: true, truncatedRound: true }
  }
  const truncation = within * Math.abs(gain)
  const changes: number[] = []
  let permutations = 0
  let converged = false

  sampling: while (permutations < maxPermutations) {
    const order = guidedPermutation(n, permutations, random)
    const marginals = new Array<number>(n).fill(0)
    let previous = empty
    const prefix: number[] = []
    for (const player of order) {
      prefix.push(player)
      let current = previous
      if (Math.abs(full - previous) >= truncation) {
        if (!utility.has(prefix) && utility.evaluations() >= maxEvaluations) break sampling
        current = await utility(prefix)
      }
      marginals[player] = current - previous
      previous = current
    }
    permutations++
    let moved = 0
    let size = 0
    for (let i = 0; i < n; i++) {
      const before = values[i] ?? 0
      const after = before + ((marginals[i] ?? 0) - before) / permutations
      values[i] = after
      moved += Math.abs(after - before)
      size += Math.abs(after)
    }
    changes.push(size === 0 ? 0 : moved / size)
    if (permutations >= Math.max(minPermutations, CONVERGENCE_WINDOW + 1)) {
      const recent = changes.slice(-CONVERGENCE_WINDOW)
      if (recent.reduce((a, b) => a + b, 0) / recent.length < tolerance) {
        converged = true
        break
      }
    }
  }
  return { values, evaluations: utility.evaluations(), permutations, converged, truncatedRound: false }
}
