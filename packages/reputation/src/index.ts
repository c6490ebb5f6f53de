/**
 * @packageDocumentation
 * Reputation, contribution scores and reward split for fedchain, in integer fixed point
 * (1e18) that the aggregator contract reproduces exactly.
 *
 * @example
 * ```ts
 * import { WAD, wadMul } from '@fedchain/reputation'
 * wadMul(WAD / 2n, WAD / 2n) // → 250000000000000000n (0.25)
 * ```
 */
export { WAD, wadMul, wadDiv } from './fixed-point.js'
