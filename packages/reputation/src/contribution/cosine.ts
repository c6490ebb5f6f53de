/**
 * Cosine-to-aggregate contribution: how well each update points in the direction of the round's
 * aggregate. Cheap (one pass, no model evaluation) but blind to the update's usefulness on data.
 */
import { InvalidArgumentError } from '../errors.js'
import { checkUpdates, checkWeights, dot, weightedMean, type UpdateVector } from './vector-math.js'

/**
 * Cosine similarity of two vectors in [−1, 1]; 0 when either has zero norm (no direction).
 *
 * @throws {@link InvalidArgumentError} when the lengths differ.
 */
export function cosineSimilarity(a: UpdateVector, b: UpdateVector): number {
  if (a.length !== b.length) throw new InvalidArgumentError('b', `has length ${b.length}, expected ${a.length} like a`)
  const na = Math.sqrt(dot(a, a))
  const nb = Math.sqrt(dot(b, b))
  if (na === 0 || nb === 0) return 0
  return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)))
}

/** Input of {@link cosineToAggregate}. */
export interface CosineToAggregateParameters {
  /** One flat update per participant. */
  readonly updates: readonly UpdateVector[]
  /** Aggregate to compare with. @default the `weights`-weighted mean of `updates` */
  readonly aggregate?: UpdateVector
  /** Weights of the default mean (e.g. sample counts). @default all 1 */
  readonly weights?: readonly number[]
}

/**
 * Cosine similarity of each update to the aggregate.
 *
 * @returns one value in [−1, 1] per update, in input order.
 * @example
 * ```ts
 * cosineToAggregate({ updates: [new Float32Array([1, 0]), new Float32Array([0, 1])] })
 * // → [0.7071…, 0.7071…]
 * ```
 */
export function cosineToAggregate(params: CosineToAggregateParameters): number[] {
  const length = checkUpdates('updates', params.updates)
  checkWeights(params.weights, params.updates.length)
  const aggregate =
    params.aggregate ??
    weightedMean(params.updates, params.updates.map((_, i) => i), params.weights, length)
  if (aggregate.length !== length) {
    throw new InvalidArgumentError('aggregate', `has length ${aggregate.length}, expected ${length} like the updates`)
  }
  return params.updates.map((u) => cosineSimilarity(u, aggregate))
}
