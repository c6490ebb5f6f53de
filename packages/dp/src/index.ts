/**
 * @packageDocumentation
 * Differential privacy for federated learning.
 *
 * @example
 * ```ts
 * import { clipInPlace } from '@fedchain/dp'
 * const update = new Float32Array([3, 4])
 * clipInPlace(update, 1) // → 0.2, update is now [0.6, 0.8]
 * ```
 */
export { l2Norm, clipInPlace } from './clip.js'
export { DpError, InvalidArgumentError } from './errors.js'
