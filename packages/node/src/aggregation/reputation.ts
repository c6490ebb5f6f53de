import { AggregationError } from './errors.js'
import { fedAvg } from './fedavg.js'
import type { AggregationStrategy } from './types.js'

/**
 * Wraps a strategy so each update's weight becomes examples × reputation (reputation in [0, 1],
 * missing = 1). Updates with reputation 0 still count as selected by the inner rule but carry no
 * weight in weighted means.
 */
export function withReputation(inner: AggregationStrategy): AggregationStrategy {
  return {
    name: `reputation(${inner.name})`,
    initialize: inner.initialize?.bind(inner),
    aggregate(parameters) {
      const updates = parameters.updates.map((u) => {
        const r = u.reputation ?? 1
        if (!(r >= 0 && r <= 1)) throw new AggregationError(`reputation of ${u.id} must be in [0, 1]; got ${r}`)
        return { ...u, examples: u.examples * r }
      })
      return inner.aggregate({ ...parameters, updates })
    },
  }
}

/** The reputation-weighted mean: FedAvg with weights examples × reputation. */
export function reputationWeightedMean(): AggregationStrategy {
  const strategy = withReputation(fedAvg())
  return { ...strategy, name: 'reputation' }
}
