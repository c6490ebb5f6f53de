/**
 * Aggregation strategies, update verification and attacks over flat `Float32Array` deltas.
 * Pure and deterministic: float64 accumulation in participant-id order.
 *
 * @example
 * ```ts
 * import { fedAvg } from './index.js'
 * const next = fedAvg().aggregate({ round: 1, global, updates: [{ id: '0xa', delta, examples: 120 }] })
 * ```
 */
export type { AggregateParameters, AggregateResult, AggregationStrategy, ClientUpdate } from './types.js'
export { AggregationError } from './errors.js'
export { fedAvg } from './fedavg.js'
export { fedAvgM, type FedAvgMInit } from './fedavgm.js'
export { fedAdam, fedYogi, type FedOptInit } from './fed-opt.js'
export { coordinateMedianStrategy, trimmedMean, krum, multiKrum, type KrumInit, type TrimmedMeanInit } from './robust.js'
export { withReputation, reputationWeightedMean } from './reputation.js'
export { createStrategy, DEFAULT_BYZANTINE_FRACTION, STRATEGY_NAMES, type StrategyName, type CreateStrategyParameters } from './registry.js'
export { verifyUpdates, type Verdict, type VerificationPolicy, type RejectionReason } from './verification.js'
export { createAttack, ATTACK_NAMES, type Attack, type AttackInit, type AttackName } from './attacks.js'
export {
  weightedMean,
  coordinateMedian,
  coordinateTrimmedMean,
  krumScores,
  multiKrumSelection,
  cosine,
  l2,
  pairwiseSquaredDistances,
} from './math.js'
