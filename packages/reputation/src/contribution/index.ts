export { cosineSimilarity, cosineToAggregate, type CosineToAggregateParameters } from './cosine.js'
export { leaveOneOut, type LeaveOneOutParameters } from './leave-one-out.js'
export { exactShapley, MAX_EXACT_SHAPLEY_PLAYERS, type ExactShapleyParameters } from './exact-shapley.js'
export { gtgShapley, type GtgShapleyParameters, type GtgShapleyReturnType } from './gtg-shapley.js'
export { qualityBpsFromScores, type QualityBpsOptions, type QualityScale } from './quality-bps.js'
export {
  cachedUtility,
  lossUtility,
  type CachedUtility,
  type ContributionReturnType,
  type LossUtilityParameters,
  type SubsetUtility,
} from './utility.js'
export type { UpdateVector } from './vector-math.js'
