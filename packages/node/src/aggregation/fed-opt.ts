import { AggregationError } from './errors.js'
import { sortedUpdates, weightedMean } from './math.js'
import type { AggregationStrategy } from './types.js'

export interface FedOptInit {
  /** Server learning rate η. @default 0.1 (Adam), 0.01 (Yogi) */
  readonly serverLearningRate?: number
  /** @default 0.9 */
  readonly beta1?: number
  /** @default 0.99 */
  readonly beta2?: number
  /** Adaptivity τ, added to √v. @default 1e-9 (Adam), 1e-3 (Yogi) */
  readonly tau?: number
}

/**
 * Adaptive server optimizers of Reddi et al. 2021 ("Adaptive Federated Optimization"), with the
 * mean delta as pseudo-gradient: m ← β₁m + (1−β₁)Δ̄; v per Adam or Yogi; w ← w + η·m/(√v + τ).
 */
function fedOpt(name: 'fedadam' | 'fedyogi', init: FedOptInit): AggregationStrategy {
  const eta = init.serverLearningRate ?? (name === 'fedadam' ? 0.1 : 0.01)
  const beta1 = init.beta1 ?? 0.9
  const beta2 = init.beta2 ?? 0.99
  const tau = init.tau ?? (name === 'fedadam' ? 1e-9 : 1e-3)
  if (!(eta > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(tau > 0)) {
    throw new AggregationError(`${name} needs η > 0, β₁, β₂ in [0, 1) and τ > 0; got ${eta}, ${beta1}, ${beta2}, ${tau}`)
  }
  let m: Float64Array | undefined
  let v: Float64Array | undefined
  return {
    name,
    initialize() {
      m = undefined
      v = undefined
    },
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      const delta = weightedMean(sorted.map((u) => u.delta), sorted.map((u) => u.examples), global.length)
      const first = m ?? new Float64Array(global.length)
      // Yogi's sign rule needs a positive start; τ² is the paper's initialisation.
      const second = v ?? new Float64Array(global.length).fill(tau * tau)
      const out = new Float32Array(global.length)
      for (let i = 0; i < global.length; i++) {
        const d = delta[i] as number
        const d2 = d * d
        first[i] = beta1 * (first[i] as number) + (1 - beta1) * d
        const vi = second[i] as number
        second[i] = name === 'fedadam' ? beta2 * vi + (1 - beta2) * d2 : vi - (1 - beta2) * d2 * Math.sign(vi - d2)
        out[i] = (global[i] as number) + (eta * (first[i] as number)) / (Math.sqrt(second[i] as number) + tau)
      }
      m = first
      v = second
      return { global: out, selected: sorted.map((u) => u.id) }
    },
  }
}

/** FedAdam (Reddi et al. 2021). */
export function fedAdam(init: FedOptInit = {}): AggregationStrategy {
  return fedOpt('fedadam', init)
}

/** FedYogi (Reddi et al. 2021): v ← v − (1−β₂)Δ̄²·sign(v − Δ̄²). */
export function fedYogi(init: FedOptInit = {}): AggregationStrategy {
  return fedOpt('fedyogi', init)
}
