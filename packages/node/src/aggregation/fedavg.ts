import { applyStep, sortedUpdates, weightedMean } from './math.js'
import type { AggregationStrategy } from './types.js'

/** FedAvg (McMahan et al. 2017): the example-weighted mean of the deltas. */
export function fedAvg(): AggregationStrategy {
  return {
    name: 'fedavg',
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      const mean = weightedMean(sorted.map((u) => u.delta), sorted.map((u) => u.examples), global.length)
      return { global: applyStep(global, mean), selected: sorted.map((u) => u.id) }
    },
  }
}
