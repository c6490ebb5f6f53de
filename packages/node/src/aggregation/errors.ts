import { FedchainError } from '../errors.js'

/** Bad input to an aggregation strategy, verifier or attack. */
export class AggregationError extends FedchainError {
  constructor(shortMessage: string, options: { details?: Record<string, unknown>; hint?: string } = {}) {
    super('AGGREGATION_INVALID_ARGUMENT', shortMessage, options)
  }
}
