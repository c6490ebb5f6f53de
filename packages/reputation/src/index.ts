/**
 * @packageDocumentation
 * Reputation, contribution scores and reward split for fedchain. Reputation and the reward split
 * are integer fixed point (1e18 = 1.0) that the aggregator contract reproduces exactly
 * (FIXED_POINT.md); contribution scores are float maths over `Float32Array` updates.
 *
 * @example
 * ```ts
 * import {
 *   DEFAULT_REPUTATION_PARAMETERS as params, applyEvent, initialReputationState, opinion, splitReward,
 * } from '@fedchain/reputation'
 * let state = initialReputationState()
 * state = applyEvent(state, 'accepted', 1n, params)
 * const { score } = opinion(state, params) // → 666666666666666666n (≈ 0.667)
 * splitReward({
 *   pool: 10n ** 18n, committeeFeeBps: 500, committeeMembers: 3,
 *   participants: [{ id: '0', score, qualityBps: 9000 }],
 * }).shares[0]?.share // → 950000000000000002n (the pool minus 3 × 16666666666666666n)
 * ```
 */
export { BPS_DENOMINATOR, MAX_QUALITY_BPS, UINT256_MAX, UINT64_MAX } from './constants.js'
export { WAD, wadMul, wadDiv, powWad, wadToNumber, toWad } from './fixed-point.js'
export { ReputationError, InvalidArgumentError } from './errors.js'
export {
  DEFAULT_REPUTATION_PARAMETERS,
  reputationParameters,
  validateReputationParameters,
  type ReputationParameters,
} from './parameters.js'
export {
  REPUTATION_EVENTS,
  applyEvent,
  decayTo,
  initialReputationState,
  opinion,
  opinionAt,
  opinionToNumbers,
  type Opinion,
  type OpinionNumbers,
  type ReputationEvent,
  type ReputationState,
} from './subjective-logic.js'
export {
  splitReward,
  type ParticipantShare,
  type RewardParticipant,
  type SplitRewardParameters,
  type SplitRewardReturnType,
} from './reward-split.js'
export { createSeededRandom, type SeededRandom } from './random.js'
export type {
  ReputationVector,
  ReputationVectorFile,
  RewardSplitVector,
  RewardSplitVectorFile,
} from './test-vectors.js'
export {
  MAX_EXACT_SHAPLEY_PLAYERS,
  cachedUtility,
  cosineSimilarity,
  cosineToAggregate,
  exactShapley,
  gtgShapley,
  leaveOneOut,
  lossUtility,
  qualityBpsFromScores,
  type CachedUtility,
  type ContributionReturnType,
  type CosineToAggregateParameters,
  type ExactShapleyParameters,
  type GtgShapleyParameters,
  type GtgShapleyReturnType,
  type LeaveOneOutParameters,
  type LossUtilityParameters,
  type QualityBpsOptions,
  type QualityScale,
  type SubsetUtility,
  type UpdateVector,
} from './contribution/index.js'
