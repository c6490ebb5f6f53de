import { AggregationError } from './errors.js'
import { applyStep, sortedUpdates, weightedMean } from './math.js'
import type { AggregationStrategy } from './types.js'

export interface FedAvgMInit {
  /** Server learning rate η. @default 1 */
  readonly serverLearningRate?: number
  /** Server momentum β. @default 0.9 */
  readonly momentum?: number
}

/** FedAvgM (Hsu et al. 2019): v ← β·v + Δ̄, w ← w + η·v. */
export function fedAvgM(init: FedAvgMInit = {}): AggregationStrategy {
  const eta = init.serverLearningRate ?? 1
  const beta = init.momentum ?? 0.9
  if (!(eta > 0) || !(beta >= 0 && beta < 1)) {
    throw new AggregationError(`FedAvgM needs serverLearningRate > 0 and momentum in [0, 1); got ${eta}, ${beta}`)
  }
  let velocity: Float64Array | undefined
  return {
    name: 'fedavgm',
    initialize() {
      velocity = undefined
    },
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      const mean = weightedMean(sorted.map((u) => u.delta), sorted.map((u) => u.examples), global.length)
      const v = velocity ?? new Float64Array(global.length)
      for (let i = 0; i < v.length; i++) v[i] = beta * (v[i] as number) + (mean[i] as number)
      velocity = v
      return { global: applyStep(global, v, eta), selected: sorted.map((u) => u.id) }
    },
  }
}
