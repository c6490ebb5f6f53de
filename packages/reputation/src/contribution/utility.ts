/**
 * Coalition utilities: the value of aggregating only a subset of the round's updates, e.g. minus
 * the validation loss of the model moved by the subset's mean update.
 */
import { InvalidArgumentError } from '../errors.js'
import { checkUpdates, checkWeights, weightedMean, type UpdateVector } from './vector-math.js'

/**
 * Value of a coalition, higher is better. `members` are participant indices in ascending order;
 * the empty coalition is the previous global model. May be synchronous or asynchronous.
 */
export type SubsetUtility = (members: readonly number[]) => number | Promise<number>

/** Input of {@link lossUtility}. */
export interface LossUtilityParameters {
  /** One flat update per participant. */
  readonly updates: readonly UpdateVector[]
  /** Weights of the coalition's mean update (e.g. sample counts). @default all 1 */
  readonly weights?: readonly number[]
  /**
   * Loss (lower is better) of the global model moved by `aggregate`, e.g. on the validation
   * holdout. `aggregate` is the zero vector for the empty coalition.
   */
  readonly loss: (aggregate: Float32Array) => number | Promise<number>
}

/**
 * Builds the usual FL utility: `U(S) = −loss(weighted mean of the updates in S)`.
 *
 * @example
 * ```ts
 * const utility = lossUtility({ updates, weights: sampleCounts, loss: (delta) => validationLoss(global, delta) })
 * const { values } = await gtgShapley({ players: updates.length, utility })
 * ```
 */
export function lossUtility(params: LossUtilityParameters): SubsetUtility {
  const length = checkUpdates('updates', params.updates)
  checkWeights(params.weights, params.updates.length)
  return async (members) => -(await params.loss(weightedMean(params.updates, members, params.weights, length)))
}

/** A utility wrapper that evaluates each distinct coalition once and counts the evaluations. */
export interface CachedUtility {
  (members: readonly number[]): Promise<number>
  /** Number of distinct coalitions evaluated so far. */
  readonly evaluations: () => number
  /** Whether the coalition was already evaluated (then calling costs no evaluation). */
  readonly has: (members: readonly number[]) => boolean
}

const keyOf = (members: readonly number[]): string => members.join(',')

/**
 * Memoizes a {@link SubsetUtility} by coalition (order of `members` does not matter) and checks that
 * it returns finite numbers.
 */
export function cachedUtility(utility: SubsetUtility): CachedUtility {
  const cache = new Map<string, number>()
  const sorted = (members: readonly number[]): number[] => [...members].sort((a, b) => a - b)
  const call = async (members: readonly number[]): Promise<number> => {
    const s = sorted(members)
    const key = keyOf(s)
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const value = await utility(s)
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError('utility', `returned ${String(value)} for coalition [${key}]`, 'The utility must return a finite number.')
    }
    cache.set(key, value)
    return value
  }
  return Object.assign(call, {
    evaluations: () => cache.size,
    has: (members: readonly number[]) => cache.has(keyOf(sorted(members))),
  })
}

export function checkPlayers(players: number): void {
  if (!Number.isInteger(players) || players < 1) {
    throw new InvalidArgumentError('players', `must be an integer ≥ 1, got ${String(players)}`)
  }
}

/** Result of a contribution method driven by a utility. */
export interface ContributionReturnType {
  /** One value per participant, in utility units (higher contributed more). */
  readonly values: number[]
  /** Distinct coalitions evaluated. */
  readonly evaluations: number
}
